#!/usr/bin/env bash
# Installs packages, builds the release binary, creates the database under var/ (and a sandbox
# partner if there is none), prints a fresh sandbox key with a curl line to try, and serves the
# API on 127.0.0.1:8080 until Ctrl-C. The key is printed once and never written anywhere in
# clear (the database keeps only its SHA-256). JOBZEN_LISTEN=HOST:PORT changes the address.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.ccache}"
cmake --preset release -DJOBZEN_TESTS=OFF -DJOBZEN_BENCH=OFF >/dev/null
cmake --build build -j "$(nproc)" --target jobzen

db="sqlite:var/jobzen.db"
listen="${JOBZEN_LISTEN:-127.0.0.1:8080}"
name="Local sandbox"
partner=$(build/jobzen partner list --db "$db" | awk -F'\t' -v n="$name" '$2 == n {print $1; exit}')
if [ -z "$partner" ]; then
  created=$(build/jobzen partner create --db "$db" --name "$name" --tier premium --sandbox 2>/dev/null)
else
  # Keys are stored hashed, so an existing one cannot be shown again: make a new one.
  created=$(build/jobzen key create "$partner" --sandbox --db "$db" 2>/dev/null)
fi
key=$(printf '%s\n' "$created" | awk '/^api_key: /{print $2}')
unset created

cat <<MSG

JobZen API on http://$listen  (database var/jobzen.db; Ctrl-C stops the server)
Sandbox key, shown once (premium tier, 1,000 calls a month): $key

Try:
  curl -s http://$listen/api/v1/status -H "X-JobZen-Key: $key"
  curl -s -X POST http://$listen/api/v1/match -H "X-JobZen-Key: $key" -H "Content-Type: application/json" \\
    -d '{"cv_text": "Alice Martin, 5 ans Python, FastAPI, PostgreSQL", "job_listings": [{"job_id": "job_001", "title": "Backend Engineer", "description": "Python, FastAPI, PostgreSQL requis"}], "options": {"explain": true}}'

Link a candidate (open the "url" it returns in a browser), then use the fast path:
  curl -s -X POST http://$listen/api/v1/invitations -H "X-JobZen-Key: $key" -H "Content-Type: application/json" \\
    -d '{"candidate_ref": "cand_42"}'
  curl -s http://$listen/api/v1/candidates/cand_42/profile -H "X-JobZen-Key: $key"

Stored profiles are encrypted with var/master.key (created 0600; back it up apart from the database).

MSG
exec build/jobzen serve --listen "$listen" --db "$db"
