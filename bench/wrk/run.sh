#!/usr/bin/env bash
# Load test of `jobzen serve` with wrk on this machine (loopback only, bounded duration).
# Usage: bench/wrk/run.sh [SECONDS]   (default 10; needs a release build: cmake --preset release)
# Starts a server on 127.0.0.1 with a throw-away database, rate limit lifted (a benchmark is one
# key hammering the server), runs wrk on /status, /match with a CV, then /match with a linked
# candidate's candidate_ref and 100 real offers (the candidate links through the real
# invitation page), prints the server-side latency quantiles of /match from /metrics after each
# /match run, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
db="sqlite:$dir/bench.db"
JOBZEN_KEY=$(build/jobzen partner create --db "$db" --name bench --tier enterprise --quota 1000000000 2>/dev/null |
  awk '/^api_key: /{print $2}')
export JOBZEN_KEY
# Starts (or restarts: the /metrics histograms then describe one scenario only) the server.
start_server() {
  if [ -n "${server:-}" ]; then kill "$server"; wait "$server" 2>/dev/null || true; fi
  rm -f "$dir/port"
  build/jobzen serve --listen 127.0.0.1:0 --port-file "$dir/port" --db "$db" \
    --rate-limit 1000000 --rate-burst 1000000 ${JOBZEN_BENCH_SERVER_FLAGS:-} 2>>"$dir/server.log" &
  server=$!
  for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
  url="http://127.0.0.1:$(cat "$dir/port")"
}
start_server

echo "== /api/v1/status"
wrk -t1 -c32 -d"${secs}s" --latency -s bench/wrk/status.lua "$url"
echo
echo "== /api/v1/match (cv_text, two offers)"
curl -s "$url/metrics" >/dev/null
wrk -t1 -c32 -d"${secs}s" --latency -s bench/wrk/match.lua "$url"
echo
echo "== server-side latency of /match (from /metrics)"
curl -s "$url/metrics" | grep 'jobzen_request_duration_quantile_seconds{endpoint="match"'

# A linked candidate: invitation, then consent and a pasted CV on the candidate's page.
code=$(curl -s -X POST "$url/api/v1/invitations" -H "X-JobZen-Key: $JOBZEN_KEY" -H "Content-Type: application/json" \
  -d '{"candidate_ref": "bench-1"}' | sed -n 's/.*"code":"\([0-9A-Za-z]*\)".*/\1/p')
page=$(curl -s -c "$dir/cookies" "$url/invite/$code?lang=en")
csrf=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -b "$dir/cookies" -F "csrf=$csrf" -F consent=yes -F "cv_text=<bench/data/cv_600_words_en.txt" \
  "$url/invite/$code?lang=en"
python3 - "$dir/match_ref.json" <<'PY'
import json, sys
offers = []
with open("../shared/data/france_travail_offers_fr/offers.jsonl", encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        offers.append({"job_id": o["id"], "title": o["intitule"], "description": o["description"]})
        if len(offers) == 100:
            break
json.dump({"candidate_ref": "bench-1", "job_listings": offers}, open(sys.argv[1], "w"), ensure_ascii=False)
PY
export JOBZEN_MATCH_REF_BODY="$dir/match_ref.json"
start_server
echo
echo "== /api/v1/match (candidate_ref, 100 offers; the first call parses them, later ones find them cached)"
# One connection: the latency of a call, not of a queue (200 KB bodies on two shared cores).
wrk -t1 -c1 -d"${secs}s" --latency -s bench/wrk/match_ref.lua "$url"
echo
echo "== server-side latency of /match with candidate_ref (from /metrics)"
curl -s "$url/metrics" | grep 'jobzen_request_duration_quantile_seconds{endpoint="match"'
