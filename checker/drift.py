"""Drift: the Terraform's model against the deployed account's, security-relevant differences only.

Both sides are `Stack`s: the code (HCL, a plan or a state JSON) and the account (`gateaudit audit` writes it as a
state JSON whose addresses are ARNs; `gateaudit.plan_config.load_plan` loads it, `link_by_value` links it). Each
security-relevant block of the code is paired with the account's: by `id`/`arn` where the code side knows them
(a state), else by names (`KINDS`: an API by name, a method by API + path + HTTP method, ...). The account's
addresses are never relied on. Each pairing gives results of one `DRIFT_RULES` rule: passed (what was compared),
failed with both sides, unknown where the code's value cannot be known, "in the code, not deployed", or "only in
the account" (created by hand) for a block of an API, function or role the code deploys.

This module reads the model only (values, references, `Unknown`): no boto3, no files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from .model import Attribute, Block, Stack, Unknown, unknowns
from .provenance import is_reference
from .result import Result, Severity
from .rules import LoadedRule, Rule
from .rules._iam import statements as policy_statements

GD100 = Rule(
    id="GD100", control="authorizer-attached", severity=Severity.MEDIUM,
    title="The deployed APIs and resource paths are those of the code",
    rationale="An API or a resource path that is not deployed as reviewed, or one added by hand, is not what "
              "reviewers signed off.",
    remediation="Apply the Terraform (terraform apply), or import what was created by hand into it.")
GD101 = Rule(
    id="GD101", control="authorizer-attached", severity=Severity.HIGH,
    title="Each deployed REST method is authorized as the code says",
    rationale="An authorizer detached in the console leaves the method open while the code still shows it guarded.",
    remediation="Apply the Terraform to restore authorization, authorizer_id and api_key_required; delete methods "
                "created by hand or write them in the code.")
GD102 = Rule(
    id="GD102", control="authorizer-attached", severity=Severity.HIGH,
    title="Each deployed HTTP/WebSocket route is authorized as the code says",
    rationale="A route whose authorization_type was set to NONE by hand is open while the code still shows it "
              "guarded.",
    remediation="Apply the Terraform to restore authorization_type, authorizer_id and api_key_required; delete "
                "routes created by hand or write them in the code.")
GD103 = Rule(
    id="GD103", control="authorizer-attached", severity=Severity.MEDIUM,
    title="Each authorizer is deployed as the code says (its Lambda, identity source and type)",
    rationale="An authorizer pointed at another function or reading another header no longer checks the API key "
              "the code checks.",
    remediation="Apply the Terraform to restore the authorizer; delete authorizers created by hand or write them "
                "in the code.")
GD301 = Rule(
    id="GD301", control="scoped-permission", severity=Severity.HIGH,
    title="No Lambda permission of the account is wider than the code's",
    rationale="A resource-policy statement widened or added by hand lets other callers invoke the function.",
    remediation="Apply the Terraform to restore the statement's principal, source_arn and action; remove "
                "statements added by hand (aws lambda remove-permission).")
GD302 = Rule(
    id="GD302", control="scoped-permission", severity=Severity.HIGH,
    title="No IAM role of the code allows more in the account than in the code",
    rationale="A managed policy attached by hand, or an inline policy widened, gives the function (and whoever "
              "runs code in it) more than reviewers signed off.",
    remediation="Apply the Terraform to restore the role's policies; detach policies attached by hand (aws iam "
                "detach-role-policy) and delete inline policies added by hand.")
GD401 = Rule(
    id="GD401", control="logging-enabled", severity=Severity.MEDIUM,
    title="Each deployed stage writes the access logs the code configures",
    rationale="Access logs switched off in the console leave no record of who called the API.",
    remediation="Apply the Terraform to restore access_log_settings; delete stages created by hand or write them "
                "in the code.")
GD402 = Rule(
    id="GD402", control="logging-enabled", severity=Severity.HIGH,
    title="Execution logging is deployed as the code says (level not lower, data trace not on)",
    rationale="A logging level lowered by hand hides authorizer failures; data trace turned on writes the "
              "x-api-key into CloudWatch Logs.",
    remediation="Apply the Terraform to restore the method settings' logging_level and data_trace_enabled.")
GD403 = Rule(
    id="GD403", control="logging-enabled", severity=Severity.MEDIUM,
    title="Each log group is deployed and keeps its logs as long as the code says",
    rationale="A retention shortened by hand, or a log group deleted, loses the logs an investigation needs.",
    remediation="Apply the Terraform to restore retention_in_days (or the log group).")

DRIFT_RULES: tuple[Rule, ...] = (GD100, GD101, GD102, GD103, GD301, GD302, GD401, GD402, GD403)

REST_API, HTTP_API = "aws_api_gateway_rest_api", "aws_apigatewayv2_api"
APIS = (REST_API, HTTP_API)
FUNCTION = "aws_lambda_function"
ROLE = "aws_iam_role"
NOT_DEPLOYED = "in the code, not deployed"
BY_HAND = "only in the account (created by hand?)"


# --------------------------------------------------------------------------------------------------------- pairing

@dataclass
class Pairs:
    """Which account block each code block is deployed as. `code_at` finds a code block by address, to bind the
    holes of a template (`${aws_api_gateway_rest_api.api.execution_arn}/*`) to the account's values."""

    account: dict[int, Block] = field(default_factory=dict)  # id(code block) -> account block
    taken: set[int] = field(default_factory=set)  # id(account block) paired with some code block
    code_at: dict[str, Block] = field(default_factory=dict)
    unpaired: dict[int, Unknown] = field(default_factory=dict)  # id(code block) -> why it could not be paired

    def pair(self, code: Block, account: Block) -> None:
        self.account[id(code)] = account
        self.taken.add(id(account))
        self.code_at[code.address] = code

    def of(self, code: Block | None) -> Block | None:
        return None if code is None else self.account.get(id(code))

    def parent(self, code: Block | None) -> Block | Unknown | None:
        """The account's block for a parent (an API, a function); an Unknown when the parent could not be paired:
        its children cannot be either (rather than "not deployed")."""
        if code is None or id(code) in self.account:
            return self.of(code)
        why = self.unpaired.get(id(code))
        return Unknown(f"{code.address} cannot be paired: {why.reason}") if why is not None else None


