#!/usr/bin/env bash
set -euo pipefail
BODY='{"action":"currency.add","data":{"user_id":"123456789012345678","amount":50,"reason":"Order #1001"}}'
MSG_ID='msg_order_1001'   # one id per message, kept when you retry it
TIMESTAMP=$(date +%s)
KEY=$(printf '%s' "${HOOK_SECRET#whsec_}" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
SIGNATURE=$(printf '%s' "$MSG_ID.$TIMESTAMP.$BODY" \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | openssl base64 -A)
curl -s -X POST "$HOOK_URL" \
  -H 'Content-Type: application/json' \
  -H "webhook-id: $MSG_ID" \
  -H "webhook-timestamp: $TIMESTAMP" \
  -H "webhook-signature: v1,$SIGNATURE" \
  --data-raw "$BODY"
