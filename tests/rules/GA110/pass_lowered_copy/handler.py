import hmac
import os

from policies import policy


def handler(event, context):
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    # expect: passed aws_api_gateway_authorizer.api_key
    presented = headers.get("x-api-key") or ""
    if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
