"""The scan cache reuses a judgement only for the very same inputs: any change a user can make is judged afresh."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from gateaudit import cli, modules

OPEN = ('resource "aws_api_gateway_method" "m" {\n  rest_api_id   = "a"\n  resource_id   = "r"\n'
        '  http_method   = "GET"\n  authorization = "%s"\n}\n')
GUARDED = OPEN % "AWS_IAM"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    return folder


@pytest.fixture
def loads(monkeypatch):
    """How many times the stack was loaded (not taken from the cache)."""
    count = {"n": 0}
    real = modules.load_with_inputs

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(modules, "load_with_inputs", counting)
    return count


def scan(tmp_path: Path, *args: str) -> tuple[int, dict]:
    out = tmp_path / "report.json"
    code = cli.main(["scan", *args, "--format", "json", "--output", str(out)])
    report = json.loads(out.read_text())
    return code, report


def verdicts(report: dict) -> list[tuple[str, str, str]]:
    return [(r["rule_id"], r["resource"], r["status"]) for r in report["results"]]


def tree(tmp_path: Path, text: str = GUARDED) -> Path:
    folder = tmp_path / "tf"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(text)
    return folder


def test_an_unchanged_tree_is_judged_once_and_reported_the_same(tmp_path, cache, loads):
    folder = tree(tmp_path, OPEN % "NONE")
    first = scan(tmp_path, str(folder))
    second = scan(tmp_path, str(folder))
    assert loads["n"] == 1
    assert first == second
    assert first[0] == 1 and ("GA101", "aws_api_gateway_method.m", "failed") in verdicts(first[1])


def test_no_cache_judges_every_time_and_keeps_nothing(tmp_path, cache, loads):
    folder = tree(tmp_path)
    scan(tmp_path, str(folder), "--no-cache")
    scan(tmp_path, str(folder), "--no-cache")
    assert loads["n"] == 2
    assert not any(cache.rglob("scans"))


def change_a_byte(folder: Path) -> None:
    (folder / "main.tf").write_text(OPEN % "NONE")


def add_a_file(folder: Path) -> None:
    (folder / "more.tf").write_text((OPEN % "NONE").replace('"m"', '"n"'))


def add_tfvars(folder: Path) -> None:
    (folder / "main.tf").write_text('variable "auth" {\n  type = string\n}\n' + (OPEN % "${var.auth}"))
    (folder / "terraform.tfvars").write_text('auth = "CUSTOM"\n')


def replace_with_a_link(folder: Path) -> None:
    elsewhere = folder.parent / "elsewhere.tf"
    elsewhere.write_text(OPEN % "NONE")
    (folder / "main.tf").unlink()
    (folder / "main.tf").symlink_to(elsewhere)


def make_unreadable_by_size(folder: Path) -> None:
    (folder / "main.tf").write_text(GUARDED + "#" * 5000 + "\n")


@pytest.mark.parametrize("change", [change_a_byte, add_a_file, add_tfvars, replace_with_a_link,
                                    make_unreadable_by_size])
def test_a_change_to_the_tree_is_judged_afresh(tmp_path, cache, loads, change):
    folder = tree(tmp_path)
    before = scan(tmp_path, str(folder), "--max-file-size", "4KB")
    change(folder)
    after = scan(tmp_path, str(folder), "--max-file-size", "4KB")
    fresh = scan(tmp_path, str(folder), "--max-file-size", "4KB", "--no-cache")
    assert loads["n"] == 3
    assert after == fresh != before


def test_a_change_in_a_called_module_outside_the_scanned_folder(tmp_path, cache, loads):
    (tmp_path / ".git").mkdir()  # the repository root: it holds both folders
    root, module = tmp_path / "root", tmp_path / "mod"
    root.mkdir()
    module.mkdir()
    (root / "main.tf").write_text('module "api" {\n  source = "../mod"\n}\n')
    (module / "main.tf").write_text(GUARDED)
    before = scan(tmp_path, str(root))
    (module / "main.tf").write_text(OPEN % "NONE")
    after = scan(tmp_path, str(root))
    assert ("GA101", "module.api.aws_api_gateway_method.m", "failed") in verdicts(after[1])
    assert after != before and loads["n"] == 2


def test_a_module_twenty_roots_call_is_listed_once_a_scan_and_its_change_still_seen(tmp_path, cache, loads,
                                                                                       monkeypatch):
    """A warm scan of a monorepo asks the filesystem each question once: a shared module's folder is listed
    once, not once per root that calls it."""
    from gateaudit import inputs

    (tmp_path / ".git").mkdir()
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(GUARDED)
    for n in range(20):
        (tmp_path / "roots" / f"r{n}").mkdir(parents=True)
        (tmp_path / "roots" / f"r{n}" / "main.tf").write_text('module "api" {\n  source = "../../mod"\n}\n')
    listed: list[str] = []
    real = inputs._QUESTIONS["config_files_in"]

    def listing(directory, *extra):
        listed.append(directory.name)
        return real(directory, *extra)

    monkeypatch.setitem(inputs._QUESTIONS, "config_files_in", listing)
    cold = scan(tmp_path, str(tmp_path / "roots"))
    warm = scan(tmp_path, str(tmp_path / "roots"))
    assert warm == cold and loads["n"] == 1
    assert listed == ["mod", "mod"]  # once by the load, once by the warm scan's check
    (tmp_path / "mod" / "main.tf").write_text(OPEN % "NONE")
    changed = scan(tmp_path, str(tmp_path / "roots"))
    assert loads["n"] == 2
    assert {status for rule, _, status in verdicts(changed[1]) if rule == "GA101"} == {"failed"}


def test_a_change_to_a_file_that_file_reads_is_judged_afresh(tmp_path, cache, loads):
    folder = tree(tmp_path, 'resource "aws_apigatewayv2_api" "http" {\n  name          = "fitness"\n'
                            '  protocol_type = "HTTP"\n  body          = file("${path.module}/openapi.yaml")\n}\n')
    spec = ("openapi: 3.0.1\ninfo: {title: fitness, version: '1'}\ncomponents:\n  securitySchemes:\n    sigv4: "
            "{type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n"
            "paths:\n  /workouts:\n    get: %s\n")
    (folder / "openapi.yaml").write_text(spec % "{security: [{sigv4: []}]}")
    before = scan(tmp_path, str(folder))
    assert scan(tmp_path, str(folder)) == before and loads["n"] == 1
    (folder / "openapi.yaml").write_text(spec % "{}")  # the route's only line, in the spec file, changes
    after = scan(tmp_path, str(folder))
    assert ("GA102", "aws_apigatewayv2_api.http GET /workouts", "passed") in verdicts(before[1])
    assert ("GA102", "aws_apigatewayv2_api.http GET /workouts", "failed") in verdicts(after[1])
    assert loads["n"] == 2


def test_a_var_file_and_its_content(tmp_path, cache, loads):
    folder = tree(tmp_path, 'variable "auth" {\n  type = string\n}\n' + (OPEN % "${var.auth}"))
    values = tmp_path / "prod.tfvars"
    values.write_text('auth = "NONE"\n')
    assert scan(tmp_path, str(folder), "--var-file", str(values))[0] == 1
    values.write_text('auth = "AWS_IAM"\n')
    assert scan(tmp_path, str(folder), "--var-file", str(values))[0] == 0
    values.unlink()
    assert scan(tmp_path, str(folder), "--var-file", str(values))[0] == 2
    assert loads["n"] == 3


def test_rule_options_and_skipped_rules_are_part_of_the_key(tmp_path, cache, loads):
    folder = tree(tmp_path, OPEN % "NONE")
    config = tmp_path / "gateaudit.toml"
    config.write_text("")
    assert scan(tmp_path, str(folder), "--config", str(config))[0] == 1
    config.write_text('skip-rules = ["GA101"]\n')
    code, report = scan(tmp_path, str(folder), "--config", str(config))
    assert code == 0 and "GA101" not in {r["rule_id"] for r in report["results"]}
    assert loads["n"] == 2


def test_a_changed_user_rule_is_run_again(tmp_path, cache, loads):
    folder = tree(tmp_path)
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = '''from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM001", control="team", severity=Severity.MEDIUM, title="t", rationale="r", remediation="m")


def check(stack):
    for method in stack.resources("aws_api_gateway_method"):
        yield RULE.%s(method%s)
'''
    (rules / "team.py").write_text(rule % ("passed", ""))
    assert scan(tmp_path, str(folder), "--rules-dir", str(rules))[0] == 0
    (rules / "team.py").write_text(rule % ("failed", ', "said so"'))
    assert scan(tmp_path, str(folder), "--rules-dir", str(rules))[0] == 1
    assert loads["n"] == 2


def test_suppressions_expire_by_the_date_of_the_run_not_of_the_cached_judgement(tmp_path, cache, loads,
                                                                                monkeypatch):
    folder = tree(tmp_path, "# gateaudit:ignore GA101 reason=\"migration\" until=2026-06-30\n" + OPEN % "NONE")
    assert scan(tmp_path, str(folder), "--today", "2026-06-01")[0] == 0
    code, report = scan(tmp_path, str(folder), "--today", "2027-01-01")
    assert code == 1 and "expired on 2026-06-30" in json.dumps(report)
    assert loads["n"] == 1


def test_a_corrupt_or_foreign_entry_is_judged_afresh_and_replaced(tmp_path, cache, loads):
    folder = tree(tmp_path, OPEN % "NONE")
    first = scan(tmp_path, str(folder))
    entries = [p for p in (cache.rglob("scans/*")) if p.is_file()]
    assert len(entries) == 1
    for damage in (b"", b"\x80\x04not a pickle", entries[0].read_bytes()[:200]):
        entries[0].write_bytes(damage)
        assert scan(tmp_path, str(folder)) == first
    assert loads["n"] == 4
    assert scan(tmp_path, str(folder)) == first and loads["n"] == 4  # written again, whole


def test_the_working_folder_is_part_of_the_key(tmp_path, cache, loads, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name / "tf").mkdir(parents=True)
        (tmp_path / name / "tf" / "main.tf").write_text(GUARDED if name == "a" else OPEN % "NONE")
    monkeypatch.chdir(tmp_path / "a")
    assert scan(tmp_path, "tf")[0] == 0
    monkeypatch.chdir(tmp_path / "b")
    assert scan(tmp_path, "tf")[0] == 1
    assert loads["n"] == 2
    assert os.getcwd() == str(tmp_path / "b")


def test_the_file_size_limit_belongs_to_one_scan_not_to_the_process(tmp_path, cache):
    folder = tree(tmp_path, GUARDED + "#" * 5000 + "\n")
    assert scan(tmp_path, str(folder), "--max-file-size", "4KB")[0] == 2
    assert scan(tmp_path, str(folder))[0] == 0  # the default again: 10 MiB
    assert scan(tmp_path, str(folder), "--no-cache")[0] == 0


def test_only_the_most_recently_used_judgements_are_kept(tmp_path, cache, loads, monkeypatch):
    from gateaudit import scan_cache

    monkeypatch.setattr(scan_cache, "KEEP", 3)
    for n in range(5):
        (tmp_path / f"t{n}").mkdir()
    folders = [tree(tmp_path / f"t{n}", OPEN % "NONE") for n in range(5)]
    for folder in folders[:3]:
        scan(tmp_path, str(folder))
    scan(tmp_path, str(folders[0]))  # used again: now the most recent
    for folder in folders[3:]:
        scan(tmp_path, str(folder))
    assert len([p for p in cache.rglob("scans/*") if p.is_file()]) == 3
    loads["n"] = 0
    scan(tmp_path, str(folders[0]))
    scan(tmp_path, str(folders[4]))
    assert loads["n"] == 0  # both kept
    scan(tmp_path, str(folders[1]))
    assert loads["n"] == 1  # pruned, judged again


def test_a_variable_file_link_moved_out_of_the_root_is_judged_afresh(tmp_path, cache, loads):
    folder = tree(tmp_path, 'variable "auth" {\n  type = string\n}\n' + (OPEN % "${var.auth}"))
    (folder / "values").write_text('auth = "AWS_IAM"\n')
    (tmp_path / "values").write_text('auth = "AWS_IAM"\n')
    (folder / "terraform.tfvars").symlink_to(folder / "values")
    assert scan(tmp_path, str(folder))[0] == 0
    (folder / "terraform.tfvars").unlink()
    (folder / "terraform.tfvars").symlink_to(tmp_path / "values")  # the same text, now outside the root
    code, report = scan(tmp_path, str(folder))
    assert code == 2 and "outside the repository root" in report["errors"][0]["message"]
    assert loads["n"] == 2


def test_the_repository_root_is_part_of_the_key(tmp_path, cache, loads):
    folder = tree(tmp_path, 'variable "auth" {\n  type = string\n}\n' + (OPEN % "${var.auth}"))
    (tmp_path / "values").write_text('auth = "AWS_IAM"\n')
    (folder / "terraform.tfvars").symlink_to(tmp_path / "values")
    assert scan(tmp_path, str(folder))[0] == 2  # the root is the scanned folder: the link leads out of it
    (tmp_path / ".git").mkdir()  # now the root is tmp_path, and holds the link's target
    assert scan(tmp_path, str(folder))[0] == 0
    assert loads["n"] == 2


# --------------------------------------------------------------------------- what the caches hold, and whom they trust

SECRET_ENV = "AKIAIOSFODNN7EXAMPLE"
SECRET_TFVARS = "Tr0ub4dor-and-3-staple"
NOTE = "# the zebra-unicorn note: a comment that is only text"
LEAKY = f'''{NOTE}
resource "aws_lambda_function" "uploader" {{
  function_name = "fitness-uploader"
  role          = "arn:aws:iam::123456789012:role/fitness-uploader"
  environment {{
    variables = {{
      UPLOAD_PRINCIPAL = "{SECRET_ENV}"
      DB_PASSWORD      = var.db_password
    }}
  }}
}}

variable "db_password" {{
  type      = string
  sensitive = true
}}

# gateaudit:ignore GA101 reason="a public health check"
{OPEN % "NONE"}'''


def every_report(tmp_path: Path, *args: str) -> tuple[int, dict[str, str]]:
    out = tmp_path / "reports"
    code = cli.main(["scan", *args, "--format", "json", "--format", "html", "--format", "text", "--output-dir",
                     str(out)])
    return code, {path.name: path.read_text() for path in sorted(out.iterdir())}


@pytest.mark.parametrize("encoded", [str.encode, lambda text: "\ufeff".encode() + text.replace("\n", "\r\n").encode()],
                         ids=["plain", "BOM and CRLF"])
def test_the_scan_cache_holds_no_text_of_the_scanned_files(tmp_path, cache, loads, encoded):
    folder = tree(tmp_path)
    (folder / "main.tf").write_bytes(encoded(LEAKY))
    (folder / "terraform.tfvars").write_bytes(encoded(f'db_password = "{SECRET_TFVARS}"\n'))
    cold = every_report(tmp_path, str(folder), "-v")
    warm = every_report(tmp_path, str(folder), "-v")
    assert loads["n"] == 1 and warm == cold
    code, reports = cold
    assert code == 1
    statuses = {(r["rule_id"], r["resource"], r["status"]) for r in json.loads(reports["gateaudit.json"])["results"]}
    assert {("GA202", "aws_lambda_function.uploader", "failed"), ("GA203", "var.db_password", "failed"),
            ("GA101", "aws_api_gateway_method.m", "suppressed")} <= statuses
    assert "UPLOAD_PRINCIPAL = &#34;****&#34;" in reports["gateaudit.html"]  # masked, warm as cold
    entries = [path for path in cache.rglob("scans/*") if path.is_file()]
    assert len(entries) == 1
    held = entries[0].read_bytes()
    for text in (SECRET_ENV, SECRET_TFVARS, NOTE[2:], 'role          = "arn:aws:iam::123456789012:role/fitness-up'):
        assert text.encode() not in held, text
    # The parse cache holds the parsed files, .tf and HCL variable files alike, literals included, in the
    # user's own 0700 folder (README, "Caches").
    parsed = b"".join(path.read_bytes() for path in cache.rglob("*/[0-9a-f][0-9a-f]/*"))
    assert SECRET_ENV.encode() in parsed and SECRET_TFVARS.encode() in parsed


def test_a_scan_entry_edited_by_a_byte_is_ignored_and_rewritten(tmp_path, cache, loads):
    folder = tree(tmp_path, OPEN % "NONE")
    first = scan(tmp_path, str(folder))
    assert ("GA101", "aws_api_gateway_method.m", "failed") in verdicts(first[1])
    entry = next(path for path in cache.rglob("scans/*") if path.is_file())
    kept = entry.read_bytes()
    assert kept.count(b"failed") == 1
    entry.write_bytes(kept.replace(b"failed", b"passed"))  # still a pickle, now of a judgement that passes
    assert scan(tmp_path, str(folder)) == first
    assert loads["n"] == 2 and entry.read_bytes() != kept.replace(b"failed", b"passed")
    assert scan(tmp_path, str(folder)) == first and loads["n"] == 2  # written again, and trusted again


def test_a_reused_judgement_is_the_fresh_one_down_to_the_literals_it_masks(tmp_path, cache, loads):
    """A flagged literal written with an escape is nowhere in the files as it is: no position can stand for it,
    so that judgement is not kept, rather than reused with less to mask."""
    from gateaudit.engine import ScanOptions, judge
    from gateaudit.rules import load_rules

    escaped = LEAKY.replace(SECRET_ENV, SECRET_ENV[:-1] + "\\u0045")  # the same value, its last letter escaped
    assert SECRET_ENV not in escaped
    for text, kept in ((LEAKY, True), (escaped, False)):
        (tmp_path / str(kept)).mkdir()
        folder = tree(tmp_path / str(kept), text)
        options = ScanOptions(paths=[folder], display_paths=[str(folder)])
        rules = load_rules()
        cold = judge(options, rules)
        assert SECRET_ENV in cold.secrets
        loads["n"] = 0
        assert judge(options, rules) == cold
        assert loads["n"] == (0 if kept else 1)


def test_a_judgement_whose_messages_quote_a_flagged_literal_is_not_kept(tmp_path, cache, loads):
    """A rule should never echo a secret; if one does, the secret still does not reach the scan cache."""
    folder = tree(tmp_path, LEAKY)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "quoting.py").write_text(f'''from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM003", control="team", severity=Severity.HIGH, title="t", rationale="r", remediation="m")


def check(stack):
    for function in stack.resources("aws_lambda_function"):
        yield RULE.failed(function, "the environment holds {SECRET_ENV}")
''')
    first = scan(tmp_path, str(folder), "--rules-dir", str(rules))
    assert ("TEAM003", "aws_lambda_function.uploader", "failed") in verdicts(first[1])
    assert ("GA202", "aws_lambda_function.uploader", "failed") in verdicts(first[1])
    assert scan(tmp_path, str(folder), "--rules-dir", str(rules)) == first
    assert loads["n"] == 2
    assert not [path for path in cache.rglob("scans/*") if path.is_file()]


def code_running_pickle(marker: Path) -> bytes:
    import pickle

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(RunsCode())


@pytest.fixture
def gateaudit_process(cache):
    """Run gateaudit in a process of its own, as a user would: it loads the grammar's tables from the cache too."""
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "GATEAUDIT_CACHE_DIR": str(cache)})

    return run


