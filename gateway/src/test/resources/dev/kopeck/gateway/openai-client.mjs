// The official OpenAI Node SDK as a service would use it against the gateway: a base URL and a key.
// node openai-client.mjs BASE_URL STEPS.json: runs each step in order, prints one JSON line per step.
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';

const [baseURL, stepsFile] = process.argv.slice(2);
const steps = JSON.parse(readFileSync(stepsFile, 'utf8'));

function failure(e) {
  return { error: { status: e.status ?? null, type: e.type ?? null, code: e.code ?? null, message: e.message } };
}

for (const s of steps) {
  const client = new OpenAI({ baseURL, apiKey: s.key, maxRetries: 0, timeout: 20000 });
  let out;
  try {
    if (s.op === 'chat') {
      const { data, response } = await client.chat.completions.create(s.body).withResponse();
      out = { status: response.status, cost: response.headers.get('x-kopeck-cost'),
        currency: response.headers.get('x-kopeck-currency'), remaining: response.headers.get('x-kopeck-remaining'),
        text: data.choices[0].message.content, usage: data.usage ?? null };
    } else if (s.op === 'chat-stream') {
      const stream = await client.chat.completions.create({ ...s.body, stream: true });
      let text = '';
      let chunks = 0;
      let usage = null;
      for await (const c of stream) {
        chunks++;
        text += c.choices[0]?.delta?.content ?? '';
        if (c.usage) usage = c.usage;
      }
      out = { text, chunks, usage };
    } else if (s.op === 'responses') {
      const { data, response } = await client.responses.create(s.body).withResponse();
      out = { status: response.status, cost: response.headers.get('x-kopeck-cost'),
        remaining: response.headers.get('x-kopeck-remaining'), text: data.output_text, usage: data.usage ?? null };
    } else if (s.op === 'responses-stream') {
      const stream = await client.responses.create({ ...s.body, stream: true });
      let text = '';
      let usage = null;
      for await (const e of stream) {
        if (e.type === 'response.output_text.delta') text += e.delta;
        if (e.type === 'response.completed') usage = e.response.usage;
      }
      out = { text, usage };
    } else if (s.op === 'models') {
      const page = await client.models.list();
      out = { ids: page.data.map((m) => m.id) };
    } else {
      out = { error: { message: 'unknown step ' + s.op } };
    }
  } catch (e) {
    out = failure(e);
  }
  console.log(JSON.stringify(out));
}
