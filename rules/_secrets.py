"""Shared secret questions for the secret-not-hardcoded rules (GA2xx).

- `secret_like(name)`: does a variable or environment name call its value a secret (`api_key`, `DB_PASSWORD`),
  rather than naming, sizing or timing one (`kms_key_id`, `api_key_version`, `secret_cache_ttl_seconds`)?
  `named_credential(name)`: does the name alone say so, where the value cannot be read (`db_password`,
  `api_key`; not `route_key` or `lambda_source_key`, which a value has to confirm)?
- `credential_in(name, text)`: is a literal string a credential: shaped like one whatever its name (an AWS
  access key id, a private key, a long random token), or any value under a secret-like name that does not
  merely name a secret or something else (an ARN, `prod/app/api-key`, `alias/x`, a URL without a password, a
  route key, a file name, a word that means "none")?
- `declared_secret_names(stack)`, `names_referenced_secret(attribute, text)`: a literal that is the name of
  one of the stack's secrets and parameters names a secret, it is not one.

Where a value comes from (a literal, a variable, a resource) is the model's question: `gateaudit.provenance`.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from gateaudit.model import Attribute, Stack

# ------------------------------------------------------------------------------------------------ names

_SECRET_WORDS = {"password", "passwords", "passwd", "pwd", "pw", "pass", "passphrase", "passcode", "secret",
                 "secrets", "token", "tokens", "apikey", "credential", "credentials", "cred", "creds", "privatekey",
                 "jwt", "bearer", "dbpass", "auth"}
# A name written as one word that ends like a secret: `dbpassword`, `authtoken`, `clientsecret`.
_SECRET_ENDINGS = ("password", "passwd", "secret", "token", "apikey", "passphrase", "credentials")
# `AUTH` names a credential as often as a mode (`AUTH = "cognito"`, `"AWS_IAM"`): under it, words in one case
# without digits are a mode.
_MODE_WORDS = {"auth"}
_MODE = re.compile(r"[A-Za-z]+(?:[_-][A-Za-z]+)*")
_VALUE_SUFFIXES = {"value", "string", "plaintext", "raw", "b64", "base64"}  # `api_key_value` is still the key
# `<kind>_key` that names no secret: KMS keys and DynamoDB/S3/cache keys, public keys.
_NOT_SECRET_KEYS = {"kms", "cmk", "public", "ssh", "pgp", "hash", "range", "sort", "partition", "primary",
                    "foreign", "object", "s3", "cache", "idempotency", "routing", "shard", "dedup", "group"}


def words(name: str) -> list[str]:
    """`apiKeySecret`, `API_KEY_SECRET` and `api-key-secret` all give ["api", "key", "secret"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])", r"\1\3 \2\4", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


# `<qualifier>_key` names that call the value a credential by themselves. Any other qualifier (`route_key`,
# `lambda_source_key`, `partner_key`) is judged by its value: a token fails, a route key or a file name does not.
_CREDENTIAL_KEYS = {"api", "apikey", "private", "secret", "access", "signing", "sign", "encryption", "master",
                    "client", "license", "licence", "session", "hmac", "shared", "preshared", "auth", "app",
                    "consumer", "webhook", "deploy", "service", "admin", "root", "personal", "bot"}


def named_credential(name: str) -> bool:
    """The name alone calls its value a credential (`db_password`, `api_key`, `AUTH_TOKEN`): where the value
    cannot be read, that is reason enough to be unsure. `route_key`, `lambda_source_key` and `*_auth` are
    secret-like only once a value confirms it."""
    parts = words(name)
    word = _secret_word(name)
    if word is None or word in _MODE_WORDS:
        return False
    if word in ("key", "keys"):  # `_secret_word` saw a qualifier before it, as here
        while len(parts) > 2 and parts[-1] in _VALUE_SUFFIXES:
            parts.pop()
        return parts[-2] in _CREDENTIAL_KEYS
    return True


def secret_like(name: str) -> bool:
    """The name's last word (ignoring `_value`-like suffixes) calls the value a secret: `*_password`, `*_pwd`,
    `*_pass`, `*_token`, `*_secret`, `*_creds`, `*_auth`, `<qualifier>_key`, one word ending like one
    (`dbpassword`); `*_key_id`, `*_secret_arn`, `*_token_ttl`, `kms_key`, `auth_mode` do not."""
    return _secret_word(name) is not None


def _secret_word(name: str) -> str | None:
    """The word of the name that calls its value a secret, or None."""
    parts = words(name)
    while len(parts) > 1 and parts[-1] in _VALUE_SUFFIXES:
        parts.pop()
    if not parts:
        return None
    last = parts[-1]
    if last in ("key", "keys"):
        return last if len(parts) > 1 and parts[-2] not in _NOT_SECRET_KEYS else None
    if last in _SECRET_WORDS or last.endswith(_SECRET_ENDINGS):
        return last
    return None


