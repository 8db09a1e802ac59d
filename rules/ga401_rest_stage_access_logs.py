"""GA401: every REST API stage writes access logs to a destination.

**What it checks**
Each `aws_api_gateway_stage` has an `access_log_settings` block whose `destination_arn` is the ARN of a
CloudWatch Logs group or Firehose stream: a literal `arn:aws:logs:...`/`arn:aws:firehose:...`, or the
`arn` of an `aws_cloudwatch_log_group` / `aws_kinesis_firehose_delivery_stream` (resource or data source),
which is known only after apply and passes. The result is on the stage.

**Why it matters**
Access logs are the one record of who called the API, which key-holder was let in or refused by the
authorizer (`$context.authorizer.status`), and what came back. Without them a leaked or brute-forced key
leaves no trace: API Gateway writes no access log unless the stage names a destination.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_cloudwatch_log_group" "access" {
      name              = "/aws/apigateway/fitness-access"
      retention_in_days = 90
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.access.arn
        format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
      }
    }

**Fix**
Add `access_log_settings` with `destination_arn = aws_cloudwatch_log_group.<name>.arn` (a group with a
retention) and a JSON `format` that leaves the key out (GA406).

**Limits**
A `dynamic "access_log_settings"` whose `for_each` cannot be resolved, or a `destination_arn` from a
variable with no value, is unknown: whether the block exists, or where it points, is not in the code. A
known empty `for_each` generates no block and fails. The name of a Firehose stream (API Gateway needs the
`amazon-apigateway-` prefix) and whether the log group exists are not checked.

**Stages a deployment creates**
An `aws_api_gateway_deployment` with `stage_name` (deprecated) creates that stage itself, and no Terraform
block can give such a stage `access_log_settings`: it fails on the deployment, naming `stage_name`; a
`stage_name` that cannot be resolved is unknown (a name creates a stage, null does not). Fix: declare an
`aws_api_gateway_stage` with `access_log_settings` and `deployment_id` = the deployment, and drop
`stage_name` from the deployment.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._logging import access_log_result, implicit_stage

RULE = Rule(
    id="GA401",
    control="logging-enabled",
    severity=Severity.MEDIUM,
    title="REST API stages send access logs to a CloudWatch Logs group or Firehose stream",
    rationale="Without access logs there is no record of who called the API or what the authorizer decided.",
    remediation="Add access_log_settings { destination_arn = aws_cloudwatch_log_group.<name>.arn, "
                "format = ... } to the aws_api_gateway_stage.",
    mappings={
        "NIST SP 800-53 rev 5": ("AU-2", "AU-12"),
    },
)


def check(stack: Stack) -> Iterator[Result]:
    for stage in stack.resources("aws_api_gateway_stage"):
        yield access_log_result(RULE, stage, stack)
    for deployment in stack.resources("aws_api_gateway_deployment"):
        name = implicit_stage(deployment)
        if name is None:
            continue
        fix = ("declare an aws_api_gateway_stage with access_log_settings and deployment_id = this deployment, "
               "and drop stage_name from the deployment")
        if isinstance(name.value, Unknown):
            yield RULE.unknown(deployment, f"stage_name cannot be resolved ({name.value.reason}): if it names a "
                               "stage, the deployment creates it, and such a stage has no access log; " + fix, name)
        else:
            yield RULE.failed(deployment, f'stage_name "{name.value}" makes the deployment create that stage '
                              "itself, and such a stage takes no access_log_settings, so API Gateway writes no "
                              "access log for it; " + fix, name)
