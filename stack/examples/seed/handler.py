# DELIBERATELY INSECURE. DO NOT DEPLOY.
#
# The authorizer "as first drafted in a blog", kept beside main.tf (which deploys it as handler.handler) for
# gateaudit's code rules to flag. Its defects:
#
#   7. It answers {"isAuthorized": ...}, a simple response only an HTTP API reads, to a REST API: API
#      Gateway answers every request with a 500, and authorization gets switched off to "fix" it (GA107).
#   8. It compares the key with ==, which takes longer the more of the key is right (GA108).
#   9. It reads the header as "x-api-key" only; REST events carry names as the client sent them (GA110).
#  10. It logs the whole event, every caller's key included, at INFO (GA407).
import json
import logging
import os

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

secrets = boto3.client("secretsmanager")


def handler(event, context):
    logger.info("Received event: %s", json.dumps(event))
    api_key = event["headers"]["x-api-key"]
    secret = secrets.get_secret_value(SecretId=os.environ["SECRET_NAME"])
    if api_key == secret["SecretString"]:
        return {"isAuthorized": True}
    return {"isAuthorized": False}
