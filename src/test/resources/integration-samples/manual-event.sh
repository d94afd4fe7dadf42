#!/usr/bin/env bash
# Reward a customer from any backend with curl: sign the exact body with your secret key.
set -euo pipefail
BODY=$(printf '{"event":"place_order","email":"%s","metadata":{"platform":"custom","order_id":"ORD-12345","total":89.99}}' "$EMAIL")
SIGNATURE=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET_KEY" | sed 's/^.*= //')
curl -s -X POST "$RESONANCE_URL/resonance-api/manual-event" \
  -H 'Content-Type: application/json' \
  -H "X-Brand-Id: $BRAND_ID" \
  -H "X-Resonance-Signature: $SIGNATURE" \
  -d "$BODY"
