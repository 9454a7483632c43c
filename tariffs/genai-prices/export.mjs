// Build step: turns the price data that @pydantic/genai-prices embeds into the JSON that Kopeck's
// catalog reads. node export.mjs INDEX_JS OUT_JSON PACKAGE@VERSION
// INDEX_JS is the package's dist/index.js (ES module). Nothing is fetched: the package is asked for the
// data it ships (waitForUpdate() with no update configured), and for its unit table (J), which it does
// not export, by re-exporting it from a copy.
// Every price becomes a string: JavaScript holds prices as doubles, and Number -> String gives back the
// shortest decimal that reads as the same double, which is the literal the data was written with
// (checked: the exported strings are the literals of the bundle, see docs/design/catalog.md).
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pathToFileURL } from 'url';

const [, , indexJs, out, source] = process.argv;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kopeck-genai-'));
const copy = path.join(tmp, 'index.mjs');
fs.writeFileSync(copy, fs.readFileSync(indexJs, 'utf8') + '\nexport { J as __kopeck_units };\n');
const gp = await import(pathToFileURL(copy).href);
const providers = await gp.waitForUpdate();
fs.rmSync(tmp, { recursive: true });

const decimal = (v) => {
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'base' in v) {
    return { base: String(v.base), tiers: v.tiers.map((t) => ({ start: t.start, price: String(t.price) })) };
  }
  throw new Error('unexpected price ' + JSON.stringify(v));
};
const priceMap = (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => [k, decimal(v)]));
// what Kopeck does not use is left out: descriptions and price comments are a fifth of the data, and
// the catalog is read at the start of a command that needs it
for (const p of providers) {
  delete p.description;
  delete p.price_comments;
  for (const m of p.models) {
    delete m.description;
    delete m.price_comments;
    m.prices = Array.isArray(m.prices)
      ? m.prices.map((c) => ({ ...c, prices: priceMap(c.prices) }))
      : priceMap(m.prices);
  }
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ source, currency: 'USD', units: gp.__kopeck_units, providers }));
