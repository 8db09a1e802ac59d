from keycheck import is_valid

from policies import policy


def handler(event, context):
    presented = (event.get("headers") or {}).get("x-api-key") or ""
    # keycheck is not in the package: how it compares cannot be seen.
    # expect: unknown aws_api_gateway_authorizer.api_key
    if is_valid(presented):
        return policy("Allow", event["methodArn"])
    return policy("Deny", event["methodArn"])
