"""A baseline accepts a finding, not a resource (issue 13): an entry carries a fingerprint of what was found,
so a new or changed finding on a baselined resource fails, while moved lines still match."""

from __future__ import annotations

import json
from pathlib import Path

LAMBDA = '''resource "aws_lambda_function" "payments" {
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/payments"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "payments.zip"

  environment {
    variables = {
      DB_PASSWORD = "Tr0ub4dor-and-3"%s
    }
  }
}
'''
ROLE = '''resource "aws_iam_role" "payments" {
  name = "payments"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })

  inline_policy {
    name = "data"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = %s, Resource = "*" }]
    })
  }
}
'''


def setup(run_cli, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "lambda.tf").write_text(LAMBDA % "")
    (folder / "role.tf").write_text(ROLE % '"secretsmanager:*"')
    baseline = tmp_path / "baseline.json"
    done = run_cli("baseline", str(folder), "--output", str(baseline))
    assert done.returncode == 0, done.stderr
    return folder, baseline


def scan(run_cli, folder: Path, baseline: Path) -> tuple[int, dict]:
    done = run_cli("scan", str(folder), "--baseline", str(baseline), "--format", "json")
    return done.returncode, json.loads(done.stdout)


def statuses(report: dict) -> dict[str, str]:
    return {r["rule_id"]: r["status"] for r in report["results"] if r["rule_id"] in ("GA202", "GA302")}


def test_every_entry_carries_a_fingerprint_of_what_was_found(run_cli, tmp_path):
    _, baseline = setup(run_cli, tmp_path)
    document = json.loads(baseline.read_text())
    assert document["gateaudit_baseline"] == 2
    assert all(len(entry["fingerprint"]) == 64 for entry in document["entries"])
    assert "Tr0ub4dor" not in baseline.read_text()  # a fingerprint, never the value


def test_the_recorded_findings_are_accepted_even_when_lines_move(run_cli, tmp_path):
    folder, baseline = setup(run_cli, tmp_path)
    for name in ("lambda.tf", "role.tf"):
        (folder / name).write_text("\n\n# moved\n" + (folder / name).read_text())
    code, report = scan(run_cli, folder, baseline)
    assert code == 0 and statuses(report) == {"GA202": "suppressed", "GA302": "suppressed"}
    assert report["stale_baseline"] == []


def test_a_second_secret_on_a_baselined_function_fails(run_cli, tmp_path):
    folder, baseline = setup(run_cli, tmp_path)
    (folder / "lambda.tf").write_text(LAMBDA % '\n      STRIPE_SECRET_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcXNn3"')
    code, report = scan(run_cli, folder, baseline)
    assert code == 1 and statuses(report) == {"GA202": "failed", "GA302": "suppressed"}
    assert [e["rule_id"] for e in report["stale_baseline"]] == ["GA202"]  # what was accepted no longer occurs


def test_a_changed_secret_value_on_a_baselined_function_fails(run_cli, tmp_path):
    folder, baseline = setup(run_cli, tmp_path)
    (folder / "lambda.tf").write_text((LAMBDA % "").replace("Tr0ub4dor-and-3", "Correct-horse-battery-9"))
    code, report = scan(run_cli, folder, baseline)
    assert code == 1 and statuses(report)["GA202"] == "failed"


def test_a_wider_action_on_a_baselined_role_fails(run_cli, tmp_path):
    folder, baseline = setup(run_cli, tmp_path)
    # The rule's message still names only "secretsmanager:*": the policy itself is what changed.
    (folder / "role.tf").write_text(ROLE % '["secretsmanager:*", "iam:PassRole"]')
    code, report = scan(run_cli, folder, baseline)
    assert code == 1 and statuses(report) == {"GA202": "suppressed", "GA302": "failed"}


def test_a_baseline_without_fingerprints_is_refused_with_how_to_fix(run_cli, tmp_path):
    folder, baseline = setup(run_cli, tmp_path)
    old = {"gateaudit_baseline": 1, "entries": [
        {"rule_id": "GA202", "resource": "aws_lambda_function.payments", "attribute": "environment.variables",
         "folder": "", "file": "lambda.tf", "line": 1}]}
    baseline.write_text(json.dumps(old))
    done = run_cli("scan", str(folder), "--baseline", str(baseline))
    assert done.returncode == 2
    assert "version 1" in done.stderr and "gateaudit baseline" in done.stderr
