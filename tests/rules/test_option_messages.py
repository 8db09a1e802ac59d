"""The option fixtures' messages: a configured value is named in what a result says, so a reader sees which
setting decided it. (Statuses, lines and addresses are checked with every other fixture, in test_fixtures.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.modules import load

from .test_fixtures import RULES, settings_of

FIXTURES = Path(__file__).resolve().parent

MESSAGES = [
    ("GA101/pass_configured_preflight_methods", "aws_api_gateway_method.head",
     "HEAD preflight with a MOCK integration (exempt: configured in cors-preflight-methods)"),
    ("GA101/pass_configured_preflight_methods", "aws_api_gateway_method.options",
     "OPTIONS preflight with a MOCK integration (exempt)"),
    ("GA101/fail_configured_preflight_without_mock", "aws_api_gateway_method.head",
     'HEAD method with authorization "NONE" reaches a HTTP_PROXY'),
    ("GA101/fail_no_preflight_methods", "aws_api_gateway_method.options", 'authorization is "NONE" on OPTIONS'),
    ("GA104/pass_custom_header", "aws_api_gateway_authorizer.team_header",
     "identity_source names the x-fitness-key header"),
    ("GA104/pass_custom_header", "aws_api_gateway_authorizer.x_api_key",
     "identity_source is method.request.header.x-api-key, which does not name the x-fitness-key header"),
    ("GA104/pass_custom_header", "aws_api_gateway_authorizer.x_api_key", "; add method.request.header.x-fitness-key"),
    ("GA303/pass_allowed_by_name", "aws_iam_role_policy_attachment.power_user_by_name",
     "attaches PowerUserAccess; PowerUserAccess is broad but allowed by configuration "
     "(rules.GA303.allowed-managed-policies) (Lambda role aws_iam_role.authorizer)"),
    ("GA406/fail_custom_header", "aws_apigatewayv2_stage.default",
     "access_log_settings.format logs the key's request header"),
]


@pytest.mark.parametrize(("case", "address", "text"), MESSAGES, ids=[f"{c}:{a}" for c, a, _ in MESSAGES])
def test_an_option_fixture_names_its_setting(case: str, address: str, text: str) -> None:
    folder = FIXTURES / case
    stack, errors = load([folder])
    assert not errors
    results, _ = run_rules(stack, [RULES[case.split("/")[0]]], settings_of(folder))
    [message] = [r.message for r in results if r.resource == address]
    assert text in message, message
