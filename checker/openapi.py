"""OpenAPI bodies as a source (`gateaudit.openapi`): the routes an `aws_api_gateway_rest_api` or an
`aws_apigatewayv2_api` defines in its `body`, added to the stack as the blocks Terraform would have written for
them, so the rules judge them exactly as written ones.

The body is a `jsonencode({...})` of an HCL object (unknowns inside it stay unknown), or the text of a JSON or
YAML file (`file()`, `templatefile()`). For every path and verb (`x-amazon-apigateway-any-method` is `ANY`) it
adds an `aws_api_gateway_method` (REST) or an `aws_apigatewayv2_route` (HTTP) addressed as the API plus the
operation (`aws_api_gateway_rest_api.api GET /debug`). Its authorization is what API Gateway's import gives:
`x-amazon-apigateway-auth` (`AWS_IAM`), else the operation's `security` (else the document's; `[]` or an empty
requirement is none) against `components.securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2).
A scheme with `x-amazon-apigateway-authorizer` becomes an authorizer of the API (`<api> authorizer <scheme>`),
`x-amazon-apigateway-authtype: awsSigv4` is `AWS_IAM`, an `apiKey` scheme alone sets `api_key_required`. An
operation's `x-amazon-apigateway-integration` becomes its integration (a MOCK preflight is told apart).

Facts are placed at their line in the spec file (`Location.origin` "openapi"), at the line of their key in
the HCL object, else at the `body` argument. A body that cannot be read gives one block at the API whose
authorization is unknown, saying why: its routes are never silently skipped.
"""

from __future__ import annotations

import re
from typing import Any

from . import jsonpos, limits
from .evaluate import evaluate
from .expr import Call, Expr, GetAttr, Literal, ObjectExpr, Traversal
from .files import CommittedFiles
from .model import Attribute, Block, Location, Reference, Scope, Stack, Unknown
from .values import rendered_size

REST, HTTP = "aws_api_gateway_rest_api", "aws_apigatewayv2_api"
ORIGIN = "openapi"
UNREADABLE = "the routes its body defines could not be read"
_VERBS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ANY = "x-amazon-apigateway-any-method"
_HOLE = re.compile(r"\$\{([^}]*)\}")


class Unreadable(Exception):
    """Why a body's routes cannot be read."""


def add_routes(stack: Stack, files: CommittedFiles | None) -> None:
    """Add the blocks every API's `body` defines to the module that declares the API."""
    added = False
    for module in stack.modules:
        new: list[Block] = []
        for api in [b for b in module.blocks if b.kind == "resource" and b.type in (REST, HTTP)]:
            body = api.get("body")
            if body is not None and body.value is not None and not _websocket(api):
                new.extend(_blocks(api, body, files))
        if new:
            module.blocks.extend(new)
            module.blocks.sort(key=lambda b: (b.location.file, b.location.line, b.address))
            added = True
    if added:
        stack._index = None  # the stack's index by type, if a caller built one, misses the new blocks


def _websocket(api: Block) -> bool:
    protocol = api.value("protocol_type") if api.type == HTTP else None
    return isinstance(protocol, str) and protocol.upper() == "WEBSOCKET"  # imports no OpenAPI document


def _blocks(api: Block, body: Attribute, files: CommittedFiles | None) -> list[Block]:
    spec = _spec_file(api, body, files)
    try:
        if spec is not None:  # the file's own text, for its lines, even when the body re-encodes it
            document, lines = _document(spec[1])
        else:
            document, _ = _document(body.value)
            lines = _hcl_lines(body)  # a jsonencode'd object's text is one line: its keys' lines are in the HCL
        return _Builder(api, body, document, lines, spec[0] if spec is not None else None).blocks()
    except Unreadable as error:
        return [_unreadable(api, body, str(error))]


# ------------------------------------------------------------------------------------- reading the body


