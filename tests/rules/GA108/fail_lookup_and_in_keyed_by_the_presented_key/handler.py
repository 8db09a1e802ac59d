import json

import boto3

from policies import policy


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    secret = boto3.client("secretsmanager").get_secret_value(SecretId="api-keys")["SecretString"]
    clients = json.loads(secret)
    # A dict keyed by the presented key: hashing and probing take longer the closer the key.
    # expect: failed aws_api_gateway_authorizer.api_key
    client = clients.get(presented)
    revoked = secret.split(",")
    # expect: failed aws_api_gateway_authorizer.api_key
    if client is None or presented in revoked:
        return policy("Deny", event["methodArn"])
    return policy("Allow", event["methodArn"])
