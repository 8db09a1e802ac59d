"""API-key Lambda authorizer for the gateaudit reference stack (REST REQUEST authorizers and HTTP API payload 2.0).

A call is allowed when its one ``x-api-key`` header (any case) equals a key held in the Secrets Manager secret
named by ``API_KEY_SECRET_ARN``: the version staged ``AWSCURRENT`` or, during a rotation, ``AWSPREVIOUS``.
The secret's ``SecretString`` is the key itself, a plain string compared byte for byte (no JSON, no trimming);
a secret version that is empty or binary is an error.

The answer takes the form the calling API expects: an IAM policy for a REST API (and HTTP API payload 1.0),
``{"isAuthorized": ...}`` for an HTTP API with payload 2.0 and simple responses. Three entry points:

- ``rest_handler`` always answers an IAM policy; an event without a well-formed ``methodArn`` is denied.
- ``http_handler`` always answers ``{"isAuthorized": ...}``; an event that is not payload 2.0 is denied.
- ``handler`` answers as ``RESPONSE_FORMAT`` says: ``auto`` (default) reads it from the event, ``rest`` or
  ``http`` fixes it.

``rest_handler`` and ``http_handler`` ignore ``RESPONSE_FORMAT`` (they neither read nor validate it): the
function's configured entry point alone fixes the answer's shape, so the shape can be read from this code
without knowing the function's environment.

Keys are cached for ``SECRET_CACHE_TTL_SECONDS`` (default 300, 0..3600; 0 reads the secret on every call). A key
that matches nothing triggers one re-read if the last read is at least ``SECRET_REFRESH_MIN_INTERVAL_SECONDS`` old
(default 30, 0..3600), so a freshly rotated key works without each wrong key costing a Secrets Manager call.

Fail closed: a missing header, a wrong key, a bad setting or any error is a deny. Each call writes one JSON line
to stdout (decision, reason, request id, route); never a key, the event or its headers.
"""

import hmac
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

API_KEY_HEADER = "x-api-key"
VERSION_STAGES = ("AWSCURRENT", "AWSPREVIOUS")
ALLOWED_PRINCIPAL = "api-key-client"
DENIED_PRINCIPAL = "anonymous"


class SettingsError(Exception):
    """A setting is missing or malformed. The message names the setting, never its value."""


class SecretValueError(Exception):
    """A secret version holds no usable key. The message names the version stage, never the value."""


@dataclass(frozen=True)
class Settings:
    secret_arn: str
    cache_ttl_seconds: int
    refresh_min_interval_seconds: int
    response_format: str  # "auto", "rest" or "http"


def _int_setting(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of seconds from {low} to {high}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number of seconds from {low} to {high}")
    return value


def load_settings(environ: Mapping[str, str], response_format: str | None = None) -> Settings:
    """Read the settings from the environment; raise SettingsError naming the first bad one.

    A response_format given (an entry point's own, "rest" or "http") is the format: RESPONSE_FORMAT is not read.
    """
    secret_arn = environ.get("API_KEY_SECRET_ARN", "").strip()
    if not secret_arn:
        raise SettingsError("API_KEY_SECRET_ARN is not set")
    if not (secret_arn.startswith("arn:") and ":secretsmanager:" in secret_arn):
        raise SettingsError("API_KEY_SECRET_ARN is not a Secrets Manager secret ARN")
    if response_format is None:
        response_format = environ.get("RESPONSE_FORMAT", "auto").strip().lower()
        if response_format not in ("auto", "rest", "http"):
            raise SettingsError("RESPONSE_FORMAT must be auto, rest or http")
    return Settings(
        secret_arn=secret_arn,
        cache_ttl_seconds=_int_setting(environ, "SECRET_CACHE_TTL_SECONDS", 300, 0, 3600),
        refresh_min_interval_seconds=_int_setting(environ, "SECRET_REFRESH_MIN_INTERVAL_SECONDS", 30, 0, 3600),
        response_format=response_format,
    )


# Seams for tests: how to build the Secrets Manager client, and which clock measures the cache's age.
def new_secrets_client() -> Any:
    # The endpoint comes from boto3's own settings (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL).
    # Short timeouts and few retries: API Gateway waits for the authorizer, and an error denies anyway.
    config = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "max_attempts": 2})
    return boto3.client("secretsmanager", config=config)


clock: Callable[[], float] = time.monotonic


# Module state lives as long as the execution environment, which runs one invocation at a time.
@dataclass
class _KeyCache:
    secret_arn: str | None = None
    keys: tuple[tuple[str, bytes], ...] = ()  # (version stage, key)
    read_at: float | None = None  # when the keys were last read successfully
    tried_at: float | None = None  # when a read was last attempted, successful or not


