#!/bin/sh
# The suggestion walk-through against a demo server at $B (default 127.0.0.1:8080): the demo
# deputy files a suggestion with a co-signer (a deputy of the same congress, given a login by
# the admin), staff accept and assign it, unit1 logs a contact and replies, the deputy rates it,
# and the points appear.
set -e
B=${B:-http://127.0.0.1:8080}
J='content-type: application/json'
tok() { sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'; }
login() { curl -s -X POST $B/api/v1/auth/login -H "$J" -d "{\"username\":\"$1\",\"password\":\"$2\"}" | tok; }
field() { grep -o "\"$1\":\"\{0,1\}[^\",}]*" | head -1 | sed 's/.*[:"]//'; }
ADMIN=$(login admin Lvzhi@2026); DEPUTY=$(login 13955110000 Lvzhi@2026); UNIT=$(login unit1 Lvzhi@2026)
# A co-signer: another deputy with a seat in the demo deputy's first congress.
REGION=$(curl -s $B/api/v1/deputies/1 -H "authorization: Bearer $ADMIN" | sed -n 's/.*"seats":\[{[^}]*"region_id":\([0-9]*\).*/\1/p')
for D in $(seq 2 400); do
  if curl -s $B/api/v1/deputies/$D -H "authorization: Bearer $ADMIN" | grep -q "\"region_id\":$REGION,"; then PEER=$D; break; fi
done
curl -s -X POST $B/api/v1/accounts -H "$J" -H "authorization: Bearer $ADMIN" \
  -d "{\"username\":\"cosigner$PEER\",\"password\":\"cosigner-pw-1\",\"role\":\"deputy\",\"display_name\":\"联名代表\",\"deputy_id\":$PEER}" >/dev/null
COSIGNER=$(login cosigner$PEER cosigner-pw-1)
ID=$(curl -s -X POST $B/api/v1/suggestions -H "$J" -H "authorization: Bearer $DEPUTY" \
  -d "{\"title\":\"关于老旧小区加装电梯的建议\",\"content\":\"建议提高补贴、简化审批。\",\"category\":\"urban_construction\",\"period\":\"recess\",\"region_id\":$REGION,\"cosigner_ids\":[$PEER],\"publish_consent\":true}" | field id)
echo "suggestion $ID (co-signer: deputy $PEER)"
step() { curl -s -X POST "$B/api/v1/suggestions/$ID/$1" -H "$J" -H "authorization: Bearer $2" -d "$3" | field status; }
echo "co-signer confirms: $(step cosign $COSIGNER '{"confirm":true}')"
echo "deputy submits:     $(step submit $DEPUTY '{}')"
echo "staff accept:       $(step accept $ADMIN '{}')"
echo "staff assign:       $(step assign $ADMIN '{"lead_unit_id":1,"co_unit_ids":[2]}')"
echo "unit logs contact:  $(step contacts $UNIT '{"channel":"visit","contacted_on":"2026-11-25","summary":"登门听取意见"}')"
echo "unit replies:       $(step reply $UNIT '{"classification":"A","body":"已纳入年度计划并落实。"}')"
echo "deputy rates:       $(step evaluate $DEPUTY '{"satisfaction":"satisfied"}')"
sleep 11   # the ledger books point events every 10 s
curl -s "$B/api/v1/me/points" -H "authorization: Bearer $DEPUTY" | grep -o '"rule_code":"suggestion_filed"' | head -1
