"""A report names a hardcoded secret; it never becomes one more copy of it, in any format.

`SHAPES` writes secrets the ways Terraform lets them be written (plain, escaped, heredoc, template, through
locals, variables, tfvars, module arguments, for expressions, functions, dynamic blocks...) and each format's
report is searched for every secret: as written, as its value, line by line for multi-line values, escaped as
each format escapes text, and decoded from each format (HTML entities, JSON, XML, Markdown escapes).
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape as markup_escape

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import FORMATS, file_name, renderer

SEED_KEY = "seed-example-key-not-a-real-credential-0000"  # the literal in stack/examples/seed/main.tf


def test_no_format_repeats_the_seed_secret(run_cli, tmp_path):
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", "stack/examples/seed", *formats, "--output-dir", str(tmp_path))
    assert done.returncode == 1
    written = sorted(tmp_path.iterdir())
    assert len(written) == len(FORMATS)
    for report in written:
        text = report.read_text()
        assert "GA201" in text, f"{report.name} does not report the hardcoded secret"
        assert SEED_KEY not in text, f"{report.name} repeats the secret's value"


@pytest.mark.parametrize("fixture", ["fail_compared_with_a_literal", "fail_key_in_a_literal_set",
                                     "fail_environment_set_to_a_literal"])
def test_no_format_repeats_a_key_written_in_the_authorizers_code(run_cli, tmp_path, fixture):
    """GA209 finds the key the code compares with in the code, or in the environment Terraform gives it: every
    format names the finding and masks the key, in messages and in the code's lines it shows."""
    keys = ("sk-live-not-a-real-key", "sk-test-not-a-real-key")
    case = Path(__file__).resolve().parents[1] / "rules" / "GA209" / fixture
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", str(case), *formats, "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 1, done.stderr
    for report in sorted((tmp_path / "out").iterdir()):
        text = report.read_text()
        assert "GA209" in text, report.name
        assert not [key for key in keys if key in text], f"{report.name} repeats the key"


@dataclass(frozen=True)
class Shape:
    name: str
    secrets: tuple[str, ...]  # the value and every spelling of it in the source
    finding: tuple[str, str]  # (rule id, resource address) that reports it, failed or unknown
    masked: str  # a line of the HTML report's source lines showing the mask where the secret was


PEM_LINES = ("MIIEpAIBAAKCAQEAheredocPemLineOne", "heredocPemLineTwoAbC123xyz")
INDENTED_LINES = ("indentedHeredocLineOne42", "indentedHeredocLineTwo42")
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXNrLXRlc3QifQ.c2lnbmF0dXJlLXRlc3QtdmFsdWU"

