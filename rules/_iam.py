"""IAM questions shared by the scoped-permission rules: a policy's statements, and which roles Lambda uses.

`statements(attribute)` reads a policy however it is written — `jsonencode(...)`, heredoc or quoted JSON,
`data.aws_iam_policy_document.x.json` — as normalized statements. A value known only after apply keeps
its place as an `Unknown` element, so a rule can still judge the parts that are known.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from gateaudit.model import Attribute, Block, Stack, Unknown, unknowns
from gateaudit.provenance import built_unknowns

# A `${ref}` hole the evaluator left in a template's text; `${aws:username}` (a colon) is an IAM variable.
HOLE = re.compile(r"\$\{([^}:]*)\}")
_SENTINEL = re.compile(r"@@gateaudit-hole-(\d+)@@")
_KNOWN_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
               "Condition"}
# A reference to an attribute of a managed resource or data source (an ARN, an id): never a wildcard.
_COMPUTED = re.compile(r"^(module\.[^.]+\.)*(data\.)?aws_\w+\.")


@dataclass(frozen=True)
class Statement:
    """One statement; list elements are strings or `Unknown`. None: the statement has no such element."""

    position: int  # 1-based, for messages
    sid: Any
    effect: Any  # "Allow", "Deny", None (not written) or Unknown
    actions: tuple[Any, ...] | None
    not_actions: tuple[Any, ...] | None
    resources: tuple[Any, ...] | None
    not_resources: tuple[Any, ...] | None
    principals: dict[str, tuple[Any, ...]] | Unknown | None  # {"Service": ("lambda.amazonaws.com",)}
    conditions: Any = None  # the Condition element as written: {operator: {key: value or values}}, or Unknown

    @property
    def name(self) -> str:
        named = isinstance(self.sid, str) and self.sid
        return f'statement "{self.sid}"' if named else f"statement {self.position}"


def statements(attribute: Attribute | None) -> list[Statement | Unknown] | Unknown:
    """The policy's statements, each a `Statement` or an `Unknown`; an `Unknown` when no shape is known."""
    if attribute is None:
        return Unknown("no policy is set")
    document = _document(attribute.value)
    if isinstance(document, Unknown):
        return document
    built = built_unknowns(attribute) if any(u.partial is None for u in unknowns(document)) else []
    if built:
        document = _opaque(document, {(u.reason, u.refs): what for u, what in built})
    if not isinstance(document, dict):
        return Unknown("it is not a JSON object")
    listed = document.get("Statement", [])
    if isinstance(listed, Unknown):
        return Unknown(f"its Statement cannot be resolved ({listed.reason})", listed.refs)
    return [_statement(position, item) for position, item in
            enumerate(listed if isinstance(listed, list) else [listed], start=1)]


def _opaque(value: Any, built: dict[tuple, str]) -> Any:
    """The document with each Unknown that a function built around a reference (`format("%s:*", x.arn)`)
    shown as `${format(...)}`: such a value is not the reference it names, and must not pass for it."""
    if isinstance(value, Unknown) and value.partial is None and (value.reason, value.refs) in built:
        what = built[(value.reason, value.refs)]
        shown = what.replace("()", "(...)") if what.endswith("()") else "..."
        return Unknown(f"built by {what} around a value known only later ({value.reason})", (),
                       "${" + shown + "}")
    if isinstance(value, dict):
        return {key: _opaque(item, built) for key, item in value.items()}
    if isinstance(value, list):
        return [_opaque(item, built) for item in value]
    return value


def as_text(value: object) -> str | None:
    """A string, or what is known of one: a template's text with `${ref}` holes, or `${ref}` alone."""
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown) and isinstance(value.partial, str):
        return value.partial
    if isinstance(value, Unknown):
        return "${" + (value.refs[0] if value.refs else "?") + "}"
    return None


def computed(value: Unknown | str) -> bool:
    """Is this unknown (or `${ref}` hole name) an attribute of a resource or data source, not an input?"""
    ref = value if isinstance(value, str) else (value.refs[0] if value.refs else "")
    return bool(_COMPUTED.match(ref))


