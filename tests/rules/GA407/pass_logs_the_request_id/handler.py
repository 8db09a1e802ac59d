import logging

from policies import policy

logger = logging.getLogger()


# expect: passed aws_api_gateway_authorizer.api_key
def handler(event, context):
    logger.info("denied request %s on %s", event["requestContext"]["requestId"], event["methodArn"])
    return policy("Deny", event["methodArn"])
