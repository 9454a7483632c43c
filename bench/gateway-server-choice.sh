#!/usr/bin/env bash
# The measurement behind the gateway's server (docs/design/gateway.md): a bare pass-through proxy on
# Vert.x 5 and one on Jetty 12, no budget, in front of bench/gateway/LoadUpstream.java;
# bench/gateway/Load.java measures the latency each adds (PLAIN plain calls each way, CONCURRENCY at
# a time, then STREAMS streams at once), in ROUNDS alternating rounds.
#   bench/gateway-server-choice.sh [PLAIN] [CONCURRENCY] [STREAMS] [ROUNDS]     (defaults 1000 10 100 2)
# Fetches its class path from Maven Central once (bench/gateway/server-choice/pom.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
plain="${1:-1000}"; concurrency="${2:-10}"; streams="${3:-100}"; rounds="${4:-2}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mvn -B -q --strict-checksums -f bench/gateway/server-choice/pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="$(cat "$work/cp.txt")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up="$(free_port)"; vx="$(free_port)"; jt="$(free_port)"
java -Dsun.net.httpserver.nodelay=true bench/gateway/LoadUpstream.java "$up" 20 10 > "$work/up.log" 2>&1 & pids+=($!)
java -cp "$cp" bench/gateway/server-choice/VertxPassThrough.java "$vx" "$up" > "$work/vx.log" 2>&1 & pids+=($!)
java -cp "$cp" bench/gateway/server-choice/JettyPassThrough.java "$jt" "$up" > "$work/jt.log" 2>&1 & pids+=($!)
for p in "$up" "$vx" "$jt"; do
  for _ in $(seq 150); do (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.2; done
done
for r in $(seq "$rounds"); do
  for side in "vert.x $vx" "jetty $jt"; do
    set -- $side
    echo "== round $r: $1"
    java bench/gateway/Load.java "http://127.0.0.1:$up/v1" "http://127.0.0.1:$2/v1" none "$plain" "$concurrency" "$streams"
  done
done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
