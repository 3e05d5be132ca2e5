#!/bin/sh
# The reception room walk-through against a demo server at $B (default 127.0.0.1:8080):
# docs/demo-reception.sh CODE, with the sign-in code the server logged for 13800138000 after
# `curl -X POST $B/api/v1/public/auth/code -H content-type:application/json -d {"phone":"13800138000"}`.
set -e
B=${B:-http://127.0.0.1:8080}
J='content-type: application/json'
tok() { sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'; }
login() { curl -s -X POST $B/api/v1/auth/login -H "$J" -d "{\"username\":\"$1\",\"password\":\"Lvzhi@2026\"}" | tok; }
CODE=$1
VERSION=$(curl -s $B/api/v1/public/privacy-notice | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
ALICE=$(curl -s -X POST $B/api/v1/public/auth/sign-in -H "$J" -d "{\"phone\":\"13800138000\",\"code\":\"$CODE\",\"consent_version\":\"$VERSION\"}" | tok)
ADMIN=$(login admin); DEPUTY=$(login 13955110000); UNIT=$(login unit1)
STATION=$(curl -s $B/api/v1/stations/1 -H "authorization: Bearer $ADMIN" | sed -n 's/.*"public_code":"\([^"]*\)".*/\1/p')
TICKET=$(curl -s -X POST $B/api/v1/opinions -H "$J" -H "authorization: Bearer $ALICE" -H 'Idempotency-Key: walk-1' \
  -d "{\"station_code\":\"$STATION\",\"category\":\"urban_construction\",\"title\":\"路灯不亮\",\"content\":\"小区门口的路灯坏了一个月\"}" \
  | sed -n 's/.*"ticket":"\([^"]*\)".*/\1/p')
echo "ticket $TICKET"
post() { curl -s -X POST "$B/api/v1/opinions/$TICKET/$1" -H "$J" -H "authorization: Bearer $2" -d "$3" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' | head -1; }
echo "deputy answers:  $(post answer $DEPUTY '{"body":"您好，已转告街道办。"}')"
echo "staff forward:   $(post forward $ADMIN '{"unit_id":1,"working_days":10}')"
echo "unit replies:    $(post reply $UNIT '{"body":"已安排维修，三日内完成。"}')"
echo "staff close:     $(post close $ADMIN '{}')"
echo "constituent rates: $(curl -s -X POST $B/api/v1/me/opinions/$TICKET/rate -H "$J" -H "authorization: Bearer $ALICE" \
  -d '{"satisfaction":"satisfied","result_score":5,"attitude_score":5}' | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' | head -1)"
