"""GA107: the authorizer's code answers in the shape its API reads.

**What it checks**
Each Lambda authorizer (`aws_api_gateway_authorizer` of type `TOKEN` or `REQUEST`, `aws_apigatewayv2_authorizer`
of type `REQUEST`) whose function is declared in the stack: gateaudit reads the function's code (see
**Limits**) and judges every answer its handler may return, following calls into functions of the same package.
A REST or WebSocket API, and an HTTP API without `enable_simple_responses`, reads an IAM policy: a dict with
`principalId` and `policyDocument`. An HTTP API with `enable_simple_responses = true` (payload 2.0) reads
`{"isAuthorized": ...}`. A dict literal is judged exactly; a value built where gateaudit cannot see is unknown.
Results sit at the line of the code that writes the answer.

**Why it matters**
API Gateway answers every request with a 500 when the authorizer's answer is not the shape it reads. Nothing
gets through, so the authorizer looks strict while the API is down, and the usual "fix" under pressure is to
switch authorization off. The answer the blog authorizer gives a REST API, `{"isAuthorized": true}`, is
exactly that.

**Fails**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          def handler(event, context):
              return {"isAuthorized": event["headers"].get("x-api-key") == "not-a-real-key"}
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
    }

**Passes**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          def policy(effect, resource):
              return {
                  "principalId": "api-key-client",
                  "policyDocument": {
                      "Version": "2012-10-17",
                      "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
                  },
              }

          def handler(event, context):
              return policy("Deny", event["methodArn"])
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
    }

**Fix**
Return `{"principalId": ..., "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action":
"execute-api:Invoke", "Effect": "Allow" or "Deny", "Resource": event["methodArn"]}]}}` to a REST or WebSocket
API; return `{"isAuthorized": True/False}` only to an HTTP API with `enable_simple_responses = true`. A handler
that serves both can take the shape from its entry point (`handler.rest_handler`), which gateaudit follows.

**Limits**
The code is found from Terraform: a `data "archive_file"` (`source_dir`, `source_file`, `source` blocks), a zip
in the repository, or the module's folder holding the handler; code in S3, a container image, or a zip built
outside the repository is unknown, saying so. Python is read; Node.js too where its analysis is installed.
A branch is left out only when constants decide its test (an argument of a literal passed down); a shape
chosen from the event or the environment at runtime counts every shape it may return. Returning None (an
error for API Gateway, a 500) is not judged here: GA109 judges what errors answer.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header the presented key is read from.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Answer, Stack, Unknown
from gateaudit.result import Result, Severity
from gateaudit.settings import Settings

from . import Rule
from ._code import Authorizer, at, judge_code

RULE = Rule(
    id="GA107",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title="The authorizer's code answers in the shape its API reads",
    rationale="An answer in the wrong shape makes API Gateway fail every request, and authorization gets "
              "switched off to 'fix' it.",
    remediation='Return an IAM policy (principalId, policyDocument) to REST and WebSocket APIs; {"isAuthorized": '
                "...} only to HTTP APIs with enable_simple_responses = true.",
    mappings={
        "NIST SP 800-53 rev 5": ("AC-3",),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)

_SHAPES = {"policy": ("an IAM policy (principalId and policyDocument)", {"principalId", "policyDocument"}),
           "simple": ('{"isAuthorized": ...} (simple responses)', {"isAuthorized"})}


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    return judge_code(RULE, stack, settings.api_key_header, _judge)


def _judge(authorizer: Authorizer) -> Iterator[Result]:
    code = authorizer.code
    answers = [answer for answer in code.answers if not answer.none]
    if isinstance(authorizer.expects, Unknown):
        yield at(RULE, "unknown", authorizer, f"cannot tell which answer its API reads: {authorizer.expects.reason}",
                 code.entry)
        return
    shown, needed = _SHAPES[authorizer.expects]
    if not answers:
        yield at(RULE, "unknown", authorizer, f"its handler {code.code.handler} never returns an answer gateaudit "
                                              "can see", code.entry)
        return
    judged = [(answer, _verdict(answer, needed, shown)) for answer in answers]
    for answer, (status, message) in judged:
        if status != "passed":
            yield at(RULE, status, authorizer, message, answer.location)
    if all(status == "passed" for _, (status, _) in judged):
        lines = ", ".join(dict.fromkeys(str(answer.location.line) for answer in answers))
        yield at(RULE, "passed", authorizer, f"every answer its handler returns (line {lines}) is {shown}",
                 code.entry)


def _verdict(answer: Answer, needed: set[str], shown: str) -> tuple[str, str]:
    if answer.keys is None:
        return "unknown", f"returns {answer.why}, whose shape gateaudit cannot read; its API reads {shown}"
    if needed <= answer.keys:
        return "passed", ""
    has = ", ".join(sorted(answer.keys)) or "no keys"
    if "isAuthorized" in answer.keys:
        consequence = "a REST or WebSocket API, or an HTTP API without simple responses, answers every request " \
                      "with a 500 on it"
    elif {"principalId", "policyDocument"} <= answer.keys:
        consequence = "an HTTP API with simple responses reads isAuthorized, absent here, and answers 500"
    else:
        consequence = "API Gateway answers every request with a 500 on it"
    return "failed", f"returns a dict with {has}, but its API reads {shown}: {consequence}"