def matches(pattern: str, text: str) -> bool:
    """IAM wildcard matching: `*` any run of characters, `?` one, case-insensitive."""
    return _wildcard(pattern).fullmatch(text) is not None


@functools.lru_cache(maxsize=1024)
def _wildcard(pattern: str) -> re.Pattern[str]:
    # Every policy is matched against the same few actions and probes: compile each pattern once.
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CredentialRead:
    """Actions that read a credential from where an API key may be kept, judged on every resource at once."""

    noun: str  # "secret": what one resource is, for messages
    actions: tuple[str, ...]  # the actions, matched by any wildcard that covers one of them
    service: str  # the service segment of the resources' ARNs
    probes: tuple[str, str]  # two unrelated resource segments: a pattern matching both matches every resource
    scoping_keys: tuple[str, ...]  # condition keys (lower case; a trailing `/` or `:` is a prefix) that scope it
    fix: str  # what to write instead


# Beside GetSecretValue, where else an API key is kept: an SSM SecureString parameter, or anything encrypted with
# a KMS key. Resource-tag conditions scope secrets and parameters to the tagged ones; kms:ViaService to what
# one service decrypts for the role (the secrets or parameters it may read), an encryption context to some of
# them. Other keys (aws:SourceVpc, aws:CalledVia...) say where the call comes from, not which credential.
CREDENTIAL_READS = (
    CredentialRead("secret", ("secretsmanager:GetSecretValue",), "secretsmanager", ("secret:a-1", "secret:z/2"),
                   ("secretsmanager:resourcetag/", "aws:resourcetag/"),
                   "use aws_secretsmanager_secret.<name>.arn, or a secretsmanager:ResourceTag/<key> condition"),
    CredentialRead("SSM parameter", ("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"), "ssm",
                   ("parameter/a-1", "parameter/z/2"), ("ssm:resourcetag/", "aws:resourcetag/"),
                   "use aws_ssm_parameter.<name>.arn, or an ssm:resourceTag/<key> condition"),
    CredentialRead("KMS key", ("kms:Decrypt",), "kms", ("key/0a1b2c3d", "key/f9e8-7d6c"),
                   ("kms:viaservice", "kms:encryptioncontext:", "kms:encryptioncontextkeys"),
                   "use aws_kms_key.<name>.arn, or a kms:ViaService or kms:EncryptionContext:<key> condition"),
)
# Operators whose match limits a statement to the values listed. Not the negations (they allow every other
# value), not `...IfExists` (true where the key is absent), not `ForAllValues:` (true for a request with no
# value at all, such as a Decrypt with no encryption context), not `Null`.
_SCOPING_OPERATORS = {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike",
                      "foranyvalue:stringequals", "foranyvalue:stringequalsignorecase", "foranyvalue:stringlike"}


def covers_every(resource: object, read: CredentialRead) -> bool | Unknown:
    """Does a Resource element match every resource of `read`'s service? Unknown when only an unresolved `${...}`
    could make it."""
    text = as_text(resource)
    if text is None:
        return False
    if _every(HOLE.sub("\0", text), read):
        return True
    if _every(HOLE.sub("*", text), read) and not all(computed(hole) for hole in HOLE.findall(text)):
        return Unknown(f'"{text}", which cannot be resolved')
    return False


def _every(pattern: str, read: CredentialRead) -> bool:
    """Does a Resource pattern match every resource of the service (two unrelated names, any region)?"""
    parts = pattern.split(":", 5)
    if len(parts) == 6 and parts[0].lower() == "arn":  # only the service and the resource segments matter
        return matches(parts[2], read.service) and all(matches(parts[5], name) for name in read.probes)
    probe = f"arn:aws:{read.service}:us-east-1:111122223333:"
    return all(matches(pattern, probe + name) for name in read.probes)