SHAPES = (
    Shape("1 a literal under a secret-like name, and the same value in a comment",
          ("plain-env-secret-A1b2C3",), ("GA202", "aws_lambda_function.plain"), 'SECRET_KEY = "****"'),
    Shape("2 provider access_key", ("AKIAQWERTYUIOPASDFGH",), ("GA205", "provider.aws"), 'access_key = "****"'),
    Shape("3 provider secret_key, the second credential of one provider",
          ("Prov1derSecretKey/Zx9Qw8Er7Ty6Ui5Op4As3Df",), ("GA205", "provider.aws"), 'secret_key = "****"'),
    Shape("4 a heredoc (a PEM private key over several lines)", PEM_LINES,
          ("GA201", "aws_secretsmanager_secret_version.pem"), "secret_string = <<EOT"),
    Shape("5 an indented heredoc <<-", INDENTED_LINES, ("GA202", "aws_lambda_function.indented"),
          "PRIVATE_KEY = <<-EOT"),
    Shape("6 a \\u escape in a string", ("passw0rd-unicode-esc", r"p\u0061ssw0rd-unicode-esc"),
          ("GA202", "aws_lambda_function.unicode_escape"), 'DB_PASSWORD = "****"'),
    Shape("7 an escaped quote in a string", ('quote"d-secret-value', r'quote\"d-secret-value'),
          ("GA202", "aws_lambda_function.escaped_quote"), 'API_TOKEN = "****"'),
    Shape("8 the literal part of a template", ("templatePartSecret9876",),
          ("GA202", "aws_lambda_function.template"), 'AUTH_TOKEN = "****"'),
    Shape("9 through a local", ("local-flow-secret-Q7w",), ("GA202", "aws_lambda_function.via_local"),
          'db_pass = "****"'),
    Shape("10 a module argument", ("module-arg-secret-Z9x8",), ("GA202", "module.fn.aws_lambda_function.fn"),
          'api_token = "****"'),
    Shape("11 terraform.tfvars into the provider's token", ("tfvars-secret-value-M3n",),
          ("GA205", "provider.aws"), 'deploy_token = "****"'),
    Shape("12 a variable default", ("default-secret-P4ss",), ("GA203", "var.db_root_password"),
          'default   = "****"'),
    Shape("13 a short value", ("Qz7!",), ("GA202", "aws_lambda_function.short"), 'PWD = "****"'),
    Shape("14 a for expression over a local", ("for-expr-secret-K2j",), ("GA202", "aws_lambda_function.for_expr"),
          'API_TOKEN = "****"'),
    Shape("15 a function's argument, and what the function makes of it",
          ("FUNCTION-ARG-SECRET-UPPER", "function-arg-secret-upper"), ("GA202", "aws_lambda_function.function"),
          'SECRET_KEY = lower("****")'),
    Shape("16 a literal branch of an undecided conditional", ("branch-dev-secret-R5t",),
          ("GA202", "aws_lambda_function.branch"), ': "****"'),
    Shape("17 a literal coalesce() fallback", ("fallback-secret-W2e",), ("GA202", "aws_lambda_function.fallback"),
          'coalesce(var.db_password, "****")'),
    Shape("18 jsonencode() of a literal", ("jsonencode-secret-V6b",),
          ("GA201", "aws_secretsmanager_secret_version.json"), 'password = "****"'),
    Shape("19 an API key value", ("apikey-literal-secret-N8m",), ("GA204", "aws_api_gateway_api_key.partner"),
          'value = "****"'),
    Shape("20 a .tf.json string with a \\u escape", ("jsonEscaped-secret-L1k", r"json\u0045scaped-secret-L1k"),
          ("GA202", "aws_lambda_function.from_json"), '"DB_PASSWORD": "****"'),
    Shape("21 a JSON web token under an innocent name", (JWT,), ("GA202", "aws_lambda_function.jwt"),
          'SESSION_HINT = "****"'),
    Shape("22 HTML's own characters", ("html<tag>&amp-secret'Q",), ("GA202", "aws_lambda_function.html_chars"),
          'WEBHOOK_SECRET = "****"'),
    Shape("23 non-ASCII characters", ("pässwörd-ünïcode-Zz9",), ("GA202", "aws_lambda_function.non_ascii"),
          'SIGNING_SECRET = "****"'),
    Shape("24 a for_each key, so part of a resource address", ("foreach-key-secret-H4g",),
          ("GA202", 'aws_lambda_function.tenant["****"]'), 'for_each      = toset(["****"])'),
    Shape("25 \\n escapes: a multi-line value on one line", ("escapedNewlineKeyBody123",),
          ("GA202", "aws_lambda_function.escaped_newlines"), 'PRIVATE_KEY = "****"'),
    Shape("26 assume_role_with_web_identity's token", ("webIdentityTokenSecret77",),
          ("GA205", "provider.aws.ci"), 'web_identity_token = "****"'),
    Shape("27 a dynamic block's iterator", ("dynamic-block-secret-T6y",), ("GA202", "aws_lambda_function.dynamic"),
          'API_SECRET = "****"'),
    Shape("28 a resource argument it refers to", ("ssm-literal-secret-B3v",),
          ("GA202", "aws_lambda_function.via_resource"), 'value = "****"'),
    Shape("29 a literal an error message repeats (lookup()'s missing key)", ("lookup-key-secret-J8u",),
          ("GA202", "aws_lambda_function.lookup"), 'lookup(local.tokens, "****")'),
    Shape("30 an argument the provider marks sensitive", ("db-instance-secret-C4x",),
          ("GA206", "aws_db_instance.shapes"), 'password = "****"'),
    Shape("31 a sensitive argument in a nested block", ("mq-user-secret-D5y",), ("GA206", "aws_mq_broker.shapes"),
          'password = "****"'),
    Shape("32 an SSM SecureString value", ("ssm-literal-secret-B3v",), ("GA207", "aws_ssm_parameter.db"),
          'value = "****"'),
    Shape("33 a static header an integration sends", ("integrationHeaderSecret5Tq",),
          ("GA208", "aws_apigatewayv2_integration.shapes"), '"append:header.x-api-key" = "****"'),
)


