"""REQUEST Lambda authorizer for the gateaudit reference REST API.

Allows a call when its ``x-api-key`` header equals the key stored in the Secrets
Manager secret named by ``API_KEY_SECRET_ARN``; denies it otherwise. Any error
denies (fail closed). Neither the event, its headers nor any key is ever logged.
"""

import hmac
import logging
import os
import time
from typing import Any

import boto3

API_KEY_HEADER = "x-api-key"
SECRET_ARN_ENV = "API_KEY_SECRET_ARN"
CACHE_TTL_ENV = "SECRET_CACHE_TTL_SECONDS"
DEFAULT_CACHE_TTL_SECONDS = 300.0

logger = logging.getLogger()

_secrets_client: Any = None
_cached_key: bytes | None = None
_cached_until = 0.0


def _cache_ttl_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(CACHE_TTL_ENV, DEFAULT_CACHE_TTL_SECONDS)))
    except ValueError:
        return DEFAULT_CACHE_TTL_SECONDS


def _expected_key() -> bytes:
    """Return the API key from Secrets Manager, cached for a bounded time."""
    global _secrets_client, _cached_key, _cached_until
    now = time.monotonic()
    if _cached_key is None or now >= _cached_until:
        if _secrets_client is None:
            _secrets_client = boto3.client("secretsmanager")
        response = _secrets_client.get_secret_value(SecretId=os.environ[SECRET_ARN_ENV])
        key = response.get("SecretString")
        if not key:
            raise ValueError("secret has no SecretString")
        _cached_key = key.encode("utf-8")
        _cached_until = now + _cache_ttl_seconds()
    return _cached_key


def _presented_key(event: dict[str, Any]) -> str | None:
    """Return the x-api-key header, whatever its case, or None."""
    headers = event.get("headers") or {}
    for name, value in headers.items():
        if isinstance(name, str) and name.lower() == API_KEY_HEADER:
            return value if isinstance(value, str) else None
    return None


def _policy_resource(method_arn: str) -> str:
    """Widen the method ARN to every method of its API stage.

    API Gateway caches the returned policy per x-api-key value and reuses it for
    every method of the stage, so a policy naming only this method would deny the
    next method called with the same key. The key grants the whole API anyway.
    """
    # arn:aws:execute-api:{region}:{account}:{api_id}/{stage}/{verb}/{path...}
    api_arn, stage = method_arn.split("/")[:2]
    return f"{api_arn}/{stage}/*"


def _response(principal_id: str, effect: str, resource: str) -> dict[str, Any]:
    return {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method_arn = event.get("methodArn") if isinstance(event, dict) else None
    if not isinstance(method_arn, str):
        method_arn = "*"
    try:
        presented = _presented_key(event)
        if presented is not None and hmac.compare_digest(presented.encode("utf-8"), _expected_key()):
            allowed = _response("api-key-client", "Allow", _policy_resource(method_arn))
            logger.info("authorizer decision: allow")
            return allowed
        logger.info("authorizer decision: deny (missing or wrong key)")
    except Exception as exc:  # fail closed; log the error's type only, never its text
        logger.error("authorizer decision: deny (%s)", type(exc).__name__)
    return _response("anonymous", "Deny", method_arn)
