#!/usr/bin/env bash
# Start-up side by side (issue 33): a one-line count through the launcher (bin/kopeck), with the
# tokenizer named and with a model (which also reads the tariff tables), the same through plain
# `java -jar`, and tiktoken's one-line count in Node (../shared/oracle/count.js), each run N times in
# turn (so that a change of the machine's load falls on all of them), the median of wall-clock and of
# CPU (user + system) time. Extra variants of the JVM's options to compare go in
# KOPECK_VARIANTS, separated by `;` (each is run as `java OPTIONS -jar cli/target/kopeck.jar ...`).
# KOPECK_OTHER names other checkouts, built (`mvn -B -q package -DskipTests` there), separated by
# spaces: each one's launcher is run in turn with this one's, to compare two builds in one run.
# The oracle is installed once into a temporary folder when ORACLE_DIR has no node_modules (npm).
#   bench/start-timing.sh [N] [ENCODING] [ORACLE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-11}"
enc="${2:-o200k_base}"
oracle="${3:-../shared/oracle}"
if command -v npm >/dev/null && [ -f "$oracle/count.js" ] && [ ! -d "$oracle/node_modules" ]; then
  tmp="$(mktemp -d)"; cp "$oracle"/package.json "$oracle"/count.js "$tmp"/
  if (cd "$tmp" && npm install --silent); then oracle="$tmp"; else echo "start-timing: npm install failed" >&2; fi
fi
line="$(mktemp)"
trap 'rm -f "$line" "$line.time"' EXIT
echo "Hello, world: how many tokens is this line?" > "$line"
declare -a names cmds
names+=("bin/kopeck count"); cmds+=("bin/kopeck count --tokenizer $enc $line")
names+=("bin/kopeck count --model gpt-4o"); cmds+=("bin/kopeck count --model gpt-4o $line")
names+=("java -jar kopeck.jar count"); cmds+=("java -jar cli/target/kopeck.jar count --tokenizer $enc $line")
for o in ${KOPECK_OTHER:-}; do
  names+=("$o: bin/kopeck count"); cmds+=("$o/bin/kopeck count --tokenizer $enc $line")
done
IFS=';' read -r -a variants <<< "${KOPECK_VARIANTS:-}"
for v in "${variants[@]}"; do
  [ -z "$v" ] && continue
  names+=("java $v -jar kopeck.jar count"); cmds+=("java $v -jar cli/target/kopeck.jar count --tokenizer $enc $line")
done
if command -v node >/dev/null && [ -f "$oracle/count.js" ] && [ -d "$oracle/node_modules" ]; then
  names+=("node count.js $enc (reference)"); cmds+=("node $oracle/count.js $enc $line")
fi
declare -A wall cpu
for ((r = 0; r < n; r++)); do
  for k in "${!cmds[@]}"; do
    /usr/bin/time -o "$line.time" -f "%e %U %S" ${cmds[$k]} > /dev/null 2>&1
    read -r e u s < "$line.time"
    wall[$k]+="$(awk -v e="$e" 'BEGIN{printf "%d", e*1000}') "
    cpu[$k]+="$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}') "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
range() { tr ' ' '\n' | grep -v '^$' | sort -n | awk 'NR==1{lo=$1} {hi=$1} END{print lo "-" hi}'; }
echo "# $n runs each, in turn; $(date -u +%FT%TZ); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-45s %12s %14s %12s\n' "command" "wall median" "wall range" "cpu median"
for k in "${!cmds[@]}"; do
  printf '%-45s %9s ms %14s %9s ms\n' "${names[$k]}" "$(echo "${wall[$k]}" | median)" "$(echo "${wall[$k]}" | range)" \
    "$(echo "${cpu[$k]}" | median)"
done