def _lambda(name: str, body: str, before: str = "", locals: str = "") -> str:
    """A function with `body` as its environment; `locals` right above it, where its source lines show."""
    above = f"locals {{\n  {locals}\n}}" if locals else ""
    return f'''
{above}
resource "aws_lambda_function" "{name}" {{
  function_name = "{name.replace("_", "-")}"
  role          = "arn:aws:iam::123456789012:role/shapes"
{before}  environment {{
    variables = {body}
  }}
}}
'''


MAIN_TF = '''
variable "is_prod" {
  type = bool
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "token_prefix" {
  type = string
}

variable "deploy_token" {
  type      = string
  sensitive = true
}

variable "db_root_password" {
  type      = string
  default   = "default-secret-P4ss"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAQWERTYUIOPASDFGH"
  secret_key = "Prov1derSecretKey/Zx9Qw8Er7Ty6Ui5Op4As3Df"
  token      = var.deploy_token
}

provider "aws" {
  alias  = "ci"
  region = "eu-west-1"
  assume_role_with_web_identity {
    role_arn           = "arn:aws:iam::123456789012:role/ci"
    web_identity_token = "webIdentityTokenSecret77"
  }
}

resource "aws_secretsmanager_secret_version" "pem" {
  secret_id     = "shapes-pem"
  secret_string = <<EOT
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAheredocPemLineOne
heredocPemLineTwoAbC123xyz
-----END RSA PRIVATE KEY-----
EOT
}

resource "aws_secretsmanager_secret_version" "json" {
  secret_id     = "shapes-json"
  secret_string = jsonencode({ password = "jsonencode-secret-V6b" })
}

resource "aws_api_gateway_api_key" "partner" {
  name  = "partner"
  value = "apikey-literal-secret-N8m"
}

module "fn" {
  source    = "./modules/fn"
  api_token = "module-arg-secret-Z9x8"
}

resource "aws_ssm_parameter" "db" {
  name  = "/shapes/db"
  type  = "SecureString"
  value = "ssm-literal-secret-B3v"
}

resource "aws_db_instance" "shapes" {
  instance_class = "db.t4g.micro"
  password = "db-instance-secret-C4x"
}

resource "aws_mq_broker" "shapes" {
  broker_name = "shapes"
  user {
    username = "shapes"
    password = "mq-user-secret-D5y"
  }
}

resource "aws_apigatewayv2_integration" "shapes" {
  api_id           = "abc123"
  integration_type = "HTTP_PROXY"
  request_parameters = {
    "append:header.x-api-key" = "integrationHeaderSecret5Tq"
  }
}
'''

