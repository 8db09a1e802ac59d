"""The Terraform stack with suppressions that the report tests scan, built on disk as a user would build it.

It exists because the HTML, JUnit, Markdown and SARIF tests each had their own copy of this builder. Only the
suppression reasons really differ between them, since each format escapes different things. So the reasons are
parameters, and each test file keeps its own hostile strings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INLINE_LINE = 5  # the line of the `# gateaudit:ignore` comment in every main.tf written here

UNKNOWN_VARIABLE_TF = '''
variable "authorization" {
  type = string
}
'''


def _hcl(text: str) -> str:
    """`text` escaped for an HCL quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def method_tf(name: str, verb: str, authorization: str = '"NONE"') -> str:
    """An `aws_api_gateway_method` on the API's root; `authorization` is an HCL expression."""
    return f'''
resource "aws_api_gateway_method" "{name}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "{verb}"
  authorization = {authorization}
}}
'''


def inline_tf(inline_reason: str) -> str:
    """The API and its method `health`, suppressed by an inline comment at INLINE_LINE with this reason."""
    return f'''resource "aws_api_gateway_rest_api" "api" {{
  name = "fitness"
}}

# gateaudit:ignore GA101 reason="{_hcl(inline_reason)}" until=2099-01-01
resource "aws_api_gateway_method" "health" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}}
'''


def suppressed_stack(folder: Path, inline_reason: str, config_reason: str, *,
                     unknown: bool = False) -> tuple[Path, Path]:
    """One suppression of each kind in `folder` (created here), and the baseline file.

    `gateaudit baseline` records `legacy` and `gone`, then the stack changes. `gone` is removed, so its entry is
    stale. `status` is added and exempted in .gateaudit.toml with `config_reason`. `open` is added and fails.
    `health` is suppressed by its comment with `inline_reason`. With `unknown`, a method `maybe` is added too,
    whose authorization is a variable without a value, so its result is unknown.
    """
    folder.mkdir()
    head = inline_tf(inline_reason) + method_tf("legacy", "POST")
    (folder / "main.tf").write_text(head + method_tf("gone", "PATCH"))
    baseline = folder / "gateaudit-baseline.json"
    done = subprocess.run([sys.executable, "-m", "gateaudit", "baseline", str(folder), "--output", str(baseline)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    added = method_tf("status", "PUT") + method_tf("open", "DELETE")
    if unknown:
        added += UNKNOWN_VARIABLE_TF + method_tf("maybe", "HEAD", "var.authorization")
    (folder / "main.tf").write_text(head + added)
    (folder / ".gateaudit.toml").write_text(f'[[exemptions]]\nresources = "aws_api_gateway_method.status"\n'
                                            f'rules = ["GA101"]\nreason = {json.dumps(config_reason)}\n'
                                            "until = 2099-12-31\n")
    return folder, baseline
