import hashlib, hmac, json, os, urllib.error, urllib.request

payload = {
    "brand_id": os.environ["BRAND_ID"],
    "event_type": "custom_event",
    "user_id": os.environ["USER_ID"],
    "server_id": "987654321098765432",
    "metadata": {"source": "python-sample"},
}
body = json.dumps(payload, separators=(",", ":")).encode()
signature = hmac.new(os.environ["SECRET_KEY"].encode(), body, hashlib.sha256).hexdigest()
request = urllib.request.Request(os.environ["RESONANCE_URL"] + "/v1/events", data=body, method="POST",
    headers={"Content-Type": "application/json", "X-Resonance-Signature": signature})
try:
    with urllib.request.urlopen(request) as response:
        print(response.status, response.read().decode())
except urllib.error.HTTPError as refused:  # 4xx answers carry the error object
    print(refused.code, refused.read().decode())
