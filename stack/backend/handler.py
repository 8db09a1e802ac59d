"""Backend of the gateaudit reference API (Lambda proxy integration for /items).

It only runs after the Lambda authorizer allowed the call. It answers both the
REST API proxy event (payload 1.0, ``httpMethod``) and the HTTP API event
(payload 2.0, ``requestContext.http.method``). It never logs the event, whose
headers carry the caller's x-api-key.
"""

import json
from typing import Any


def _method(event: dict[str, Any]) -> str:
    method = event.get("httpMethod")
    if not isinstance(method, str):
        context = event.get("requestContext")
        http = context.get("http") if isinstance(context, dict) else None
        method = http.get("method") if isinstance(http, dict) else None
    return method.upper() if isinstance(method, str) else ""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = _method(event) if isinstance(event, dict) else ""
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
