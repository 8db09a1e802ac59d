"""The SARIF report: valid against the OASIS SARIF 2.1.0 schema, clean under GitHub's ingestion rules in
Microsoft's SARIF Multitool, and shaped so code scanning alerts are right: levels, locations, fingerprints.

`make test` installs the Multitool and the schema under build/ (`make sarif-tools`)."""

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import sarif
from gateaudit.result import Severity, Status

from ._stacks import suppressed_stack

ROOT = Path(__file__).resolve().parents[2]
OASIS_SCHEMA = ROOT / "build/sarif-schema/sarif-schema-2.1.0.json"
MULTITOOL = ROOT / "build/sarif-multitool"
MULTITOOL_SCHEMA = MULTITOOL / "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

SCANS = {
    "seed (fails)": ["stack/examples/seed"],
    "reference stack (passes)": ["stack/terraform"],
    "unknown result": ["tests/rules/GA101/unknown_authorization_from_var.tf"],
    "failure inside a module": ["tests/rules/GA101/fail_via_module"],
    "several paths": ["stack/examples/seed", "tests/rules/GA203/fail_tfvars_literal"],
    "scan errors": ["tests/rules"],
}
BROKEN_TF = 'resource "aws_api_gateway_rest_api" "api" {\n  name = "fitness"\n'

# The stack of _stacks.suppressed_stack has one suppression of each kind, built as a user would: an inline
# comment, a config exemption, and a baseline written by `gateaudit baseline` before the stack changed (so one of
# its entries no longer occurs); with unknown=True, also a method whose authorization is a variable without a
# value (unknown), for the --unknown modes.
INLINE_REASON = "public health check <script>alert(1)</script> {{x}} [x](http://evil.example.com) \u202e"
CONFIG_REASON = 'status page <img src=x onerror=alert(1)> " \\'
CLI_SCANS = [*SCANS, "parse error", "suppressions", "suppressions rejected, unknown passes", "skipped paths"]


def report_of(*paths: str | Path, fail_on: Severity = Severity.LOW):
    absolute = [Path(p) if Path(p).is_absolute() else ROOT / p for p in paths]
    return scan(ScanOptions(absolute, [str(p) for p in paths], fail_on=fail_on))


def sarif_of(*paths: str | Path, fail_on: Severity = Severity.LOW) -> dict:
    return json.loads(sarif.render(report_of(*paths, fail_on=fail_on)))


@pytest.fixture(scope="module")
def sarif_files(tmp_path_factory) -> dict[str, Path]:
    """Real reports written by the CLI, one per scan."""
    out = tmp_path_factory.mktemp("sarif")
    broken = out / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text(BROKEN_TF)
    stack, baseline = suppressed_stack(out / "suppressed", INLINE_REASON, CONFIG_REASON, unknown=True)
    files = {}
    for name, paths in {**SCANS, "parse error": [str(broken)],
                        "suppressions": [str(stack), "--baseline", str(baseline), "--unknown", "warn"],
                        "suppressions rejected, unknown passes": [str(stack), "--baseline", str(baseline),
                                                                  "--fail-on-suppressions", "--unknown", "pass"],
                        "skipped paths": ["stack/terraform", "--skip-path", "http", "--skip-path", "backend-*"],
                        }.items():
        target = out / (re.sub(r"\W+", "-", name).strip("-") + ".sarif")
        done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", *paths, "--format", "sarif",
                               "--output", str(target)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 1, 2), done.stderr
        assert target.exists(), done.stderr
        files[name] = target
    return files


