"""A folder of many root modules is judged one root at a time (issue 19): its memory is that of one root, and
its report is the one judging every root at once gives, whether the roots relate to each other or not."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from gateaudit import cli, engine, relations
from gateaudit.model import Module

SHARED = """variable "name" {
  type = string
}

variable "retention" {
  type = number
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "function.zip"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${aws_lambda_function.this.function_name}"
  retention_in_days = var.retention
}
"""

ROOT = """module "logs" {{
  source    = "../../modules/logs"
  name      = "{name}"
  retention = {retention}
}}
"""

# A function whose log group another root declares: GA405 matches log groups by name, in the whole stack.
NAMED_ELSEWHERE = """resource "aws_lambda_function" "orphan" {
  function_name = "svc-a"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "function.zip"
}
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def _monorepo(folder, roots: dict[str, int]) -> None:
    (folder / "modules" / "logs").mkdir(parents=True)
    (folder / "modules" / "logs" / "main.tf").write_text(SHARED)
    for name, retention in roots.items():
        (folder / "teams" / name).mkdir(parents=True)
        (folder / "teams" / name / "main.tf").write_text(ROOT.format(name=name, retention=retention))


def _scan(folder, out) -> dict:
    cli.main(["scan", str(folder), "--format", "json", "--output", str(out), "--no-cache"])
    report = json.loads(out.read_text())
    report.pop("generated_at")
    return report


@pytest.fixture
def related(monkeypatch) -> list[str | None]:
    """How the roots of each scan related (None: judged apart)."""
    found: list[str | None] = []
    real = engine._EachRoot.outcome

    def recording(self, loader):
        outcome = real(self, loader)
        found.append(self.related)
        return outcome

    monkeypatch.setattr(engine._EachRoot, "outcome", recording)
    return found


def _judged_whole(monkeypatch) -> None:
    monkeypatch.setattr(relations.Relations, "why", lambda self, results: "judged whole for the test")


def test_roots_judged_apart_report_what_judging_them_together_reports(tmp_path, cache, related, monkeypatch):
    """Three roots calling one shared module: judged apart (and so reported), the report is the whole stack's,
    byte for byte; the shared log group failing in two roots is one result, fingerprinted as before."""
    folder = tmp_path / "repo"
    _monorepo(folder, {"a": 14, "b": 0, "c": 0})
    apart = _scan(folder, tmp_path / "apart.json")
    assert related == [None]
    _judged_whole(monkeypatch)
    assert _scan(folder, tmp_path / "whole.json") == apart
    groups = [(r["file"], r["status"]) for r in apart["results"]
              if r["rule_id"] == "GA405" and r["resource"] == "module.logs.aws_cloudwatch_log_group.this"]
    assert sorted(groups) == [("modules/logs/main.tf", "failed"), ("modules/logs/main.tf", "passed")]


def test_roots_that_relate_by_name_are_judged_together(tmp_path, cache, related, monkeypatch):
    """A function in one root whose log group is declared in another (GA405 matches by name, in the whole
    stack): judged apart, it would have no log group; the roots are judged together instead, as before."""
    folder = tmp_path / "repo"
    _monorepo(folder, {"svc-a": 14})
    (folder / "teams" / "orphan").mkdir()
    (folder / "teams" / "orphan" / "main.tf").write_text(NAMED_ELSEWHERE)
    together = _scan(folder, tmp_path / "together.json")
    assert related and "GA405" in related[0]
    orphan = [r for r in together["results"] if r["rule_id"] == "GA405" and r["resource"].endswith(".orphan")]
    assert orphan == []  # its log group is the other root's, as before; judged apart, it would fail
    _judged_whole(monkeypatch)
    assert _scan(folder, tmp_path / "whole.json") == together


def test_one_root_is_held_at_a_time(tmp_path, cache, monkeypatch):
    """Memory stays that of one root: while a root is judged, the modules of the roots judged before it are
    gone, however many there are."""
    folder = tmp_path / "repo"
    _monorepo(folder, {f"svc-{n:02}": 7 for n in range(30)})
    alive: list[int] = []
    real = engine._EachRoot.__call__

    def counting(self, stack):
        real(self, stack)
        alive.append(sum(isinstance(o, Module) for o in gc.get_objects()))

    monkeypatch.setattr(engine._EachRoot, "__call__", counting)
    report = _scan(folder, tmp_path / "report.json")
    assert len(alive) == 30 and max(alive) <= 2  # the root being judged and the module it calls
    # the shared log group, judged in each of the 30 roots alike, is one result
    assert [r["status"] for r in report["results"] if r["rule_id"] == "GA405"] == ["passed"]


