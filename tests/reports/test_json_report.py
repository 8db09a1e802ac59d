"""The JSON report is described by the schema the package ships, and is reproducible."""

import json
import os

import jsonschema
import pytest

SCANS = {
    "reference stack": ["stack/terraform"],
    "seed": ["stack/examples/seed"],
    "error: no files": ["tests"],
    "var file and several paths": ["stack/examples/seed", "tests/rules/GA203/fail_tfvars_literal"],
    "skipped paths": ["stack/terraform", "--skip-path", "http", "--skip-path", "backend-*"],
}


@pytest.fixture(scope="module")
def schema(run_cli_module):
    done = run_cli_module("schema")
    assert done.returncode == 0
    document = json.loads(done.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


@pytest.fixture(scope="module")
def run_cli_module():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def run(*args, env=None):
        return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True,
                              cwd=root, timeout=120, env={**os.environ, **(env or {})})

    return run


@pytest.mark.parametrize("paths", SCANS.values(), ids=SCANS.keys())
def test_reports_validate_against_the_schema(schema, run_cli_module, paths):
    done = run_cli_module("scan", *paths, "--format", "json")
    report = json.loads(done.stdout)
    jsonschema.validate(report, schema, format_checker=jsonschema.FormatChecker())
    assert report["exit_code"] == done.returncode


def test_the_schema_rejects_a_report_that_drifts(schema, run_cli_module):
    report = json.loads(run_cli_module("scan", "stack/examples/seed", "--format", "json").stdout)
    report["results"][0]["status"] = "ok"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema)


def test_source_date_epoch_makes_every_format_byte_identical(run_cli_module, tmp_path):
    from gateaudit.reports import FORMATS, file_name

    formats = [arg for name in FORMATS for arg in ("--format", name)]
    outputs = []
    for run in ("a", "b"):
        done = run_cli_module("scan", "stack/examples/seed", *formats, "--output-dir", str(tmp_path / run),
                              env={"SOURCE_DATE_EPOCH": "1790000000"})
        assert done.returncode == 1
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {file_name(name) for name in FORMATS}
    assert json.loads(outputs[0]["gateaudit.json"])["generated_at"] == "2026-09-21T14:13:20Z"


def test_the_report_is_what_the_standard_encoder_writes(run_cli_module, tmp_path):
    """Results are written with an encoder of their own (a monorepo has tens of thousands): the bytes must be
    `json.dumps(indent=2, ensure_ascii=False)`'s, whatever the suppressions and unknowns hold."""
    from ._stacks import suppressed_stack

    folder, baseline = suppressed_stack(tmp_path / "stack", 'inline "quoted" \\ reason \u00e9\u202e\u2028 \x1b',
                                        "config\treason \u00e9 \\ \"q\"", unknown=True)
    output = tmp_path / "report.json"  # not stdout, which escapes what a terminal would act on (for_terminal)
    run_cli_module("scan", str(folder), "--baseline", str(baseline), "--format", "json", "--output", str(output))
    text = output.read_text(encoding="utf-8")
    statuses = {result["status"] for result in json.loads(text)["results"]}
    assert {"failed", "suppressed", "unknown"} <= statuses, statuses
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