# One file each: a secret must be masked in a file that holds nothing else of SHAPES.
FUNCTIONS = {
    "plain": _lambda("plain", '''{
      # was plain-env-secret-A1b2C3 until the move to Secrets Manager
      SECRET_KEY = "plain-env-secret-A1b2C3"
    }'''),
    "indented": _lambda("indented", '''{
      PRIVATE_KEY = <<-EOT
        indentedHeredocLineOne42
        indentedHeredocLineTwo42
        EOT
    }'''),
    "unicode_escape": _lambda("unicode_escape", r'''{ DB_PASSWORD = "p\u0061ssw0rd-unicode-esc" }'''),
    "escaped_quote": _lambda("escaped_quote", r'''{ API_TOKEN = "quote\"d-secret-value" }'''),
    "template": _lambda("template", '''{ AUTH_TOKEN = "Bearer ${var.token_prefix}templatePartSecret9876" }'''),
    "via_local": _lambda("via_local", "{ DB_PASSWORD = local.db_pass }", locals='db_pass = "local-flow-secret-Q7w"'),
    "short": _lambda("short", '''{ PWD = "Qz7!" }'''),
    "for_expr": _lambda("for_expr", "{ for name, value in local.creds : name => value }",
                        locals='creds = { API_TOKEN = "for-expr-secret-K2j" }'),
    "function": _lambda("function", '''{ SECRET_KEY = lower("FUNCTION-ARG-SECRET-UPPER") }'''),
    "branch": _lambda("branch", '''{ DB_PASSWORD = var.is_prod ? var.db_password : "branch-dev-secret-R5t" }'''),
    "fallback": _lambda("fallback", '''{ DB_PASSWORD = coalesce(var.db_password, "fallback-secret-W2e") }'''),
    "jwt": _lambda("jwt", f'{{ SESSION_HINT = "{JWT}" }}'),
    "html_chars": _lambda("html_chars", '''{ WEBHOOK_SECRET = "html<tag>&amp-secret'Q" }'''),
    "non_ascii": _lambda("non_ascii", '''{ SIGNING_SECRET = "pässwörd-ünïcode-Zz9" }'''),
    "tenant": _lambda("tenant", "{ TENANT_TOKEN = each.value }",
                      '  for_each      = toset(["foreach-key-secret-H4g"])\n'),
    "escaped_newlines": _lambda("escaped_newlines", r'''{
      PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nescapedNewlineKeyBody123\n-----END PRIVATE KEY-----"
    }'''),
    "dynamic": '''
locals {
  dyn_env = { API_SECRET = "dynamic-block-secret-T6y" }
}
resource "aws_lambda_function" "dynamic" {
  function_name = "dynamic"
  role          = "arn:aws:iam::123456789012:role/shapes"
  dynamic "environment" {
    for_each = [local.dyn_env]
    content {
      variables = environment.value
    }
  }
}
''',
    "via_resource": _lambda("via_resource", "{ DB_PASSWORD = aws_ssm_parameter.db.value }"),
    "lookup": _lambda("lookup", '''{ API_TOKEN = lookup(local.tokens, "lookup-key-secret-J8u") }''',
                      locals='tokens = { primary = "not-this-one" }'),
}

MODULE_TF = '''
variable "api_token" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/shapes"
  environment {
    variables = { API_TOKEN = var.api_token }
  }
}
'''

# "jsonEscaped-secret-L1k" written with a JSON \u escape
JSON_TF = r'''{
  "resource": {
    "aws_lambda_function": {
      "from_json": {
        "function_name": "from-json",
        "role": "arn:aws:iam::123456789012:role/shapes",
        "environment": {
          "variables": {
            "DB_PASSWORD": "json\u0045scaped-secret-L1k"
          }
        }
      }
    }
  }
}
'''


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """Every format's report of one scan of SHAPES (text with -v), by format name."""
    import subprocess
    import sys

    tree = tmp_path_factory.mktemp("shapes")
    (tree / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    for name, text in FUNCTIONS.items():
        (tree / f"function_{name}.tf").write_text(text, encoding="utf-8")
    (tree / "json.tf.json").write_text(JSON_TF, encoding="utf-8")
    (tree / "terraform.tfvars").write_text('deploy_token = "tfvars-secret-value-M3n"\n', encoding="utf-8")
    (tree / "modules" / "fn").mkdir(parents=True)
    (tree / "modules" / "fn" / "main.tf").write_text(MODULE_TF, encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", str(tree), "-v", *formats, "--output-dir",
                           str(out)], capture_output=True, text=True, timeout=120, encoding="utf-8")
    assert done.returncode == 1, done.stdout + done.stderr
    written = {name: (out / file_name(name)).read_text(encoding="utf-8") for name in FORMATS}
    written["stderr"] = done.stdout + done.stderr
    return written


def _spellings(secret: str) -> set[str]:
    """The secret, each of its lines, and each as the report formats escape text."""
    pieces = {secret, *(line.strip() for line in secret.splitlines() if len(line.strip()) >= 6)}
    forms = set()
    for piece in pieces:
        forms |= {piece, html.escape(piece), html.escape(piece, quote=False), str(markup_escape(piece)),
                  json.dumps(piece)[1:-1], json.dumps(piece, ensure_ascii=False)[1:-1],
                  piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
                  .replace("'", "&apos;")}
    return forms


def _decoded(name: str, text: str) -> str:
    """The report's text as a reader sees it: entities, JSON and XML escapes and Markdown escapes undone."""
    if name in ("json", "sarif"):
        strings: list[str] = []

        def collect(value: object) -> None:
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, dict):
                for key, item in value.items():
                    strings.append(key)
                    collect(item)
            elif isinstance(value, list):
                for item in value:
                    collect(item)

        collect(json.loads(text))
        return "\n".join(strings)
    if name == "junit":
        root = ET.fromstring(text)
        return "\n".join(part for element in root.iter()
                         for part in (element.text or "", element.tail or "", *element.attrib.values()))
    if name == "markdown":
        text = re.sub(r"\\(.)", r"\1", text.replace("\u2060", "")).replace("<br>", "\n")
    return html.unescape(text)