def _document(value: Any) -> tuple[dict, dict[tuple[str, str], int]]:
    """The document a body's value holds, and the lines of its paths and security schemes in its text
    ((section, key) -> line; none for an object jsonencode has not encoded yet)."""
    if isinstance(value, Unknown):
        if isinstance(value.partial, dict):  # jsonencode of an object with unknowns inside
            document, lines = value.partial, {}
        elif isinstance(value.partial, str):  # a template with unknown parts: holes in its text
            if "${?}" in value.partial:  # a part that is no reference (a %{ if } or %{ for }): it may write anything
                raise Unreadable(f"its text is built by a template gateaudit cannot render: {value.reason}")
            document, lines = _parse(value.partial)
            document = _with_holes(document, value)
        else:
            raise Unreadable(value.reason)
    elif isinstance(value, str):
        document, lines = _parse(value)
    else:
        raise Unreadable("body is not a string")
    if rendered_size(document) > limits.MAX_VALUE_SIZE:
        raise Unreadable(f"the document holds more than {limits.MAX_VALUE_SIZE} elements and characters: not read")
    if not isinstance(document, dict) or not any(isinstance(document.get(k), str) for k in ("openapi", "swagger")):
        raise Unreadable("body is not an OpenAPI or Swagger document (no openapi or swagger version)")
    return document, lines


def _parse(text: str) -> tuple[Any, dict[tuple[str, str], int]]:
    if text.lstrip().startswith(("{", "[")):
        return _parse_json(text)
    return _parse_yaml(text)


def _parse_json(text: str) -> tuple[Any, dict[tuple[str, str], int]]:
    try:
        node = jsonpos.loads(text)
    except jsonpos.JSONError as error:
        raise Unreadable(f"body is not valid JSON (line {error.line}: {error.message})") from None
    lines: dict[tuple[str, str], int] = {}
    if isinstance(node.value, dict):
        for section, path in (("paths", ("paths",)), ("schemes", ("components", "securitySchemes")),
                              ("schemes", ("securityDefinitions",))):
            found = _json_at(node, path)
            if found is not None and isinstance(found.value, dict):
                lines.update(((section, key), line) for key, (line, _) in found.value.items())
    return _json_value(node), lines


def _json_at(node: jsonpos.Node, path: tuple[str, ...]) -> jsonpos.Node | None:
    for key in path:
        if not isinstance(node.value, dict) or key not in node.value:
            return None
        node = node.value[key][1]
    return node


def _json_value(node: jsonpos.Node) -> Any:  # nesting is bounded by jsonpos (limits.MAX_NESTING_DEPTH)
    if isinstance(node.value, dict):
        return {key: _json_value(child) for key, (_, child) in node.value.items()}
    if isinstance(node.value, list):
        return [_json_value(child) for child in node.value]
    if isinstance(node.value, jsonpos.LongNumber):
        return Unknown(f"a number of {node.value.digits} digits")
    return node.value


def _parse_yaml(text: str) -> tuple[Any, dict[tuple[str, str], int]]:
    from . import yaml_text  # PyYAML only when a body is YAML

    try:
        document, node = yaml_text.load(text)
    except yaml_text.YamlError as error:
        raise Unreadable(f"the document {error}" if error.over_limit else f"body is neither JSON nor YAML ({error})") \
            from None
    lines: dict[tuple[str, str], int] = {}
    for section, path in (("paths", ("paths",)), ("schemes", ("components", "securitySchemes")),
                          ("schemes", ("securityDefinitions",))):
        lines.update(((section, key), line) for key, line in yaml_text.key_lines(node, path).items())
    return document, lines


def _with_holes(document: Any, unknown: Unknown) -> Any:
    """A template's document with each string that holds a `${...}` hole made an Unknown (what it waits for)."""
    def replace(value: Any) -> Any:
        if isinstance(value, str) and "${" in value:
            holes = tuple(hole for hole in _HOLE.findall(value) if hole != "?")
            return Unknown(unknown.reason, holes or unknown.refs, value)
        if isinstance(value, dict):
            return {key: replace(item) for key, item in value.items()}
        if isinstance(value, list):
            return [replace(item) for item in value]
        return value

    try:  # the document is bounded already (parsed from a string of bounded size, its aliases counted)
        return replace(document)
    except RecursionError:
        raise Unreadable("the document is nested too deeply to read") from None


def _written(api: Block, expr: Expr, scope: Scope | None = None) -> tuple[Expr, Scope]:
    """The expression behind a bare `local.x` (a body is often kept in a local), with the scope it is read in."""
    scope = scope or api.scope
    for _ in range(8):
        if not (isinstance(expr, Traversal) and expr.root == "local" and len(expr.steps) == 1
                and isinstance(expr.steps[0], GetAttr) and expr.steps[0].name in api.module.locals):
            break
        expr = api.module.locals[expr.steps[0].name].expr
        scope = Scope(api.module, {})
    return expr, scope


