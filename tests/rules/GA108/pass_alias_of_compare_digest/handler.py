import os
from hmac import compare_digest as eq

from policies import policy


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    # expect: passed aws_api_gateway_authorizer.api_key
    if eq(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
