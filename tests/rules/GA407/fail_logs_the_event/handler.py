import json
import logging

from policies import policy

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    # The first debugging line of every blog authorizer: every caller's key, at INFO.
    # expect: failed aws_api_gateway_authorizer.api_key
    logger.info("Received event: %s", json.dumps(event))
    return policy("Deny", event["methodArn"])