def _spec_file(api: Block, body: Attribute, files: CommittedFiles | None) -> tuple[str, Any] | None:
    """The spec file a body is read from, as reports show it, and the text the call gives: `file(...)`,
    `templatefile(...)`, also re-encoded (`jsonencode(yamldecode(file(...)))`)."""
    if files is None or body.expr is None:
        return None
    expr, scope = _written(api, body.expr)
    if isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1 and isinstance(
            expr.args[0], Call) and expr.args[0].name in ("yamldecode", "jsondecode") and len(expr.args[0].args) == 1:
        expr, scope = _written(api, expr.args[0].args[0], scope)
    if not (isinstance(expr, Call) and expr.name in ("file", "templatefile") and expr.args):
        return None
    path = evaluate(expr.args[0], scope)
    shown = files.shown(api.module, path) if isinstance(path, str) else None
    return (shown, evaluate(expr, scope)) if shown is not None else None


def _hcl_lines(body: Attribute) -> dict[tuple[str, str], int]:
    """Where the paths and security schemes of a `jsonencode({...})` body are written in the HCL object."""
    if body.expr is None:
        return {}
    expr, scope = _written(body.block, body.expr)
    if not (isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1):
        return {}
    lines: dict[tuple[str, str], int] = {}
    for section, path in (("paths", ("paths",)), ("schemes", ("components", "securitySchemes")),
                          ("schemes", ("securityDefinitions",))):
        found = _object_at(expr.args[0], path, scope)
        if found is not None:
            for key_expr, _ in found.items:
                key = _key(key_expr, scope)
                if key is not None:
                    lines[(section, key)] = key_expr.line
    return lines


def _object_at(expr: Expr, path: tuple[str, ...], scope: Scope) -> ObjectExpr | None:
    for name in path:
        if not isinstance(expr, ObjectExpr):
            return None
        expr = next((value for key, value in expr.items if _key(key, scope) == name), None)
    return expr if isinstance(expr, ObjectExpr) else None


def _key(expr: Expr, scope: Scope) -> str | None:
    if isinstance(expr, Literal):
        return str(expr.value)
    if isinstance(expr, Traversal) and isinstance(expr.root, str) and not expr.steps:
        return expr.root  # a bare word as an object key is its name
    value = evaluate(expr, scope)
    return value if isinstance(value, str) else None


# ----------------------------------------------------------------------------------- building the blocks


def _unreadable(api: Block, body: Attribute, why: str) -> Block:
    """One block at the API standing for the routes its body defines: their authorization is unknown."""
    rest = api.type == REST
    block = Block(kind="resource", type="aws_api_gateway_method" if rest else "aws_apigatewayv2_route",
                  name=api.name, address=api.address, location=body.location, module=api.module)
    unknown = Unknown(f"{UNREADABLE}: {why}")
    _set(block, _api_argument(api), _unknown_id(api), body.location, (Reference(api, "id"),))
    _set(block, "authorization" if rest else "authorization_type", unknown, body.location)
    if not rest:
        _set(block, "route_key", unknown, body.location)
    return block


def _api_argument(api: Block) -> str:
    return "rest_api_id" if api.type == REST else "api_id"


def _unknown_id(block: Block) -> Unknown:
    return Unknown(f"{block.address}.id is known only after {block.address} is applied", (f"{block.address}.id",))


def _set(block: Block, name: str, value: Any, location: Location, references: tuple[Reference, ...] = ()) -> None:
    block.attributes[name] = Attribute(name, block, name, location, value, references)


