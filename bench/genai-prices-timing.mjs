// genai-prices' own calcPrice, timed in Node on the names and usage of CatalogBenchmark.findAndPrice.
//   node bench/genai-prices-timing.mjs tariffs/target/genai-prices/index.js
// Prints the mean time of a call in nanoseconds, over 2 s after 2 s of warm-up.
import { pathToFileURL } from 'url';
const gp = await import(pathToFileURL(process.argv[2]).href);
await gp.waitForUpdate();
console.warn = () => {};
const names = ['claude-sonnet-4-5-20250929', 'gpt-4o-2024-08-06', 'gemini-2.5-flash', 'deepseek-chat',
  'mistral-large-latest', 'grok-4', 'claude-3-5-haiku-latest', 'gpt-5-mini'];
const usage = { input_tokens: 1290, cache_read_tokens: 512, output_tokens: 120, output_reasoning_tokens: 40 };
const at = new Date('2026-08-21T12:00:00Z');
let sink = 0;
const run = (ms) => {
  const end = performance.now() + ms;
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) sink += gp.calcPrice(usage, names[(n + i) & 7], { timestamp: at }).total_price;
    n += 64;
  }
  return Number(process.hrtime.bigint() - t0) / n;
};
run(2000);
console.log(`genai-prices calcPrice: ${run(2000).toFixed(0)} ns a call (node ${process.version}; sink ${sink > 0})`);
