#!/usr/bin/env bash
# Regenerates the golden counts from the reference tokenizers in ../shared/oracle (Node.js;
# HuggingFace tokenizers for gemma3, gemma, o200k_harmony (the oracle's gptoss), llama3, qwen3 and deepseek_v3;
# tiktoken for o200k_base, cl100k_base, p50k_base and r50k_base), and the token ids
# (vocab/src/test/golden/ids.js, on the oracle's packages). A developer runs
# this after changing the corpus; the build and the tests never need the oracle.
#   vocab/src/test/golden/update-golden.sh [ORACLE_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
oracle="${1:-../shared/oracle}"
if [ ! -d "$oracle/node_modules" ]; then
  tmp="$(mktemp -d)"; cp "$oracle"/package.json "$oracle"/count.js "$tmp"/
  (cd "$tmp" && npm install --silent); oracle="$tmp"
fi
corpus=vocab/src/test/resources/golden/corpus
python3 vocab/src/test/golden/make_corpus.py "$corpus"
out=vocab/src/test/resources/golden/counts.tsv
encodings="gemma3 gemma o200k_base cl100k_base p50k_base r50k_base o200k_harmony llama3 qwen3 deepseek_v3"
{
  printf 'file'; for enc in $encodings; do printf '\t%s' "$enc"; done; printf '\n'
  for enc in $encodings; do
    oracle_name="$enc"; [ "$enc" = o200k_harmony ] && oracle_name=gptoss
    node "$oracle/count.js" "$oracle_name" "$corpus"/* | awk -v e="$enc" -F'\t' '{n=split($4,p,"/"); print p[n] "\t" e "\t" $1}'
  done | ENCODINGS="$encodings" python3 -c '
import os, sys, collections
encodings = os.environ["ENCODINGS"].split()
rows = collections.defaultdict(dict)
for line in sys.stdin:
    f, e, n = line.rstrip("\n").split("\t"); rows[f][e] = n
for f in sorted(rows):
    r = rows[f]; print("\t".join([f] + [r[e] for e in encodings]))
'
} > "$out"
echo "wrote $out ($(($(wc -l < "$out") - 1)) files)"
# the token ids themselves (ids.js says what each column holds)
mkdir -p vocab/src/test/resources/golden/ids
for enc in $encodings; do
  ids=vocab/src/test/resources/golden/ids/$enc.tsv
  { printf 'file\tcount\tids\tlast_ids\tsha256\ttruncated_10\n'
    NODE_PATH="$oracle/node_modules" node vocab/src/test/golden/ids.js "$enc" "$corpus"/*; } > "$ids"
  echo "wrote $ids"
done
