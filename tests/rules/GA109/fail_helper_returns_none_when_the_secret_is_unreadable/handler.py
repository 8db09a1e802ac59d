import boto3
from botocore.exceptions import ClientError

from policies import policy


def read_key():
    try:
        return boto3.client("secretsmanager").get_secret_value(SecretId="api-key")["SecretString"]
    except ClientError:
        return None


def handler(event, context):
    presented = event["headers"].get("x-api-key")
    # expect: failed aws_api_gateway_authorizer.api_key
    if presented != read_key():
        return policy("Deny", event["methodArn"])
    return policy("Allow", event["methodArn"])
