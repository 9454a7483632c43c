#!/usr/bin/env bash
# Whole-process time of `kopeck cost` (JVM start included), the median of N runs, for a model of the
# tariff tables (the bundled example) and a model only the catalog knows (an Anthropic response), with
# `kopeck --version` (the JVM and the command line alone) beside them.
#   bench/cost-timing.sh [N]      (after mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-11}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '{"type": "message", "model": "claude-sonnet-4-5-20250929", "usage": {"input_tokens": 100,' \
  '"output_tokens": 20, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 500}}' > "$tmp/anthropic.json"
median() {
  for _ in $(seq "$n"); do
    s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
echo "kopeck --version:                          $(median java -jar cli/target/kopeck.jar --version) ms"
echo "kopeck cost (tariff table, the example):   $(median java -jar cli/target/kopeck.jar cost docs/examples/openai-response.json) ms"
echo "kopeck cost (catalog, Anthropic response): $(median java -jar cli/target/kopeck.jar cost "$tmp/anthropic.json") ms"
