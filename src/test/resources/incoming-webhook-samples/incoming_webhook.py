import base64, hashlib, hmac, json, os, time, urllib.request

body = json.dumps({"action": "message.post",
                   "data": {"channel_id": "444444444444444444", "content": "The drop is live!"}}).encode()
msg_id = "msg_drop_2026_04_14"  # one id per message, kept when you retry it
timestamp = str(int(time.time()))
key = base64.b64decode(os.environ["HOOK_SECRET"].removeprefix("whsec_"))
signature = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())

request = urllib.request.Request(os.environ["HOOK_URL"], data=body, method="POST", headers={
    "Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": timestamp,
    "webhook-signature": "v1," + signature.decode()})
with urllib.request.urlopen(request) as response:
    print(response.status, json.load(response))
