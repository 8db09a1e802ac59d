import os

from policies import policy


def handler(event, context):
    presented = event["headers"].get("x-api-key")
    # No header and no API_KEY: None == None, and the request is let in.
    # expect: failed aws_api_gateway_authorizer.api_key
    if presented == os.environ.get("API_KEY"):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