class _Builder:
    def __init__(self, api: Block, body: Attribute, document: dict, lines: dict[tuple[str, str], int],
                 file: str | None):
        self.api, self.body, self.document, self.lines, self.file = api, body, document, lines, file
        self.rest = api.type == REST
        self.known = {ref.block.address: ref.block for ref in body.references}  # what the body refers to
        self.authorizers: dict[str, Block] = {}
        self.made: list[Block] = []
        schemes = _get(document.get("components"), "securitySchemes")
        self.schemes = schemes if schemes is not None else document.get("securityDefinitions")

    def location(self, section: str, key: str) -> Location:
        line = self.lines.get((section, key))
        if line is None:
            return self.body.location
        return Location(self.file, line, ORIGIN) if self.file else Location(self.body.location.file, line)

    def block(self, type_: str, address: str, location: Location) -> Block:
        budget = self.api.module.budget
        budget.instances += 1
        if budget.instances > budget.max_instances:
            raise Unreadable(f"it defines more operations than the scan's budget of {budget.max_instances} "
                             "resource instances")
        block = Block(kind="resource", type=type_, name=self.api.name, address=address, location=location,
                      module=self.api.module)
        _set(block, _api_argument(self.api), _unknown_id(self.api), location, (Reference(self.api, "id"),))
        self.made.append(block)
        return block

    def given(self, block: Block, name: str, value: Any, location: Location) -> None:
        """An argument written in the document: an unknown keeps the blocks the body refers to for it."""
        references: tuple[Reference, ...] = ()
        if isinstance(value, Unknown):
            references = tuple(ref for text in value.refs if (ref := self.reference(text)) is not None)
        _set(block, name, value, location, references)

    def reference(self, text: str) -> Reference | None:
        for address, block in self.known.items():
            if text == address or text.startswith(address + "."):
                rest = text[len(address) + 1:]
                return Reference(block, rest.split(".")[0] if rest else None)
        return None

    def blocks(self) -> list[Block]:
        paths = self.document.get("paths")
        if isinstance(paths, Unknown):
            raise Unreadable(f"paths cannot be resolved: {paths.reason}")
        if not isinstance(paths, dict):
            raise Unreadable("the document has no paths map")
        for path, item in paths.items():
            location = self.location("paths", str(path))
            if not isinstance(item, dict) or "$ref" in item:
                why = item.reason if isinstance(item, Unknown) else "it is a $ref, which gateaudit does not follow" \
                    if isinstance(item, dict) else "it is not a map"
                self.operation(str(path), None, Unknown(f"path {path} cannot be read: {why}"), location)
                continue
            for key, operation in item.items():
                verb = "ANY" if str(key).lower() == _ANY else str(key).upper() if str(key).lower() in _VERBS else None
                if verb is not None:
                    self.operation(str(path), verb, operation, location)
        return self.made

    def operation(self, path: str, verb: str | None, operation: Any, location: Location) -> None:
        what = f"{verb} {path}" if verb is not None else path
        if not self.rest and path == "/$default" and verb == "ANY":
            what = "$default"
        if self.rest:
            block = self.block("aws_api_gateway_method", f"{self.api.address} {what}", location)
            self.given(block, "http_method", verb if verb is not None else operation, location)
        else:
            block = self.block("aws_apigatewayv2_route", f"{self.api.address} {what}", location)
            self.given(block, "route_key", what if verb is not None else operation, location)
        if isinstance(operation, Unknown):
            self.given(block, "authorization" if self.rest else "authorization_type", operation, location)
            return
        if not isinstance(operation, dict):
            operation = {}
        authorization, authorizer, api_key = self.authorization(operation)
        self.given(block, "authorization" if self.rest else "authorization_type", authorization, location)
        if authorizer is not None:
            _set(block, "authorizer_id", _unknown_id(authorizer), location, (Reference(authorizer, "id"),))
        if api_key and self.rest:
            self.given(block, "api_key_required", True, location)
        integration = operation.get("x-amazon-apigateway-integration")
        if self.rest and isinstance(integration, dict):
            made = self.block("aws_api_gateway_integration", f"{block.address} integration", location)
            _set(made, "http_method", verb, location, (Reference(block, "http_method"),))
            self.given(made, "type", _upper(integration.get("type")), location)
            if "uri" in integration:
                self.given(made, "uri", integration["uri"], location)
        elif isinstance(integration, dict):  # what the route invokes: rules that follow backends see it
            made = self.block("aws_apigatewayv2_integration", f"{block.address} integration", location)
            self.given(made, "integration_type", _upper(integration.get("type")), location)
            for name, argument in (("uri", "integration_uri"), ("payloadFormatVersion", "payload_format_version")):
                if name in integration:
                    self.given(made, argument, integration[name], location)

    def authorization(self, operation: dict) -> tuple[Any, Any, bool]:
        """The operation's authorization type, its authorizer (None: none) and whether it needs an API key, as
        API Gateway imports them."""
        chosen = _upper(_get(operation.get("x-amazon-apigateway-auth"), "type")) if self.rest else None
        if isinstance(chosen, str) and chosen == "AWS_IAM":  # REST APIs only: HTTP APIs name awsSigv4 schemes
            return "AWS_IAM", None, False
        security = operation["security"] if "security" in operation else self.document.get("security")
        if isinstance(security, Unknown):
            return Unknown(f"its security cannot be resolved: {security.reason}", security.refs), None, False
        if not security or not isinstance(security, list):
            return "NONE", None, False
        if any(isinstance(item, dict) and not item for item in security):
            return "NONE", None, False  # an empty requirement: the operation may be called without any
        requirement = security[0]
        if not isinstance(requirement, dict):
            return Unknown(f"its security requirement cannot be resolved: {_reason(requirement)}"), None, False
        authorization: Any = "NONE"
        authorizer: Any = None
        api_key = False
        for name in requirement:
            scheme = _get(self.schemes, name)
            if not isinstance(scheme, dict):
                why = (f'security scheme "{name}" cannot be resolved: {_reason(scheme)}' if scheme is not None
                       else f'security scheme "{name}" is not defined in the document')
                return Unknown(why), None, api_key
            kind = self.kind(scheme)
            if isinstance(kind, Unknown):  # first: an Unknown is never compared
                return kind, None, api_key
            if kind in ("CUSTOM", "COGNITO_USER_POOLS", "JWT"):
                authorization, authorizer = kind, self.authorizer(str(name), scheme)
            elif kind == "AWS_IAM" and authorizer is None:
                authorization = "AWS_IAM"
            elif kind == "API_KEY":
                api_key = True
        return authorization, authorizer, api_key

    def kind(self, scheme: dict) -> Any:
        """What a security scheme asks of a caller: CUSTOM, COGNITO_USER_POOLS, JWT, AWS_IAM, API_KEY or None."""
        if "$ref" in scheme:
            return Unknown("a security scheme is a $ref, which gateaudit does not follow")
        extension = scheme.get("x-amazon-apigateway-authorizer")
        if isinstance(extension, Unknown):
            return Unknown(f"x-amazon-apigateway-authorizer cannot be resolved: {extension.reason}", extension.refs)
        if isinstance(extension, dict):
            authorizer_type = _upper(extension.get("type"))
            if isinstance(authorizer_type, Unknown):
                return authorizer_type
            return {"COGNITO_USER_POOLS": "COGNITO_USER_POOLS", "JWT": "JWT"}.get(authorizer_type, "CUSTOM")
        authtype = _upper(scheme.get("x-amazon-apigateway-authtype"))
        if isinstance(authtype, str) and authtype == "AWSSIGV4":
            return "AWS_IAM"
        scheme_type = scheme.get("type")
        return "API_KEY" if isinstance(scheme_type, str) and scheme_type == "apiKey" else None

    def authorizer(self, name: str, scheme: dict) -> Block:
        """The authorizer a scheme defines, made once."""
        block = self.authorizers.get(name)
        if block is None:
            block = self.authorizers[name] = self._authorizer(name, scheme)
        return block

    def _authorizer(self, name: str, scheme: dict) -> Block:
        extension = scheme["x-amazon-apigateway-authorizer"]
        location = self.location("schemes", name)
        kind = _upper(extension.get("type"))
        if self.rest:
            block = self.block("aws_api_gateway_authorizer", f"{self.api.address} authorizer {name}", location)
            self.given(block, "type", kind, location)
            source = extension.get("identitySource")
            where, header = scheme.get("in"), scheme.get("name")
            if source is None and isinstance(kind, str) and kind == "TOKEN" and isinstance(where, str) \
                    and where == "header" and isinstance(header, str):
                source = f"method.request.header.{header}"  # a TOKEN authorizer reads the scheme's header
            arguments: dict[str, Any] = {"identity_source": source, "provider_arns": extension.get("providerARNs")}
        else:
            block = self.block("aws_apigatewayv2_authorizer", f"{self.api.address} authorizer {name}", location)
            self.given(block, "authorizer_type", kind, location)
            arguments = {"identity_sources": _sources(extension.get("identitySource")),
                         "authorizer_payload_format_version": extension.get("authorizerPayloadFormatVersion"),
                         "enable_simple_responses": extension.get("enableSimpleResponses")}
        self.given(block, "name", name, location)
        arguments.update({"authorizer_uri": extension.get("authorizerUri"),
                          "authorizer_credentials": extension.get("authorizerCredentials"),
                          "authorizer_result_ttl_in_seconds": extension.get("authorizerResultTtlInSeconds")})
        if not self.rest:
            arguments["authorizer_credentials_arn"] = arguments.pop("authorizer_credentials")
        for argument, value in arguments.items():
            if value is not None:
                self.given(block, argument, value, location)
        return block


def _get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else mapping if isinstance(mapping, Unknown) else None


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _reason(value: Any) -> str:
    return value.reason if isinstance(value, Unknown) else "it is not a map"


def _sources(value: Any) -> Any:
    """An HTTP API's identitySource: a comma-separated string (or a list) as the provider's list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value

