// A webhook receiver written from the bot webhook guide's Node.js sample: the X-Signature
// check is the guide's, over the raw body (node:http instead of Express, which is not
// installed here). Prints its port, then one line per delivery; answers 401 when the
// signature does not verify.
import http from 'node:http';
import crypto from 'node:crypto';

const SECRET = process.env.WEBHOOK_SECRET;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const sig = req.headers['x-signature'];
    const expected = 'sha256=' + crypto.createHmac('sha256', SECRET).update(body).digest('hex');
    if (!sig || sig !== expected) {
      console.log(JSON.stringify({ valid: false }));
      res.statusCode = 401;
      return res.end();
    }
    const payload = JSON.parse(body.toString());
    console.log(JSON.stringify({ valid: true, event: payload.event, attempt: req.headers['x-attempt'] }));
    res.statusCode = 200;
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