class AccountSide(Pairs):
    """The account's blocks are themselves: keys built on the account side use this in place of the pairs."""

    def of(self, code: Block | None) -> Block | None:
        return code

    def parent(self, code: Block | None) -> Block | Unknown | None:
        return code


# A pairing key from one side: a tuple of known values, an Unknown (why it cannot be known), or None (the block
# has no deployed parent to be paired under). The side's `Pairs` map a parent (an API, a function) to the account's.
Key = tuple | Unknown | None


def _referenced(block: Block, name: str, *types: str) -> Block | None:
    attribute = block.get(name)
    found = attribute.referenced_blocks(*types) if attribute is not None else []
    return found[0] if found else None


def _known(*parts: Any) -> Key:
    """The key, or the first Unknown in it; None when a part is missing."""
    for part in parts:
        if part is None:
            return None
        unknown = next(unknowns(part), None)
        if unknown is not None:
            return unknown
    return tuple(parts)


def _api_key(block: Block, side: Pairs) -> Key:
    return _known(block.type, block.value("name"))


MAX_PATH_DEPTH = 64  # resources above a method; deeper (or a cycle, in a hostile document) is unknown


def rest_path(block: Block) -> str | Unknown | None:
    """The full path of a REST resource (`/items/{id}`): its `path` where a state gives it, else rebuilt from
    `path_part` through `parent_id`'s references (the API's root_resource_id is `/`)."""
    parts: list[str] = []
    for _ in range(MAX_PATH_DEPTH):
        if block.type == REST_API:
            return "/" + "/".join(parts)
        path = block.value("path")
        if isinstance(path, str):  # a state's, or a plan's known one
            return "/".join([path.rstrip("/"), *parts]) or "/"
        part = block.value("path_part")
        if not isinstance(part, str):
            return part if isinstance(part, Unknown) else None
        parts.insert(0, part)
        parent = _parent_resource(block, "parent_id")
        if parent is None:
            return Unknown(f"{block.address}.parent_id refers to no resource or API gateaudit can see")
        block = parent
    return Unknown(f"{block.address} is more than {MAX_PATH_DEPTH} resources deep")


