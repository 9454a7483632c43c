// Reference prices from the package itself: @pydantic/genai-prices' own calcPrice over the data it ships,
// for the usages of the sample bodies and for generated usages of every model (seeded, so the file is the
// same each time). A developer runs this after bumping the package; the build and the tests never do.
//   node tariffs/src/test/golden/calc.mjs INDEX_JS SAMPLES_JSON > tariffs/src/test/resources/genai-prices/calc.tsv
// INDEX_JS: the package's dist/index.js (tariffs/target/genai-prices/@pydantic/genai-prices@VERSION/index.js after a build).
// Each line: provider, model, instant, usage (JSON), then input, output and total as JavaScript prints
// the doubles it computed, or "null" (no price) or "error" (calcPrice threw).
import fs from 'fs';
import { pathToFileURL } from 'url';

const [, , indexJs, samplesJson] = process.argv;
const gp = await import(pathToFileURL(indexJs).href);
const providers = await gp.waitForUpdate();
console.warn = () => {};

let seed = 20261127;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const rows = [];
const row = (provider, model, at, usage) => {
  let r;
  try {
    const p = gp.calcPrice(usage, model, { providerId: provider, timestamp: new Date(at) });
    r = p ? [String(p.input_price), String(p.output_price), String(p.total_price)].join('\t') : 'null';
  } catch (e) {
    r = 'error';
  }
  rows.push([provider, model, at, JSON.stringify(usage), r].join('\t'));
};

// the sample bodies, read by each extractor that reads them
for (const s of JSON.parse(fs.readFileSync(samplesJson, 'utf8'))) {
  for (const e of s.extracted) {
    for (const x of e.extractors) {
      try {
        const prov = gp.findProvider({ providerId: x.provider_id });
        const ex = gp.extractUsage(prov, s.body, x.api_flavor);
        if (ex.model) row(x.provider_id, ex.model, '2026-08-21T00:00:00.000Z', ex.usage);
      } catch (err) { /* the samples test covers extraction */ }
    }
  }
}

// two generated usages per model: sizes across the tiers, parts within their wholes, any time 2024-2026
const day = 86400000, from = Date.UTC(2024, 0, 1);
for (const p of providers) {
  for (const m of p.models) {
    for (let k = 0; k < 2; k++) {
      const input = [0, 1, 999, 128000, 200001, 272001, 1000000, 2500000][rnd(8)] + rnd(5000);
      const cacheRead = rnd(3) === 0 ? rnd(input + 1) : 0;
      const cacheWrite = rnd(4) === 0 ? rnd(input - cacheRead + 1) : 0;
      const output = rnd(20000);
      const u = { input_tokens: input, output_tokens: output };
      if (cacheRead) u.cache_read_tokens = cacheRead;
      if (cacheWrite) u.cache_write_tokens = cacheWrite;
      if (rnd(4) === 0) u.output_reasoning_tokens = rnd(output + 1);
      if (rnd(6) === 0) u.input_audio_tokens = rnd(input - cacheRead - cacheWrite + 1);
      if (rnd(8) === 0) u.web_searches = rnd(5);
      const at = new Date(from + rnd(365 * 3) * day + rnd(day)).toISOString();
      row(p.id, m.id, at, u);
    }
  }
}
console.log(rows.join('\n'));