# ----------------------------------------------------------------------------------------------- values

# Credentials known by their shape, whatever name they go by: each vendor's documented token format.
_SHAPES = (
    (re.compile(r"(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), "an AWS access key id"),
    (re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), "a private key"),
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{40,})"), "a GitHub token"),
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), "a GitLab token"),
    (re.compile(r"\bxox[abeprs]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"https://hooks\.slack\.com/services/T\w+/B\w+/\w{16,}"), "a Slack webhook URL"),
    (re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"), "a Stripe key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), "a Google API key"),
    (re.compile(r"\bSG\.[\w-]{16,}\.[\w-]{16,}"), "a SendGrid API key"),
    (re.compile(r"\bnpm_[A-Za-z0-9]{36}"), "an npm token"),
    (re.compile(r"\bsk-(?:proj-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_-]{32,}"), "an OpenAI or Anthropic API key"),
)
# A JWT: base64url JSON header and payload (both start `eyJ`, `{"`), then a signature, which may be empty.
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
# RFC 6750 bearer and RFC 7617 basic credentials, as written in an Authorization header.
_BEARER = re.compile(r"\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)", re.IGNORECASE)
_BASIC = re.compile(r"\bbasic\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])", re.IGNORECASE)
_PUBLIC_KEYS = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9+/]{32,}={0,2}")
# Words that say there is no credential (`UPSTREAM_AUTH = "none"`): a weak placeholder deployed as it is
# (`changeme`, `secret`) is not among them, the function would use it.
_NOT_CREDENTIALS = {"true", "false", "yes", "no", "on", "off", "none", "null", "nil", "enabled", "disabled",
                    "unset", "not-set", "notset", "n/a", "na", "-", "empty", "optional", "required"}
# An HTTP API route key (`GET /orders/{id}`, `ANY /{proxy+}`, `$default`) or a WebSocket API's own.
_ROUTE_KEY = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /\S*|\$default|\$connect|\$disconnect")
# A file name: an S3 object key, a deployment package, a config file (`authorizer-1.4.2.zip`, `settings.json`).
_FILE_NAME = re.compile(r"[\w.+-]+\.(?:zip|jar|war|tar|gz|tgz|bz2|json|ya?ml|toml|txt|csv|tsv|py|js|mjs|cjs|ts|go|rb|"
                        r"java|sh|ps1|tf|tfvars|html?|xml|conf|cfg|ini|properties|log|png|jpe?g|gif|svg|md|sql|"
                        r"parquet|avro|bin|pem|crt|cer|pub|p12|pfx|jks|whl|egg|dll|so)", re.IGNORECASE)
BY_NAME = "a literal under a secret-like name"  # the reason `credential_in` gives when only the name tells
_NAME_PATH = re.compile(r"/?[\w.@+=-]+(?:/[\w.@+=-]+)+/?")  # `prod/fitness/api-key`, `/app/db/password`


def credential_shape(text: str) -> str | None:
    """What credential the text is shaped like, whatever name it goes by; None when none."""
    if text.startswith(_PUBLIC_KEYS) or ("-----BEGIN" in text and "PRIVATE KEY" not in text):
        return None  # public keys and certificates are long and random, and public
    for pattern, what in _SHAPES:
        if pattern.search(text):
            return what
    if any(_jwt(match.group()) for match in _JWT.finditer(text)):
        return "a JSON web token"
    if any(_bearer_token(match.group(1)) for match in _BEARER.finditer(text)):
        return "a bearer token"
    if any(_basic_credentials(match.group(1)) for match in _BASIC.finditer(text)):
        return "HTTP basic credentials"
    if "://" in text:
        url = urlsplit(text)
        if url.password:
            return "a URL with a password"
        if any(secret_like(key) and item for key, item in parse_qsl(url.query)):
            return "a URL with a secret query parameter"
    if any(_random_token(run) for run in _TOKEN_RUN.findall(text)):
        return "a long high-entropy token"
    return None


def _jwt(text: str) -> bool:
    """Its header decodes to a JSON object naming an algorithm or a type, as every JWT's does."""
    header = _base64(text.split(".")[0], "-_")
    return header is not None and header.lstrip().startswith("{") and ('"alg"' in header or '"typ"' in header)


def _bearer_token(token: str) -> bool:
    """An opaque token, not a word: `Bearer <token>` in prose names the scheme, not a credential."""
    return bool(re.search(r"\d", token) and re.search(r"[A-Za-z]", token)) or _JWT.match(token) is not None


def _basic_credentials(encoded: str) -> bool:
    """`Basic <base64 of user:password>`."""
    decoded = _base64(encoded, "+/")
    return decoded is not None and ":" in decoded and decoded.isprintable()


def _base64(text: str, extra: str) -> str | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=extra.encode(), validate=True).decode()
    except (binascii.Error, ValueError):
        return None


