// A brand's backend written from the event API documentation: build the payload, sign
// JSON.stringify(payload) with the secret key (HMAC-SHA256, hex), POST it.
import crypto from 'node:crypto';

const { RESONANCE_URL, BRAND_ID, SECRET_KEY, USER_ID } = process.env;

const payload = {
  brand_id: BRAND_ID,
  event_type: 'custom_event',
  user_id: USER_ID,
  server_id: '987654321098765432',
  amount: 50,
  metadata: { source: 'node-sample', note: 'émoji ✓', list: [1, 2, 3] },
};

const body = JSON.stringify(payload);
const signature = crypto.createHmac('sha256', SECRET_KEY).update(body).digest('hex');

const response = await fetch(`${RESONANCE_URL}/v1/events`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Resonance-Signature': signature },
  body,
});
console.log(JSON.stringify({ status: response.status, body: await response.json() }));
