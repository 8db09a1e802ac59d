"""Shared secret questions for the secret-not-hardcoded rules (GA2xx).

- `secret_like(name)`: does a variable or environment name call its value a secret (`api_key`, `DB_PASSWORD`),
  rather than naming, sizing or timing one (`kms_key_id`, `api_key_version`, `secret_cache_ttl_seconds`)?
- `credential_in(name, text)`: is a literal string a credential: shaped like one whatever its name (an AWS
  access key id, a private key, a long random token), or any value under a secret-like name that does not
  merely name a secret (an ARN, `prod/app/api-key`, `alias/x`, a URL without a password)?
- `origin(attribute)`: is an argument's value written in the configuration (a literal, also through locals,
  variable defaults, tfvars or `jsonencode`), supplied at apply time (a variable with no value, a resource,
  data source or ephemeral attribute), or impossible to tell?
- `map_entries`, `fixed_outcomes`: where each key of a map is written, and the literal branches or fallbacks
  an expression may take; `declared_secret_names(stack)`: names of the stack's secrets and parameters.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from gateaudit.evaluate import FUNCTIONS, evaluate, variable_value
from gateaudit.expr import (
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    Unsupported,
    walk,
)
from gateaudit.model import Attribute, Block, Scope, Stack, Unknown, contains_unknown

# ------------------------------------------------------------------------------------------------ names

_SECRET_WORDS = {"password", "passwd", "pwd", "pw", "pass", "passphrase", "passcode", "secret", "secrets", "token",
                 "tokens", "apikey", "credential", "credentials", "cred", "creds", "privatekey", "jwt", "bearer",
                 "dbpass", "auth"}
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
_NOT_CREDENTIALS = {"true", "false", "yes", "no", "on", "off", "none", "null", "enabled", "disabled"}
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


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a value, inside maps and lists too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings_in(item)


# ----------------------------------------------------------------------------------------------- origin

_BUILTIN_ROOTS = {"local", "module", "path", "terraform", "self", "count", "each"}
_PASS_THROUGH = ("coalesce", "try", "sensitive", "nonsensitive", "tostring")  # any argument may be the value
_PLAIN_FUNCTIONS = {"jsonencode", "format", "join", "merge", "tostring", "trimspace", "lower", "upper"}


@dataclass(frozen=True)
class Origin:
    """Where a value comes from: "fixed" (written in the configuration: `value` is it), "supplied" (only
    known at apply time: `detail` names the sources) or "unresolved" (`detail` says why)."""

    source: str
    value: Any = None
    detail: str = ""


def origin(attribute: Attribute) -> Origin:
    value = attribute.value
    if not contains_unknown(value):
        return Origin("fixed", value)
    supplied: list[str] = []
    unresolved: str | None = None
    for expr, scope in _outcomes(attribute.expr, attribute.block.scope, 0):
        outcome = evaluate(expr, scope)
        if not contains_unknown(outcome):
            if outcome is not None:
                return Origin("fixed", outcome, "one branch or fallback is a literal")
            continue
        key = _literal_secret_key(outcome)
        if key is not None:
            return Origin("fixed", None, f'jsonencode key "{key}" holds a literal')
        computed = _computed_from_literals(expr, scope)
        if computed is not None:
            return Origin("fixed", None, f"{computed}() computes it from values written in the configuration")
        leaves = list(unknown_leaves(outcome))
        odd = next((leaf.reason for leaf in leaves if not supplied_at_apply(leaf)), None)
        if odd is None and not plain(expr, scope):
            odd = "it goes through a conditional, a for expression or a function gateaudit does not evaluate"
        if odd is not None:
            unresolved = unresolved or odd
        supplied.extend(ref for leaf in leaves for ref in leaf.refs)
    if unresolved is not None:
        return Origin("unresolved", detail=unresolved)
    return Origin("supplied", detail=", ".join(dict.fromkeys(supplied)))


_FROM_OUTSIDE = ("file", "templatefile", "uuid", "timestamp", "plantimestamp")  # files, or new at each run


def _computed_from_literals(expr: Expr, scope: Scope) -> str | None:
    """The function gateaudit does not evaluate (`base64encode`, `sha256`...) that makes an expression unknown
    although every value it reads is written in the configuration; None when some input is not."""
    nodes = list(walk(expr))
    calls = [n.name for n in nodes if isinstance(n, Call)]
    if not calls or any(name.startswith(_FROM_OUTSIDE) for name in calls) or any(
            isinstance(n, Unsupported | ForExpr) for n in nodes):
        return None
    references = [n for n in nodes if isinstance(n, Traversal)]
    if any(contains_unknown(evaluate(n, scope)) for n in references):
        return None
    literals = [n for n in nodes if isinstance(n, Literal | Template)]
    return next((name for name in calls if name not in FUNCTIONS), None) if literals or references else None


def _outcomes(expr: Expr, scope: Scope, depth: int) -> list[tuple[Expr, Scope]]:
    """The expressions the value may come from: each branch of an undecided conditional, each argument of
    coalesce()/try(), followed through locals and module inputs."""
    if depth > 16:
        return [(expr, scope)]
    match expr:
        case Conditional(condition=condition, if_true=if_true, if_false=if_false):
            decided = evaluate(condition, scope)
            undecided = not isinstance(decided, bool)
            branches = [if_true, if_false] if undecided else [if_true if decided else if_false]
            return [o for branch in branches for o in _outcomes(branch, scope, depth + 1)]
        case Call(name=name, args=args, expand_last=False) if name in _PASS_THROUGH and args:
            if name == "coalesce":  # null and "" are skipped, never the result
                args = tuple(a for a in args if not (isinstance(a, Literal) and a.value in (None, "")))
            return [o for arg in args for o in _outcomes(arg, scope, depth + 1)]
        case Traversal(root="local", steps=(GetAttr(name=name),)) if name in scope.module.locals:
            return _outcomes(scope.module.locals[name].expr, Scope(scope.module, {}), depth + 1)
        case Traversal(root="var", steps=(GetAttr(name=name),)) if _call_input(scope, name) is not None:
            given = _call_input(scope, name)
            return _outcomes(given.expr, given.block.scope, depth + 1)
    return [(expr, scope)]


def fixed_outcomes(expr: Expr, scope: Scope) -> list[Any]:
    """The values written in the configuration that an expression may take: each fully known branch of an
    undecided conditional, each known coalesce()/try() fallback (null excluded)."""
    values = (evaluate(e, s) for e, s in _outcomes(expr, scope, 0))
    return [value for value in values if value is not None and not contains_unknown(value)]


def map_entries(expr: Expr, scope: Scope, depth: int = 0) -> dict[str, tuple[Expr, Scope]]:
    """Where each key of a map is written: `{ KEY = ... }`, `merge(..., { KEY = ... })` (the last wins),
    followed through locals and module inputs. Keys built some other way are absent."""
    found: dict[str, tuple[Expr, Scope]] = {}
    if depth > 16:
        return found
    match expr:
        case ObjectExpr(items=items):
            for key_expr, value_expr in items:
                key = evaluate(key_expr, scope)
                if isinstance(key, str):
                    found[key] = (value_expr, scope)
        case Call(name="merge", args=args, expand_last=False):
            for arg in args:
                found.update(map_entries(arg, scope, depth + 1))
        case Traversal(root="local", steps=(GetAttr(name=name),)) if name in scope.module.locals:
            return map_entries(scope.module.locals[name].expr, Scope(scope.module, {}), depth + 1)
        case Traversal(root="var", steps=(GetAttr(name=name),)) if _call_input(scope, name) is not None:
            given = _call_input(scope, name)
            return map_entries(given.expr, given.block.scope, depth + 1)
    return found


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


def _call_input(scope: Scope, name: str) -> Attribute | None:
    call = scope.module.call
    return call.get(name) if call is not None else None


def plain(expr: Expr, scope: Scope, depth: int = 0) -> bool:
    """Does the value flow from references alone, through locals, module inputs, resource arguments and
    outputs, without an undecided conditional, a for expression or a function the evaluator does not model?
    Then every unknown in it stands for something unknown until apply, not for a hidden literal."""
    if depth > 16:
        return False
    for node in walk(expr):
        if isinstance(node, ForExpr | Unsupported):
            return False
        if isinstance(node, Call) and node.name not in _PLAIN_FUNCTIONS:
            return False
        if isinstance(node, Conditional) and not isinstance(evaluate(node.condition, scope), bool):
            return False
        if isinstance(node, Traversal) and isinstance(node.root, str) \
                and not all(plain(e, s, depth + 1) for e, s in _followed(node, scope)):
            return False
    return True


def _followed(node: Traversal, scope: Scope) -> list[tuple[Expr, Scope]]:
    """What a reference stands for, where the configuration writes it: a local's expression, a module
    input, an output's value, or a resource argument set in its block."""
    module = scope.module
    names = [s.name for s in node.steps if isinstance(s, GetAttr)]
    if node.root == "local" and names and names[0] in module.locals:
        return [(module.locals[names[0]].expr, Scope(module, {}))]
    if node.root == "var" and names and _call_input(scope, names[0]) is not None:
        given = _call_input(scope, names[0])
        return [(given.expr, given.block.scope)]
    if node.root == "module" and len(names) >= 2 and names[0] in module.children:
        output = module.children[names[0]].outputs.get(names[1])
        value = output.get("value") if output is not None else None
        return [(value.expr, value.block.scope)] if value is not None else []
    if node.root in _BUILTIN_ROOTS or node.root == "var":
        return []
    kind = node.root if node.root in ("data", "ephemeral") else "resource"
    path = names if kind != "resource" else [node.root, *names]  # type, name, argument
    if len(path) < 3:
        return []
    blocks: list[Block] = module.resources.get((kind, path[0], path[1]), [])
    return [(b.get(path[2]).expr, b.scope) for b in blocks if b.get(path[2]) is not None]