def test_no_cache_entry_can_run_code(tmp_path, cache, gateaudit_process):
    """Unpickling runs code: every entry (parse cache, scan cache, the grammar's tables) is authenticated first."""
    folder = tree(tmp_path, OPEN % "NONE")
    first = gateaudit_process("scan", str(folder), "--format", "json")
    assert first.returncode == 1
    entries = [path for path in cache.rglob("*") if path.is_file() and path.name != "key"]
    kinds = {"scans" if path.parent.name == "scans" else path.suffix or "parsed" for path in entries}
    assert kinds == {"scans", ".pickle", "parsed"}  # a scan entry, the grammar's tables, a parsed file
    marker = tmp_path / "ran"
    evil = code_running_pickle(marker)
    for path in entries:
        path.write_bytes(evil)
    again = gateaudit_process("scan", str(folder), "--format", "json")
    assert not marker.exists()
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert all(path.read_bytes() != evil for path in entries)  # each was read, refused and written again


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions only")
@pytest.mark.parametrize("spoil", ["readable by the group", "readable by all", "a symbolic link", "another owner"])
def test_a_key_file_others_could_read_or_replace_turns_the_cache_off(tmp_path, cache, loads, spoil):
    folder = tree(tmp_path, OPEN % "NONE")
    first = scan(tmp_path, str(folder))
    [key] = cache.rglob("key")
    assert key.stat().st_mode & 0o777 == 0o600
    if spoil == "readable by the group":
        key.chmod(0o640)
    elif spoil == "readable by all":
        key.chmod(0o644)
    elif spoil == "a symbolic link":
        elsewhere = tmp_path / "elsewhere-key"
        elsewhere.write_bytes(key.read_bytes())
        elsewhere.chmod(0o600)
        key.unlink()
        key.symlink_to(elsewhere)
    else:
        if os.getuid() != 0:
            pytest.skip("changing a file's owner needs root")
        os.chown(key, 65534, -1)
    entries = sorted(path for path in cache.rglob("*") if path.is_file())
    assert scan(tmp_path, str(folder)) == first
    assert scan(tmp_path, str(folder)) == first
    assert loads["n"] == 3  # judged every time: no cache, and no error
    assert sorted(path for path in cache.rglob("*") if path.is_file()) == entries  # and nothing written


