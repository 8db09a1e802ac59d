import hmac
import os


# expect: passed aws_apigatewayv2_authorizer.api_key
def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    return {"isAuthorized": hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())}
