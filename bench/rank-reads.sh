#!/usr/bin/env bash
# Ranking reads on a scale database already seeded by `lvzhi seed-scale` (docs/PERFORMANCE.md,
# session 24): starts `lvzhi serve` with LVZHI_RANKINGS=$MODE on 127.0.0.1:$PORT, makes an admin
# and a deputy account (deputy 300000), waits until rankings come from the tables or the board,
# then reads each scope with `lvzhi-bench get` (bounded: 300,000 requests or 10 s each).
# Usage: DATABASE_URL=… LVZHI_DATA_DIR=… [REDIS_URL=…] bench/rank-reads.sh PORT sql|sorted_sets
set -euo pipefail
PORT=$1 MODE=$2
BIN="$(dirname "$0")/../target/release"
A=127.0.0.1:$PORT PW='Bench-pass-2026!'
"$BIN/lvzhi" create-admin --username benchadmin --password "$PW" >/dev/null 2>&1 || true
LVZHI_BIND=$A LVZHI_RANKINGS=$MODE LVZHI_BENCH_HELLO=true "$BIN/lvzhi" serve >"rank-reads-$PORT.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER' EXIT
t0=$(date +%s)
until curl -sf "$A/healthz" >/dev/null; do sleep 0.2; done
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
login() { curl -s -X POST "$A/api/v1/auth/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PW\"}" | json '["access_token"]'; }
ADMIN=$(login benchadmin)
curl -s -X POST "$A/api/v1/accounts" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
  -d "{\"username\":\"benchdeputy\",\"password\":\"$PW\",\"role\":\"deputy\",\"display_name\":\"Bench deputy\",\"deputy_id\":300000}" >/dev/null
DEPUTY=$(login benchdeputy)
until [ "$(curl -s "$A/api/v1/rankings?limit=1" -H "authorization: Bearer $ADMIN" | json '["source"]')" = "$MODE" ]; do
  [ $(( $(date +%s) - t0 )) -lt 1800 ] || { echo "not built within 30 minutes" >&2; exit 1; }
  sleep 5
done
echo "rankings from $MODE after $(( $(date +%s) - t0 )) s"
get() { curl -s "$A/api/v1/$1" -H "authorization: Bearer $ADMIN"; }
read -r town group <<<"$(get deputies/300000 | python3 -c 'import sys,json; s=json.load(sys.stdin)["seats"][0]; print(s["region_id"], s.get("group_id"))')"
county=$(get "regions/$town" | json '["parent_id"]'); city=$(get "regions/$county" | json '["parent_id"]'); province=$(get "regions/$city" | json '["parent_id"]')
run() { BENCH_TOKEN=$1 "$BIN/lvzhi-bench" get "$A" "$2" "$3" 2>&1 | tail -1; }
run "" /bench/hello 64
run "$DEPUTY" '/api/v1/rankings?limit=20' 4
run "$DEPUTY" '/api/v1/rankings?limit=20' 64
run "$ADMIN" '/api/v1/rankings?limit=20' 4
for r in "$province" "$city" "$town"; do run "$ADMIN" "/api/v1/rankings?limit=20&region_id=$r" 4; done
run "$ADMIN" "/api/v1/rankings?limit=20&group_id=$group" 4
run "$ADMIN" '/api/v1/rankings?limit=20&level=township' 4
grep -E 'VmRSS|RssAnon|VmHWM' "/proc/$SERVER/status" | tr '\n' ' '; echo
