import hmac

from policies import policy

API_KEY = "sk-live-not-a-real-key"


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    # expect: failed aws_api_gateway_authorizer.api_key
    if hmac.compare_digest(presented, API_KEY):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