def _parent_resource(block: Block, name: str) -> Block | None:
    attribute = block.get(name)
    for reference in attribute.references if attribute is not None else ():
        if reference.block.type == "aws_api_gateway_resource" or (
                reference.block.type == REST_API and reference.attribute == "root_resource_id"):
            return reference.block
    return None


def _method_path(block: Block) -> str | Unknown | None:
    resource = _parent_resource(block, "resource_id")
    if resource is None:
        return Unknown(f"{block.address}.resource_id refers to no resource gateaudit can see")
    return rest_path(resource)


def _in_api(*more: Callable[[Block], Any]) -> Callable[[Block, Pairs], Key]:
    def key(block: Block, side: Pairs) -> Key:
        api = side.parent(_api_of(block))
        if isinstance(api, Unknown):
            return api
        return _known(api and id(api), *(part(block) for part in more))
    return key


def _function_key(block: Block, side: Pairs) -> Key:
    return _known(function_name(block.get("function_name")))


def _permission_key(block: Block, side: Pairs) -> Key:
    function = side.parent(_function_of(block))
    if isinstance(function, Unknown):
        return function
    if function is None:  # by name, where the value names a function the other side does not link
        return _known(function_name(block.get("function_name")), block.value("statement_id"))
    return _known(function.value("function_name"), block.value("statement_id"))


def function_name(attribute: Attribute | None) -> str | Unknown | None:
    """The Lambda function an argument names (`function_name`, `authorizer_uri`, `uri`): the referenced function's
    name, else the name in the value (a name, an ARN or an invoke ARN)."""
    if attribute is None:
        return None
    for block in attribute.referenced_blocks(FUNCTION):
        name = block.value("function_name")
        if isinstance(name, str):
            return name
    value = attribute.value
    if isinstance(value, str):
        found = re.search(r":function:([^/:]+)", value)
        return found.group(1) if found else value
    return value


@dataclass(frozen=True)
class Kind:
    """A security-relevant block type: how to pair it, which rule judges it and how."""

    types: tuple[str, ...]
    rule: Rule | None  # None: paired only so that values known after apply can be bound (secrets)
    key: Callable[[Block, Pairs], Key]
    what: str  # "method", for messages
    # The block's parent on its own side whose being deployed makes "only in the account" a finding (its API or
    # function); None: never reported as created by hand (an account holds other stacks' APIs and log groups).
    scope: Callable[[Block], Block | None] | None = None
    compare: Callable[[Block, Block, Pairs], Iterator[Difference | Unknown]] | None = None
    # Whether a block only in the account weakens the control (None: always): method settings added by hand
    # that only raise the logging level do not.
    weakens: Callable[[Block], bool] | None = None


def _api_of(block: Block) -> Block | None:
    return _referenced(block, "rest_api_id" if block.type.startswith("aws_api_gateway_") else "api_id", *APIS)


def _function_of(block: Block) -> Block | None:
    return _referenced(block, "function_name", FUNCTION)


def _role_of(block: Block) -> Block | None:
    return _referenced(block, "role", ROLE)


def _in_role(part: Callable[[Block], Any]) -> Callable[[Block, Pairs], Key]:
    def key(block: Block, side: Pairs) -> Key:
        role = side.parent(_role_of(block))
        if isinstance(role, Unknown):
            return role
        return _known(role and id(role), part(block))
    return key


# ------------------------------------------------------------------------------------------------------ comparing

