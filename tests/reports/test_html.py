"""The HTML report: self-contained, escaped, with the verdict a reviewer must not misread; checked in a real
browser (Debian's headless Chromium) when it is installed (`make test` installs it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import FORMATS, renderer
from gateaudit.result import Report, Severity, Status

from ._stacks import INLINE_LINE, inline_tf, suppressed_stack

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "reports"

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_URL = "javascript:alert(1)"
# Payloads that would leave a mark in the DOM if they ever ran, so a DOM dump can tell.
MARKING_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
MARKING_IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"


def _hcl(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _hostile_stack(folder: Path) -> Path:
    """Terraform whose for_each keys (so resource addresses), values, module source and file name carry HTML."""
    keys = ", ".join(f'"{_hcl(p)}"' for p in (SCRIPT, IMG, MARKING_SCRIPT, MARKING_IMG))
    (folder / "main.tf").write_text(f'''\
resource "aws_api_gateway_rest_api" "api" {{
  name        = "{_hcl(SCRIPT)}"
  description = "{_hcl(JS_URL)} {_hcl(IMG)}"
}}

resource "aws_api_gateway_resource" "items" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}}

resource "aws_api_gateway_method" "open" {{
  for_each      = toset([{keys}])
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = each.key
  authorization = "NONE"
}}

resource "aws_api_gateway_method" "odd" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "{_hcl(MARKING_IMG)}"
}}

module "remote" {{
  source = "{_hcl(JS_URL)}//{_hcl(SCRIPT)}"
}}
''')
    # A file name is input too; '/' cannot be in one, so the <img> payload.
    (folder / "<img src=x onerror=window.__pwned=1>.tf").write_text('''\
resource "aws_api_gateway_method" "in_hostile_file" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_metod" "typo" {
  rest_api_id = "javascript:alert(1)"
}
''')
    return folder


def _scan(*paths: Path | str) -> Report:
    return scan(ScanOptions([Path(p) for p in paths], [str(p) for p in paths], fail_on=Severity.LOW))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Report]:
    hostile = _hostile_stack(tmp_path_factory.mktemp("hostile"))
    routes = tmp_path_factory.mktemp("routes")
    (routes / "main.tf").write_text((ROOT / "tests/rules/GA101/fail_authorization_none.tf").read_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        found = {
            "seed": _scan("stack/examples/seed"),
            "reference": _scan("stack/terraform"),
            "error": _scan(tmp_path_factory.mktemp("empty")),
            "hostile": _scan(hostile),
            "routes": _scan(routes),
        }
    assert [found[k].exit_code for k in ("seed", "reference", "error", "hostile", "routes")] == [1, 0, 2, 2, 1]
    return found


@pytest.fixture(scope="module")
def pages(reports) -> dict[str, str]:
    render = renderer("html").render
    return {name: render(report) for name, report in reports.items()}


class _Page(HTMLParser):
    """Elements with their attributes, and the text a reader sees (script and style excluded)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._skip = 0
        self._text: list[str] = []
        self.feed(html)
        self.close()
        self.text = re.sub(r"\s+", " ", "".join(self._text))

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._text.append(" ")
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        self._text.append(" ")
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            self.style += data
        else:
            self._text.append(data)

    def tags(self) -> Counter:
        return Counter(tag for tag, _ in self.elements)


def _verdict_text(html: str) -> str:
    match = re.search(r'<p class="verdict-label">(.*?)</p>', html)
    assert match, "no verdict in the page"
    return unescape(match.group(1))


# ---------------------------------------------------------------- without a browser: always run


def test_html_is_a_format_written_as_gateaudit_html():
    assert FORMATS["html"] == ("html", "html")


