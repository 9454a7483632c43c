#!/usr/bin/env bash
# Reference counts for the SentencePiece reader: a small BPE model trained by spm_train on the golden
# corpus and the benchmark text, and spm_encode's token counts of every line of every corpus file
# (spm_encode reads line by line), summed per file. Needs Debian's `sentencepiece` package; the
# build and the tests never do.
#   tokens/src/test/spm/update-spm-golden.sh [--retrain]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
res=tokens/src/test/resources/spm
corpus=vocab/src/test/resources/golden/corpus
if [ "${1:-}" = "--retrain" ]; then
  tmp="$(mktemp -d)"
  cat "$corpus"/prose-*.txt "$corpus"/code-*.* "$corpus"/cjk.txt "$corpus"/json*.json > "$tmp/train.txt"
  spm_train --input="$tmp/train.txt" --model_prefix="$tmp/tiny-bpe" --vocab_size=1200 --model_type=bpe \
    --byte_fallback=true --add_dummy_prefix=false --remove_extra_whitespaces=false \
    --normalization_rule_name=identity --split_digits=true \
    --user_defined_symbols='<start_of_turn>,<end_of_turn>' --character_coverage=0.9995
  cp "$tmp/tiny-bpe.model" "$res/"
fi
out="$res/spm-counts.tsv"
printf 'file\ttokens\n' > "$out"
for f in "$corpus"/*; do
  n=$(spm_encode --model="$res/tiny-bpe.model" --output_format=id < "$f" | awk '{s += NF} END {print s + 0}')
  printf '%s\t%s\n' "$(basename "$f")" "$n" >> "$out"
done
echo "wrote $out"