Difference = tuple[str, str]  # (the code's attribute path, the message with both sides): see _judge


def bound(attribute: Attribute | None, pairs: Pairs) -> Any:
    """The code's value as it is deployed here: an Unknown known only after apply (`${aws_x.y.id}/*`) takes the
    paired account block's values; what stays unknown stays an Unknown."""
    if attribute is None:
        return None
    value = attribute.value
    # HCL keeps a template's text (`partial`); a bare reference is its one ref. A plan says neither: it stays unknown.
    if isinstance(value, Unknown) and (isinstance(value.partial, str) or is_reference(attribute)):
        return bind(value, pairs)
    return value


def bind(value: Unknown, pairs: Pairs) -> str | Unknown:
    """A template's text (or a bare reference, `${aws_x.y.arn}`) with each hole filled from the paired account
    block; the Unknown itself when a hole cannot be filled."""
    template = value.partial if isinstance(value.partial, str) else f"${{{value.refs[0]}}}" \
        if len(value.refs) == 1 else None
    if template is None:
        return value
    missing: list[str] = []

    def hole(match: re.Match) -> str:
        address, _, name = match.group(1).rpartition(".")
        account = pairs.of(pairs.code_at.get(address))
        found = account.value(name) if account is not None else None
        if isinstance(found, str | int):
            return str(found)
        missing.append(match.group(1))
        return match.group(0)

    text = re.sub(r"\$\{([^}:]+)\}", hole, template)  # `${aws:username}` (a colon) is an IAM variable
    return value if missing else text


def _show(value: Any) -> str:
    if value is None or value == "":
        return "not set"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _attribute(block: Block, path: str) -> Attribute | None:
    found = block.attributes_at(path)
    return found[0] if found else None


AUTHORIZERS = ("aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer")


def _same_authorizer(code: Block, account: Block, pairs: Pairs, name: str) -> Iterator[Difference | Unknown]:
    """The authorizer a method or route uses, as the paired authorizer: its id differs between code and account."""
    written, deployed = code.get(name), account.get(name)
    value = written.value if written is not None else None
    targets = written.referenced_blocks(*AUTHORIZERS) if written is not None else []
    now_block = next(iter(deployed.referenced_blocks(*AUTHORIZERS)), None) if deployed is not None else None
    now_id = account.value(name) or None  # "" where API Gateway has none
    now = f"authorizer {now_block.value('name')}" if now_block is not None else \
        f"{name} = {now_id}" if now_id is not None else "no authorizer"
    if not targets:
        if isinstance(value, Unknown):
            yield Unknown(f"{name} is unknown ({value.reason})")
        elif (value or None) != now_id:
            yield name, f"code: {name} = {_show(value or None)}; account: {now}"
        return
    expected = pairs.of(targets[0])
    if expected is None or now_block is not expected:
        yield name, (f"code: authorizer {targets[0].address}{'' if expected is not None else ' (not deployed)'}; "
                     f"account: {now}")


def _scalars(code: Block, account: Block, pairs: Pairs, *names: tuple[str, Any]) -> Iterator[Difference | Unknown]:
    """Arguments compared as values (strings case-insensitively), each with its default when not set."""
    for name, default in names:
        value = bound(_attribute(code, name), pairs)
        if isinstance(value, Unknown):
            yield Unknown(f"{name} is unknown ({value.reason})")
            continue
        value = default if value is None else value
        deployed = account.value(name, default)
        if _norm(value) != _norm(deployed):
            yield name, f"code: {name} = {_show(value)}; account: {_show(deployed)}"


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.upper()
    if isinstance(value, list):
        return sorted((_norm(v) for v in value), key=repr)
    return value


