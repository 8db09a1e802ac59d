"""The Markdown report as a pull-request comment: rendered with markdown-it-py (GFM tables, raw HTML and
linkify on, which links more than GitHub does) and read back as HTML, the way a reviewer sees it."""

import json
import os
import re
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import markdown
from gateaudit.result import Severity, Status

from ._stacks import inline_tf, suppressed_stack

ROOT = Path(__file__).resolve().parents[2]
COMMENT_LIMIT = 65_536
HEADER = ["Rule", "Resource", "Location", "Status", "Message"]

HOSTILE_KEYS = [
    "![x](http://evil.example.com/a.png)",
    "<script>alert(1)</script>",
    "a|b|c \\| d",
    "`tick` **bold** _em_ ~~del~~ $x$ [link](http://evil.example.com) <http://evil.example.com>",
    "www.evil.example.com mail@evil.example.com //evil.example.com @octocat #12",
    "# heading\n- item\n| x | y |",
    "</td></tr></table><img src=x onerror=alert(1)>",
    "&lt;b&gt; &amp; &#124;",
]
HOSTILE = '''
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_method" "get" {
  for_each      = toset(HOSTILE_KEYS)
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE ![y](http://evil.example.com/y.png) <img src=y> | \\u202e"
}

module "remote" {
  source = "git::https://evil.example.com/<img src=z>|[m](http://evil.example.com).git"
}
'''.replace("HOSTILE_KEYS", json.dumps(HOSTILE_KEYS))


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **(env or {})})


def scan_both(paths: list[str], out: Path) -> tuple[str, dict]:
    """The real CLI: the Markdown and the JSON report of one scan."""
    cli("scan", *paths, "--format", "markdown", "--format", "json", "--output-dir", str(out))
    return (out / "gateaudit.md").read_text(encoding="utf-8"), json.loads((out / "gateaudit.json").read_text())


