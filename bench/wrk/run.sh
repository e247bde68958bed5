#!/usr/bin/env bash
# Load test of `jobzen serve` with wrk on this machine (loopback only, bounded duration).
# Usage: bench/wrk/run.sh [SECONDS]   (default 10; needs a release build: cmake --preset release)
# Starts a server on 127.0.0.1 with a throw-away database, rate limit lifted (a benchmark is one
# key hammering the server), runs wrk on /status then /match, prints the server-side latency
# quantiles of /match from /metrics, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
db="sqlite:$dir/bench.db"
JOBZEN_KEY=$(build/jobzen partner create --db "$db" --name bench --tier enterprise --quota 1000000000 2>/dev/null |
  awk '/^api_key: /{print $2}')
export JOBZEN_KEY
build/jobzen serve --listen 127.0.0.1:0 --port-file "$dir/port" --db "$db" \
  --rate-limit 1000000 --rate-burst 1000000 ${JOBZEN_BENCH_SERVER_FLAGS:-} 2>"$dir/server.log" &
server=$!
for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$dir/port")"

echo "== /api/v1/status"
wrk -t1 -c32 -d"${secs}s" --latency -s bench/wrk/status.lua "$url"
echo
echo "== /api/v1/match (cv_text, two offers)"
curl -s "$url/metrics" >/dev/null
wrk -t1 -c32 -d"${secs}s" --latency -s bench/wrk/match.lua "$url"
echo
echo "== server-side latency of /match (from /metrics)"
curl -s "$url/metrics" | grep 'jobzen_request_duration_quantile_seconds{endpoint="match"'
