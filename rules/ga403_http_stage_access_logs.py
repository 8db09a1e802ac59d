"""GA403: every HTTP and WebSocket API stage writes access logs to a destination.

**What it checks**
Each `aws_apigatewayv2_stage` has an `access_log_settings` block whose `destination_arn` is the ARN of a
CloudWatch Logs group or Firehose stream: a literal `arn:aws:logs:...`/`arn:aws:firehose:...`, or the
`arn` of an `aws_cloudwatch_log_group` / `aws_kinesis_firehose_delivery_stream` (known only after apply;
passes). The result is on the stage. The same test as GA401, for API Gateway v2.

**Why it matters**
HTTP APIs have no execution log at all: the access log is their only record of who called a route and
what the Lambda authorizer decided (`$context.authorizer.error`). A stage without one keeps no trace of a
leaked key being used.

**Fails**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
    }

**Passes**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_cloudwatch_log_group" "access" {
      name              = "/aws/apigateway/fitness-access"
      retention_in_days = 90
    }

    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.access.arn
        format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
      }
    }

**Fix**
Add `access_log_settings` with `destination_arn = aws_cloudwatch_log_group.<name>.arn` and a JSON
`format` that leaves the key out (GA406).

**Limits**
A `dynamic "access_log_settings"` with an unresolvable `for_each`, or a `destination_arn` from a variable
with no value, is unknown. Whether the destination exists, and a Firehose stream's required
`amazon-apigateway-` name prefix, are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Stack
from gateaudit.result import Result, Severity

from . import Rule
from ._logging import access_log_result

RULE = Rule(
    id="GA403",
    control="logging-enabled",
    severity=Severity.MEDIUM,
    title="HTTP and WebSocket API stages send access logs to a CloudWatch Logs group or Firehose stream",
    rationale="An HTTP API's access log is its only record of who called it and what the authorizer decided.",
    remediation="Add access_log_settings { destination_arn = aws_cloudwatch_log_group.<name>.arn, "
                "format = ... } to the aws_apigatewayv2_stage.",
    mappings={
        "AWS Security Hub FSBP": ("APIGateway.9",),
        "NIST SP 800-53 rev 5": ("AU-2", "AU-12"),
    },
)


def check(stack: Stack) -> Iterator[Result]:
    for stage in stack.resources("aws_apigatewayv2_stage"):
        yield access_log_result(RULE, stage, stack)
