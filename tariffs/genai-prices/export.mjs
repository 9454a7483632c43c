// Build step: turns the price data that @pydantic/genai-prices publishes into the JSON that Kopeck's
// catalog reads. node export.mjs INDEX_JS OUT_JSON PACKAGE@VERSION UNITS_JSON
// INDEX_JS is the package's dist/index.js (ES module). Nothing is fetched. The data is what the package
// publishes through its documented API (index.d.ts): waitForUpdate() resolves to the providers it ships,
// in the format of the data file the project publishes (prices/new_data/v2/data.json), which is what
// `kopeck catalog update` reads at run time. No symbol of the minified bundle is used, so a new version
// of the package is a change of the one line in tariffs/pom.xml.
// The unit table (which usage key counts what, and each price key's `per`) is not part of the data: it is
// genai-prices' prices/units.yml, kept in UNITS_JSON (tariffs/genai-prices/units.json). Every price key and
// every usage key of the data must be in it, else the build stops and names the keys.
// Every price becomes a string: JavaScript holds prices as doubles, and Number -> String gives back the
// shortest decimal that reads as the same double, which is the literal the data was written with
// (checked: the exported strings are the literals of the bundle, see docs/design/catalog.md).
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const [, , indexJs, out, source, unitsJson] = process.argv;
const gp = await import(pathToFileURL(indexJs).href);
const providers = structuredClone(await gp.waitForUpdate());
const units = JSON.parse(fs.readFileSync(unitsJson, 'utf8'));

const priceKeys = new Set(Object.entries(units).map(([k, u]) => u.price_key ?? k));
const unknown = new Set();
const decimal = (v) => {
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'base' in v) {
    return { base: String(v.base), tiers: v.tiers.map((t) => ({ start: t.start, price: String(t.price) })) };
  }
  throw new Error('unexpected price ' + JSON.stringify(v));
};
const priceMap = (p) => {
  for (const k of Object.keys(p)) if (!priceKeys.has(k)) unknown.add('price key ' + k);
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => [k, decimal(v)]));
};
// what Kopeck does not use is left out: descriptions and price comments are a fifth of the data, and
// the catalog is read at the start of a command that needs it
for (const p of providers) {
  delete p.description;
  delete p.price_comments;
  for (const x of p.extractors ?? []) {
    for (const m of x.mappings) if (!(m.dest in units)) unknown.add('usage key ' + m.dest);
  }
  for (const m of p.models) {
    delete m.description;
    delete m.price_comments;
    m.prices = Array.isArray(m.prices)
      ? m.prices.map((c) => ({ ...c, prices: priceMap(c.prices) }))
      : priceMap(m.prices);
  }
}
if (unknown.size) {
  console.error(`kopeck build: ${source} uses ${[...unknown].sort().join(', ')}, which ${unitsJson} lacks:`
    + ' add them from genai-prices\' prices/units.yml');
  process.exit(1);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ source, currency: 'USD', units, providers }));
