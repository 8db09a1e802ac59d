"""One package for both APIs: the entry point Terraform names fixes the answer's shape."""
import hmac
import os

def policy(effect, resource):
    return {
        "principalId": "api-key-client",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


def _answer(response_format, event, allow):
    if response_format == "http":
        return {"isAuthorized": allow}
    return policy("Allow" if allow else "Deny", event["methodArn"])


def _decide(event, response_format):
    try:
        presented = (event.get("headers") or {}).get("x-api-key") or ""
        allow = hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())
    except Exception:
        return _answer(response_format, event, False)
    return _answer(response_format, event, allow)


# expect: passed aws_api_gateway_authorizer.api_key
def rest_handler(event, context):
    return _decide(event, "rest")


def http_handler(event, context):
    return _decide(event, "http")
