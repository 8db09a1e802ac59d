"""Backend of the gateaudit reference API (Lambda proxy integration for /items).

It only runs after the REQUEST authorizer allowed the call. It never logs the
event, whose headers carry the caller's x-api-key.
"""

import json
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("httpMethod", "")
    if method == "GET":
        status, body = 200, {"items": []}
    elif method == "POST":
        status, body = 201, {"created": True}
    else:
        status, body = 405, {"message": "method not allowed"}
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }
