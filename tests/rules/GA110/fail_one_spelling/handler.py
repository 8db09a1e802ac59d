import hmac
import os

from policies import policy


def handler(event, context):
    # expect: failed aws_api_gateway_authorizer.api_key
    presented = event["headers"].get("x-api-key") or ""
    if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