_client: Any = None
_cache = _KeyCache()


def reset() -> None:
    """Forget the cached keys and client (a fresh execution environment)."""
    global _client, _cache
    _client, _cache = None, _KeyCache()


def _secrets_client() -> Any:
    global _client
    if _client is None:
        _client = new_secrets_client()
    return _client


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # any str, even one with a lone surrogate, has bytes


def _read_keys(secret_arn: str) -> tuple[tuple[str, bytes], ...]:
    keys = []
    for stage in VERSION_STAGES:
        try:
            response = _secrets_client().get_secret_value(SecretId=secret_arn, VersionStage=stage)
        except ClientError as exc:
            # Before the first rotation there is no AWSPREVIOUS version: the current key alone is valid.
            if stage == "AWSPREVIOUS" and exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                break
            raise
        value = response.get("SecretString")
        if not isinstance(value, str) or not value:
            raise SecretValueError(f"secret version {stage} has no non-empty SecretString")
        keys.append((stage, _encode(value)))
    return tuple(keys)


def _refresh(settings: Settings, now: float) -> tuple[tuple[str, bytes], ...]:
    _cache.tried_at = now  # a failed read also waits out the minimum interval before the next forced one
    keys = _read_keys(settings.secret_arn)
    _cache.secret_arn, _cache.keys, _cache.read_at = settings.secret_arn, keys, now
    return keys


def _cached_keys(settings: Settings, now: float) -> tuple[tuple[str, bytes], ...] | None:
    fresh = (
        _cache.secret_arn == settings.secret_arn
        and _cache.read_at is not None
        and now - _cache.read_at < settings.cache_ttl_seconds
    )
    return _cache.keys if fresh else None


def _may_refresh_after_miss(settings: Settings, now: float) -> bool:
    return _cache.tried_at is None or now - _cache.tried_at >= settings.refresh_min_interval_seconds


def _matching_stage(presented: bytes, keys: tuple[tuple[str, bytes], ...]) -> str | None:
    """Compare with every key in constant time, never stopping early, so timing tells nothing of which matched."""
    matched = None
    for stage, key in keys:
        if hmac.compare_digest(presented, key) and matched is None:
            matched = stage
    return matched


def _header_values(headers: Any) -> list[Any]:
    """Values of the x-api-key header in a header map, whatever the case of its name (names are ASCII tokens)."""
    if not isinstance(headers, dict):
        return []
    return [value for name, value in headers.items()
            if isinstance(name, str) and name.isascii() and name.lower() == API_KEY_HEADER]


def _presented_key(event: dict[str, Any]) -> tuple[str | None, str]:
    """Return (the x-api-key value, "") or (None, why there is none)."""
    values = _header_values(event.get("headers"))
    # A REST event also has multiValueHeaders: every value the client sent, where headers keeps only the last.
    sent = [value for values_sent in _header_values(event.get("multiValueHeaders"))
            for value in (values_sent if isinstance(values_sent, list) else [values_sent])]
    if len(values) > 1 or len(sent) > 1:
        return None, "several x-api-key headers"
    if not values:
        return None, "missing header"
    if not isinstance(values[0], str):
        return None, "malformed header"
    if not values[0]:
        return None, "empty header"
    return values[0], ""


def _event_format(event: dict[str, Any], setting: str) -> str | None:
    if setting != "auto":
        return setting
    if event.get("version") == "2.0":
        return "http"
    if isinstance(event.get("methodArn"), str):
        return "rest"
    return None


def _stage_wide(method_arn: Any) -> str | None:
    """Widen arn:aws:execute-api:{region}:{account}:{api}/{stage}/{verb}/{path} to every method of that stage.

    A REST API caches the returned policy under the identity source alone (the x-api-key value) and reuses it
    for every method the authorizer guards during the authorizer's result TTL. A policy naming only this method
    would deny the client's next call to another method with the same valid key. The key is a credential for
    the whole API, so allowing its stage (not other stages, not other APIs) grants no more than the key means.
    """
    if not isinstance(method_arn, str):
        return None
    parts = method_arn.split("/")
    if len(parts) < 3 or not parts[0].startswith("arn:") or ":execute-api:" not in parts[0] or not parts[1]:
        return None
    return f"{parts[0]}/{parts[1]}/*"


