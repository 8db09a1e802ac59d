"""A control that judged nothing says why, and what it says is true of the scanned stack."""

import json
from pathlib import Path

LAMBDA_ROLE_WITHOUT_POLICY = '''
resource "aws_iam_role" "fn" {
  name                 = "items-backend"
  permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })

  # An empty inline_policy block removes inline policies; no rule has anything to judge in it.
  inline_policy {}
}
'''


def test_a_lambda_role_without_policies_is_not_reported_as_no_lambda_role(run_cli, tmp_path: Path):
    (tmp_path / "main.tf").write_text(LAMBDA_ROLE_WITHOUT_POLICY)
    done = run_cli("scan", str(tmp_path))
    assert "no Lambda roles found" not in done.stdout
    assert ("NOT APPLICABLE: no Lambda permissions and no policies of Lambda roles (inline, attached or "
            "managed) found; nothing was judged") in done.stdout
    report = json.loads(run_cli("scan", str(tmp_path), "--format", "json").stdout)
    [scoped] = [c for c in report["controls"] if c["id"] == "scoped-permission"]
    assert "Lambda roles found" not in scoped["nothing_in_scope"]
