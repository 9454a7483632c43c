#!/usr/bin/env bash
# The vocabularies' first use and count speed, two builds side by side (issue 34: one kopeck-vocab jar
# before, a jar per family after): for each vocabulary, VocabularyLoadBenchmark (a cold first count
# in a fresh JVM, FORKS forks) with BEFORE's benchmarks.jar, then AFTER's, in turn, so that a change
# of the machine's load falls on both; then TokenizerBenchmark's single-threaded count of 64 KiB of
# natural text with each, in turn. Results: JMH's output and JSON per run in OUT; the scores printed.
#   bench/vocab-ab.sh BEFORE/benchmarks.jar AFTER/benchmarks.jar [FORKS] [OUT]
set -euo pipefail
before="$1"; after="$2"; forks="${3:-5}"; out="${4:-$(mktemp -d)}"
mkdir -p "$out"
vocabs="o200k_base o200k_harmony cl100k_base p50k_base r50k_base gemma3 gemma llama3 qwen3 deepseek_v3"
for v in $vocabs; do
  for side in before after; do
    jar="$before"; [ "$side" = after ] && jar="$after"
    java -jar "$jar" VocabularyLoadBenchmark -p encoding="$v" -f "$forks" -prof gc -rf json \
      -rff "$out/load-$v-$side.json" > "$out/load-$v-$side.txt"
  done
done
for v in o200k_base o200k_harmony gemma3 llama3; do
  for side in before after; do
    jar="$before"; [ "$side" = after ] && jar="$after"
    java -jar "$jar" TokenizerBenchmark -p encoding="$v" -p text=natural -p size=65536 -f 1 -wi 3 -i 5 \
      -rf json -rff "$out/count-$v-$side.json" > "$out/count-$v-$side.txt"
  done
done
for f in "$out"/load-*.txt "$out"/count-*.txt; do
  printf '%s\t' "$(basename "$f" .txt)"
  grep -E '^VocabularyLoadBenchmark.firstUse |^TokenizerBenchmark.count ' "$f" | tr -s ' ' '\t'
done
echo "results in $out" >&2
