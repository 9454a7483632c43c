#!/usr/bin/env bash
# Times the reference tokenizers (../shared/oracle: HuggingFace tokenizers' Rust core, tiktoken's
# Rust/WASM core, both run by Node) and Kopeck on the same 8 MiB natural text, side by side, and writes
# bench/results/oracle.tsv for the report. Two figures each:
#   encode ms   the encode of the whole text alone, vocabulary already loaded (count.js's own timer;
#               Kopeck: dev.kopeck.bench.CountFile, best of 10 after one cold count, on all cores as
#               count() does for a text this large; tiktoken and HuggingFace's encode use one)
#   process ms  the whole process, wall clock: start, load the vocabulary, read and count the file, exit
#               (node count.js ENC FILE against bin/kopeck count --tokenizer ENC FILE, the launcher, or
#               java -jar CLI_JAR count ... when a CLI_JAR is given); best of 3, and all three in the TSV's
#               last column
# Needs Node.js and npm (to install the oracle once, into a temporary folder); skips when they are missing.
#   bench/oracle-timing.sh [ORACLE_DIR] [BENCH_JAR] [CLI_JAR]
# KOPECK_ENCODINGS="o200k_base gemma3" limits the run to those encodings.
set -euo pipefail
cd "$(dirname "$0")/.."
oracle="${1:-../shared/oracle}"
jar="${2:-bench/target/benchmarks.jar}"
cli="${3:-}"
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

# the wall-clock times of three runs of a command, in ms: "best<TAB>all three"
best_ms() {
  local best="" all=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 ))
    all="$all${all:+,}$ms"
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%s\t%s\n' "$best" "$all"
}
kopeck() {
  if [ -n "$cli" ]; then java -jar "$cli" "$@"; else bin/kopeck "$@"; fi
}

{
  echo "# tokenizer	implementation	tokens	encode_ms	process_ms	bytes	process_ms_runs"
  for enc in ${KOPECK_ENCODINGS:-o200k_base cl100k_base gemma3 llama3 qwen3 deepseek_v3}; do
    case "$enc" in
      o200k_base|cl100k_base) impl="tiktoken 1.0.22 (Rust/WASM, via Node)" ;;
      *) impl="HuggingFace tokenizers 0.23.2 (Rust, via Node)" ;;
    esac
    ref=$(node "$oracle/count.js" "$enc" "$text")
    IFS=$'\t' read -r ref_ms ref_all < <(best_ms node "$oracle/count.js" "$enc" "$text")
    echo "$ref" | awk -F'\t' -v e="$enc" -v i="$impl" -v p="$ref_ms" -v b="$bytes" -v a="$ref_all" '{print e "\t" i "\t" $1 "\t" $3 "\t" p "\t" b "\t" a}'
    k=$(java -Xms2g -Xmx2g -cp "$jar" dev.kopeck.bench.CountFile "$enc" "$text" 10 \
      | sed -E 's/^[^:]*: ([0-9]+) tokens.* best of [0-9]+ ([0-9.]+) ms.*/\1 \2/')
    IFS=$'\t' read -r k_ms k_all < <(best_ms kopeck count --tokenizer "$enc" "$text")
    echo "$k" | awk -v e="$enc" -v p="$k_ms" -v b="$bytes" -v a="$k_all" '{print e "\tKopeck (Java)\t" $1 "\t" $2 "\t" p "\t" b "\t" a}'
  done
} > "$out"
cat "$out"