def scoped_by(conditions: Any, read: CredentialRead) -> str | Unknown | None:
    """The condition key that limits a statement to some of `read`'s resources, an Unknown when a condition that
    might cannot be resolved, None when none does."""
    if conditions is None or not isinstance(conditions, dict | Unknown):
        return None
    if isinstance(conditions, Unknown):
        return Unknown(f"its Condition cannot be resolved ({conditions.reason})", conditions.refs)
    doubt: Unknown | None = None
    for operator, tests in conditions.items():
        if isinstance(tests, Unknown):
            doubt = doubt or Unknown(f"its {operator} condition cannot be resolved ({tests.reason})", tests.refs)
            continue
        if not isinstance(tests, dict) or str(operator).lower() not in _SCOPING_OPERATORS:
            continue
        for key, values in tests.items():
            if not _scoping_key(str(key).lower(), read):
                continue
            values = values if isinstance(values, list) else [values]
            unknown = next(unknowns(values), None)
            if unknown is not None:
                doubt = doubt or Unknown(f"its {operator} condition on {key} cannot be resolved ({unknown.reason})",
                                         unknown.refs)
            elif values and all(isinstance(v, str) and v.strip("*? ") for v in values):  # "*" matches anything
                return str(key)
    return doubt


def _scoping_key(key: str, read: CredentialRead) -> bool:
    return any(key.startswith(k) if k.endswith(("/", ":")) else key == k for k in read.scoping_keys)


# Resources attaching managed policies to roles: type -> (argument naming the roles, argument naming the ARNs).
ATTACHMENTS = {
    "aws_iam_role_policy_attachment": ("role", "policy_arn"),
    "aws_iam_policy_attachment": ("roles", "policy_arn"),
    "aws_iam_role_policy_attachments_exclusive": ("role_name", "policy_arns"),
}


def lambda_roles(stack: Stack) -> list[Block]:
    """Roles Lambda assumes: trusted by lambda.amazonaws.com, or named by an aws_lambda_function's `role`."""
    used = {id(role) for function in stack.resources("aws_lambda_function") if function.get("role")
            for role in function.get("role").referenced_blocks("aws_iam_role")}
    return [role for role in stack.resources("aws_iam_role") if id(role) in used or _trusts_lambda(role) is True]


def possible_lambda_roles(stack: Stack, roles: list[Block]) -> dict[int, str]:
    """Roles not known to be Lambda's whose trust policy cannot be read, by `id`, each with why: Lambda may
    assume them, so a broad policy of theirs is unknown, never skipped."""
    known = {id(role) for role in roles}
    possible = {}
    for role in stack.resources("aws_iam_role"):
        trusts = _trusts_lambda(role)
        if id(role) not in known and isinstance(trusts, Unknown):
            possible[id(role)] = (f"whether Lambda assumes {role.address} cannot be told: its assume_role_policy "
                                  f"cannot be read ({trusts.reason})")
    return possible


def role_targets(attribute: Attribute | None, roles: list[Block], stack: Stack,
                 possible: dict[int, str] | None = None) -> tuple[list[Block], str | None]:
    """Which of `roles` an argument naming roles (`role`, `roles`) points at, and why it may point at
    another Lambda role (None when it cannot): some name is unknown, or names a role this stack does not
    declare, or one of the `possible` Lambda roles."""
    if attribute is None:
        return [], None
    possible = possible or {}
    named = attribute.referenced_blocks("aws_iam_role")
    if named:
        doubt = next((possible[id(role)] for role in named if id(role) in possible), None)
        return [role for role in named if any(role is r for r in roles)], doubt
    value = attribute.value
    hits: list[Block] = []
    doubt = None
    for name in value if isinstance(value, list) else [value]:
        declared = [r for r in stack.resources("aws_iam_role")
                    if isinstance(name, str) and isinstance(r.value("name"), str) and r.value("name") == name]
        hits += [role for role in declared if any(role is r for r in roles)]
        doubt = doubt or next((possible[id(role)] for role in declared if id(role) in possible), None)
        if not declared:
            doubt = doubt or "its role cannot be resolved"
    return hits, doubt


