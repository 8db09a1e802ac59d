import boto3

from policies import policy


def handler(event, context):
    # expect: failed aws_api_gateway_authorizer.api_key
    print("headers:", event["headers"])
    key = boto3.client("secretsmanager").get_secret_value(SecretId="api-key")["SecretString"]
    # expect: failed aws_api_gateway_authorizer.api_key
    print(f"expected {key}")
    return policy("Deny", event["methodArn"])