@pytest.mark.parametrize("name", [*FORMATS, "stderr"])
def test_no_format_shows_any_shape_of_secret(reports, name):
    text = reports[name]
    decoded = _decoded(name, text)
    leaks = [f"{shape.name}: {form!r}" for shape in SHAPES for secret in shape.secrets
             for form in sorted(_spellings(secret)) if form in text or form in decoded]
    assert leaks == [], f"the {name} report shows secrets:\n" + "\n".join(leaks)


def test_every_shape_is_found_and_its_lines_shown_masked(reports):
    """The test above proves something only if each secret is reported, and shown masked, not left out."""
    document = json.loads(reports["json"])
    found = {(r["rule_id"], r["resource"]) for r in document["results"] if r["status"] in ("failed", "unknown")}
    page = html.unescape(reports["html"])
    missing = [shape.name for shape in SHAPES if shape.finding not in found]
    unmasked = [f"{shape.name}: {shape.masked!r}" for shape in SHAPES if shape.masked not in page]
    assert missing == [], f"not reported: {missing}"
    assert unmasked == [], "source lines not shown masked:\n" + "\n".join(unmasked)


def test_a_heredoc_keeps_its_lines_and_masks_each(reports):
    lines = re.findall(r'<td class="ln">(\d+)</td><td class="src">([^<]*)</td>', reports["html"])
    shown = {int(number): html.unescape(text) for number, text in lines}
    start = next(number for number, text in shown.items() if "secret_string = <<EOT" in text)
    assert [shown[start + i] for i in range(1, 6)] == ["****", "****", "****", "****", "EOT"]


def test_the_shapes_file_is_what_the_test_says():
    """SHAPES lists more than 15 shapes, and every secret it lists is written in the scanned files."""
    written = "".join([MAIN_TF, *FUNCTIONS.values(), JSON_TF, MODULE_TF, 'deploy_token = "tfvars-secret-value-M3n"'])
    assert len(SHAPES) >= 15
    for shape in SHAPES:
        assert any(secret in written for secret in shape.secrets), shape.name


