// Reference token ids for the golden corpus, pinned as JTokkit's *_encodings.csv pin theirs.
// Usage: NODE_PATH=ORACLE/node_modules node ids.js ENCODING FILE...   (ORACLE: ../shared/oracle, npm-installed)
// The same references as ../shared/oracle/count.js: HuggingFace tokenizers over the @lenml tokenizer.json
// (gemma3, gemma), tiktoken (o200k_base, cl100k_base); no special tokens added, special-token text allowed.
// One line per file: file, count, the ids (all of them up to 128, else the first 64), the last 64 ids (or -),
// the SHA-256 of all ids written as decimal numbers joined by single spaces, and the ids of a truncation at 10
// tokens: the prefix of the text that the first 10 ids cover, cut back to whole characters, encoded again.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const [, , which, ...files] = process.argv;
const TIKTOKEN = new Set(['o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base']);
// Kopeck's id for the oracle's package name
const PACKAGE = { gemma: 'gemini', o200k_harmony: 'gptoss' };
const LIMIT = 10;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The text of {@code bytes} less an unfinished UTF-8 sequence at the end. */
function wholeChars(bytes) {
  for (let k = bytes.length; k >= 0; k--) {
    try {
      return decoder.decode(bytes.subarray(0, k));
    } catch (e) {
      // drop one more byte
    }
  }
  return '';
}

(async () => {
  let encode;
  let covered; // how much of the text (a prefix, whole characters) the given ids stand for
  if (TIKTOKEN.has(which)) {
    const { get_encoding } = require('tiktoken');
    const enc = get_encoding(which);
    encode = async (s) => Array.from(enc.encode(s, 'all'));
    covered = (text, first) => {
      const n = first.reduce((sum, id) => sum + enc.decode_single_token_bytes(id).length, 0);
      return wholeChars(Buffer.from(text, 'utf8').subarray(0, n));
    };
  } else {
    const pkg = '@lenml/tokenizer-' + (PACKAGE[which] || which);
    const file = path.join(process.env.NODE_PATH.split(path.delimiter)[0], pkg, 'models/tokenizer.json');
    const { Tokenizer } = require('tokenizers');
    const tok = Tokenizer.fromFile(file);
    encode = async (s) => Array.from((await tok.encode(s, null, { addSpecialTokens: false })).getIds());
    if (!which.startsWith('gemma')) {
      // byte-level: a token is bytes, written in GPT-2's table of 256 printable characters; an added token is its text
      const inv = new Map();
      let n = 0;
      for (let b = 0; b < 256; b++) {
        const printable = (b >= 33 && b <= 126) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        inv.set(String.fromCodePoint(printable ? b : 256 + n++), b);
      }
      const added = new Map(JSON.parse(fs.readFileSync(file, 'utf8')).added_tokens.map((a) => [a.id, a.content]));
      covered = (text, first) => {
        const n = first.reduce((sum, id) => sum + (added.has(id) ? Buffer.byteLength(added.get(id))
          : Array.from(tok.idToToken(id)).length), 0);
        return wholeChars(Buffer.from(text, 'utf8').subarray(0, n));
      };
    } else
    // a piece is the text it covers with spaces as \u2581 (the normalizer's), one char for one char;
    // byte-fallback pieces <0xHH> cover one character between them once its bytes are complete
    covered = (text, first) => {
      let chars = 0;
      let pending = [];
      for (const id of first) {
        const m = /^<0x([0-9A-F]{2})>$/.exec(tok.idToToken(id));
        if (!m) {
          chars += tok.idToToken(id).length;
          continue;
        }
        pending.push(parseInt(m[1], 16));
        const c = wholeChars(Buffer.from(pending));
        if (c.length > 0) {
          chars += c.length;
          pending = [];
        }
      }
      return text.slice(0, chars);
    };
  }
  for (const f of files) {
    const ids = await encode(fs.readFileSync(f, 'utf8'));
    const all = ids.length <= 128;
    const head = (all ? ids : ids.slice(0, 64)).join(' ');
    const tail = all ? '-' : ids.slice(-64).join(' ');
    const sha = crypto.createHash('sha256').update(ids.join(' ')).digest('hex');
    const text = fs.readFileSync(f, 'utf8');
    const cut = covered(text, ids.slice(0, LIMIT));
    const truncated = await encode(cut);
    console.log([path.basename(f), ids.length, head, tail, sha, truncated.join(' ') || '-'].join('\t'));
  }
})();
