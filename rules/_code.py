"""Shared questions of the code rules (GA107-GA110, GA209, GA407): which Lambda authorizers a stack has, what
their APIs expect of them, and what their code does (`gateaudit.authorizer_code`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gateaudit.authorizer_code import behaviour
from gateaudit.model import Block, CodeBehaviour, Location, Stack, Unknown
from gateaudit.result import Result

from . import Rule
from ._authorizers import _functions, api_protocol, kind
from ._references import target

_JUDGED = {  # resource type -> (type argument, provider default, types that call a Lambda function, the API)
    "aws_api_gateway_authorizer": ("type", "TOKEN", ("TOKEN", "REQUEST"), ("rest_api_id", "aws_api_gateway_rest_api")),
    "aws_apigatewayv2_authorizer": ("authorizer_type", None, ("REQUEST",), ("api_id", "aws_apigatewayv2_api")),
}


@dataclass(frozen=True)
class Authorizer:
    """A Lambda authorizer of the stack, its function and what the function's code does.

    `expects`: the answer its API reads: "policy" (an IAM policy: REST, WebSocket, HTTP without simple
    responses), "simple" (`isAuthorized`: HTTP API payload 2.0 with simple responses), or an Unknown;
    `names_as_sent`: API Gateway passes header names as the client sent them (REST and WebSocket REQUEST
    authorizers, HTTP API payload 1.0), an Unknown, or False (TOKEN, HTTP API payload 2.0: lower case)."""

    block: Block
    type: str
    function: Block
    code: CodeBehaviour | Unknown
    expects: str | Unknown
    names_as_sent: bool | Unknown

    @property
    def subject(self) -> str:
        """Who the code is, for messages: `aws_lambda_function.auth (authorizer of aws_api_gateway_rest_api.api)`."""
        return f"{self.function.address} (authorizer of {_api(self.block)})"


def authorizers(rule: Rule, stack: Stack, key_header: str) -> Iterator[Authorizer | Result]:
    """Every Lambda authorizer whose code can be judged, or the unknown result of `rule` saying why one cannot."""
    for block in stack.resources(*_JUDGED):
        argument, default, judged, _ = _JUDGED[block.type]
        authorizer_type = kind(block, argument, default)
        if isinstance(authorizer_type, Unknown):
            yield rule.unknown(block, f"{argument} cannot be resolved: {authorizer_type.reason}", argument)
            continue
        if authorizer_type not in judged:
            continue
        uri = block.get("authorizer_uri")
        functions = _functions(uri) if uri is not None else []
        if not functions:
            yield rule.unknown(block, "its Lambda function is not declared in the scanned configuration "
                                      "(authorizer_uri names it by ARN or through a data source), so its code "
                                      "cannot be read", "authorizer_uri")
            continue
        for function in functions:
            yield Authorizer(block, authorizer_type, function, behaviour(function, key_header), _expects(block),
                             _names_as_sent(block, authorizer_type))


def judge_code(rule: Rule, stack: Stack, key_header: str,
               judge: Callable[[Authorizer], Iterator[Result]]) -> Iterator[Result]:
    """A code rule's results: `judge` on each authorizer whose code was read; unknown where it could not be."""
    for found in authorizers(rule, stack, key_header):
        if isinstance(found, Result):
            yield found
        elif isinstance(found.code, Unknown):
            yield code_unknown(rule, found)
        else:
            yield from judge(found)


def code_unknown(rule: Rule, authorizer: Authorizer) -> Result:
    """The unknown result for an authorizer whose code cannot be read, at its function's block."""
    reason = authorizer.code.reason if isinstance(authorizer.code, Unknown) else ""
    return rule.unknown(authorizer.block, f"{authorizer.subject}: {reason}", location=authorizer.function.location)


def at(rule: Rule, status: str, authorizer: Authorizer, message: str, where: Location) -> Result:
    """A result about the authorizer, placed at a line of its code."""
    make = {"passed": rule.passed, "failed": rule.failed, "unknown": rule.unknown}[status]
    return make(authorizer.block, f"{authorizer.subject}: {message}", location=where)


def key_unseen(authorizer: Authorizer, key_header: str) -> tuple[str, Location]:
    """Why no comparison of the presented key was found, and where to say it."""
    code = authorizer.code
    assert isinstance(code, CodeBehaviour)
    escape = next((e for e in code.escapes if e.what == "the presented key"), None)
    if escape is not None:
        return f"the presented key is passed to {escape.into}, which is not in the package gateaudit read", \
            escape.location
    if code.header_reads or code.reads_token:
        return "the code reads the presented key but gateaudit found no comparison of it", code.entry
    return f"the code reads no {key_header} header or token that gateaudit can follow", code.entry


def _api(block: Block) -> str:
    argument, api_type = _JUDGED[block.type][3]
    apis = [api.address for api in target(block, argument, api_type)]
    return " or ".join(apis) if apis else f"the API its {argument} names"


def _expects(block: Block) -> str | Unknown:
    if block.type == "aws_api_gateway_authorizer":
        return "policy"
    protocol = api_protocol(block)
    if isinstance(protocol, Unknown):
        return protocol
    if protocol == "WEBSOCKET":
        return "policy"
    simple = block.value("enable_simple_responses", False)
    if isinstance(simple, Unknown):
        return Unknown(f"enable_simple_responses cannot be resolved: {simple.reason}")
    return "simple" if simple is True else "policy"


def _names_as_sent(block: Block, authorizer_type: str) -> bool | Unknown:
    if authorizer_type == "TOKEN":
        return False
    if block.type == "aws_api_gateway_authorizer":
        return True
    protocol = api_protocol(block)
    if isinstance(protocol, str) and protocol == "WEBSOCKET":
        return True
    version = block.value("authorizer_payload_format_version")
    if isinstance(version, Unknown):
        return Unknown(f"authorizer_payload_format_version cannot be resolved: {version.reason}")
    return str(version) == "1.0" if version is not None else Unknown("authorizer_payload_format_version is not set")
