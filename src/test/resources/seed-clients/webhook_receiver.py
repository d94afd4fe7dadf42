# A webhook receiver written from the bot webhook guide's Python/Flask sample: the
# X-Signature check is the guide's, over the raw body (http.server instead of Flask, which
# is not installed here). Prints its port, then one line per delivery; answers 401 when
# the signature does not verify.
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["WEBHOOK_SECRET"].encode()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        sig = self.headers.get("X-Signature", "")
        expected = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sig, expected):
            print(json.dumps({"valid": False}), flush=True)
            self.send_response(401)
            self.end_headers()
            return
        payload = json.loads(raw)
        print(json.dumps({"valid": True, "event": payload["event"], "attempt": self.headers.get("X-Attempt")}),
              flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
