# Reward a customer from a Python backend (standard library only).
import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request

RESONANCE_URL = os.environ["RESONANCE_URL"]
BRAND_ID = os.environ["BRAND_ID"]
SECRET_KEY = os.environ["SECRET_KEY"]


def reward_user(event, email, metadata=None):
    body = json.dumps({"event": event, "email": email, "metadata": metadata or {}}).encode()
    signature = hmac.new(SECRET_KEY.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        RESONANCE_URL + "/resonance-api/manual-event", data=body, method="POST",
        headers={"Content-Type": "application/json", "X-Brand-Id": BRAND_ID,
                 "X-Resonance-Signature": signature})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:  # 4xx answers carry the reason
        return error.code, json.load(error)


# In your existing code, after the purchase went through:
status, answer = reward_user("place_order", os.environ["EMAIL"], {"order_id": "ORD-12345", "total": 89.99})
print(json.dumps({"status": status, "body": answer}))
