#!/usr/bin/env bash
# What the reserve script costs on the Redis server, step by step, with no JVM sharing the cores:
# the script cut short after each step (an empty one, up to the scopes' HMGETs, up to the SET of the
# request, whole; the scripts of issue 20's layout), each driven by redis-benchmark with 8 connections; prints the server's time per
# call (usec_per_call of evalsha in INFO commandstats). Uses keys under kbs:* and deletes them.
#   bench/redis-script-cost.sh [host] [port]
set -euo pipefail
cd "$(dirname "$0")/.."
H=${1:-127.0.0.1}; P=${2:-6379}
R=budget-redis/src/main/resources/dev/kopeck/budget/redis
cli() { redis-cli -h "$H" -p "$P" "$@"; }
tmp=$(mktemp -d)
echo "return 1" > "$tmp/1-empty.lua"
{ cat $R/lib.lua; sed "/^-- an open reservation's record/,\$d" $R/reserve.lua; echo "return {'ok'}"; } > "$tmp/2-checks.lua"
{ cat $R/lib.lua; sed '/^for i = FIRST_SCOPE, #rec, 3 do/,$d' $R/reserve.lua; echo "return {'ok'}"; } > "$tmp/3-set.lua"
cat $R/lib.lua $R/reserve.lua > "$tmp/4-whole.lua"
for f in "$tmp"/*.lua; do
  NOW=$(($(date +%s) * 1000))
  SHA=$(cli SCRIPT LOAD "$(cat "$f")")
  cli SET kbs:ledger "kopeck ledger" >/dev/null
  cli CONFIG RESETSTAT >/dev/null
  redis-benchmark -h "$H" -p "$P" -c 8 -n 50000 -r 100000000 -q evalsha "$SHA" 3 kbs:req:__rand_int__ kbs:expiry \
    kbs:ledger __rand_int__ 1000 "$NOW" $((NOW + 3600000)) 30000 kbs 0 2 $'tenant:acme\001team:ml' UTC \
    tenant:acme 2026-11-25 2026-W48 2026-11 team:ml 2026-11-25 2026-W48 2026-11 >/dev/null
  echo "$(basename "$f" .lua) $(cli INFO commandstats | grep '^cmdstat_evalsha:' | sed 's/.*usec_per_call=\([0-9.]*\).*/\1/') us a call"
  cli --scan --pattern 'kbs:*' | xargs -r -n 1000 redis-cli -h "$H" -p "$P" del >/dev/null
done
rm -r "$tmp"