def test_a_rule_rewritten_with_the_same_size_and_time_is_run_again(tmp_path, cache, loads, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as for most users: Python keeps .pyc files
    folder = tree(tmp_path)
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = '''from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM002", control="team", severity=Severity.MEDIUM, title="t", rationale="r", remediation="m")


def check(stack):
    for method in stack.resources("aws_api_gateway_method"):
        yield RULE.%s(method, "the team said so")
'''
    team = rules / "team.py"
    team.write_text(rule % "unknown")
    assert scan(tmp_path, str(folder), "--rules-dir", str(rules))[0] == 1
    before = team.stat()
    team.write_text(rule % "passed ")  # as long as "unknown": same size
    os.utime(team, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert team.stat().st_size == before.st_size and team.stat().st_mtime_ns == before.st_mtime_ns
    assert scan(tmp_path, str(folder), "--rules-dir", str(rules))[0] == 0
    assert loads["n"] == 2
    assert not (rules / "__pycache__").exists()  # a user's rule is run from its source, never from a .pyc


@pytest.mark.parametrize("change", ["edit", "new module"])
def test_a_change_to_the_authorizers_code_is_judged_afresh(tmp_path, cache, loads, change):
    fixture = Path(__file__).resolve().parents[1] / "rules" / "GA407" / "fail_logs_the_event"
    folder = tmp_path / "authorizer"
    folder.mkdir()
    for name in ("main.tf", "handler.py", "policies.py"):
        (folder / name).write_text((fixture / name).read_text())
    before = scan(tmp_path, str(folder))
    assert scan(tmp_path, str(folder)) == before and loads["n"] == 1
    handler = folder / "handler.py"
    logged = 'logger.info("Received event: %s", json.dumps(event))'
    if change == "edit":  # the line that logs the whole event goes
        handler.write_text(handler.read_text().replace(logged, "pass"))
    else:  # a module of the package appears, and logs the event: the folder's listing changed
        (folder / "audit.py").write_text("import logging\n\n\ndef audit(event):\n    logging.info('%s', event)\n")
        text = handler.read_text().replace(logged, "audit(event)")
        handler.write_text(text.replace("from policies import", "from audit import audit\nfrom policies import"))
    after = scan(tmp_path, str(folder))
    failed = {(r["rule_id"], r["file"]) for r in after[1]["results"]
              if r["status"] == "failed" and r["rule_id"] == "GA407"}
    assert ("GA407", "handler.py") in {(r["rule_id"], r["file"]) for r in before[1]["results"]}
    assert failed == ({("GA407", "audit.py")} if change == "new module" else set())
    assert loads["n"] == 2


# GA407's fixtures as CI deploys them, the handler in the zip the function's `filename` names: (fixture, handler,
# the line that logs what it must not, the comment that suppresses it)
ZIPPED = {
    "python": ("fail_logs_the_event", "handler.py", '    logger.info("Received',
               '    # gateaudit:ignore GA407 reason="redacted upstream"\n'),
    "node": ("fail_node_logger_from_another_module", "handler.js", "  log.info({ headers",
             '  // gateaudit:ignore GA407 reason="redacted upstream"\n'),
}


def zipped_authorizer(tmp_path: Path, language: str, suppressed: bool) -> Path:
    """The authorizer's code in a zip, with an inline suppression written above the line that logs what it must
    not, or without it."""
    name, handler, logged, suppression = ZIPPED[language]
    fixture = Path(__file__).resolve().parents[1] / "rules" / "GA407" / name
    folder = tmp_path / "authorizer"
    (folder / "build").mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text((fixture / "main.tf").read_text())
    with zipfile.ZipFile(folder / "build" / "authorizer.zip", "w") as archive:
        for code in sorted(fixture.iterdir()):
            if code.name != "main.tf":
                text = code.read_text()
                if suppressed and code.name == handler:
                    text = text.replace(logged, suppression + logged)
                archive.writestr(code.name, text)
    return folder


def ga407(report: dict) -> list[tuple[str, str]]:
    return [(r["status"], r["file"]) for r in report["results"] if r["rule_id"] == "GA407"]


@pytest.mark.parametrize("language", sorted(ZIPPED))
def test_a_judgement_of_code_read_from_a_zip_is_reused_with_the_comments_written_in_it(tmp_path, cache, loads,
                                                                                      language):
    folder = zipped_authorizer(tmp_path, language, suppressed=True)
    first = scan(tmp_path, str(folder))
    second = scan(tmp_path, str(folder))
    assert ga407(first[1]) == [("suppressed", f"build/authorizer.zip!/{ZIPPED[language][1]}")]
    assert second == first
    assert loads["n"] == 1  # the reference stack's authorizer is such a zip: its warm scans were all cold
    entries = list(cache.rglob("scans/*"))
    assert entries and not any(b"redacted upstream" in entry.read_bytes() for entry in entries)  # a place, no text


@pytest.mark.parametrize("language", sorted(ZIPPED))
def test_a_change_inside_a_zip_is_judged_afresh(tmp_path, cache, loads, language):
    folder = zipped_authorizer(tmp_path, language, suppressed=True)
    scan(tmp_path, str(folder))
    zipped_authorizer(tmp_path, language, suppressed=False)  # the suppression deleted from the code, the zip rebuilt
    code, report = scan(tmp_path, str(folder))
    assert code == 1 and ga407(report) == [("failed", f"build/authorizer.zip!/{ZIPPED[language][1]}")]
    assert loads["n"] == 2


def test_the_reference_stack_scanned_twice_is_judged_once(tmp_path, cache, loads):
    """`make scan` run again on an unchanged checkout: its authorizer's code is read from stack/build/authorizer.zip
    (tests/conftest.py builds it), whose comments kept every judgement of the stack out of the cache."""
    stack = Path(__file__).resolve().parents[2] / "stack" / "terraform"
    first = scan(tmp_path, str(stack))
    assert "../build/authorizer.zip!/handler.py" in {r["file"] for r in first[1]["results"]}
    assert scan(tmp_path, str(stack)) == first
    assert loads["n"] == 1


# A warm scan, as a user runs it: in a process of its own, which then says what it imported.
WARM_IMPORTS = """
import sys
from gateaudit.cli import main
code = main(sys.argv[1:])
print(sorted(name for name in sys.modules if name == "gateaudit.model" or name.startswith("gateaudit.rules.ga")))
sys.exit(code)
"""


def test_a_reused_judgement_imports_no_rule_and_no_model(tmp_path, cache):
    """The rules a scan reports and keys its judgement by are read from their catalogue in the cache folder: a scan
    that reuses a judgement runs no rule, and imports none of them, nor the model they import (a fifth of its time)."""
    import subprocess
    import sys

    folder = tree(tmp_path, OPEN % "NONE")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", WARM_IMPORTS, "scan", str(folder), "--format", "sarif", *args],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "GATEAUDIT_CACHE_DIR": str(cache)})

    cold, warm, uncached = run(), run(), run("--no-cache")
    assert cold.stdout.splitlines()[-1] != "[]"  # judged: the rules and the model were imported
    assert warm.stdout.splitlines()[-1] == "[]"
    assert len(list(cache.rglob("rules/*"))) == 1
    # The same report, to the rules' help text: from the catalogue, from the rules themselves, without a cache
    report = [json.loads("\n".join(done.stdout.splitlines()[:-1])) for done in (cold, warm, uncached)]
    assert report[0] == report[1] == report[2] and warm.returncode == 1
    rules = report[1]["runs"][0]["tool"]["driver"]["rules"]
    assert any(rule["id"] == "GA101" and rule["help"]["text"] for rule in rules)


def test_a_rule_catalogue_that_is_not_one_is_made_again(tmp_path, cache, loads):
    from gateaudit.cache import open_cache, read, write
    from gateaudit.scan_cache import own_code

    folder = tree(tmp_path, OPEN % "NONE")
    first = scan(tmp_path, str(folder))
    kept = open_cache()
    write(kept, f"rules/{own_code()}", ["GA101"])  # signed with the folder's key, but no catalogue
    assert scan(tmp_path, str(folder)) == first and loads["n"] == 1
    assert [listed.rule.id for listed in read(kept, f"rules/{own_code()}")][:2] == ["GA100", "GA101"]


def test_catalogues_of_other_code_are_pruned(tmp_path, cache):
    from gateaudit.cache import open_cache, write
    from gateaudit.scan_cache import CATALOGUES_KEPT, own_code

    kept = open_cache()
    for number in range(CATALOGUES_KEPT + 2):  # an upgrade, another branch's checkout: each other code
        write(kept, f"rules/{number:064x}", [])
        os.utime(kept.folder / "rules" / f"{number:064x}", ns=(number * 10**9, number * 10**9))
    scan(tmp_path, str(tree(tmp_path)))
    names = sorted(path.name for path in (kept.folder / "rules").iterdir())
    assert len(names) == CATALOGUES_KEPT and own_code() in names
    assert f"{0:064x}" not in names and f"{CATALOGUES_KEPT + 1:064x}" in names  # the least recently used go
