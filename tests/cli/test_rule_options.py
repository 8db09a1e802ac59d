"""Rule options and `api-key-header` in the config, as the command line loads them: they reach the rules,
`--no-config` drops them, and a misspelt option or a value of the wrong type is exit 2, never ignored. What each
option does to its rule is tested beside that rule's fixtures (a fixture folder with its own `.gateaudit.toml`)."""

import json
from pathlib import Path

import pytest

REST_API = '''resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}
'''

PREFLIGHT = REST_API + '''
resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "options" {
  rest_api_id       = aws_api_gateway_rest_api.api.id
  resource_id       = aws_api_gateway_rest_api.api.root_resource_id
  http_method       = aws_api_gateway_method.options.http_method
  type              = "MOCK"
  request_templates = { "application/json" = "{\\"statusCode\\": 200}" }
}

resource "aws_api_gateway_method" "head" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "HEAD"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "head" {
  rest_api_id       = aws_api_gateway_rest_api.api.id
  resource_id       = aws_api_gateway_rest_api.api.root_resource_id
  http_method       = aws_api_gateway_method.head.http_method
  type              = "MOCK"
  request_templates = { "application/json" = "{\\"statusCode\\": 200}" }
}
'''

AUTHORIZER_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                  "arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations")
AUTHORIZERS = REST_API + f'''
resource "aws_api_gateway_authorizer" "team_header" {{
  name            = "team-header"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.X-Fitness-Key"
  authorizer_uri  = "{AUTHORIZER_URI}"
}}

resource "aws_api_gateway_authorizer" "x_api_key" {{
  name            = "x-api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "{AUTHORIZER_URI}"
}}
'''

STAGE = '''
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/fitness/access"
  retention_in_days = 90
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId %s"
  }
}
'''

