#!/usr/bin/env bash
# The CPU one gateway spends a plain call (a benchmark, not a test): one `kopeck gateway` in front of
# bench/gateway/LoadUpstream.java; bench/gateway/Load.java makes CALLS plain calls each way, CONCURRENCY
# at a time, twice to warm up, then once measured (Load makes as many warm-up calls of its own, so the
# measured run sends 2 x CALLS through the gateway). Prints Load's latencies, the gateway's CPU a call
# (/proc/PID/stat), and its CPU by thread name (/proc/PID/task/*/stat). JFR=FILE also records a Flight
# Recorder profile of the measured run, sampling every 1 ms.
#   bench/gateway-cpu.sh [CALLS] [CONCURRENCY] [GATEWAY OPTIONS...]    (defaults 3000 4; e.g. --redis redis://127.0.0.1:6379)
# Needs cli/target/kopeck.jar (mvn -B -q package -DskipTests) and a JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3000}"; c="${2:-4}"; shift $(( $# < 2 ? $# : 2 ))
jar=cli/target/kopeck.jar
[ -f "$jar" ] || { echo "gateway-cpu: build first: mvn -B -q package -DskipTests" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up="$(free_port)"; g="$(free_port)"
echo '{"keys":[{"key":"sk-bench","scope":"bench:cpu","limit":"1000000","currency":"RUB","period":"month"}]}' > "$work/keys.json"
java -Xmx512m -Dsun.net.httpserver.nodelay=true bench/gateway/LoadUpstream.java "$up" 20 10 > "$work/upstream.log" 2>&1 & pids+=($!)
OPENAI_API_KEY=sk-upstream java -Xms256m -Xmx256m -jar "$jar" gateway --listen "127.0.0.1:$g" \
  --upstream "http://127.0.0.1:$up/v1" --keys "$work/keys.json" "$@" > "$work/gateway.log" 2>&1 & pids+=($!)
gw="${pids[1]}"
for p in "$up" "$g"; do
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done
load() { java bench/gateway/Load.java "http://127.0.0.1:$up/v1" "http://127.0.0.1:$g/v1" sk-bench "$n" "$c" 1; }
load > /dev/null; load > /dev/null
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
threads() { for t in /proc/"$1"/task/*; do printf '%s %s %s\n' "${t##*/}" "$(tr ' ' _ < "$t/comm")" "$(awk '{print $14 + $15}' "$t/stat")"; done | sort; }
threads "$gw" > "$work/t0"; c0="$(cpu "$gw")"
[ -n "${JFR:-}" ] && jcmd "$gw" JFR.start settings=profile 'jdk.ExecutionSample#period=1ms' filename="$JFR" > /dev/null
load | grep -E 'plain|added' | head -2
[ -n "${JFR:-}" ] && jcmd "$gw" JFR.stop > /dev/null
threads "$gw" > "$work/t1"; c1="$(cpu "$gw")"
hz="$(getconf CLK_TCK)"
printf 'gateway CPU: %.3f ms a call (%d calls through it)\n' "$(echo "($c1 - $c0) * 1000 / $hz / (2 * $n)" | bc -l)" $(( 2 * n ))
echo "by thread (ticks of 1/$hz s):"
join "$work/t0" "$work/t1" | awk '{ d = $5 - $3; if (d > 0) { sub(/-?[0-9]+$/, "", $2); s[$2] += d } } END { for (k in s) print "  " s[k], k }' | sort -rn
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
