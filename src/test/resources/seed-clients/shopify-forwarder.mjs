// The integration guide's Shopify forwarder ("Connecting Shopify"), re-typed with node:http
// instead of Express. Its logic is unchanged: verify Shopify's signature over the raw body,
// then forward the order to the manual event endpoint as place_order for the customer's
// email. Only the target URL comes from the environment:
//
//   SHOPIFY_SECRET        the shop's webhook secret
//   RESONANCE_EVENT_URL   e.g. https://resonance.example.com/resonance-api/manual-event?brand_id=0x...
//   PORT                  where to listen (0: any free port; the port is printed)
import crypto from 'node:crypto';
import http from 'node:http';

const { SHOPIFY_SECRET, RESONANCE_EVENT_URL } = process.env;

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhooks/order-created') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  req.rawBody = Buffer.concat(chunks);

  // Verify Shopify signature
  const hmac = req.headers['x-shopify-hmac-sha256'];
  const hash = crypto
    .createHmac('sha256', SHOPIFY_SECRET)
    .update(req.rawBody, 'utf8')
    .digest('base64');
  if (hmac !== hash) {
    res.writeHead(401).end('Unauthorized');
    return;
  }
  const order = JSON.parse(req.rawBody.toString('utf8'));

  // Forward to Resonance
  await fetch(RESONANCE_EVENT_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      event: 'place_order',
      email: order.customer.email,
      metadata: {
        platform: 'shopify',
        order_id: order.id,
        total: order.total_price,
      },
    }),
  });
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: true }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
