#!/usr/bin/env bash
# The quick profile (under 10 minutes on 2 cores): every benchmark, short iterations, one fork, with
# allocation (-prof gc); then the reference tokenizers on the same 8 MiB file; then the report
# (docs/benchmarks.md and its chart). Writes JMH JSON to bench/results/quick.json.
#   bench/run-quick.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/benchmarks.jar ] || mvn -B -q package -DskipTests
mkdir -p bench/results
jar="$(mktemp -d)/benchmarks.jar"     # a copy, so a rebuild cannot pull it from under the forks
cp bench/target/benchmarks.jar "$jar"
java -jar "$jar" -wi 2 -w 1 -i 3 -r 1 -f 1 -prof gc -e VocabularyLoadBenchmark -rf json -rff bench/results/quick.json "$@"
# the first use of a vocabulary must be cold: one shot per fresh JVM, no warm-up, whatever the options above
java -jar "$jar" VocabularyLoadBenchmark -bm ss -wi 0 -i 1 -f 5 -prof gc -rf json -rff bench/results/quick-load.json
bash bench/oracle-timing.sh ../shared/oracle "$jar" || true
java -cp "$jar" dev.kopeck.bench.Report --command "bench/run-quick.sh" --oracle bench/results/oracle.tsv \
  bench/results/quick.json bench/results/quick-load.json
