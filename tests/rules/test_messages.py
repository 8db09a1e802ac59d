"""What a fixture's result says, where the words carry the finding: whose function it is (the authorizer, a
Lambda@Edge function), the spelling a fix must use, the entry point that bypasses the gateway. (Statuses,
lines and addresses are checked with every other fixture, in test_fixtures.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.modules import load

from .test_fixtures import RULES, settings_of

FIXTURES = Path(__file__).resolve().parent

MESSAGES = [
    ("GA207/fail_secure_string_from_file", "aws_ssm_parameter.db_password",
     "written in the configuration (in secrets/db-password.txt, read by file())"),
    ("GA206/fail_password_from_file", "aws_db_instance.reports", "(in secrets/reports-password.txt, read by file())"),
    ("GA405/fail_authorizer_no_log_group.tf", "aws_lambda_function.auth",
     "the authorizer's Lambda aws_lambda_function.auth (authorizer of aws_api_gateway_rest_api.api) has no "
     "log group"),
    ("GA405/pass_authorizer_retention.tf", "aws_cloudwatch_log_group.auth",
     "the authorizer's Lambda aws_lambda_function.auth (authorizer of aws_apigatewayv2_api.api)"),
    ("GA405/fail_lambda_edge_default_group_name.tf", "aws_lambda_function.edge",
     '"/aws/lambda/us-east-1.edge-headers" in each region where it runs'),
    ("GA405/fail_lambda_edge_default_group_name.tf", "aws_lambda_function.edge",
     "Lambda@Edge function aws_lambda_function.edge (of aws_cloudfront_distribution.cdn)"),
    ("GA405/pass_lambda_edge_group.tf", "aws_cloudwatch_log_group.edge",
     "in each region where it runs"),
    ("GA104/fail_websocket_no_key_header.tf", "aws_apigatewayv2_authorizer.api_key",
     "add route.request.header.x-api-key"),
    ("GA104/fail_websocket_custom_header", "aws_apigatewayv2_authorizer.api_key",
     "add route.request.header.x-fitness-key"),
    ("GA104/fail_http_api_no_identity_sources.tf", "aws_apigatewayv2_authorizer.api_key",
     "add $request.header.x-api-key"),
    ("GA106/fail_function_url_none_on_backend.tf", "aws_lambda_function_url.backend",
     "anyone with the URL calls the backend of aws_api_gateway_integration.get directly, without the API's "
     "authorizer"),
    ("GA106/fail_authorizer_function_url.tf", "aws_lambda_function_url.auth",
     "the authorizer's Lambda of aws_api_gateway_authorizer.api_key directly, probing keys"),
    ("GA106/fail_permission_function_url_none.tf", "aws_lambda_permission.url",
     "anyone may invoke the backend of aws_api_gateway_integration.get through its function URL, without "
     "authentication"),
    ("GA106/unknown_integration_uri_from_variable.tf", "aws_lambda_function_url.reports",
     "aws_apigatewayv2_integration.items.integration_uri cannot be resolved"),
]


@pytest.mark.parametrize(("case", "address", "text"), MESSAGES, ids=[f"{c}:{a}" for c, a, _ in MESSAGES])
def test_a_fixture_result_says(case: str, address: str, text: str) -> None:
    path = FIXTURES / case
    stack, errors = load([path])
    assert not errors
    results, _ = run_rules(stack, [RULES[case.split("/")[0]]], settings_of(path))
    [message] = [r.message for r in results if r.resource == address]
    assert text in message, message