class Page(HTMLParser):
    """The rendered comment: every tag, the text of <strong>, and each table as rows of cell texts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.strong: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._strong: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag == "strong":
            self._strong = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "strong":
            self.strong.append("".join(self._strong))
            self._strong = None

    def handle_data(self, data):
        for sink in (self._cell, self._strong):
            if sink is not None:
                sink.append(data)


def html_of(text: str) -> str:
    return MarkdownIt("gfm-like").render(text)


def sections(text: str) -> dict[str, dict]:
    """Per h3 heading: the rows of each table outside <details> (findings) and inside <details> (passes)."""
    found: dict[str, dict] = {}
    current, in_details, in_body = None, False, False
    tokens = MarkdownIt("gfm-like").parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h3":
            current = found.setdefault(tokens[index + 1].content, {"tables": [], "details": []})
        elif current is None:
            continue
        elif token.type == "html_block":
            in_details = (in_details or "<details>" in token.content) and "</details>" not in token.content
        elif token.type == "table_open":
            (current["details"] if in_details else current["tables"]).append(0)
        elif token.type in ("tbody_open", "tbody_close"):
            in_body = token.type == "tbody_open"
        elif token.type == "tr_open" and in_body:
            (current["details"] if in_details else current["tables"])[-1] += 1
    return found


def control_heading(control: dict, state: str) -> str:
    icon = {"failed": "❌", "unknown": "❓", "passed": "✅", "not_applicable": "➖"}[state]
    return f"{icon} {control['id']}: {control['title']}"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return scan_both(["stack/examples/seed"], tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return scan_both(["stack/terraform"], tmp_path_factory.mktemp("reference"))


def verdict_counts(report: dict) -> str:
    summary, errors = report["summary"], len(report["errors"])
    parts = [f"{summary[s]} {s}" for s in ("failed", "unknown", "passed", "suppressed")]
    error_part = f"{errors} error{'' if errors == 1 else 's'}"
    return ", ".join([error_part, *parts] if errors else [*parts, error_part])


def test_verdict_line_of_a_failing_scan(seed):
    text, report = seed
    assert report["exit_code"] == 1
    assert text.splitlines()[0] == f"## ❌ gateaudit: fail · {verdict_counts(report)}"


def test_verdict_line_of_a_passing_scan(reference):
    text, report = reference
    assert report["exit_code"] == 0
    assert text.splitlines()[0] == f"## ✅ gateaudit: pass · {verdict_counts(report)}"


@pytest.mark.parametrize("files", [{"main.tf": 'resource "aws_api_gateway_method" "x" {\n  authorization = \n'}, {}],
                         ids=["parse error", "no files"])
def test_verdict_line_of_a_scan_with_errors_is_never_a_pass(tmp_path, files):
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    text, report = scan_both([str(tmp_path)], tmp_path / "out")
    assert report["exit_code"] == 2 and report["summary"]["failed"] == 0
    first = text.splitlines()[0]
    assert first == f"## ⚠️ gateaudit: error — scan incomplete, not a pass · {verdict_counts(report)}"
    page = Page(html_of(text))
    [errors] = [t for t in page.tables if t[0] == ["Location", "Error"]]
    assert [row[1] for row in errors[1:]] == [e["message"] for e in report["errors"]]
    assert "✅" not in text


@pytest.mark.parametrize("which", ["seed", "reference"])
def test_one_table_per_control_failures_with_fix_and_passes_collapsed(which, request):
    text, report = request.getfixturevalue(which)
    found = sections(text)
    for control in report["controls"]:
        counts = control["counts"]
        state = "failed" if counts["failed"] else "unknown" if counts["unknown"] else "passed"
        section = found[control_heading(control, state)]
        findings = counts["failed"] + counts["unknown"]  # suppressed results have a part of their own
        assert section["tables"] == ([findings] if findings else [])
        assert section["details"] == ([counts["passed"]] if counts["passed"] else [])
    page = Page(html_of(text))
    rows = [row for table in page.tables if table[0] == HEADER for row in table[1:]]
    for result in report["results"]:
        location = f"{report['paths'][0]}/{result['file']}:{result['line']}"
        [row] = [r for r in rows if r[1] == result["resource"] and r[2] == location and r[0] == result["rule_id"]
                 and r[4].startswith(result["message"])]
        if result["status"] == "failed":
            assert row[3] == "❌ failed"
            assert row[4] == f"{result['message']}\nFix: {result['remediation']}"
        else:
            assert row[3] == "✅ passed" and row[4] == result["message"]


def test_unknown_results_are_listed_as_blocking():
    fixture = "tests/rules/GA101/unknown_authorization_from_var.tf"
    report = scan(ScanOptions([ROOT / fixture], [fixture], fail_on=Severity.LOW))
    [unknown] = [r for r in report.results if r.status == Status.UNKNOWN]
    page = Page(html_of(markdown.render(report)))
    rows = {row[1]: row for table in page.tables if table[0] == HEADER for row in table[1:]}
    assert rows[unknown.resource][3] == "❓ unknown (blocks)"
    assert rows[unknown.resource][4].startswith(f"{unknown.message}\nFix: ")


def test_unknown_results_the_gate_lets_through_say_so(tmp_path):
    fixture = "tests/rules/GA101/unknown_authorization_from_var.tf"
    text, report = scan_both([fixture, "--unknown", "warn"], tmp_path)
    assert report["exit_code"] == 0
    page = Page(html_of(text))
    [row] = [row for table in page.tables if table[0] == HEADER for row in table[1:]]
    assert row[3] == "❓ unknown (not blocking: unknown = warn)"
    html = html_of(text)
    assert "1 unknown not blocking (unknown = warn)." in html
    assert ("<strong>Gate settings:</strong> Unknown results: do not fail the gate; reported as warnings "
            "(unknown = warn)") in html


# The stack of _stacks.suppressed_stack has one suppression of each kind, built as a user would: an inline
# comment, a config exemption, and a baseline written by `gateaudit baseline` before the stack changed (so one of
# its entries no longer occurs).
# The reasons are Markdown and HTML that must render as the text they are.
INLINE_REASON = ("public health check <script>alert(1)</script> [click](http://evil.example.com) ![i](http://evil."
                 "example.com/i.png) **bold** | pipe @octocat #12 `tick`")
CONFIG_REASON = "status page <img src=x onerror=alert(1)> _em_ www.evil.example.com </td></tr></table>"
SUPPRESSED_HEADER = ["Rule", "Resource", "Location", "Finding", "Suppressed by", "Reason"]


@pytest.fixture(scope="module")
def suppressed_scan(tmp_path_factory):
    folder, baseline = suppressed_stack(tmp_path_factory.mktemp("suppressed") / "stack", INLINE_REASON, CONFIG_REASON)
    return scan_both([str(folder), "--baseline", str(baseline)], folder.parent / "out")


def test_suppressed_results_have_a_part_with_who_accepted_them_and_why(suppressed_scan):
    text, report = suppressed_scan
    assert report["exit_code"] == 1 and report["summary"]["suppressed"] == 3
    page = Page(html_of(text))
    [table] = [t for t in page.tables if t[0] == SUPPRESSED_HEADER]
    rows = {row[1]: row for row in table[1:]}
    config, baseline = report["settings"]["config_file"], report["settings"]["baseline_file"]
    by_resource = {r["resource"]: r for r in report["results"]}
    expected = {
        "aws_api_gateway_method.health": ("💬 inline comment main.tf:5\nuntil 2099-01-01", INLINE_REASON),
        "aws_api_gateway_method.status": (f"⚙️ config exemption {config}\nuntil 2099-12-31", CONFIG_REASON),
        "aws_api_gateway_method.legacy": (f"📋 baseline {baseline}", f"recorded in the baseline {Path(baseline).name}"),
    }
    assert set(rows) == set(expected)
    for resource, (source, reason) in expected.items():
        result = by_resource[resource]
        row = [cell.replace("\u2060", "") for cell in rows[resource]]  # word joiners keep @ and # from linking
        assert row == ["GA101", resource, f"{result['file']}:{result['line']}", result["message"], source, reason]
    assert "### 🔕 Suppressed: 3" in text
    # the control's own table lists what blocks; its counts still say how many were suppressed
    [control] = [t for t in page.tables if t[0] == HEADER]
    assert [row[1] for row in control[1:]] == ["aws_api_gateway_method.open"]
    assert "0 unknown · 3 suppressed · 0 passed" in text


def test_reasons_from_scanned_files_never_become_markup(suppressed_scan):
    text, _ = suppressed_scan
    html = html_of(text)
    page = Page(html)
    assert not {"a", "img", "script", "em", "del", "s", "h1", "h4", "li", "input", "iframe"} & set(page.tags)
    assert set(page.strong) <= {"Fix:", "Gate settings:", "Not applicable:"}
    for table in page.tables:
        assert len({len(row) for row in table}) == 1  # no pipe from a reason opened a cell
    assert re.search(r"@\u2060octocat", html) and "#\u206012" in html


def test_stale_baseline_entries_are_listed_to_remove(suppressed_scan):
    text, report = suppressed_scan
    [stale] = report["stale_baseline"]
    assert "### 🧹 Baseline entries that no longer occur — remove them: 1" in text
    page = Page(html_of(text))
    [table] = [t for t in page.tables if t[0] == ["Rule", "Resource", "Attribute", "Recorded at"]]
    assert table[1:] == [["GA101", "aws_api_gateway_method.gone", "authorization", f"main.tf:{stale['line']}"]]


def test_gate_settings_that_change_the_verdict_are_named(suppressed_scan, tmp_path):
    text, report = suppressed_scan
    html = html_of(text)
    config, baseline = report["settings"]["config_file"], report["settings"]["baseline_file"]
    assert (f"<strong>Gate settings:</strong> Config file: {escape(config)} · Baseline: {escape(baseline)}"
            in html.replace("\\", ""))
    seed_text, _ = scan_both(["stack/examples/seed"], tmp_path / "seed")
    assert "Gate settings" not in seed_text  # defaults: nothing to point out

    folder = tmp_path / "inline"
    folder.mkdir()
    (folder / "main.tf").write_text(inline_tf(INLINE_REASON))
    text, report = scan_both([str(folder), "--fail-on-suppressions"], tmp_path / "out")
    assert report["exit_code"] == 1 and report["summary"]["failed"] == 0
    html = html_of(text)
    assert "1 inline suppression present (fail-on-suppressions)." in html
    assert "Inline suppressions fail the gate: yes" in html
    text, _ = scan_both([str(folder), "--no-inline-suppressions"], tmp_path / "off")
    assert "Inline suppressions: not applied" in html_of(text)


def test_controls_with_nothing_in_scope_are_not_applicable(tmp_path):
    (tmp_path / "api.tf").write_text('resource "aws_api_gateway_rest_api" "api" {\n  name = "a"\n}\n')
    text, report = scan_both([str(tmp_path)], tmp_path / "out")
    found = sections(text)
    for control in report["controls"]:
        section = found[control_heading(control, "not_applicable")]
        assert section["tables"] == [] and section["details"] == []
        assert (f"<strong>Not applicable:</strong> {escape(control['nothing_in_scope'])}. Nothing was judged"
                in html_of(text))


def generated_stack(folder: Path, failing: int, passing: int) -> Path:
    """One REST API with `failing` open methods and `passing` guarded ones, as count instances of 1,000."""
    blocks = ['resource "aws_api_gateway_rest_api" "api" {\n  name = "generated"\n}\n']
    if passing:
        blocks.append('resource "aws_api_gateway_authorizer" "key" {\n  name = "key"\n'
                      '  rest_api_id = aws_api_gateway_rest_api.api.id\n  type = "REQUEST"\n'
                      '  identity_source = "method.request.header.x-api-key"\n  authorizer_uri = "arn:aws:apigateway:'
                      'us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/'
                      'invocations"\n}\n')
    for kind, total in (("open", failing), ("guarded", passing)):
        for part in range(0, total, 1000):
            guard = ('"CUSTOM"\n  authorizer_id = aws_api_gateway_authorizer.key.id' if kind == "guarded"
                     else '"NONE"')
            blocks.append(f'resource "aws_api_gateway_method" "{kind}_{part}" {{\n  count = {min(1000, total - part)}\n'
                          f'  rest_api_id = aws_api_gateway_rest_api.api.id\n'
                          f'  resource_id = aws_api_gateway_rest_api.api.root_resource_id\n'
                          f'  http_method = "GET"\n  authorization = {guard}\n}}\n')
    (folder / "main.tf").write_text("\n".join(blocks))
    return folder


def within_limit(text: str) -> None:
    assert len(text) < COMMENT_LIMIT and len(text.encode("utf-8")) < COMMENT_LIMIT


def test_thousands_of_failures_are_capped_and_the_comment_says_how_many(tmp_path):
    folder = generated_stack(tmp_path, failing=3000, passing=0)
    report = scan(ScanOptions([folder], [str(folder)], fail_on=Severity.LOW))
    assert report.counts()["failed"] == 3000
    text = markdown.render(report)
    within_limit(text)
    assert text.splitlines()[0].startswith("## ❌ gateaudit: fail · 3000 failed, ")
    page = Page(html_of(text))
    [table] = [t for t in page.tables if t[0] == HEADER]
    shown = len(table) - 1
    assert 100 < shown < 3000  # it uses the room it has
    html = html_of(text)
    assert f"… and {3000 - shown} more failures not shown; see the full report." in html
    assert f"Left out: {3000 - shown} failed or unknown results." in html
    assert all(len(row) == len(HEADER) for row in table)


def test_passes_are_left_out_before_any_failure(tmp_path):
    folder = generated_stack(tmp_path, failing=3, passing=1000)
    report = scan(ScanOptions([folder], [str(folder)], fail_on=Severity.LOW))
    assert report.counts()["passed"] >= 1000
    text = markdown.render(report)
    within_limit(text)
    page = Page(html_of(text))
    findings = [row for table in page.tables if table[0] == HEADER for row in table[1:]]
    assert len(findings) == report.counts()["failed"] + report.counts()["unknown"]  # every one is listed
    assert sum(row[3] == "❌ failed" for row in findings) == 3
    assert "<details>" not in text and "not shown" not in text
    assert (f"Left out: the list of {report.counts()['passed']} passed results (each control shows how many)"
            in html_of(text))


def test_nothing_from_the_scanned_files_becomes_markup(tmp_path):
    (tmp_path / "![f](http:evil.example.com) <b>|.tf").write_text(HOSTILE)
    text, report = scan_both([str(tmp_path)], tmp_path / "out")
    html = html_of(text)
    page = Page(html)
    assert not {"a", "img", "script", "em", "del", "s", "h1", "h4", "li", "input", "iframe"} & set(page.tags)
    assert set(page.tags) <= {"h2", "h3", "p", "sub", "code", "br", "strong", "blockquote", "table", "thead",
                              "tbody", "tr", "th", "td"}
    assert set(page.strong) <= {"Fix:", "Not applicable:", "Shortened to fit GitHub's 65,536-character comment limit."}
    assert "\u202e" not in text and "\\u202e" in html  # a bidirectional override is shown, not obeyed
    # every table keeps its columns: no pipe from the input reaches a row
    for line in text.splitlines():
        if line.startswith("| "):
            assert line.count("|") in (len(HEADER) + 1, 3, 5)
    for table in page.tables:
        assert len({len(row) for row in table}) == 1
    # and every value reads back exactly as the report holds it
    rows = [row for table in page.tables if table[0] == HEADER for row in table[1:]]
    results = [r for r in report["results"] if r["file"].endswith(".tf") and r["line"] == 6]
    assert len(results) == len(HOSTILE_KEYS)
    for result in results:
        [row] = [r for r in rows if r[1].replace("\u2060", "") == result["resource"]]
        assert row[2] == f"{result['file']}:{result['line']}"
        assert row[4].startswith(result["message"].replace("\u202e", "\\u202e"))
    [modules] = [t for t in page.tables if t[0][0] == "Module"]
    assert modules[1][1] == report["not_scanned"][0]["source"]
    assert re.search(r"@\u2060octocat", html) and "#\u206012" in html  # no mention, no issue link on GitHub


def test_reproducible_with_source_date_epoch(tmp_path):
    outputs = []
    for run in ("a", "b"):
        cli("scan", "stack/examples/seed", "--format", "markdown", "--output-dir", str(tmp_path / run),
            env={"SOURCE_DATE_EPOCH": "1790000000"})
        outputs.append((tmp_path / run / "gateaudit.md").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026-09-21T14:13:20Z" in outputs[0].replace(b"\\", b"")


def test_when_nothing_else_fits_the_verdict_and_counts_remain(monkeypatch):
    report = scan(ScanOptions([ROOT / "stack/examples/seed"], ["stack/examples/seed"], fail_on=Severity.LOW))
    monkeypatch.setattr(markdown, "BUDGET", 1_000)  # smaller than any per-control summary
    text = markdown.render(report)
    counts = report.counts()
    assert text.splitlines()[0] == (f"## ❌ gateaudit: fail · {counts['failed']} failed, {counts['unknown']} unknown, "
                                    f"{counts['passed']} passed, {counts['suppressed']} suppressed, 0 errors")
    assert "Left out: the per-control tables (the report is too large to summarise here)" in html_of(text)
    assert "<table>" not in html_of(text)