def _trusts_lambda(role: Block) -> bool | Unknown:
    found = statements(role.get("assume_role_policy"))
    if isinstance(found, Unknown):
        return found if role.has("assume_role_policy") else False
    doubt: Unknown | None = None
    for statement in found:
        if isinstance(statement, Unknown) or isinstance(statement.principals, Unknown):
            doubt = doubt or (statement if isinstance(statement, Unknown) else statement.principals)
            continue
        if not isinstance(statement.principals, dict):
            continue
        if isinstance(statement.effect, str) and statement.effect == "Deny":
            continue
        services = statement.principals.get("Service", ())
        if any(s == "lambda.amazonaws.com" for s in services if isinstance(s, str)):
            if isinstance(statement.effect, Unknown):
                doubt = doubt or statement.effect
                continue
            return True
        unknown_service = next((s for s in services if isinstance(s, Unknown)), None)
        doubt = doubt or unknown_service
    return doubt if doubt is not None else False


def _document(value: Any) -> Any:
    if isinstance(value, Unknown):
        if isinstance(value.partial, dict | list):
            return value.partial  # jsonencode(...) or a policy document with values known after apply
        if isinstance(value.partial, str):
            return _with_holes(value.partial)  # a heredoc or quoted JSON template with ${...} in it
        return Unknown(value.reason, value.refs)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            return Unknown(f"it is not valid JSON ({error.msg} at line {error.lineno})")
    return value


def _with_holes(text: str) -> Any:
    """JSON text with `${ref}` holes: each hole becomes an Unknown (inside a string, the string does)."""
    names: list[str] = []
    out: list[str] = []
    in_string, position = False, 0
    while position < len(text):
        hole = HOLE.match(text, position)
        if hole:
            names.append(hole.group(1))
            marker = f"@@gateaudit-hole-{len(names) - 1}@@"
            out.append(marker if in_string else f'"{marker}"')
            position = hole.end()
            continue
        char = text[position]
        if char == "\\" and in_string:
            out.append(text[position : position + 2])
            position += 2
            continue
        if char == '"':
            in_string = not in_string
        out.append(char)
        position += 1
    try:
        parsed = json.loads("".join(out))
    except json.JSONDecodeError as error:
        return Unknown(f"its text is not valid JSON ({error.msg} at line {error.lineno})",
                       tuple(names))
    return _restore(parsed, names)


def _restore(value: Any, names: list[str]) -> Any:
    if isinstance(value, dict):
        return {key: _restore(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item, names) for item in value]
    if isinstance(value, str) and _SENTINEL.search(value):
        refs = tuple(names[int(n)] for n in _SENTINEL.findall(value))
        text = _SENTINEL.sub(lambda m: "${" + names[int(m.group(1))] + "}", value)
        return Unknown(f"depends on {', '.join(refs)}", refs, partial=text)
    return value


def _statement(position: int, item: Any) -> Statement | Unknown:
    if isinstance(item, Unknown):
        return item
    if not isinstance(item, dict):
        return Unknown(f"statement {position} is not a JSON object")
    odd = next((v for k, v in item.items() if k not in _KNOWN_KEYS and isinstance(v, Unknown)), None)
    if odd is not None:
        return Unknown(f"statement {position} cannot be resolved: {odd.reason}", odd.refs)
    return Statement(position, item.get("Sid"), item.get("Effect"), _listed(item, "Action"),
                     _listed(item, "NotAction"), _listed(item, "Resource"), _listed(item, "NotResource"),
                     _principals(item.get("Principal")), item.get("Condition"))


def _listed(item: dict, key: str) -> tuple[Any, ...] | None:
    if key not in item:
        return None
    value = item[key]
    return tuple(value) if isinstance(value, list) else (value,)


def _principals(value: Any) -> dict[str, tuple[Any, ...]] | Unknown | None:
    if value is None or isinstance(value, Unknown):
        return value
    if not isinstance(value, dict):
        return {"*": (value,)}  # "Principal": "*"
    return {kind: tuple(ids) if isinstance(ids, list) else (ids,) for kind, ids in value.items()}