def test_a_baseline_names_a_secret_keyed_resource_masked_and_matches_it_again(run_cli, tmp_path):
    """The address of a resource whose for_each key is a secret is masked before baselines are matched, so the
    baseline file holds no secret and still accepts the finding it recorded."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(_lambda("tenant", "{ TENANT_TOKEN = each.value }",
                                          '  for_each      = toset(["foreach-key-secret-H4g"])\n'))
    baseline = tmp_path / "baseline.json"
    done = run_cli("baseline", str(tree), "--output", str(baseline))
    assert done.returncode == 0, done.stderr
    assert "foreach-key-secret-H4g" not in baseline.read_text()
    assert 'aws_lambda_function.tenant[\\"****\\"]' in baseline.read_text()
    done = run_cli("scan", str(tree), "--baseline", str(baseline), "-v")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no longer occurs" not in done.stdout
    assert 'suppressed GA202 aws_lambda_function.tenant["****"]' in done.stdout


CHECKOV = Path(__file__).resolve().parents[2] / ".venv-checkov" / "bin" / "checkov"


def test_a_secret_only_checkov_finds_is_masked_with_every_string_of_its_block(run_cli, tmp_path):
    """CKV_AWS_46 reports EC2 user data holding AWS keys; gateaudit does not trace that secret, so the block's
    strings are masked in the source lines every other finding on that block shows."""
    if not (any(CHECKOV.parent.parent.glob(".installed-*")) and CHECKOV.is_file()):
        pytest.skip(f"{CHECKOV} is not built (`make checkov`)")
    (tmp_path / "main.tf").write_text('''resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  user_data     = <<EOT
#!/bin/bash
export AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPZXCVBN
export AWS_SECRET_ACCESS_KEY=Ec2UserDataSecretKey/Zx9Qw8Er7Ty6Ui5Op4As3
EOT
}
''')
    out = tmp_path / "reports"
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", str(tmp_path / "main.tf"), "--checkov", str(CHECKOV), "-v", *formats,
                   "--output-dir", str(out))
    assert done.returncode == 1, done.stdout + done.stderr
    page = (out / file_name("html")).read_text(encoding="utf-8")
    assert "CKV_AWS_46" in page
    assert "user_data     = &lt;&lt;EOT" in page and 'resource &#34;aws_instance&#34; &#34;web&#34; {' in page
    for name in FORMATS:
        text = (out / file_name(name)).read_text(encoding="utf-8")
        for secret in ("AKIAQWERTYUIOPZXCVBN", "Ec2UserDataSecretKey/Zx9Qw8Er7Ty6Ui5Op4As3"):
            assert secret not in text and secret not in _decoded(name, text), f"{name} shows {secret}"


def _hcl_string(text: str, escaped: list[bool]) -> str:
    """`text` as an HCL quoted string, some characters written as \\u escapes."""
    out = []
    for index, char in enumerate(text):
        if escaped[index % len(escaped)] or ord(char) < 0x20 or char in "\x7f\u2028\u2029":
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        elif char in '"\\':
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out).replace("${", "$${").replace("%{", "%%{")


@given(middle=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
       escaped=st.lists(st.booleans(), min_size=1, max_size=8), heredoc=st.booleans())
@settings(max_examples=60, deadline=timedelta(seconds=20), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_any_secret_text_however_written_is_masked_in_every_format(middle: str, escaped: list[bool],
                                                                   heredoc: bool) -> None:
    """Any text as a GA202 secret, written as a quoted string with some characters \\u-escaped or as a heredoc:
    no format shows it, line by line or escaped, once GA202 reports it."""
    secret = f"Zq9{middle}Kx7"
    if heredoc:
        assume("\n" not in secret and "\r" not in secret and "${" not in secret and "%{" not in secret
               and secret.isprintable())
        value = f"<<EOT\n{secret}\nEOT\n"
        secret += "\n"
    else:
        value = '"' + _hcl_string(secret, escaped) + '"'
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text(_lambda("fuzzed", f"{{\n      SECRET_KEY = {value}\n    }}"),
                                             encoding="utf-8")
        report = scan(ScanOptions(paths=[Path(folder)], display_paths=["fuzzed"], use_config=False, use_cache=False))
    assume(any(r.rule_id == "GA202" and r.status.value == "failed" for r in report.results))
    assert not report.errors, report.errors
    for name in FORMATS:
        module = renderer(name)
        text = module.render(report, verbose=True) if name == "text" else module.render(report)
        decoded = _decoded(name, text)
        leaks = [form for form in _spellings(secret.strip("\n")) if form in text or form in decoded]
        assert leaks == [], f"{name} shows {leaks}"


def test_credentials_in_a_module_source_url_show_in_no_format(run_cli, tmp_path):
    """A remote module's source names credentials in its URL: the modules not scanned, and the source lines
    around a finding next to it, show the URL without them."""
    (tmp_path / "main.tf").write_text('''module "api" {
  source = "git::https://deploy:ModuleSourcePassw0rd@gitlab.example.com/platform/api.git?ref=v1.2.0"
}
module "auth" {
  source = "git::https://ghp_R2d4C6b8A0z1Y3x5W7v9U1t3S5r7Q9p1O3n5@github.com/example/auth.git"
}
resource "aws_api_gateway_method" "open" {
  rest_api_id   = "abc"
  resource_id   = "def"
  http_method   = "GET"
  authorization = "NONE"
}
''')
    out = tmp_path / "reports"
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", str(tmp_path / "main.tf"), "-v", *formats, "--output-dir", str(out))
    assert done.returncode in (1, 2), done.stdout + done.stderr
    page = html.unescape((out / file_name("html")).read_text(encoding="utf-8"))
    assert 'source = "git::https://****@github.com/example/auth.git"' in page
    assert "git::https://****@gitlab.example.com/platform/api.git?ref=v1.2.0" in page
    for name in FORMATS:
        text = (out / file_name(name)).read_text(encoding="utf-8")
        for secret in ("ModuleSourcePassw0rd", "ghp_R2d4C6b8A0z1Y3x5W7v9U1t3S5r7Q9p1O3n5"):
            assert secret not in text and secret not in _decoded(name, text), f"{name} shows {secret}"
