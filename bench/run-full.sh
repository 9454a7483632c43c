#!/usr/bin/env bash
# The full run: the benchmarks' own iteration settings, two forks each, with allocation; then the
# reference timing and the report. Writes JMH JSON to bench/results/full.json. About 40 minutes on 2 cores,
# plus 1 to 5 s a fork to touch its heap.
#   bench/run-full.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/benchmarks.jar ] || mvn -B -q package -DskipTests
mkdir -p bench/results
jar="$(mktemp -d)/benchmarks.jar"
cp bench/target/benchmarks.jar "$jar"
java -jar "$jar" -f 2 -prof gc -e VocabularyLoadBenchmark -rf json -rff bench/results/full.json "$@"
java -jar "$jar" VocabularyLoadBenchmark -bm ss -wi 0 -i 1 -f 10 -prof gc -rf json -rff bench/results/full-load.json
bash bench/oracle-timing.sh ../shared/oracle "$jar" || true
java -cp "$jar" dev.kopeck.bench.Report --command "bench/run-full.sh" --oracle bench/results/oracle.tsv \
  bench/results/full.json bench/results/full-load.json
