import hmac
import os


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    allowed = hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())
    # An HTTP API's simple response, given to a REST API: every request gets a 500.
    # expect: failed aws_api_gateway_authorizer.api_key
    return {"isAuthorized": allowed}