def _schema(path: Path) -> dict:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make sarif-tools` (make test does)")
    return json.loads(path.read_text())


def _validator(schema: dict):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_schema_is_the_oasis_one():
    schema = _schema(OASIS_SCHEMA)
    assert schema["id"] == OASIS_ID
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


@pytest.mark.parametrize("name", CLI_SCANS)
def test_reports_validate_against_the_oasis_sarif_schema(sarif_files, name):
    document = json.loads(sarif_files[name].read_text())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in _validator(_schema(OASIS_SCHEMA)).iter_errors(document)]
    assert errors == []
    assert document["$schema"] == OASIS_ID
    if MULTITOOL_SCHEMA.exists():  # the Multitool ships the SARIF TC's draft 2020-12 edition of the schema
        assert list(_validator(json.loads(MULTITOOL_SCHEMA.read_text())).iter_errors(document)) == []


def test_the_schema_rejects_a_report_that_drifts(sarif_files):
    document = json.loads(sarif_files["seed (fails)"].read_text())
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validator(_schema(OASIS_SCHEMA)).validate(document)


def _multitool(sarif_files: list[Path], output: Path) -> dict[str, list[str]]:
    """Run the Multitool with GitHub's ingestion rules: the errors and warnings it found, per file name."""
    if shutil.which("npm") is None or shutil.which("npx") is None:
        pytest.skip("npm is not installed: cannot run Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool)")
    if not (MULTITOOL / ".installed").exists():
        pytest.fail("the SARIF Multitool is not installed under build/sarif-multitool: run `make sarif-tools`")
    output.unlink(missing_ok=True)
    done = subprocess.run(["npx", "--prefix", str(MULTITOOL), "--no", "--", "sarif-multitool", "validate",
                           *map(str, sarif_files), "--rule-kind", "Ghas", "--output", str(output)],
                          capture_output=True, text=True, timeout=300)
    assert output.exists(), f"the Multitool wrote no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert f"Done. {len(sarif_files)} files scanned." in done.stdout, done.stdout
    problems: dict[str, list[str]] = {file.name: [] for file in sarif_files}
    for run in json.loads(output.read_text())["runs"]:
        for result in run.get("results", []):
            if result.get("level", "warning") in ("error", "warning"):
                where = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]
                text = result["message"].get("text") or result["message"].get("arguments")
                problems[where].append(f"{result.get('level', 'warning')} {result['ruleId']}: {text}")
    return problems


@pytest.fixture(scope="module")
def ingestion_problems(sarif_files, tmp_path_factory) -> dict[str, list[str]]:
    return _multitool(list(sarif_files.values()), tmp_path_factory.mktemp("multitool") / "validation.sarif")


@pytest.mark.parametrize("name", CLI_SCANS)
def test_github_ingestion_rules_find_no_error_or_warning(sarif_files, ingestion_problems, name):
    assert ingestion_problems[sarif_files[name].name] == []


def test_github_ingestion_rules_catch_a_result_without_location(sarif_files, tmp_path):
    document = json.loads(sarif_files["seed (fails)"].read_text())
    del document["runs"][0]["results"][0]["locations"]
    broken = tmp_path / "no-location.sarif"
    broken.write_text(json.dumps(document))
    problems = _multitool([broken], tmp_path / "validation.sarif")["no-location.sarif"]
    assert any(p.startswith("error GH") for p in problems), problems


def test_fingerprints_survive_lines_added_above(tmp_path):
    moved = tmp_path / "seed"
    shutil.copytree(ROOT / "stack/examples/seed", moved)
    main = moved / "main.tf"
    main.write_text("# reviewed 2026-11\n" * 7 + main.read_text())
    before, after = sarif_of("stack/examples/seed"), sarif_of(moved)

    def by_alert(document):
        return {(r["ruleId"], r["properties"]["resource"], r["properties"]["attribute"],
                 r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rpartition("/")[2],
                 r["partialFingerprints"]["gateaudit/v1"]):
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                for r in document["runs"][0]["results"]}

    old, new = by_alert(before), by_alert(after)
    assert old.keys() == new.keys() and old  # every alert kept its fingerprint ...
    for key in old:
        moved_by = 7 if key[3] == "main.tf" else 0  # ... and moved down with main.tf's lines, not handler.py's
        assert new[key] == old[key] + moved_by, key
    assert any(key[3] == "handler.py" for key in old)
    fingerprints = [key[4] for key in old]
    assert len(set(fingerprints)) == len(fingerprints)


def test_repeated_results_of_one_resource_and_attribute_get_distinct_fingerprints():
    report = report_of("stack/examples/seed")
    first = next(r for r in report.results if r.status == Status.FAILED)
    twin = dataclasses.replace(first, line=first.line + 3, message="a second finding on the same attribute")
    document = json.loads(sarif.render(dataclasses.replace(report, results=(*report.results, twin))))
    prints = [r["partialFingerprints"]["gateaudit/v1"] for r in document["runs"][0]["results"]
              if (r["ruleId"], r["properties"]["resource"]) == (first.rule_id, first.resource)]
    assert len(prints) == 2 and prints[1] == prints[0] + ":2"


def test_artifact_uri_is_relative_to_the_repository_root():
    run = sarif_of("stack/examples/seed")["runs"][0]
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert {loc["artifactLocation"]["uri"] for loc in locations} == {"stack/examples/seed/main.tf",
                                                                     "stack/examples/seed/handler.py"}
    assert {loc["artifactLocation"]["uriBaseId"] for loc in locations} == {"%SRCROOT%"}
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert all(loc["region"]["startLine"] >= 1 for loc in locations)
    assert run["automationDetails"]["id"] == "gateaudit/stack/examples/seed/"


def test_artifact_uri_does_not_depend_on_the_working_folder():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git work tree: the repository root is not known, URIs are relative to the working folder")
    done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", "examples/seed", "--format", "sarif"],
                          cwd=ROOT / "stack", capture_output=True, text=True, timeout=120)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(done.stdout)["runs"][0]["results"]}
    assert uris == {"stack/examples/seed/main.tf", "stack/examples/seed/handler.py"}


def test_module_files_are_normalised_to_repository_paths():
    run = sarif_of("tests/rules/GA101/fail_via_module")["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris and all(u.startswith("tests/rules/GA101/fail_via_module/") for u in uris)
    assert sarif.artifact_uri("stack/terraform/rest/", "../modules/backend function/main.tf") == \
        "stack/terraform/modules/backend%20function/main.tf"
    assert sarif.artifact_uri("", "./main.tf") == "main.tf"


def test_levels_follow_status_and_the_gate():
    report = report_of("stack/examples/seed")
    run = json.loads(sarif.render(report))["runs"][0]
    counts = report.counts()
    assert len(run["results"]) == counts["failed"] + counts["unknown"] + counts["suppressed"]
    assert counts["passed"] and all(r["properties"]["status"] != "passed" for r in run["results"])
    assert {r["level"] for r in run["results"]} == {"error"}  # fail-on low: every failure blocks

    run = sarif_of("stack/examples/seed", fail_on=Severity.HIGH)["runs"][0]
    levels = {(r["properties"]["severity"], r["level"]) for r in run["results"]}
    assert ("medium", "warning") in levels and ("high", "error") in levels
    assert all(level == ("warning" if sev in ("low", "medium") else "error") for sev, level in levels)


def test_unknown_is_an_error_that_says_it_could_not_be_decided():
    run = sarif_of("tests/rules/GA101/unknown_authorization_from_var.tf")["runs"][0]
    (result,) = run["results"]
    assert result["properties"]["status"] == "unknown"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("Could not be decided")
    assert "aws_api_gateway_method.get" in result["message"]["text"]


def _by_resource(document: dict) -> dict[str, dict]:
    return {r["properties"]["resource"]: r for r in document["runs"][0]["results"]}


def test_suppressions_say_who_accepted_the_risk_why_and_where(sarif_files):
    document = json.loads(sarif_files["suppressions"].read_text())
    results = _by_resource(document)
    health, legacy, status = (results[f"aws_api_gateway_method.{name}"] for name in ("health", "legacy", "status"))
    assert {r["properties"]["status"] for r in (health, legacy, status)} == {"suppressed"}
    assert results["aws_api_gateway_method.open"]["properties"]["status"] == "failed"
    assert "suppressions" not in results["aws_api_gateway_method.open"]

    [inline] = health["suppressions"]
    comment = dict(health["locations"][0]["physicalLocation"], region={"startLine": 5})  # the line of the comment
    assert inline == {"kind": "inSource", "status": "accepted", "justification": INLINE_REASON,
                      "location": {"physicalLocation": comment},
                      "properties": {"source": "inline", "where": "main.tf:5", "until": "2099-01-01"}}
    config = document["runs"][0]["properties"]["configFile"]
    assert config.endswith(".gateaudit.toml")
    assert status["suppressions"] == [{"kind": "external", "status": "accepted", "justification": CONFIG_REASON,
                                       "properties": {"source": "config", "where": config, "until": "2099-12-31"}}]
    baseline = document["runs"][0]["properties"]["baselineFile"]
    assert legacy["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "recorded in the baseline gateaudit-baseline.json",
                                       "properties": {"source": "baseline", "where": baseline}}]


def test_with_fail_on_suppressions_an_inline_suppression_is_rejected_and_an_error(sarif_files):
    document = json.loads(sarif_files["suppressions rejected, unknown passes"].read_text())
    results = _by_resource(document)
    [inline] = results["aws_api_gateway_method.health"]["suppressions"]
    assert inline["status"] == "rejected" and inline["kind"] == "inSource"
    assert inline["justification"] == INLINE_REASON
    assert results["aws_api_gateway_method.health"]["level"] == "error"
    for name in ("legacy", "status"):  # config and baseline stay accepted: the flag is about inline comments
        assert results[f"aws_api_gateway_method.{name}"]["suppressions"][0]["status"] == "accepted"
    assert document["runs"][0]["properties"]["failOnSuppressions"] is True


@pytest.mark.parametrize(("name", "level"), [("suppressions", "warning"),
                                             ("suppressions rejected, unknown passes", "note")])
def test_unknown_results_the_gate_lets_through_are_warnings_or_notes(sarif_files, name, level):
    document = json.loads(sarif_files[name].read_text())
    maybe = _by_resource(document)["aws_api_gateway_method.maybe"]
    assert maybe["properties"]["status"] == "unknown" and maybe["level"] == level
    mode = document["runs"][0]["properties"]["unknown"]
    assert maybe["message"]["text"].startswith(
        f"Could not be decided, and unknown results do not fail the gate (unknown = {mode}): "
        "aws_api_gateway_method.maybe: ")


def test_stale_baseline_entries_are_notes_saying_remove_them(sarif_files):
    run = json.loads(sarif_files["suppressions"].read_text())["runs"][0]
    baseline = run["properties"]["baselineFile"]
    [stale] = run["properties"]["staleBaseline"]
    assert (stale["rule_id"], stale["resource"], stale["attribute"]) == \
        ("GA101", "aws_api_gateway_method.gone", "authorization")
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["message"]["text"] == (f"baseline entry no longer occurs, remove it from {baseline}: GA101 aws_api_"
                                       f"gateway_method.gone (authorization), recorded at main.tf:{stale['line']}")
    assert run["invocations"][0]["executionSuccessful"] is True  # a stale entry is no scan error


def test_gate_settings_are_run_properties(sarif_files):
    properties = json.loads(sarif_files["suppressions"].read_text())["runs"][0]["properties"]
    assert (properties["unknown"], properties["inlineSuppressions"], properties["failOnSuppressions"]) == \
        ("warn", True, False)
    assert properties["baselineFile"].endswith("gateaudit-baseline.json")
    defaults = json.loads(sarif_files["seed (fails)"].read_text())["runs"][0]["properties"]
    assert (defaults["unknown"], defaults["inlineSuppressions"], defaults["failOnSuppressions"],
            defaults["baselineFile"], defaults["staleBaseline"]) == ("fail", True, False, None, [])


def test_a_suppressed_result_without_a_record_still_says_so():
    report = report_of("stack/examples/seed")
    index = next(i for i, r in enumerate(report.results) if r.status == Status.FAILED)
    suppressed = dataclasses.replace(report.results[index], status=Status.SUPPRESSED)  # as a user rule may yield
    results = (*report.results[:index], suppressed, *report.results[index + 1:])
    document = json.loads(sarif.render(dataclasses.replace(report, results=results)))
    (entry,) = [r for r in document["runs"][0]["results"] if r["properties"]["status"] == "suppressed"]
    assert entry["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "no reason recorded"}]
    _validator(_schema(OASIS_SCHEMA)).validate(document)


def test_rules_carry_descriptions_help_tags_and_security_severity():
    report = report_of("stack/examples/seed")
    run = json.loads(sarif.render(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rules]
    bands = {"critical": (9.0, 10.0), "high": (7.0, 8.9), "medium": (4.0, 6.9), "low": (0.1, 3.9)}
    for entry, info in zip(rules, report.rules, strict=True):
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", entry["name"]), entry["name"]
        assert entry["shortDescription"]["text"] == info.title
        assert entry["fullDescription"]["text"] == info.rationale
        assert info.remediation in entry["help"]["text"] and info.remediation in entry["help"]["markdown"]
        assert "**What it checks**" in entry["help"]["markdown"]
        low, high = bands[info.severity.value]
        assert low <= float(entry["properties"]["security-severity"]) <= high
        tags = entry["properties"]["tags"]
        assert tags[:2] == ["security", info.control] and len(tags) == len(set(tags)) <= 10
        prefix = {"AWS Security Hub FSBP": "FSBP", "NIST SP 800-53 rev 5": "NIST-800-53",
                  "OWASP API Top 10 2023": "OWASP"}
        assert set(tags[2:]) == {f"{prefix[framework]}-{control_id}"
                                 for framework, ids in info.mappings.items() for control_id in ids}
    every_tag = {tag for r in rules for tag in r["properties"]["tags"]}
    assert {"FSBP-APIGateway.8", "NIST-800-53-AC-3", "OWASP-API2:2023"} <= every_tag
    assert next(r for r in rules if r["id"] == "GA101")["name"] == "RestMethodAuthorized"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_scan_error_marks_the_execution_unsuccessful(tmp_path):
    (tmp_path / "main.tf").write_text(BROKEN_TF)
    (invocation,) = sarif_of(tmp_path)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    physical = notification["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"].endswith("/main.tf") and physical["region"]["startLine"] >= 1

    (clean,) = sarif_of("stack/examples/seed")["runs"][0]["invocations"]
    assert clean["executionSuccessful"] is True and "toolExecutionNotifications" not in clean


def test_git_commit_and_branch_are_kept_without_inventing_a_repository_uri():
    run = sarif_of("stack/examples/seed")["runs"][0]
    report = report_of("stack/examples/seed")
    assert "versionControlProvenance" not in run
    assert run["properties"]["gitCommit"] == report.metadata.git_commit
    assert run["properties"]["gitBranch"] == report.metadata.git_branch


def test_source_date_epoch_makes_the_sarif_byte_identical(tmp_path):
    outputs = []
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "gateaudit", "scan", "stack/examples/seed", "--format", "sarif",
                        "--output-dir", str(tmp_path / name)], cwd=ROOT, capture_output=True, timeout=120,
                       env={**os.environ, "SOURCE_DATE_EPOCH": "1790000000"})
        outputs.append((tmp_path / name / "gateaudit.sarif").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026-09-21T14:13:20Z" in outputs[0]
