import hmac
import os

from policies import policy


# expect: passed aws_api_gateway_authorizer.api_key
def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
