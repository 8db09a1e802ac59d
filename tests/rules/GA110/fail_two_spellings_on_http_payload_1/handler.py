import hmac
import os

from policies import policy


def handler(event, context):
    headers = event["headers"]
    # Two spellings still refuse X-API-KEY.
    # expect: failed aws_apigatewayv2_authorizer.api_key
    presented = headers.get("x-api-key") or headers.get("X-Api-Key") or ""
    if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
