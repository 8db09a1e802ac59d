"""The table that puts Checkov's checks under our controls, and the defaults it gives them."""

import subprocess

import pytest

from gateaudit.checkov import CONTROL_OF, MAPPING, OTHER, OTHER_SEVERITY, control_of, default_severity
from gateaudit.result import Severity
from gateaudit.rules import CONTROLS, load_rules

RULES = {loaded.rule.id: loaded.rule for loaded in load_rules()}


@pytest.mark.parametrize(("check_id", "control"), [
    ("CKV_AWS_59", "authorizer-attached"),  # REST method: authorization NONE
    ("CKV2_AWS_70", "authorizer-attached"),  # REST method: authorization or API key
    ("CKV_AWS_309", "authorizer-attached"),  # HTTP/WebSocket route: authorization type
    ("CKV_AWS_41", "secret-not-hardcoded"),  # provider credentials
    ("CKV_AWS_45", "secret-not-hardcoded"),  # Lambda environment
    ("CKV_AWS_364", "scoped-permission"),  # Lambda permission without source_arn / source_account
    ("CKV_AWS_301", "scoped-permission"),  # Lambda permission to principal "*"
    ("CKV_AWS_62", "scoped-permission"),  # "*:*" policy
    ("CKV_AWS_355", "scoped-permission"),  # "*" resource for restrictable actions
    ("CKV_AWS_274", "scoped-permission"),  # AdministratorAccess attached
    ("CKV_AWS_76", "logging-enabled"),  # stage access logs
    ("CKV2_AWS_4", "logging-enabled"),  # stage execution logging level
    ("CKV_AWS_276", "logging-enabled"),  # data trace
    ("CKV_AWS_66", "logging-enabled"),  # log group retention
])
def test_checks_that_state_a_control_belong_to_it(check_id, control):
    assert CONTROL_OF[check_id] == control
    assert control_of(check_id) == control


@pytest.mark.parametrize("check_id", [
    "CKV_AWS_73",  # API Gateway X-Ray tracing
    "CKV_AWS_120",  # API Gateway caching
    "CKV2_AWS_29",  # WAF in front of the API
    "CKV_AWS_338",  # a year of log retention: a retention length policy, not whether logs are kept
    "CKV_AWS_258",  # Lambda function URL auth: not an API Gateway route
    "CKV_AWS_117",  # Lambda in a VPC
    "CKV_AWS_999999",  # a check Checkov may add later
])
def test_other_checks_are_other_with_a_low_default(check_id):
    assert control_of(check_id) == OTHER
    assert default_severity(check_id) == OTHER_SEVERITY == Severity.LOW


def test_every_mapping_names_a_control_and_gateaudit_rules_of_that_control():
    for check_id, mapping in MAPPING.items():
        assert mapping.control in CONTROLS, check_id
        for rule_id in mapping.rules:
            assert RULES[rule_id].control == mapping.control, (check_id, rule_id)


def test_a_mapped_check_defaults_to_the_severity_of_the_gateaudit_rules_of_its_requirement():
    for check_id, mapping in MAPPING.items():
        if mapping.rules:
            assert mapping.severity == max((RULES[r].severity for r in mapping.rules), key=Severity.rank.fget), check_id
        assert default_severity(check_id) == mapping.severity


def test_every_mapped_check_exists_in_the_pinned_checkov(real_checkov):
    listed = subprocess.run([str(real_checkov), "--list", "--framework", "terraform", "--skip-download"],
                            capture_output=True, text=True, timeout=300, check=True).stdout
    ids = {cell.strip() for line in listed.splitlines() for cell in line.split("|")[2:3]}
    missing = sorted(set(MAPPING) - ids)
    assert not missing, f"not checks of this Checkov (typo, or renamed upstream): {missing}"