def _compare_method(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    yield from _scalars(code, account, pairs, ("authorization", None), ("api_key_required", False))
    yield from _same_authorizer(code, account, pairs, "authorizer_id")


def _compare_route(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    yield from _scalars(code, account, pairs, ("authorization_type", "NONE"), ("api_key_required", False))
    yield from _same_authorizer(code, account, pairs, "authorizer_id")


def _identity_sources(value: Any) -> Any:
    if isinstance(value, str):
        return sorted(part.strip() for part in value.split(",") if part.strip())
    return sorted(value) if isinstance(value, list) and not any(isinstance(v, Unknown) for v in value) else value


def _compare_authorizer(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    expected, deployed = function_name(code.get("authorizer_uri")), function_name(account.get("authorizer_uri"))
    if isinstance(expected, Unknown):
        yield Unknown(f"authorizer_uri is unknown ({expected.reason})")
    elif expected != deployed:
        yield "authorizer_uri", f"code: invokes {_show(expected)}; account: invokes {_show(deployed)}"
    name = "identity_source" if code.type == "aws_api_gateway_authorizer" else "identity_sources"
    value = _identity_sources(bound(code.get(name), pairs))
    if isinstance(value, Unknown) or next(unknowns(value), None) is not None:
        yield Unknown(f"{name} is unknown")
    elif _identity_sources(value) != _identity_sources(account.value(name)):
        yield name, f"code: {name} = {_show(value)}; account: {_show(account.value(name))}"
    kind = "type" if code.type == "aws_api_gateway_authorizer" else "authorizer_type"
    yield from _scalars(code, account, pairs, (kind, "TOKEN" if kind == "type" else None))


def _log_group_name(attribute: Attribute | None, pairs: Pairs) -> Any:
    if attribute is None:
        return None
    for group in attribute.referenced_blocks("aws_cloudwatch_log_group"):
        return bound(group.get("name"), pairs)
    value = attribute.value
    if isinstance(value, str):
        found = re.search(r":log-group:(.+?)(?::\*)?$", value)
        return found.group(1) if found else value
    return value


def _compare_stage(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    written = code.blocks("access_log_settings")
    if not written:
        return  # the code writes no access logs: the account cannot have fewer (GA401/GA403 judge the code)
    destination = _log_group_name(written[0].get("destination_arn"), pairs)
    deployed = account.blocks("access_log_settings")
    now = _log_group_name(deployed[0].get("destination_arn"), pairs) if deployed else None
    if isinstance(destination, Unknown):
        yield Unknown(f"access_log_settings.destination_arn is unknown ({destination.reason})")
    elif now is None:
        yield "access_log_settings", (f"code: access logs to {destination}; account: no access_log_settings "
                                      "(access logging is off)")
    elif now != destination:
        yield "access_log_settings.destination_arn", f"code: access logs to {destination}; account: to {now}"


_LEVELS = {"OFF": 0, "ERROR": 1, "INFO": 2}


def _compare_method_settings(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    level = bound(_attribute(code, "settings.logging_level"), pairs)
    now = _attribute(account, "settings.logging_level")
    now = now.value if now is not None and now.value is not None else "OFF"
    if isinstance(level, Unknown):
        yield Unknown(f"settings.logging_level is unknown ({level.reason})")
    elif _LEVELS.get(str(now).upper(), 0) < _LEVELS.get(str(level or "OFF").upper(), 0):
        yield "settings.logging_level", f"code: settings.logging_level = {level}; account: {now}"
    trace = bound(_attribute(code, "settings.data_trace_enabled"), pairs)
    deployed = _attribute(account, "settings.data_trace_enabled")
    if deployed is not None and deployed.value is True and trace is not True:
        if isinstance(trace, Unknown):
            yield Unknown(f"settings.data_trace_enabled is unknown ({trace.reason})")
        else:
            yield "settings.data_trace_enabled", (f"code: settings.data_trace_enabled = {_show(trace or False)}; "
                                                  "account: true (requests, x-api-key included, are logged)")


def _days(value: Any) -> int:
    """A retention in days; 0 (never expire) when not set or not a number."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _traces_data(block: Block) -> bool:
    return any(attribute.value is True for attribute in block.attributes_at("settings.data_trace_enabled"))


def _compare_log_group(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    days = bound(code.get("retention_in_days"), pairs)
    now = _days(account.value("retention_in_days"))
    if isinstance(days, Unknown):
        yield Unknown(f"retention_in_days is unknown ({days.reason})")
        return
    days = _days(days)
    if (days == 0 and now != 0) or (0 < now < days):
        yield "retention_in_days", (f"code: retention_in_days = {days or 'never expire'}; account: "
                                    f"{now or 'never expire'} (shorter)")


def _compare_permission(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    yield from _scalars(code, account, pairs, ("action", None), ("principal", None))
    for name in ("source_arn", "source_account", "principal_org_id"):
        value = bound(code.get(name), pairs)
        now = account.value(name)
        if isinstance(value, Unknown):
            yield Unknown(f"{name} is unknown ({value.reason})")
        elif value is None or value == now:
            continue
        elif now is None:
            yield name, f"code: {name} = {value}; account: no {name} (any caller of the principal)"
        elif fnmatchcase(value, now):
            yield name, f"code: {name} = {value}; account: {now} (broader)"
        else:
            yield name, f"code: {name} = {value}; account: {now}"


def _allowed(attribute: Attribute | None) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]] | Unknown:
    """A policy document's Allow statements as (actions, resources); an Unknown when its shape is not known."""
    statements = policy_statements(attribute)
    if isinstance(statements, Unknown):
        return statements
    allowed = []
    for statement in statements:
        if isinstance(statement, Unknown):
            return statement
        effect = statement.effect
        if isinstance(effect, Unknown):
            return effect
        if effect == "Allow":
            if statement.not_actions is not None or statement.not_resources is not None:
                return Unknown(f"{statement.name} uses NotAction or NotResource")
            allowed.append((statement.actions or (), statement.resources or ()))
    return allowed


def _covers(patterns: tuple[Any, ...], text: str, pairs: Pairs, bare: bool) -> bool | Unknown:
    """Does one of the code's patterns match the account's text (IAM wildcards, case-insensitive)? A reference
    (an ARN known after apply) is bound to the paired block's, and never matches `*` unbound. `bare`: an Unknown
    without text is a bare reference (HCL, where what a function built is already opaque); a plan cannot say."""
    doubt = None
    for pattern in patterns:
        if isinstance(pattern, Unknown) and (bare or isinstance(pattern.partial, str)):
            pattern = bind(pattern, pairs)
        if isinstance(pattern, str) and fnmatchcase(text.lower(), pattern.lower()):
            return True
        if isinstance(pattern, Unknown) and text != "*":
            doubt = pattern
    return doubt if doubt is not None else False


def _compare_role_policy(code: Block, account: Block, pairs: Pairs) -> Iterator[Difference | Unknown]:
    written = _allowed(code.get("policy"))
    bare = code.get("policy") is not None and code.get("policy").expr is not None
    if isinstance(written, Unknown):
        yield Unknown(f"policy is unknown ({written.reason})")
        return
    deployed = _allowed(account.get("policy"))
    if isinstance(deployed, Unknown):
        yield Unknown(f"the account's policy cannot be read ({deployed.reason})")
        return
    for actions, resources in deployed:
        for action in actions:
            for resource in resources:
                if not isinstance(action, str) or not isinstance(resource, str):
                    continue
                covered = [_covers(resources_, resource, pairs, bare) for actions_, resources_ in written
                           if _covers(actions_, action, pairs, bare) is True]
                if any(answer is True for answer in covered):
                    continue
                doubt = next((answer for answer in covered if isinstance(answer, Unknown)), None)
                # The first widening (or doubt) says enough: the rest is in the account's policy.
                if doubt is not None:
                    yield Unknown(f"the account allows {action} on {resource}; the code's resource is unknown "
                                  f"({doubt.reason})")
                else:
                    yield "policy", f"code: does not allow {action} on {resource}; account: allows it (wider)"
                return


KINDS: tuple[Kind, ...] = (
    Kind(APIS, GD100, _api_key, "API"),
    Kind((FUNCTION,), GD301, _function_key, "function"),
    Kind(("aws_api_gateway_resource",), GD100, _in_api(rest_path), "resource", _api_of),
    Kind(AUTHORIZERS, GD103,
         _in_api(lambda block: block.value("name")), "authorizer", _api_of, _compare_authorizer),
    Kind(("aws_api_gateway_method",), GD101, _in_api(_method_path, lambda block: str(block.value("http_method"))
                                                     .upper()), "method", _api_of, _compare_method),
    Kind(("aws_apigatewayv2_route",), GD102, _in_api(lambda block: block.value("route_key")), "route", _api_of,
         _compare_route),
    Kind(("aws_api_gateway_stage", "aws_apigatewayv2_stage"), GD401, _in_api(lambda block: block.value("stage_name")
                                                                                if block.has("stage_name")
                                                                                else block.value("name")),
         "stage", _api_of, _compare_stage),
    Kind(("aws_api_gateway_method_settings",), GD402,
         _in_api(lambda block: block.value("stage_name"), lambda block: block.value("method_path")),
         "method settings", _api_of, _compare_method_settings, _traces_data),
    Kind(("aws_lambda_permission",), GD301, _permission_key, "permission", _function_of, _compare_permission),
    Kind(("aws_cloudwatch_log_group",), GD403, lambda block, side: _known(bound(block.get("name"), side)), "log group",
         None, _compare_log_group),
    Kind(("aws_secretsmanager_secret",), None, lambda block, side: _known(block.value("name")), "secret"),
    Kind((ROLE,), GD302, lambda block, side: _known(block.value("name")), "role"),
    Kind(("aws_iam_role_policy",), GD302, _in_role(lambda block: block.value("name")), "inline policy", _role_of,
         _compare_role_policy),
    Kind(("aws_iam_role_policy_attachment",), GD302, _in_role(lambda block: block.value("policy_arn")),
         "managed policy attachment", _role_of),
)


# ---------------------------------------------------------------------------------------------------- the drift

def drift(code: Stack, account: Stack) -> list[Result]:
    """The security-relevant differences between the code and the account, with a passed result per block
    compared: see the module's docstring. Pure: reads both models, nothing else."""
    pairs = Pairs()
    results: list[Result] = []
    for kind in KINDS:
        found = list(_pair_kind(kind, code, account, pairs))  # pairs as it goes: kinds later in KINDS use them
        if kind.rule is not None:
            results.extend(found)
    return sorted(results, key=Result.sort_key)


# What a kind paired only to bind values (rule None) would yield: judged by no rule, never reported.
_PAIRED_ONLY = Rule(id="GD000", control="scoped-permission", severity=Severity.LOW, title="paired only",
                    rationale="", remediation="")


def _pair_kind(kind: Kind, code: Stack, account: Stack, pairs: Pairs) -> Iterator[Result]:
    rule = kind.rule or _PAIRED_ONLY
    by_id: dict[str, Block] = {}
    by_key: dict[tuple, list[Block]] = {}
    deployed = account.resources(*kind.types)
    for block in deployed:
        for name in ("arn", "id"):
            value = block.value(name)
            if isinstance(value, str):
                by_id.setdefault(f"{block.type} {value}", block)
        key = kind.key(block, AccountSide())
        if isinstance(key, tuple):
            by_key.setdefault(key, []).append(block)
    for block in code.resources(*kind.types):
        found = next((by_id[f"{block.type} {value}"] for name in ("arn", "id")
                      if isinstance(value := block.value(name), str) and f"{block.type} {value}" in by_id), None)
        if found is None:
            key = kind.key(block, pairs)
            if isinstance(key, Unknown):
                pairs.unpaired[id(block)] = key
                yield rule.unknown(block, f"this {kind.what} cannot be paired with the account's: {key.reason}")
                continue
            candidates = [b for b in by_key.get(key, []) if b.type == block.type] if key is not None else []
            if len(candidates) > 1:
                candidates = _by_tags(block, candidates)
            if len(candidates) > 1:
                yield rule.unknown(block, f"{len(candidates)} {kind.what}s of the account match this one "
                                          f"({', '.join(_name(b) for b in candidates)}); their tags do not tell "
                                          "which is deployed from it")
                continue
            if not candidates:
                yield rule.failed(block, f"{NOT_DEPLOYED}: the account has no {kind.what} {_described(block, key)}")
                continue
            found = candidates[0]
        pairs.pair(block, found)
        yield from _judge(kind, block, found, pairs)
    if kind.scope is None:
        return
    deployed_scopes = set(pairs.taken)
    for block in deployed:
        if id(block) not in pairs.taken and (scope := kind.scope(block)) is not None and id(scope) in deployed_scopes \
                and (kind.weakens is None or kind.weakens(block)):
            yield rule.failed(block, f"{BY_HAND}: {kind.what} {_described(block, kind.key(block, AccountSide()))} "
                                     f"of {_parent(scope)} is not in the code{_summary(block)}")


def _by_tags(block: Block, candidates: list[Block]) -> list[Block]:
    tags = block.value("tags")
    if not isinstance(tags, dict) or next(unknowns(tags), None) is not None:
        return candidates
    return [b for b in candidates if all(b.value("tags", {}).get(k) == v for k, v in tags.items())]


def _judge(kind: Kind, code: Block, account: Block, pairs: Pairs) -> Iterator[Result]:
    rule = kind.rule or _PAIRED_ONLY
    if kind.compare is None:
        yield rule.passed(code, f"deployed as {_name(account)}")
        return
    failed = unknown = False
    for found in kind.compare(code, account, pairs):
        if isinstance(found, Unknown):
            unknown = True
            yield rule.unknown(code, f"{found.reason}: cannot compare with {_name(account)}")
            continue
        path, message = found
        failed = True
        attribute = _attribute(code, path)
        nested = code.blocks_at(path) if attribute is None else []  # `access_log_settings`: the nested block
        where = attribute.location if attribute is not None else nested[0].location if nested else None
        yield rule.failed(code, f"{message} ({_name(account)})", attribute=path, location=where)
    if not failed and not unknown:
        yield rule.passed(code, f"deployed as written: {_name(account)}")


def _name(block: Block) -> str:
    """The account block as a reviewer finds it: its ARN where it has one, else its address (an ARN-like id in
    the document `gateaudit audit` writes)."""
    arn = block.value("arn")
    return arn if isinstance(arn, str) else block.address


def _described(block: Block, key: Key) -> str:
    """A block by its pairing key (`/items GET`), for messages; the API or function of the key left out."""
    if not isinstance(key, tuple):
        return f"for {block.address} (what it belongs to is not deployed)"
    parts = [str(part) for part in key if not isinstance(part, int) and not str(part).startswith("aws_")]
    return " ".join(parts) or block.address


def _parent(block: Block) -> str:
    what = {FUNCTION: "function", ROLE: "role"}.get(block.type, "API")
    return f"{what} {block.value('function_name') or block.value('name')}"


def _summary(block: Block) -> str:
    """What an account-only block does, for its message: its authorization or its statement."""
    shown = [f"{name} = {_show(block.value(name))}" for name in
             ("authorization", "authorization_type", "authorizer_uri", "principal", "source_arn")
             if block.has(name) and block.value(name) is not None]
    if _traces_data(block):
        shown.append("settings.data_trace_enabled = true: requests, x-api-key included, are logged")
    return f" ({', '.join(shown)})" if shown else ""


def _drift_check(stack: Stack) -> Iterator[Result]:
    """Drift rules compare two stacks: `drift` runs them (gateaudit.engine), not the rule loop (this yields nothing)."""
    return iter(())


DRIFT_LOADED: tuple[LoadedRule, ...] = tuple(LoadedRule(rule, _drift_check, __name__) for rule in DRIFT_RULES)