def stack(folder: Path, terraform: str, config: str | None = None, name: str = ".gateaudit.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(terraform)
    if config is not None:
        (folder / name).write_text(config)
    return folder


def verdicts(run_cli, folder: Path, rule_id: str, *args: str) -> dict[str, tuple[str, str]]:
    """resource -> (status, message) of one rule, from the JSON report of the real CLI."""
    done = run_cli("scan", str(folder), "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return {r["resource"]: (r["status"], r["message"]) for r in report["results"] if r["rule_id"] == rule_id}


def setup_error(run_cli, folder: Path) -> str:
    done = run_cli("scan", str(folder), "--format", "json")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""  # no report: the scan never ran
    return done.stderr


# ---------------------------------------------------------------- the CLI applies the config's settings
# What each option does to its rule is tested beside the rule's fixtures (tests/rules/GA101/pass_configured_*,
# GA104/pass_custom_header, GA303/pass_allowed_by_*...): here, that the command line loads them from the config.


def test_the_config_s_options_reach_the_rules(run_cli, tmp_path):
    folder = stack(tmp_path, PREFLIGHT, '[rules.GA101]\ncors-preflight-methods = ["OPTIONS", "head"]\n')
    found = verdicts(run_cli, folder, "GA101")
    assert found["aws_api_gateway_method.head"] == (
        "passed", "HEAD preflight with a MOCK integration (exempt: configured in cors-preflight-methods)")
    done = run_cli("scan", str(folder), "--format", "json")
    assert done.returncode == 0, done.stdout  # nothing else in this stack fails


def test_no_config_ignores_the_options(run_cli, tmp_path):
    folder = stack(tmp_path, PREFLIGHT, "[rules.GA101]\ncors-preflight-methods = []\n")
    found = verdicts(run_cli, folder, "GA101", "--no-config")
    assert found["aws_api_gateway_method.options"][0] == "passed"


def test_api_key_header_reaches_ga104_and_ga406(run_cli, tmp_path):
    folder = stack(tmp_path, AUTHORIZERS + STAGE % "$context.requestHeader.X-Fitness-Key",
                   'api-key-header = "x-fitness-key"\n')
    found = verdicts(run_cli, folder, "GA104")
    assert found["aws_api_gateway_authorizer.team_header"] == ("passed",
                                                               "identity_source names the x-fitness-key header")
    assert found["aws_api_gateway_authorizer.x_api_key"][0] == "failed"
    assert verdicts(run_cli, folder, "GA406")["aws_api_gateway_stage.prod"][0] == "failed"


def test_options_from_pyproject_toml(run_cli, tmp_path):
    folder = stack(tmp_path, AUTHORIZERS, '[project]\nname = "infra"\n\n[tool.gateaudit]\n'
                                          'api-key-header = "X-Fitness-Key"\n', name="pyproject.toml")
    found = verdicts(run_cli, folder, "GA104")
    assert found["aws_api_gateway_authorizer.team_header"][0] == "passed"
    assert found["aws_api_gateway_authorizer.x_api_key"][0] == "failed"


def test_ga104_header_is_a_deprecated_name_of_api_key_header(run_cli, tmp_path):
    """The option GA104 took before `api-key-header` still applies (to GA406 too), and says what to write."""
    folder = stack(tmp_path, AUTHORIZERS + STAGE % "$context.requestHeader.X-Fitness-Key",
                   '[rules.GA104]\nheader = "x-fitness-key"\n')
    done = run_cli("scan", str(folder), "--format", "json")
    report = json.loads(done.stdout)
    found = {(r["rule_id"], r["resource"]): r["status"] for r in report["results"]}
    assert found[("GA104", "aws_api_gateway_authorizer.team_header")] == "passed"
    assert found[("GA406", "aws_api_gateway_stage.prod")] == "failed"
    assert "rules.GA104.header is deprecated" in done.stderr
    assert "api-key-header = 'x-fitness-key'" in done.stderr
    assert any("rules.GA104.header is deprecated" in w["message"] for w in report["warnings"])


# ---------------------------------------------------------------- mistakes are exit 2


@pytest.mark.parametrize(("config", "expected"), [
    ('[rules.GA101]\npreflight-methods = ["OPTIONS"]\n',
     "rules.GA101 has no option 'preflight-methods' (options: cors-preflight-methods)"),
    ('[rules.GA104]\nheader-name = "x-key"\n', "rules.GA104 has no option 'header-name' (options: none)"),
    ('[rules.GA303]\nallowed-policies = ["PowerUserAccess"]\n',
     "rules.GA303 has no option 'allowed-policies' (options: allowed-managed-policies)"),
    ("[rules.GA102]\ncors-preflight-methods = []\n", "rules.GA102 has no option 'cors-preflight-methods' "
                                                     "(options: none)"),
    ('[rules.GA101]\ncors-preflight-methods = "OPTIONS"\n', "rules.GA101.cors-preflight-methods must be like its "
                                                            "default ['OPTIONS']"),
    ('[rules.GA101]\ncors-preflight-methods = ["OPTIONS", 1]\n', "rules.GA101.cors-preflight-methods must be"),
    ("[rules.GA104]\nheader = 42\n", "rules.GA104.header must be an HTTP header name"),
    ('[rules.GA104]\nheader = ["x-api-key"]\n', "rules.GA104.header must be an HTTP header name"),
    ('api-key-header = ""\n', 'api-key-header must be an HTTP header name (letters, digits and - or _, no spaces), '
                              'such as "x-api-key"; got \'\''),
    ('api-key-header = "x api key"\n', "api-key-header must be an HTTP header name"),
    ("api-key-header = 42\n", "api-key-header must be an HTTP header name"),
    ('api-key-header = "x-fitness-key"\n[rules.GA104]\nheader = "x-other-key"\n',
     "rules.GA104.header ('x-other-key') and api-key-header ('x-fitness-key') disagree: keep api-key-header only"),
    ('[rules.GA303]\nallowed-managed-policies = "PowerUserAccess"\n',
     "rules.GA303.allowed-managed-policies must be like its default []"),
    ('[rules.GA999]\nheader = "x"\n', "GA999 is not a rule"),
])
def test_a_wrong_option_name_or_type_is_exit_2_naming_it(run_cli, tmp_path, config, expected):
    message = setup_error(run_cli, stack(tmp_path, PREFLIGHT, config))
    assert expected in message, message
    assert ".gateaudit.toml" in message  # says which file to fix


# ---------------------------------------------------------------- user rules: check(stack) or check(stack, settings)

USER_RULES = {
    "team_one.py": '''from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM001", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")


def check(stack):  # written before rules were given settings: still called, with the stack alone
    for api in stack.resources("aws_api_gateway_rest_api"):
        yield RULE.passed(api, "one argument")
''',
    "team_two.py": '''from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM002", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f",
            options={"suffix": "none"})


def check(stack, settings):
    for api in stack.resources("aws_api_gateway_rest_api"):
        yield RULE.passed(api, f"{settings.api_key_header} {RULE.option(settings, 'suffix')}")
''',
}


def test_user_rules_with_and_without_settings(run_cli, tmp_path):
    rules = tmp_path / "team-rules"
    rules.mkdir()
    for name, text in USER_RULES.items():
        (rules / name).write_text(text)
    folder = stack(tmp_path / "infra", REST_API, 'api-key-header = "x-team-key"\n[rules.TEAM002]\nsuffix = "set"\n')
    assert verdicts(run_cli, folder, "TEAM001", "--rules-dir", str(rules)) == {
        "aws_api_gateway_rest_api.api": ("passed", "one argument")}
    assert verdicts(run_cli, folder, "TEAM002", "--rules-dir", str(rules)) == {
        "aws_api_gateway_rest_api.api": ("passed", "x-team-key set")}
