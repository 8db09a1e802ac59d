"""Rule options in `.gateaudit.toml`, as a team sets them: each changes the verdict the way its name promises,
the default holds without a config, and a misspelt option or a value of the wrong type is exit 2, never ignored."""

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

LAMBDA_ROLE = '''resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
'''
MANAGED_POLICIES = LAMBDA_ROLE + '''
resource "aws_iam_role_policy_attachment" "power_user" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_role_policy_attachment" "power_user_gov" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy" "power_user" {
  name = "PowerUserAccess"
}

resource "aws_iam_role_policy_attachment" "power_user_by_name" {
  role       = aws_iam_role.authorizer.name
  policy_arn = data.aws_iam_policy.power_user.arn
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
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


# ---------------------------------------------------------------- GA101 cors-preflight-methods


def test_ga101_only_options_is_a_preflight_by_default(run_cli, tmp_path):
    found = verdicts(run_cli, stack(tmp_path, PREFLIGHT), "GA101")
    assert found["aws_api_gateway_method.options"] == ("passed", "OPTIONS preflight with a MOCK integration (exempt)")
    status, message = found["aws_api_gateway_method.head"]
    assert status == "failed" and message.startswith('authorization is "NONE" on HEAD: anyone can call it')


def test_ga101_configured_preflight_methods_stay_open_with_a_mock_integration(run_cli, tmp_path):
    folder = stack(tmp_path, PREFLIGHT, '[rules.GA101]\ncors-preflight-methods = ["OPTIONS", "head"]\n')
    found = verdicts(run_cli, folder, "GA101")
    assert found["aws_api_gateway_method.options"] == ("passed", "OPTIONS preflight with a MOCK integration (exempt)")
    assert found["aws_api_gateway_method.head"] == (
        "passed", "HEAD preflight with a MOCK integration (exempt: configured in cors-preflight-methods)")
    done = run_cli("scan", str(folder), "--format", "json")
    assert done.returncode == 0, done.stdout  # nothing else in this stack fails


def test_ga101_a_preflight_method_still_needs_a_mock_integration(run_cli, tmp_path):
    terraform = PREFLIGHT.replace('http_method       = aws_api_gateway_method.head.http_method\n  type              = '
                                  '"MOCK"', 'http_method       = aws_api_gateway_method.head.http_method\n  type'
                                            '              = "HTTP_PROXY"\n  uri = "https://example.com/"')
    assert "HTTP_PROXY" in terraform
    folder = stack(tmp_path, terraform, '[rules.GA101]\ncors-preflight-methods = ["OPTIONS", "HEAD"]\n')
    status, message = verdicts(run_cli, folder, "GA101")["aws_api_gateway_method.head"]
    assert status == "failed" and message.startswith('HEAD method with authorization "NONE" reaches a HTTP_PROXY')


def test_ga101_an_empty_list_leaves_no_method_open(run_cli, tmp_path):
    found = verdicts(run_cli, stack(tmp_path, PREFLIGHT, "[rules.GA101]\ncors-preflight-methods = []\n"), "GA101")
    assert {status for status, _ in found.values()} == {"failed"}
    assert found["aws_api_gateway_method.options"][1].startswith('authorization is "NONE" on OPTIONS')


def test_no_config_ignores_the_options(run_cli, tmp_path):
    folder = stack(tmp_path, PREFLIGHT, "[rules.GA101]\ncors-preflight-methods = []\n")
    found = verdicts(run_cli, folder, "GA101", "--no-config")
    assert found["aws_api_gateway_method.options"][0] == "passed"


# ---------------------------------------------------------------- GA104 header


def test_ga104_the_default_header_is_x_api_key(run_cli, tmp_path):
    found = verdicts(run_cli, stack(tmp_path, AUTHORIZERS), "GA104")
    assert found["aws_api_gateway_authorizer.x_api_key"] == ("passed", "identity_source names the x-api-key header")
    status, message = found["aws_api_gateway_authorizer.team_header"]
    assert status == "failed"
    assert message.startswith("identity_source is method.request.header.X-Fitness-Key, which does not name the "
                              "x-api-key header")
    assert message.endswith("; add method.request.header.x-api-key")


def test_ga104_a_configured_header_is_required_and_named_in_messages(run_cli, tmp_path):
    folder = stack(tmp_path, AUTHORIZERS, '[rules.GA104]\nheader = "x-fitness-key"\n')
    found = verdicts(run_cli, folder, "GA104")
    # header names compare case-insensitively; the message names the header as configured
    assert found["aws_api_gateway_authorizer.team_header"] == (
        "passed", "identity_source names the x-fitness-key header")
    status, message = found["aws_api_gateway_authorizer.x_api_key"]
    assert status == "failed"
    assert message.startswith("identity_source is method.request.header.x-api-key, which does not name the "
                              "x-fitness-key header")
    assert message.endswith("; add method.request.header.x-fitness-key")


def test_options_from_pyproject_toml(run_cli, tmp_path):
    folder = stack(tmp_path, AUTHORIZERS, '[project]\nname = "infra"\n\n[tool.gateaudit.rules.GA104]\n'
                                          'header = "X-Fitness-Key"\n', name="pyproject.toml")
    found = verdicts(run_cli, folder, "GA104")
    assert found["aws_api_gateway_authorizer.team_header"][0] == "passed"
    assert found["aws_api_gateway_authorizer.x_api_key"][0] == "failed"


# ---------------------------------------------------------------- GA303 allowed-managed-policies


def test_ga303_no_broad_policy_is_allowed_by_default(run_cli, tmp_path):
    found = verdicts(run_cli, stack(tmp_path, MANAGED_POLICIES), "GA303")
    assert {status for status, _ in found.values()} == {"failed"}
    assert len(found) == 4


def test_ga303_a_policy_allowed_by_name_passes_and_says_so(run_cli, tmp_path):
    folder = stack(tmp_path, MANAGED_POLICIES, '[rules.GA303]\nallowed-managed-policies = ["PowerUserAccess"]\n')
    found = verdicts(run_cli, folder, "GA303")
    allowed = ("passed", "attaches PowerUserAccess; PowerUserAccess is broad but allowed by configuration "
                         "(rules.GA303.allowed-managed-policies) (Lambda role aws_iam_role.authorizer)")
    for name in ("power_user", "power_user_gov", "power_user_by_name"):  # any partition, and by data source name
        assert found[f"aws_iam_role_policy_attachment.{name}"] == allowed, name
    status, message = found["aws_iam_role_policy_attachment.admin"]
    assert status == "failed" and "AdministratorAccess" in message  # only what the team named is allowed


def test_ga303_a_policy_allowed_by_arn_is_that_arn_only(run_cli, tmp_path):
    folder = stack(tmp_path, MANAGED_POLICIES,
                   '[rules.GA303]\nallowed-managed-policies = ["arn:aws:iam::aws:policy/PowerUserAccess"]\n')
    found = verdicts(run_cli, folder, "GA303")
    assert found["aws_iam_role_policy_attachment.power_user"][0] == "passed"
    assert "allowed by configuration" in found["aws_iam_role_policy_attachment.power_user"][1]
    for name in ("power_user_gov", "power_user_by_name", "admin"):  # another ARN; a name whose ARN is not known
        assert found[f"aws_iam_role_policy_attachment.{name}"][0] == "failed", name


# ---------------------------------------------------------------- mistakes are exit 2


@pytest.mark.parametrize(("config", "expected"), [
    ('[rules.GA101]\npreflight-methods = ["OPTIONS"]\n',
     "rules.GA101 has no option 'preflight-methods' (options: cors-preflight-methods)"),
    ('[rules.GA104]\nheader-name = "x-key"\n', "rules.GA104 has no option 'header-name' (options: header)"),
    ('[rules.GA303]\nallowed-policies = ["PowerUserAccess"]\n',
     "rules.GA303 has no option 'allowed-policies' (options: allowed-managed-policies)"),
    ("[rules.GA102]\ncors-preflight-methods = []\n", "rules.GA102 has no option 'cors-preflight-methods' "
                                                     "(options: none)"),
    ('[rules.GA101]\ncors-preflight-methods = "OPTIONS"\n', "rules.GA101.cors-preflight-methods must be like its "
                                                            "default ['OPTIONS']"),
    ('[rules.GA101]\ncors-preflight-methods = ["OPTIONS", 1]\n', "rules.GA101.cors-preflight-methods must be"),
    ("[rules.GA104]\nheader = 42\n", "rules.GA104.header must be like its default 'x-api-key'"),
    ('[rules.GA104]\nheader = ["x-api-key"]\n', "rules.GA104.header must be like its default"),
    ('[rules.GA303]\nallowed-managed-policies = "PowerUserAccess"\n',
     "rules.GA303.allowed-managed-policies must be like its default []"),
    ('[rules.GA999]\nheader = "x"\n', "GA999 is not a rule"),
])
def test_a_wrong_option_name_or_type_is_exit_2_naming_it(run_cli, tmp_path, config, expected):
    message = setup_error(run_cli, stack(tmp_path, PREFLIGHT, config))
    assert expected in message, message
    assert ".gateaudit.toml" in message  # says which file to fix
