// Reward a customer from a Node.js backend (Node 18+, no dependencies).
import crypto from 'node:crypto';

const { RESONANCE_URL, BRAND_ID, SECRET_KEY, EMAIL } = process.env;

export async function rewardUser(event, email, metadata = {}) {
  const body = JSON.stringify({ event, email, metadata });
  const signature = crypto.createHmac('sha256', SECRET_KEY).update(body).digest('hex');
  const response = await fetch(`${RESONANCE_URL}/resonance-api/manual-event`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Brand-Id': BRAND_ID,
      'X-Resonance-Signature': signature,
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

// In your existing code, after the purchase went through:
console.log(JSON.stringify(await rewardUser('place_order', EMAIL, { order_id: 'ORD-12345', total: 89.99 })));
