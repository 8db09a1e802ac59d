from log import logger
from policies import policy


def handler(event, context):
    presented = event["headers"].get("x-api-key")
    # expect: failed aws_api_gateway_authorizer.api_key
    logger.debug(f"checking key {presented}")
    return policy("Deny", event["methodArn"])
