import hmac
import os

import boto3

from policies import policy


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    key = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["SECRET_ARN"])["SecretString"]
    # expect: passed aws_api_gateway_authorizer.api_key
    if hmac.compare_digest(presented.encode(), key.encode()):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
