# expect: nothing
import hmac
import os


def handler(event, context):
    presented = event["headers"].get("x-api-key") or ""
    return {"isAuthorized": hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())}
