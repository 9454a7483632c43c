// Reference prices for the provider bodies of issue 30 (tariffs/src/test/resources/genai-prices/provider-bodies.json):
// each body read with @pydantic/genai-prices' own extractUsage for its provider and API flavour, the caller's
// units added, and priced with its calcPrice. A developer runs this after bumping the package; the build and
// the tests never do.
//   node tariffs/src/test/golden/bills.mjs INDEX_JS tariffs/src/test/resources/genai-prices/provider-bodies.json \
//     > tariffs/src/test/resources/genai-prices/provider-bills.tsv
// INDEX_JS: the package's dist/index.js (tariffs/target/genai-prices/@pydantic/genai-prices@VERSION/index.js after a build).
// Each line: name, provider, model, instant, usage (JSON), then input, output and total as JavaScript prints
// the doubles it computed, or "error: MESSAGE" (extractUsage or calcPrice threw) or "null" (no price).
import fs from 'fs';
import { pathToFileURL } from 'url';

const [, , indexJs, casesJson] = process.argv;
const gp = await import(pathToFileURL(indexJs).href);
await gp.waitForUpdate();
console.warn = () => {};

const rows = [];
for (const c of JSON.parse(fs.readFileSync(casesJson, 'utf8'))) {
  let usage = {}, model = c.model ?? null, result;
  try {
    const body = c.genai_body ?? c.body;
    if (body !== undefined) {
      const ex = gp.extractUsage(gp.findProvider({ providerId: c.provider }), body, c.flavor);
      usage = ex.usage;
      model = model ?? ex.model;
    }
    Object.assign(usage, c.units ?? {});
    const p = gp.calcPrice(usage, model, { providerId: c.provider, timestamp: new Date(c.at) });
    result = p ? [String(p.input_price), String(p.output_price), String(p.total_price)].join('\t') : 'null';
  } catch (e) {
    result = 'error: ' + String(e.message).replace(/\s+/g, ' ');
  }
  rows.push([c.name, c.provider, model, c.at, JSON.stringify(usage), result].join('\t'));
}
console.log(rows.join('\n'));
