import hmac
import os

from policies import policy

API_KEY_HEADER = "x-api-key"


def presented_key(headers):
    # expect: passed aws_api_gateway_authorizer.api_key
    values = [value for name, value in headers.items() if name.lower() == API_KEY_HEADER]
    return values[0] if len(values) == 1 else ""


def handler(event, context):
    presented = presented_key(event.get("headers") or {})
    if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
