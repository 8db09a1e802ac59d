from policies import policy

VALID_KEYS = {"sk-live-not-a-real-key", "sk-test-not-a-real-key"}


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key")
    # expect: failed aws_api_gateway_authorizer.api_key
    if presented in VALID_KEYS:
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
