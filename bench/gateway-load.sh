#!/usr/bin/env bash
# The gateway under load, on loopback (a benchmark, not a test): two `kopeck gateway` processes on one
# Redis in front of bench/gateway/LoadUpstream.java; bench/gateway/Load.java makes PLAIN plain calls
# each way (directly and through the gateways, shuffled, CONCURRENCY at a time) and then STREAMS
# streams at once each way, and prints the latency the gateways add (p50, p99). Then each gateway's
# heap after a full GC after a warm-up and after the load, its peak resident memory, and the CPU it
# used during the load.
#   bench/gateway-load.sh [PLAIN] [CONCURRENCY] [STREAMS]      (defaults 2000 50 200)
# Needs cli/target/kopeck.jar (mvn -B -q package -DskipTests), a JDK (jcmd, jstat) and Redis at 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
plain="${1:-2000}"; concurrency="${2:-50}"; streams="${3:-200}"
jar=cli/target/kopeck.jar
[ -f "$jar" ] || { echo "gateway-load: build first: mvn -B -q package -DskipTests" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "gateway-load: no Redis at 127.0.0.1:6379" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up="$(free_port)"; g1="$(free_port)"; g2="$(free_port)"
prefix="kopeck-bench-$$-$RANDOM"
echo '{"keys":[{"key":"sk-bench","scope":"bench:load","limit":"1000000","currency":"RUB","period":"month"}]}' > "$work/keys.json"

java -Xmx512m -Dsun.net.httpserver.nodelay=true bench/gateway/LoadUpstream.java "$up" 20 10 > "$work/upstream.log" 2>&1 & pids+=($!)
for g in "$g1" "$g2"; do
  OPENAI_API_KEY=sk-upstream java -Xms256m -Xmx256m -jar "$jar" gateway --listen "127.0.0.1:$g" \
    --upstream "http://127.0.0.1:$up/v1" --keys "$work/keys.json" --redis redis://127.0.0.1:6379 --prefix "$prefix" \
    > "$work/gateway-$g.log" 2>&1 & pids+=($!)
done
gw=("${pids[1]}" "${pids[2]}")
for p in "$up" "$g1" "$g2"; do
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done

# warm the gateways (the first call loads the tariffs and vocabularies; the JIT compiles) outside the window,
# streams too: one round of 20 left the stream's path to the interpreter and the client compiler, which
# added 20 ms to a lone stream's first chunk where a warm one adds 3 (docs/benchmarks.md)
for _ in 1 2 3 4 5; do
  java bench/gateway/Load.java "http://127.0.0.1:$up/v1" "http://127.0.0.1:$g1/v1,http://127.0.0.1:$g2/v1" sk-bench \
    200 10 40 >> "$work/warm-up.txt"
done

heap() { jcmd "$1" GC.run >/dev/null; jstat -gc "$1" | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}'; }
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
declare -A before cpu0
for p in "${gw[@]}"; do before[$p]="$(heap "$p")"; cpu0[$p]="$(cpu "$p")"; done
t0="$(date +%s.%N)"

java bench/gateway/Load.java "http://127.0.0.1:$up/v1" "http://127.0.0.1:$g1/v1,http://127.0.0.1:$g2/v1" sk-bench \
  "$plain" "$concurrency" "$streams"

t1="$(date +%s.%N)"
hz="$(getconf CLK_TCK)"
for p in "${gw[@]}"; do
  used=$(( $(cpu "$p") - ${cpu0[$p]} ))
  printf 'gateway pid %s: heap after a full GC %s MB after the warm-up, %s MB after the load; peak RSS %s; CPU %.1f s over %.1f s of load\n' \
    "$p" "${before[$p]}" "$(heap "$p")" "$(grep VmHWM "/proc/$p/status" | awk '{print $2/1024 " MB"}')" \
    "$(echo "$used / $hz" | bc -l)" "$(echo "$t1 - $t0" | bc -l)"
done
redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$prefix*" | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
