#!/usr/bin/env bash
# Times the reference tokenizers (../shared/oracle: HuggingFace tokenizers' Rust core for gemma3,
# tiktoken for o200k_base) and Kopeck on the same 8 MiB natural text, and writes
# bench/results/oracle.tsv for the report. Needs Node.js and npm (to install the oracle once, into a
# temporary folder); skips with a message when they are missing.
#   bench/oracle-timing.sh [ORACLE_DIR] [JAR]
set -euo pipefail
cd "$(dirname "$0")/.."
oracle="${1:-../shared/oracle}"
jar="${2:-bench/target/benchmarks.jar}"
out=bench/results/oracle.tsv
mkdir -p bench/results
if ! command -v node >/dev/null || [ ! -f "$oracle/count.js" ]; then
  echo "oracle-timing: no node or no $oracle/count.js; skipped" >&2
  exit 0
fi
if [ ! -d "$oracle/node_modules" ]; then
  tmp="$(mktemp -d)"; cp "$oracle"/package.json "$oracle"/count.js "$tmp"/
  (cd "$tmp" && npm install --silent) || { echo "oracle-timing: npm install failed; skipped" >&2; exit 0; }
  oracle="$tmp"
fi
text="$(mktemp -d)/natural-8mib.txt"
java -cp "$jar" dev.kopeck.bench.BenchText natural 8388608 "$text" >/dev/null
bytes=$(stat -c %s "$text")
{
  echo "# tokenizer	implementation	tokens	ms	bytes"
  for enc in gemma3 o200k_base; do
    impl=$([ "$enc" = gemma3 ] && echo "HuggingFace tokenizers (Rust, via Node)" || echo "tiktoken (Rust/WASM, via Node)")
    node "$oracle/count.js" "$enc" "$text" | awk -F'\t' -v e="$enc" -v i="$impl" -v b="$bytes" '{print e "\t" i "\t" $1 "\t" $3 "\t" b}'
    kimpl=$([ "$enc" = gemma3 ] && echo "Kopeck (Java)" || echo "JTokkit 1.1.0 (Java)")
    java -Xms2g -Xmx2g -cp "$jar" dev.kopeck.bench.CountFile "$enc" "$text" 10 \
      | sed -E 's/^[^:]*: ([0-9]+) tokens.* best of [0-9]+ ([0-9.]+) ms.*/\1 \2/' \
      | awk -v e="$enc" -v i="$kimpl" -v b="$bytes" '{print e "\t" i "\t" $1 "\t" $2 "\t" b}'
  done
} > "$out"
cat "$out"