def _random_token(run: str) -> bool:
    # At 32+ characters, random base62/base64 text has upper, lower and digits, about 4.5 bits of entropy per
    # character and switches character class at ~60% of positions; CamelCase identifiers switch far less.
    if not (re.search(r"[A-Z]", run) and re.search(r"[a-z]", run) and re.search(r"\d", run)):
        return False
    counts = Counter(run)
    entropy = -sum(n / len(run) * math.log2(n / len(run)) for n in counts.values())
    kinds = ["u" if c.isupper() else "l" if c.islower() else "d" if c.isdigit() else "o" for c in run]
    switches = sum(a != b for a, b in itertools.pairwise(kinds)) / (len(run) - 1)
    return entropy >= 4.0 and switches >= 0.4


def names_a_secret(text: str) -> bool:
    """An ARN, a KMS alias or a path-like name (`prod/fitness/api-key`): a pointer to a secret, not one."""
    return (text.startswith("arn:") or text.startswith("alias/")
            or (_NAME_PATH.fullmatch(text) is not None and credential_shape(text) is None))


_PLACEHOLDER = re.compile(r"<[^<>]*>|\{\{[^{}]*\}\}|\$\{[^{}]*\}")  # `<db password>`, `{{ token }}`: filled in later


def credential_in(name: str, text: str) -> str | None:
    """Why the literal `text` under `name` is a credential, or None when it is not one.

    Shaped like a credential, whatever the name: a credential. Under a secret-like name, any other value too,
    except those that only name, point to or stand for one: an ARN, a path-like name, a KMS alias, a URL
    without credentials, a boolean or number, an empty string, a placeholder filled in later (`<password>`,
    `{{ token }}`). A placeholder written to be deployed as it is (`changeme`) is a credential: a weak one."""
    shape = credential_shape(text)
    if shape is not None:
        return shape
    word = _secret_word(name)
    if word is None:
        return None
    plain = text.strip()
    if not plain or plain.lower() in _NOT_CREDENTIALS or plain.isdigit() or names_a_secret(plain):
        return None
    if "://" in plain and " " not in plain:
        return None  # a URL without credentials (those were caught above)
    if _ROUTE_KEY.fullmatch(plain) or _FILE_NAME.fullmatch(plain):
        return None  # a route key or a file name: what the name keys, not a credential
    if _PLACEHOLDER.fullmatch(plain):
        return None
    if word in _MODE_WORDS and _MODE.fullmatch(plain) and (plain.islower() or plain.isupper()):
        return None  # `AUTH = "cognito"`, `AUTH = "AWS_IAM"`: a mode, not a credential
    return BY_NAME


def credential_in_template(name: str, text: str) -> str | None:
    """Why the known text of a template with unknown parts (`"Bearer ${var.x}a8Zk..."`, kept by the evaluator
    with `${...}` holes) holds a credential written in the configuration, or None. A literal part is judged
    like a whole value when it is shaped like a credential, or, under a secret-like name, when it is at least
    8 characters with no space that mix letters and digits or cases (not `Bearer `, `/api-key`)."""
    chunks = [chunk for chunk in re.split(r"\$\{[^}]*\}", text) if chunk.strip()]
    for chunk in chunks:
        shape = credential_shape(chunk)
        if shape is not None:
            return shape
    if not secret_like(name):
        return None
    for chunk in (c.strip() for c in chunks):
        mixed = sum(bool(re.search(p, chunk)) for p in (r"[a-z]", r"[A-Z]", r"\d")) >= 2
        if len(chunk) >= 8 and " " not in chunk and mixed and credential_in(name, chunk) is not None:
            return BY_NAME
    return None


# ---------------------------------------------------------------------------------------- declared secrets

_SECRET_STORES = ("aws_secretsmanager_secret", "aws_ssm_parameter")
_NAMING_TYPES = (*_SECRET_STORES, "aws_kms_key", "aws_kms_alias")
_NAMING_ATTRIBUTES = ("name", "arn", "id", "key_id", "target_key_arn")


def declared_secret_names(stack: Stack) -> set[str]:
    """The names and ARNs (where written) of the secrets and parameters the stack manages or reads: a literal
    equal to one of them names a secret, it is not one."""
    blocks = stack.resources(*_SECRET_STORES) + stack.data(*_SECRET_STORES)
    values = (block.value(argument) for block in blocks for argument in ("name", "arn"))
    return {value for value in values if isinstance(value, str) and value}


def names_referenced_secret(attribute: Attribute, value: str) -> bool:
    """The value is the name, ARN or id of a secret, parameter or key the map refers to."""
    for ref in attribute.references:
        if ref.block.type in _NAMING_TYPES and ref.attribute in _NAMING_ATTRIBUTES:
            named = ref.block.value(ref.attribute)
            if isinstance(named, str) and named == value:
                return True
    return False
