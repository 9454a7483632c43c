#!/usr/bin/env bash
# How much heap `kopeck reconcile` needs for one long log line: lines carrying base64 WAV audio of
# 4, 8 and 12 MiB (5.6, 11.2 and 16.8 MB lines), each run at several -Xmx; prints ok or the error.
#   bench/long-line-memory.sh          (after mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for mb in 4 8 12; do
  node -e '
    const mb = Number(process.argv[1]), rate = 16000, n = Math.floor(mb * 1024 * 1024 / 32000 * rate);
    const data = Buffer.alloc(n * 2), h = Buffer.alloc(44);
    h.write("RIFF", 0); h.writeUInt32LE(36 + data.length, 4); h.write("WAVEfmt ", 8); h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(rate, 24); h.writeUInt32LE(rate * 2, 28);
    h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34); h.write("data", 36); h.writeUInt32LE(data.length, 40);
    const b64 = Buffer.concat([h, data]).toString("base64");
    process.stdout.write(JSON.stringify({id: "a", request: {model: "gemini-2.0-flash", messages: [{role: "user",
      content: [{type: "input_audio", input_audio: {data: b64, format: "wav"}}]}]},
      usage: {prompt_tokens: 100000, completion_tokens: 5}}) + "\n");' "$mb" > "$tmp/line$mb.jsonl"
  size=$(stat -c %s "$tmp/line$mb.jsonl")
  for xmx in 64 80 96 128; do
    r=$( (java -Xmx${xmx}m -jar cli/target/kopeck.jar reconcile "$tmp/line$mb.jsonl" 2>&1 || true) | head -1 | cut -c1-60)
    echo "line of $size bytes, -Xmx${xmx}m: $r"
  done
done