def test_a_plan_and_several_paths_are_judged_whole(tmp_path, cache, related):
    """Judging apart is for one scanned folder: two folders scanned together are loaded and judged at once."""
    first, second = tmp_path / "one", tmp_path / "two"
    _monorepo(first, {"a": 14})
    _monorepo(second, {"b": 0})
    cli.main(["scan", str(first), str(second), "--format", "json", "--output", str(tmp_path / "r.json"),
              "--no-cache"])
    assert related == []


RULE_FIXTURES = sorted(p for p in (Path(__file__).resolve().parents[1] / "rules").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", RULE_FIXTURES, ids=lambda p: p.name)
def test_rule_fixtures_judged_apart_are_judged_as_together(folder, tmp_path, cache, related, monkeypatch):
    """Each rule's fixture folder (many roots): where no relation
    is found and its roots are judged apart, the report is the one the whole stack gives. A new rule that relates
    roots by value, unknown to gateaudit.relations, fails here."""
    apart = _scan(folder, tmp_path / "apart.json")
    if related != [None]:
        return  # judged whole already (a relation was found), or one root / nothing judged apart
    _judged_whole(monkeypatch)
    assert _scan(folder, tmp_path / "whole.json") == apart


def test_a_rule_that_raises_on_one_root_is_reported_as_judging_the_whole_stack_reports_it(tmp_path):
    """A rule that raises judging one root's block: the stack is judged whole, so the error names the block as
    it always has, and the results of the rule on the roots before it are the whole stack's."""
    from gateaudit.result import RuleFailure, Severity
    from gateaudit.rules import LoadedRule, Rule

    rule = Rule(id="TEAM010", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")

    def check(stack):
        for call in stack.blocks(kind="module"):
            if call.location.file == "teams/b/main.tf":
                raise ValueError("boom")
            yield rule.passed(call, "judged")

    folder = tmp_path / "repo"
    _monorepo(folder, {"a": 14, "b": 14, "c": 14})
    options = engine.ScanOptions(paths=[folder], display_paths=[str(folder)], use_cache=False, root=tmp_path)
    judged = engine.judge(options, [LoadedRule(rule, check, __name__)])
    failures = [e for e in judged.errors if isinstance(e, RuleFailure)]
    assert [(f.file, f.resource) for f in failures] == [("teams/b/main.tf", "module.logs")]
    # root a, judged before the rule raised on b; judged apart, root c would have been judged too
    assert [r.file for r in judged.results] == ["teams/a/main.tf"]


NOT_DOWNLOADED = 'module "api" {\n  source = "git::https://example.com/acme/api.git?ref=v1"\n}\n'


@pytest.mark.parametrize("whole", [False, True])
def test_each_roots_unread_module_is_unknown_at_its_own_call(tmp_path, cache, monkeypatch, whole):
    """Two roots each call a module `api` that was never downloaded: each call is unknown at its own file, and a
    suppression written at one of them accepts that one only. (The coverage rules matched a gap to the last call
    of its address in the stack: both gaps were reported, as one result, at the second root's call, and its
    suppression hid the first root's.)"""
    folder = tmp_path / "repo"
    for name in ("a", "b"):
        (folder / "teams" / name).mkdir(parents=True)
        text = NOT_DOWNLOADED
        if name == "b":
            text = "# gateaudit:ignore GA100 reason=\"vendored elsewhere, reviewed\"\n" + text
        (folder / "teams" / name / "main.tf").write_text(text)
    if whole:
        _judged_whole(monkeypatch)
    report = _scan(folder, tmp_path / "report.json")
    gaps = sorted((r["file"], r["line"], r["status"]) for r in report["results"] if r["rule_id"] == "GA100")
    assert gaps == [("teams/a/main.tf", 1, "unknown"), ("teams/b/main.tf", 2, "suppressed")]
