import os

from policies import policy


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    # expect: failed aws_api_gateway_authorizer.api_key
    if presented == os.environ["API_KEY"]:
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
