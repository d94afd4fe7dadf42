import crypto from 'node:crypto';

const body = JSON.stringify({
  action: 'role.assign',
  data: { guild_id: '987654321098765432', user_id: '123456789012345678', role_id: '555555555555555555' },
});
const id = 'msg_vip_order_12'; // one id per message, kept when you retry it
const timestamp = Math.floor(Date.now() / 1000).toString();
const key = Buffer.from(process.env.HOOK_SECRET.replace(/^whsec_/, ''), 'base64');
const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');

const response = await fetch(process.env.HOOK_URL, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  },
  body, // exactly the bytes that were signed
});
console.log(response.status, await response.json());
