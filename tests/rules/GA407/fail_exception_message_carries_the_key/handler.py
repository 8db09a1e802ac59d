import logging

from policies import policy

logger = logging.getLogger()


def handler(event, context):
    try:
        presented = event["headers"]["x-api-key"]
        if not presented.startswith("sk-"):
            raise ValueError(f"malformed key {presented}")
    except ValueError as error:
        # expect: failed aws_api_gateway_authorizer.api_key
        logger.warning("denied: %s", error)
    return policy("Deny", event["methodArn"])
