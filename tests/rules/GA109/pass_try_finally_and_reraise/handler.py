import hmac
import logging

import boto3

from policies import policy

logger = logging.getLogger(__name__)


# expect: passed aws_api_gateway_authorizer.api_key
def handler(event, context):
    decision = "deny"
    try:
        key = boto3.client("secretsmanager").get_secret_value(SecretId="api-key")["SecretString"]
        presented = (event.get("headers") or {}).get("x-api-key") or ""
        if presented and hmac.compare_digest(presented.encode(), key.encode()):
            decision = "allow"
            return policy("Allow", event["methodArn"])
        return policy("Deny", event["methodArn"])
    except Exception:
        logger.exception("authorizer error")
        raise
    finally:
        logger.info("decision %s for request %s", decision, event["requestContext"]["requestId"])
