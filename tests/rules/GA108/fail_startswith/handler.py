import os

from policies import policy


def handler(event, context):
    token = event["authorizationToken"]
    # expect: failed aws_api_gateway_authorizer.api_key
    if token.startswith(os.environ["KEY_PREFIX"]):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