@pytest.mark.parametrize("name", ["seed", "reference", "error", "hostile"])
def test_the_page_loads_nothing_from_anywhere(pages, name):
    html = pages[name]
    page = _Page(html)
    assert not [e for e in page.elements if e[0] in ("script", "link", "iframe", "object", "embed", "base", "img")]
    for tag, attrs in page.elements:
        for attribute, value in attrs.items():
            assert not attribute.startswith("on"), (tag, attribute)
            if attribute in ("src", "href", "action", "xlink:href", "srcset", "poster", "data"):
                assert value and value.startswith("#"), f"<{tag} {attribute}={value!r}> points outside the page"
    assert not re.search(r"@import|@font-face|url\s*\(", page.style)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)
    policy = next(attrs["content"] for tag, attrs in page.elements
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_hostile_input_renders_as_text(pages, reports):
    html = pages["hostile"]
    page = _Page(html)
    # Only the elements the template writes: nothing the payloads would have created.
    assert {tag for tag, _ in page.elements} <= {
        "html", "head", "meta", "title", "style", "body", "header", "main", "nav", "section", "footer", "div", "p",
        "a", "h1", "h2", "h3", "ul", "ol", "li", "span", "code", "strong", "table", "thead", "tbody", "tr", "th",
        "td", "article", "dl", "dt", "dd", "details", "summary", "figure", "figcaption", "svg", "rect", "text",
        "br", "time"}
    for payload in (SCRIPT, IMG, JS_URL, MARKING_SCRIPT, MARKING_IMG):
        assert payload in page.text, f"{payload!r} is not shown as text"
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<img src=x onerror=window.__pwned=1>.tf:1" in page.text  # the file name in file:line
    address = next(r.resource for r in reports["hostile"].results if SCRIPT in r.resource)
    assert address in page.text


def test_verdict_of_a_failing_scan(pages):
    assert _verdict_text(pages["seed"]) == "FAIL"
    assert 'class="verdict verdict-fail"' in pages["seed"]


def test_verdict_of_a_passing_scan(pages, reports):
    assert _verdict_text(pages["reference"]) == "PASS"
    assert 'class="verdict verdict-pass"' in pages["reference"]
    assert "Scan errors: the scan is incomplete" not in pages["reference"]


@pytest.mark.parametrize("name", ["error", "hostile"])
def test_a_scan_with_errors_never_looks_like_a_pass(pages, reports, name):
    html = pages[name]
    assert _verdict_text(html) == "ERROR (scan incomplete, not a pass)"
    assert 'class="verdict verdict-error"' in html and 'class="verdict verdict-pass"' not in html
    text = _Page(html).text
    assert "Scan errors: the scan is incomplete" in text
    for error in reports[name].errors:
        assert error.message in text


def test_each_failure_has_location_resource_snippet_and_fix(pages, reports):
    report, html = reports["seed"], pages["seed"]
    page = _Page(html)
    failed = [r for r in report.results if r.status in (Status.FAILED, Status.UNKNOWN)]
    assert len(failed) == 12  # 7 in main.tf, 5 in the authorizer's handler.py
    articles = re.findall(r'<article id="finding-\d+".*?</article>', html, re.DOTALL)
    assert len(articles) == len(failed)
    for result in failed:
        article = next(a for a in articles if f"{result.file}:{result.line}</code>" in a
                       and f">{result.rule_id}</code>" in a and unescape(a).count(result.resource))
        hit = re.search(r'<tr class="hit"><td class="ln">(\d+)</td><td class="src">(.*?)</td>', article)
        assert hit and int(hit.group(1)) == result.line
        assert unescape(hit.group(2)) == dict(report.snippet(result))[result.line]
        assert unescape(re.sub(r"<[^>]+>", "", article)).count(report.rule(result.rule_id).remediation) == 1
        assert result.message in unescape(article)
    assert "GA101" in page.text and "main.tf:44" in page.text


def test_rules_show_their_framework_mappings(pages, reports):
    html = pages["seed"]
    for rule in reports["seed"].rules:
        row = re.search(rf"<tr>\s*<td><code>{rule.id}</code></td>.*?</tr>", html, re.DOTALL)
        assert row, rule.id
        for ids in rule.mappings.values():
            for control_id in ids:
                assert f'<span class="map">{control_id}</span>' in row.group(0), (rule.id, control_id)
    for framework in ("AWS Security Hub FSBP", "NIST SP 800-53 rev 5", "OWASP API Top 10 2023"):
        assert f">{framework}</th>" in html


def test_passes_are_collapsed_and_empty_controls_not_applicable(pages, reports):
    html = pages["seed"]
    assert re.search(r'<details class="passed">\s*<summary>3 passed results</summary>', html)
    assert "<details class=\"passed\" open" not in html
    routes = pages["routes"]  # REST methods only: the other three controls judged nothing
    empty = [c for c in reports["routes"].controls if c.nothing_in_scope]
    assert len(empty) == 3
    for control in empty:
        section = re.search(rf'class="control control-not_applicable">.*?<code>{control.id}</code>', routes, re.DOTALL)
        assert section, control.id
        assert unescape(control.nothing_in_scope) in unescape(routes)
    assert "NOT APPLICABLE" in routes
    # a module nobody read may hold what those controls judge: then no control reads "not applicable"
    assert not [c for c in reports["hostile"].controls if c.nothing_in_scope]


def test_not_scanned_modules_are_shown(pages):
    text = _Page(pages["hostile"]).text
    assert "Modules not scanned" in text
    assert f"{JS_URL}//{SCRIPT}" in text


def test_evidence_names_what_was_scanned(pages, reports):
    meta = reports["seed"].metadata
    text = _Page(pages["seed"]).text
    for expected in (f"{meta.tool} {meta.version}", meta.ruleset_version, meta.generated_at, "stack/examples/seed",
                     "Fail-on severity low", "Exit code 1 (", "Variable files applied none"):
        assert expected in text, expected
    if meta.git_commit:
        assert meta.git_commit in text


def test_source_date_epoch_makes_the_html_byte_identical(tmp_path):
    outputs = []
    for run in ("a", "b"):
        done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", "stack/examples/seed", "--format", "html",
                               "--output-dir", str(tmp_path / run)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env={**os.environ, "SOURCE_DATE_EPOCH": "1790000000"})
        assert done.returncode == 1, done.stderr
        outputs.append((tmp_path / run / "gateaudit.html").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026-09-21T14:13:20Z" in outputs[0]


# ---------------------------------------------------------------- in headless Chromium

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")


@pytest.fixture(scope="module")
def chromium():
    binary = shutil.which("chromium")
    if binary is None:
        reason = ("Debian's chromium is not installed (make test installs it with apt-get when run as root); "
                  "the HTML report is not checked in a browser")
        pytest.skip(reason)
    return binary


def _run_chromium(binary: str, tmp_path: Path, page: Path, *action: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                           "--v=0", *action, page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})