def unknown_leaves(value: Any) -> Iterator[Unknown]:
    """Every Unknown in a value; for jsonencode(...) the Unknowns in the object it encoded."""
    if isinstance(value, Unknown):
        if isinstance(value.partial, dict | list):
            yield from unknown_leaves(value.partial)
        else:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from unknown_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from unknown_leaves(item)


def supplied_at_apply(leaf: Unknown) -> bool:
    """The Unknown waits for a variable without value, or a resource, data source or ephemeral attribute
    (not a module gateaudit did not load, a path, or an expression it could not evaluate)."""
    if not leaf.refs or (isinstance(leaf.partial, str) and "${?}" in leaf.partial):
        return False
    roots = []
    for ref in leaf.refs:
        parts = ref.split(".")
        nested = parts[0] == "module"
        while parts[0] == "module" and len(parts) > 2:
            parts = parts[2:]
        roots.append("child-var" if nested and parts[0] == "var" else parts[0])
    runtime = [r for r in roots if r not in _BUILTIN_ROOTS]
    return len(runtime) == len(roots) and any(r != "child-var" for r in roots)


def _literal_secret_key(value: Any) -> str | None:
    """A key of a jsonencode(...) object that is secret-like and holds a literal string."""
    if isinstance(value, Unknown):
        return _literal_secret_key(value.partial) if isinstance(value.partial, dict | list) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if secret_like(key) and isinstance(item, str):
                return key
            found = _literal_secret_key(item)
            if found is not None:
                return found
    if isinstance(value, list):
        return next((k for k in map(_literal_secret_key, value) if k is not None), None)
    return None


def written_in(attribute: Attribute) -> str:
    """Where a fixed value is written, for messages: through which variables (and where they are set) or
    locals, else "as a literal"."""
    places = []
    for ref in attribute.references:
        variable = ref.block
        if variable.kind != "variable":
            continue
        module = variable.module
        if variable_value(module, variable.name) is None:
            continue  # null: the literal is elsewhere (a coalesce() fallback)
        if module.call is None and variable.name in module.variable_values:
            places.append(f"{variable.address} set in {module.variable_values[variable.name].location}")
        elif module.call is not None and module.call.has(variable.name):
            places.append(f"{variable.address} set by {module.call.address}")
        elif variable.has("default"):
            places.append(f"the default of {variable.address}")
    if not places:
        places = sorted({f"local.{n.steps[0].name}" for n in walk(attribute.expr) if isinstance(n, Traversal)
                         and n.root == "local" and n.steps and isinstance(n.steps[0], GetAttr)})
    return f"through {', '.join(places)}" if places else "as a literal"