def _policy(effect: str, resource: str) -> dict[str, Any]:
    return {
        "principalId": ALLOWED_PRINCIPAL if effect == "Allow" else DENIED_PRINCIPAL,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


def _answer(response_format: str | None, event: dict[str, Any], allow: bool) -> dict[str, Any]:
    if response_format == "http":
        return {"isAuthorized": allow}
    method_arn = event.get("methodArn")
    stage_arn = _stage_wide(method_arn)
    if stage_arn is None:  # no well-formed method ARN to name; the handler never allows such a call
        return _policy("Deny", "*")
    return _policy("Allow", stage_arn) if allow else _policy("Deny", method_arn)


def _log(level: str, **fields: Any) -> None:
    # One JSON object per line on stdout: CloudWatch Logs keeps it as one event and Logs Insights reads its fields.
    sys.stdout.write(json.dumps({"level": level, "message": "authorizer decision", **fields}) + "\n")
    sys.stdout.flush()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def rest_handler(event: Any, context: Any) -> dict[str, Any]:
    """Entry point of a REST API's authorizer (or an HTTP API's with payload 1.0): always an IAM policy."""
    return _authorize(event, context, "rest")


def http_handler(event: Any, context: Any) -> dict[str, Any]:
    """Entry point of an HTTP API's authorizer with payload 2.0 and simple responses: always {"isAuthorized": ...}."""
    return _authorize(event, context, "http")


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Entry point answering in the format RESPONSE_FORMAT names, or (auto) the one the event shows."""
    return _authorize(event, context, None)


def _authorize(event: Any, context: Any, fixed: str | None) -> dict[str, Any]:
    """Decide a call and answer it in the fixed format ("rest", "http"), or, with None, as the settings say.

    A fixed format stays in response_format on every path, never re-read from the settings or the event, so
    that which shape an entry point answers can be followed through its constants alone.
    """
    if not isinstance(event, dict):
        event = {}
    request_context = event.get("requestContext")
    fields: dict[str, Any] = {
        "format": fixed,
        "request_id": _text(request_context.get("requestId")) if isinstance(request_context, dict) else None,
        "aws_request_id": _text(getattr(context, "aws_request_id", None)),
        "route": _text(event.get("methodArn")) or _text(event.get("routeArn")),
        "route_key": _text(event.get("routeKey")),
        "cache": None,  # "hit", "miss" (keys read: none cached or TTL over) or "refresh" (re-read after no match)
    }
    response_format = fixed
    try:
        settings = load_settings(os.environ, fixed)
        if response_format is None:
            response_format = fields["format"] = _event_format(event, settings.response_format)
        if response_format is None:
            _log("ERROR", decision="deny", reason="unrecognised event", **fields)
            return _answer(None, event, allow=False)
        if response_format == "rest" and _stage_wide(event.get("methodArn")) is None:
            _log("ERROR", decision="deny", reason="malformed methodArn", **fields)
            return _answer(response_format, event, allow=False)
        # Only an HTTP API with payload 2.0 takes a simple response: any other event means the function is
        # deployed behind the wrong API or payload version, which this entry point cannot serve.
        if fixed == "http" and event.get("version") != "2.0":
            _log("ERROR", decision="deny", reason="not a payload 2.0 event", **fields)
            return _answer(response_format, event, allow=False)

        presented, why_not = _presented_key(event)
        if presented is None:
            _log("INFO", decision="deny", reason=why_not, **fields)
            return _answer(response_format, event, allow=False)

        now = clock()
        keys = _cached_keys(settings, now)
        fields["cache"] = "hit" if keys is not None else "miss"
        if keys is None:
            keys = _refresh(settings, now)
        stage = _matching_stage(_encode(presented), keys)
        if stage is None and fields["cache"] == "hit" and _may_refresh_after_miss(settings, now):
            fields["cache"] = "refresh"  # the key may have been rotated since the keys were read
            stage = _matching_stage(_encode(presented), _refresh(settings, now))
        if stage is None:
            _log("INFO", decision="deny", reason="no match", **fields)
            return _answer(response_format, event, allow=False)
        _log("INFO", decision="allow", reason="key matched", key_stage=stage, **fields)
        return _answer(response_format, event, allow=True)
    except SettingsError as exc:
        _log("ERROR", decision="deny", reason="configuration error", detail=str(exc), **fields)
    except Exception as exc:  # fail closed on anything; log the error's class (and AWS code), never its text
        code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
        detail = str(exc) if isinstance(exc, SecretValueError) else None
        _log("ERROR", decision="deny", reason=f"error: {type(exc).__name__}", error_code=code, detail=detail,
             **fields)
    # Answer in the caller's format even when the setting that fixes it could not be read: a wrong shape is a 500.
    # An entry point's fixed format comes first, decided without following assignments through the try.
    return _answer(fixed or response_format or _event_format(event, "auto"), event, allow=False)