def _load(binary: str, tmp_path: Path, page: Path) -> tuple[_Page, list[str]]:
    """The DOM after the page loaded (and any script ran), and the browser's console messages."""
    done = _run_chromium(binary, tmp_path, page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return _Page(done.stdout), console


def _screenshot(binary: str, tmp_path: Path, page: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    done = _run_chromium(binary, tmp_path, page, f"--screenshot={target}", "--window-size=1280,2400")
    assert done.returncode == 0 and target.exists(), done.stderr[-2000:]
    header = target.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2400)


def test_the_browser_check_catches_a_script_that_runs(chromium, tmp_path):
    """The detector itself: an unescaped payload in a page without the report's policy is seen."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<!DOCTYPE html><html><body><p>x</p>{MARKING_SCRIPT}"
                    "<script>console.error('boom')</script></body></html>")
    dom, console = _load(chromium, tmp_path, page)
    assert dom.elements[0][1].get("data-pwned") == "script"
    assert any("boom" in line for line in console)


@pytest.mark.parametrize("name", ["seed", "hostile"])
def test_the_report_in_chromium(chromium, pages, reports, tmp_path, name):
    page = tmp_path / f"gateaudit-{name}.html"
    page.write_text(pages[name], encoding="utf-8")
    dom, console = _load(chromium, tmp_path, page)

    assert console == [], "console messages from a page that has no script:\n" + "\n".join(console)
    # No element the report did not write: nothing a payload created, no script, no marker it left.
    source = _Page(pages[name])
    assert dom.tags() == source.tags()
    assert not any(tag == "script" or "data-pwned" in attrs or any(a.startswith("on") for a in attrs)
                   for tag, attrs in dom.elements)

    report = reports[name]
    expected_verdict = {1: "FAIL", 2: "ERROR (scan incomplete, not a pass)"}[report.exit_code]
    assert f"{expected_verdict} " in dom.text
    for result in report.results:
        if result.status in (Status.FAILED, Status.UNKNOWN):
            assert result.rule_id in dom.text and f"{result.file}:{result.line}" in dom.text
            assert result.resource in dom.text
    if name == "hostile":
        for payload in (SCRIPT, IMG, JS_URL, MARKING_SCRIPT, MARKING_IMG):
            assert payload in dom.text

    _screenshot(chromium, tmp_path, page, SCREENSHOTS / f"gateaudit-{name}.png")


# ---------------------------------------------------------------- suppressions, baselines and gate settings

# The stack of _stacks.suppressed_stack has one suppression of each kind, built as a user would: an inline
# comment, a config exemption, and a baseline written by `gateaudit baseline` before the stack changed (so one of
# its entries no longer occurs); with unknown=True, also a method whose authorization is unknown. The reasons
# come from the scanned files: hostile input like any other.
INLINE_REASON = f"public health check {MARKING_SCRIPT} [x]({JS_URL}) &amp; done"
CONFIG_REASON = f"status page {MARKING_IMG} {SCRIPT}"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def scan_page(out: Path, *args: str) -> tuple[str, dict]:
    """The real CLI: the HTML and the JSON report of one scan."""
    done = cli("scan", *args, "--format", "html", "--format", "json", "--output-dir", str(out))
    assert done.returncode in (0, 1), done.stderr
    return (out / "gateaudit.html").read_text(encoding="utf-8"), json.loads((out / "gateaudit.json").read_text())


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory) -> tuple[str, dict]:
    folder, baseline = suppressed_stack(tmp_path_factory.mktemp("suppressed") / "stack", INLINE_REASON,
                                        CONFIG_REASON, unknown=True)
    return scan_page(folder.parent / "out", str(folder), "--baseline", str(baseline))


def _rows(html: str) -> dict[str, str]:
    """resource -> the text of its row in the suppressed tables."""
    rows = re.findall(r'<tr class="suppressed-result">.*?</tr>', html, re.DOTALL)
    return {re.search(r'<code class="wrap-any">(.*?)</code>', row).group(1): _Page(row).text for row in rows}


def test_suppressed_results_show_a_badge_the_reason_and_where_it_was_written(suppressed):
    html, report = suppressed
    assert report["exit_code"] == 1 and report["summary"]["suppressed"] == 3
    block = re.search(r'<div class="suppressed">.*?</div>', html, re.DOTALL)
    assert block and "Suppressed (3)" in block.group(0)
    assert block.group(0).count('<span class="badge badge-suppressed">SUPPRESSED</span>') == 3
    rows = _rows(html)
    results = {r["resource"]: r for r in report["results"]}
    config, baseline = report["settings"]["config_file"], report["settings"]["baseline_file"]
    expected = {
        "aws_api_gateway_method.health": (f"inline comment at main.tf:{INLINE_LINE} until 2099-01-01", INLINE_REASON),
        "aws_api_gateway_method.status": (f"config exemption at {config} until 2099-12-31", CONFIG_REASON),
        "aws_api_gateway_method.legacy": (f"baseline at {baseline}", f"recorded in the baseline {Path(baseline).name}"),
    }
    assert set(rows) == set(expected)
    for resource, (source, reason) in expected.items():
        result = results[resource]
        assert rows[resource].strip() == (f"GA101 {resource} {result['file']}:{result['line']} {result['message']} "
                                          f"SUPPRESSED {source} {reason}"), resource
    assert results["aws_api_gateway_method.open"]["status"] == "failed"  # still a finding, as an article
    assert re.search(r'<article id="finding-\d+" class="finding finding-failed">', html)


def test_reasons_from_scanned_files_render_as_text(suppressed):
    html, _ = suppressed
    page = _Page(html)
    assert {tag for tag, _ in page.elements} <= {
        "html", "head", "meta", "title", "style", "body", "header", "main", "nav", "section", "footer", "div", "p",
        "a", "h1", "h2", "h3", "ul", "ol", "li", "span", "code", "strong", "table", "thead", "tbody", "tr", "th",
        "td", "article", "dl", "dt", "dd", "details", "summary", "figure", "figcaption", "svg", "rect", "text",
        "br", "time"}
    assert not [e for e in page.elements if e[0] in ("script", "img")]
    for payload in (MARKING_SCRIPT, MARKING_IMG, SCRIPT, f"[x]({JS_URL})", "&amp; done"):
        assert payload in page.text, payload
    assert "&lt;script&gt;document.documentElement" in html and "&amp;amp; done" in html
    for _tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs)
        assert attrs.get("href", "#").startswith("#")


def test_stale_baseline_entries_say_remove_them(suppressed):
    html, report = suppressed
    [stale] = report["stale_baseline"]
    section = re.search(r'<section id="stale-baseline".*?</section>', html, re.DOTALL)
    assert section, "no stale baseline section"
    text = _Page(section.group(0)).text
    assert "Baseline entries that no longer occur — remove them" in text
    assert f"GA101 aws_api_gateway_method.gone authorization main.tf:{stale['line']}" in text
    assert report["settings"]["baseline_file"] in text
    assert '<a href="#stale-baseline">' in html


def test_evidence_names_the_gate_settings(suppressed, pages):
    html, report = suppressed
    text = _Page(re.search(r'<section id="evidence".*?</section>', html, re.DOTALL).group(0)).text
    for expected in ("Unknown results fail the gate, like failures", "Inline suppressions applied",
                     "Inline suppressions fail the gate no", f"Config file {report['settings']['config_file']}",
                     f"Baseline {report['settings']['baseline_file']}", "Stale baseline entries 1"):
        assert expected in text, expected
    seed = _Page(pages["seed"]).text
    assert "Config file none" in seed and "Baseline none" in seed and "Stale baseline entries 0" in seed


def test_settings_that_change_the_verdict_are_named_beside_it(suppressed, tmp_path):
    html, report = suppressed
    stack = Path(report["paths"][0])
    html, report = scan_page(tmp_path / "warn", str(stack), "--unknown", "warn", "--no-inline-suppressions")
    verdict = _Page(re.search(r'<div class="verdict.*?</div>', html, re.DOTALL).group(0)).text
    assert "unknown results: do not fail the gate; reported as warnings (unknown = warn)" in verdict
    assert "inline suppressions: not applied" in verdict
    assert "3 failed at or above fail-on low; 1 unknown not blocking (unknown = warn)." in verdict
    maybe = next(a for a in re.findall(r"<article.*?</article>", html, re.DOTALL) if "method.maybe" in a)
    assert ("Unknown results do not fail the gate (unknown = warn): reported, but it does not block the gate."
            in _Page(maybe).text)
    assert "aws_api_gateway_method.health" not in _rows(html)  # the comment was not applied: a finding again

    (tmp_path / "inline").mkdir()
    (tmp_path / "inline" / "main.tf").write_text(inline_tf(INLINE_REASON))
    html, report = scan_page(tmp_path / "strict", str(tmp_path / "inline"), "--fail-on-suppressions")
    assert report["exit_code"] == 1 and report["summary"]["failed"] == 0
    assert _verdict_text(html) == "FAIL"
    verdict = _Page(re.search(r'<div class="verdict.*?</div>', html, re.DOTALL).group(0)).text
    assert "1 inline suppression present (fail-on-suppressions)." in verdict


def test_suppressed_page_in_chromium(chromium, suppressed, tmp_path):
    html, _ = suppressed
    page = tmp_path / "gateaudit-suppressed.html"
    page.write_text(html, encoding="utf-8")
    dom, console = _load(chromium, tmp_path, page)
    assert console == []
    assert dom.tags() == _Page(html).tags()
    assert not any(tag == "script" or "data-pwned" in attrs for tag, attrs in dom.elements)
    assert INLINE_REASON in dom.text and CONFIG_REASON in dom.text
