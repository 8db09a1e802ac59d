"""Hostile and broken input (issue 8): every case ends in a true verdict or exit 2 with a clear message,
within a time limit, and never with a traceback.

Small cases live in `corpus/`, one file each, their expected outcome in CORPUS below. Big, binary, deep and
file-system cases (symlinks, permissions, 20,000 files) are generated at test time into tmp folders.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
TIME_LIMIT = 60  # seconds per scan; a hang fails the test instead of the suite

# file -> (exit code, text that must appear in the output: the message, with "file:line" where there is one)
EXPECTED: dict[str, tuple[int, str]] = {
    "unterminated_block.tf": (2, "unterminated_block.tf:3: unexpected end of file (an unclosed block"),
    "unterminated_string.tf": (2, "unterminated_string.tf:2: unexpected end of file"),
    "stray_brace_first.tf": (2, "stray_brace_first.tf:1: unexpected '}'"),
    "stray_braces_after.tf": (2, "stray_braces_after.tf:2: unexpected '}'"),
    "unclosed_bracket.tf": (2, "unclosed_bracket.tf:3: unexpected '}'"),
    "heredoc_unterminated.tf": (2, "heredoc_unterminated.tf:2: a heredoc <<EOT that is never closed"),
    "heredoc_wrong_marker.tf": (2, "heredoc_wrong_marker.tf:2: a heredoc <<EOT that is never closed"),
    "escape_unknown.tf": (2, "escape_unknown.tf:2: invalid escape sequence \\q in a string"),
    "escape_short_unicode.tf": (2, "escape_short_unicode.tf:2: invalid escape sequence \\u in a string"),
    "escape_lone_surrogate.tf": (2, "escape_lone_surrogate.tf:2: invalid escape sequence \\ud800 in a string: "
                                    "not a Unicode character"),
    "escape_beyond_unicode.tf": (2, "escape_beyond_unicode.tf:2: invalid escape sequence \\UFFFFFFFF"),
    "label_with_interpolation.tf": (2, "label_with_interpolation.tf:1: a block label must be a plain string"),
    "resource_one_label.tf": (2, 'resource_one_label.tf:1: a "resource" block needs 2 label(s)'),
    "argument_outside_block.tf": (2, 'argument_outside_block.tf:1: unexpected argument "bucket" outside any block'),
    "attribute_twice.tf": (2, 'attribute_twice.tf:3: attribute "bucket" is set twice (first on line 2)'),
    "unknown_block_type.tf": (2, 'unknown_block_type.tf:1: "resourse" is not a Terraform block type'),
    "declared_twice.tf": (2, "declared_twice.tf:3: aws_s3_bucket.b is declared twice (first at declared_twice.tf:1)"),
    "json_truncated.tf.json": (2, "json_truncated.tf.json:3: not valid JSON: expected a quoted object key"),
    "json_is_hcl.tf.json": (2, "json_is_hcl.tf.json:1: not valid JSON: unexpected character 'r'"),
    "json_array.tf.json": (2, "json_array.tf.json:1: a .tf.json file must hold a JSON object"),
    "json_empty.tf.json": (2, "json_empty.tf.json:1: not valid JSON: unexpected end of file"),
    "json_unknown_top_key.tf.json": (2, 'json_unknown_top_key.tf.json:2: "resourse" is not a Terraform top-level'),
    "json_resource_string.tf.json": (2, 'json_resource_string.tf.json:2: "resource" must be a JSON object'),
    "json_body_number.tf.json": (2, 'json_body_number.tf.json:4: the body of resource "aws_s3_bucket.b" must be'),
    "json_duplicate_key.tf.json": (2, 'json_duplicate_key.tf.json:3: not valid JSON: key "x" appears twice'),
    "json_bad_interpolation.tf.json": (2, "json_bad_interpolation.tf.json:3: cannot parse the expression ']]'"),
    "json_unclosed_interpolation.tf.json": (2, "json_unclosed_interpolation.tf.json:3: unclosed interpolation"),
    "json_lone_surrogate.tf.json": (2, "json_lone_surrogate.tf.json:2: not valid JSON: a \\u escape in a string is "
                                       "half a surrogate pair"),
    "json_module_source_number.tf.json": (2, "json_module_source_number.tf.json:2: module.m: source must be a "
                                             "literal string"),
    "module_calls_itself.tf": (2, "module_calls_itself.tf:2: module.self: module source './' calls itself"),
    # valid input scans
    "crlf_endings.tf": (0, "PASS"),
    "utf8_bom.tf": (0, "PASS"),
    "utf8_bom_crlf.tf.json": (0, "PASS"),
    "empty.tf": (0, "PASS"),
    "only_whitespace_and_comments.tf": (0, "PASS"),
    # what the evaluator cannot know is an explicit unknown naming the reason
    "unknown_function.tf": (1, "the function frobnicate() is not evaluated by gateaudit"),
    "provider_function.tf": (1, "the provider-defined function provider::aws::arn_parse() is not evaluated"),
    "count_ten_million.tf": (1, "count = 10000000 is over the expansion limit of 1000"),
    "for_each_ten_million.tf": (1, "the function range() is not evaluated by gateaudit"),
    "count_infinite.tf": (1, "count must be a whole number"),
    # values that double with each local, or multiply in nested for expressions: bounded, and unknown
    "doubling_strings.tf": (1, "a string of more than 1000000 characters: not evaluated"),
    "doubling_lists.tf": (1, "is larger than 1000000 elements or characters: not evaluated"),
    "cartesian_for.tf": (1, "evaluation takes more than 200000 steps: not evaluated"),
    # an OpenAPI body whose YAML aliases expand a billionfold: bounded, and its routes unknown
    "openapi_yaml_bomb.tf": (1, "the routes its body defines could not be read: the document holds more than "
                                "1000000 elements and characters (aliases expanded)"),
    # terminal escapes from the input never reach the terminal
    "ansi_in_names.tf": (1, 'authorization is "NONE"'),
}


def scan(*args: str | Path, cwd: Path | None = None, timeout: int = TIME_LIMIT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", "scan", *map(str, args)], capture_output=True,
                          text=True, errors="replace", cwd=cwd, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def assert_clean(done: subprocess.CompletedProcess) -> None:
    """No traceback and no internal error ever; no raw terminal escape from the input in the text report."""
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]
    assert "\x1b" not in output and "\x07" not in output


def assert_outcome(done: subprocess.CompletedProcess, code: int, text: str) -> None:
    assert_clean(done)
    output = done.stdout + done.stderr
    assert done.returncode == code, output[-3000:]
    assert text in output, output[-3000:]


def test_every_corpus_file_has_an_expected_outcome():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus(name):
    code, text = EXPECTED[name]
    assert_outcome(scan("--no-cache", name, cwd=CORPUS), code, text)


# ------------------------------------------------------------------------------------- generated cases

DEEP = 10_000
METHOD = '''resource "aws_api_gateway_method" "m" {{
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = {value}
}}
'''


def nested(kind: str, depth: int) -> str:
    """An expression (or a block body, for "block") nested `depth` levels deep."""
    return {
        "tuple": "[" * depth + '"NONE"' + "]" * depth,
        "paren": "(" * depth + '"NONE"' + ")" * depth,
        "object": "{a = " * depth + '"NONE"' + "}" * depth,
        "call": "upper(" * depth + '"NONE"' + ")" * depth,
        "operator": "1 + " * depth + "1",
        "conditional": "true ? " * depth + '"NONE"' + ' : "CUSTOM"' * depth,
        "interpolation": '"${' * depth + '"NONE"' + '}"' * depth,
        "index": '{a = "NONE"}["a"]' + "[0]" * (depth - 2),
        "attribute": "var.x" + ".a" * (depth - 1),
    }[kind]


KINDS = ["tuple", "paren", "object", "call", "operator", "conditional", "interpolation", "index", "attribute"]
TOO_DEEP = "nested more than 100 levels deep"


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "operator"])
def test_nesting_10000_levels_is_an_error_with_the_line(kind, tmp_path):
    (tmp_path / "deep.tf").write_text("\n" + METHOD.format(value=nested(kind, DEEP)))
    assert_outcome(scan("--no-cache", tmp_path), 2, f"deep.tf:6: {TOO_DEEP}")


def test_an_operator_chain_of_10000_terms_is_one_level_and_scans(tmp_path):
    """`1 + 1 + ...` nests nothing inside anything (issue 13): it used to be an error like the kinds above;
    now it is judged, its value computed."""
    (tmp_path / "deep.tf").write_text("\n" + METHOD.format(value=nested("operator", DEEP)))
    assert_outcome(scan("--no-cache", tmp_path), 1, 'authorization is "10001"')


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_at_the_limit_scans(kind, tmp_path):
    # 100 levels in all, counting the block: what the limit allows must go through every stage and report
    (tmp_path / "deep.tf").write_text(METHOD.format(value=nested(kind, 99)))
    done = scan("--no-cache", "--format", "json", tmp_path)
    assert_clean(done)
    assert done.returncode in (0, 1), done.stderr


def test_nested_blocks_10000_levels(tmp_path):
    body = "setting {\n" * DEEP + "}\n" * DEEP
    (tmp_path / "deep.tf").write_text(f'resource "aws_api_gateway_stage" "s" {{\n{body}}}\n')
    assert_outcome(scan("--no-cache", tmp_path), 2, f"deep.tf:101: {TOO_DEEP}")


@pytest.mark.parametrize("bracket", ["[", "{"])
def test_json_nesting_10000_levels(bracket, tmp_path):
    inner = "[" * DEEP + "]" * DEEP if bracket == "[" else '{"a": ' * DEEP + "1" + "}" * DEEP
    (tmp_path / "deep.tf.json").write_text('{\n"locals": {\n"x": ' + inner + "}}")
    assert_outcome(scan("--no-cache", tmp_path), 2, "deep.tf.json:3: not valid JSON: nested more than 100 levels")


@pytest.mark.parametrize(("content", "text"), [
    (bytes(range(256)) * 64, "binary.tf:1: binary content (a NUL byte): not a Terraform file"),
    (b'resource "aws_s3_bucket" "b" {\n  bucket = "caf\xe9"\n}\n', "binary.tf:2: not valid UTF-8 (byte 0xe9)"),
    ('resource "aws_s3_bucket" "b" {}\n'.encode("utf-16"), "binary.tf:1: binary content"),
    (b"\x89PNG\r\n\x1a\n" + os.urandom(4096).replace(b"\0", b"\1"), "binary.tf:1: not valid UTF-8"),
    (b'locals {\n  x = "\xed\xa0\x80"\n}\n', "binary.tf:2: not valid UTF-8 (byte 0xed)"),  # an encoded surrogate
], ids=["all_bytes", "latin1", "utf16", "png_like", "encoded_surrogate"])
def test_binary_and_invalid_utf8(content, text, tmp_path):
    (tmp_path / "binary.tf").write_bytes(content)
    assert_outcome(scan("--no-cache", tmp_path), 2, text)


def test_50_mb_file_is_over_the_size_limit(tmp_path):
    line = b'# ' + b"x" * 1021 + b"\n"
    with (tmp_path / "huge.tf").open("wb") as out:
        for _ in range(50 * 1024):
            out.write(line)
    assert_outcome(scan("--no-cache", tmp_path), 2,
                   "huge.tf: larger than the file size limit of 10 MiB: not read (raise the limit with "
                   "--max-file-size)")


def test_the_size_limit_can_be_raised_and_lowered(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "' + "x" * 4000 + '"\n}\n')
    assert_outcome(scan("--no-cache", "--max-file-size", "2k", tmp_path), 2,
                   "main.tf: larger than the file size limit of 2 KiB")
    assert_outcome(scan("--no-cache", "--max-file-size", "8k", tmp_path), 0, "PASS")
    done = scan("--max-file-size", "lots", tmp_path)
    assert done.returncode == 2 and "not a size: 'lots'" in done.stderr


def test_a_tfvars_file_over_the_limit_is_an_error_too(tmp_path):
    (tmp_path / "main.tf").write_text('variable "x" {}\n')
    (tmp_path / "terraform.tfvars").write_text('x = "' + "y" * 4000 + '"\n')
    assert_outcome(scan("--no-cache", "--max-file-size", "2k", tmp_path), 2,
                   "terraform.tfvars: larger than the file size limit of 2 KiB")


def test_very_long_lines_and_strings_scan(tmp_path):
    long_string = "a" * 5_000_000
    (tmp_path / "long_string.tf").write_text(f'resource "aws_s3_bucket" "b" {{\n  bucket = "{long_string}"\n}}\n')
    (tmp_path / "long_line.tf").write_text('locals {\n  x = [' + ", ".join(["1"] * 20_000) + "]\n}\n")
    (tmp_path / "long_name.tf").write_text('locals {\n  ' + "n" * 100_000 + " = 1\n}\n")
    assert_outcome(scan("--no-cache", tmp_path), 0, "PASS")


def test_a_folder_of_20000_small_files(tmp_path):
    """About 5 s here (parsed on every core); the time limit catches a quadratic step."""
    for index in range(20_000):
        (tmp_path / f"f{index:05}.tf").write_text(f'resource "aws_s3_bucket" "b{index}" {{}}\n')
    assert_outcome(scan("--no-cache", tmp_path), 0, "PASS")


# ------------------------------------------------------------------------------------------ symlinks

OPEN_METHOD = METHOD.format(value='"NONE"')


def symlinks_tree(tmp_path: Path) -> Path:
    scanned, outside = tmp_path / "scanned", tmp_path / "outside"
    (scanned / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.tf").write_text('resource "aws_s3_bucket" "outside" {}\n')
    (scanned / "shared").mkdir()
    (scanned / "shared" / "method.tf").write_text(OPEN_METHOD)
    return scanned


def test_a_link_to_a_file_inside_the_tree_is_followed(tmp_path):
    scanned = symlinks_tree(tmp_path)
    (scanned / "sub" / "linked.tf").symlink_to("../shared/method.tf")
    done = scan("--no-cache", scanned)
    assert_outcome(done, 1, "sub/linked.tf:1")  # judged where the module holds it
    assert "shared/method.tf:1" in done.stdout


@pytest.mark.parametrize(("make", "text"), [
    (lambda d: (d / "escape.tf").symlink_to(d.parent / "outside" / "secret.tf"),
     "escape.tf: symbolic link to '{outside}/secret.tf', outside the repository root {scanned}: not followed"),
    (lambda d: (d / "escape").symlink_to(d.parent / "outside"),
     "escape: symbolic link to '{outside}', outside the repository root {scanned}: not followed"),
    (lambda d: (d / "dangling.tf").symlink_to("missing.tf"),
     "dangling.tf: symbolic link to 'missing.tf', which does not exist: not followed"),
    (lambda d: ((d / "a.tf").symlink_to("b.tf"), (d / "b.tf").symlink_to("a.tf")),
     "a.tf: symbolic link loop: not followed"),
], ids=["file_outside", "folder_outside", "dangling", "loop"])
def test_links_that_are_not_followed_are_errors(make, text, tmp_path):
    scanned = symlinks_tree(tmp_path)
    make(scanned)
    done = scan("--no-cache", scanned)
    assert_outcome(done, 2, text.format(outside=(tmp_path / "outside").resolve(), scanned=scanned.resolve()))
    assert "aws_s3_bucket.outside" not in done.stdout


def test_a_folder_link_inside_the_tree_is_not_walked_twice_or_forever(tmp_path):
    scanned = symlinks_tree(tmp_path)
    (scanned / "sub" / "up").symlink_to("..")  # a loop: sub/up/sub/up/...
    (scanned / "again").symlink_to("shared")
    done = scan("--no-cache", "--format", "json", scanned)
    assert_clean(done)
    assert done.returncode == 1
    assert done.stdout.count('"file": "shared/method.tf"') >= 1
    assert "again/" not in done.stdout and "up/" not in done.stdout


# ------------------------------------------------------------------- permissions, races, module sources

needs_non_root = pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                                    reason="running as root: file permissions do not stop root from reading")


@needs_non_root
def test_an_unreadable_file_is_an_error(tmp_path):
    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "main.tf").chmod(0)
    try:
        assert_outcome(scan("--no-cache", tmp_path), 2, "main.tf: cannot read: Permission denied")
    finally:
        (tmp_path / "main.tf").chmod(0o600)


@needs_non_root
def test_an_unreadable_folder_is_an_error(tmp_path):
    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.tf").write_text(OPEN_METHOD)
    (tmp_path / "locked").chmod(0)
    try:
        assert_outcome(scan("--no-cache", tmp_path), 2, "locked: cannot list this folder: Permission denied")
    finally:
        (tmp_path / "locked").chmod(0o700)


def test_a_file_that_cannot_be_opened_is_an_error_in_process(tmp_path, monkeypatch):
    """Whoever runs the tests (root reads anything), opening fails as it would for a locked file."""
    from gateaudit import modules

    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("main.tf"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    _, errors = modules.load([tmp_path], use_cache=False)
    assert [str(e) for e in errors] == ["main.tf: cannot read: Permission denied"]


def test_a_folder_that_cannot_be_listed_is_an_error_in_process(tmp_path, monkeypatch):
    from gateaudit import modules

    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def refuse(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    _, errors = modules.load([tmp_path], use_cache=False)
    assert [str(e) for e in errors] == ["locked: cannot list this folder: Permission denied"]


def test_a_file_that_vanishes_mid_scan_is_an_error(tmp_path, monkeypatch):
    """The race: discovery lists a file, then it is gone when it is read."""
    from gateaudit import discover, modules

    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "gone.tf").write_text(OPEN_METHOD.replace('"m"', '"n"'))
    real_find = discover.find_config_files

    def find_then_delete(*args):
        found = real_find(*args)
        (tmp_path / "gone.tf").unlink()
        return found

    monkeypatch.setattr(discover, "find_config_files", find_then_delete)
    stack, errors = modules.load([tmp_path], use_cache=False)
    assert [str(e) for e in errors] == ["gone.tf: cannot read: No such file or directory"]
    assert stack.files == ["main.tf"]


def test_a_folder_that_vanishes_mid_walk_is_an_error(tmp_path, monkeypatch):
    from gateaudit import modules

    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.tf").write_text("")
    real_scandir = os.scandir

    def vanish(path="."):
        if str(path).endswith("sub"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", vanish)
    _, errors = modules.load([tmp_path], use_cache=False)
    assert [str(e) for e in errors] == ["sub: cannot list this folder: No such file or directory"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    os.mkfifo(tmp_path / "pipe.tf")
    assert_outcome(scan("--no-cache", tmp_path, timeout=30), 2, "pipe.tf: not a regular file (a named pipe): not read")


def test_a_module_source_outside_the_tree_is_loaded_and_shown_relative(tmp_path):
    """Terraform loads it, so gateaudit does (scanning stack/terraform/rest needs ../modules) when it is inside
    the repository root; its files are shown relative to the scanned folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "root").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "root" / "main.tf").write_text('module "api" {\n  source = "../shared"\n}\n')
    (tmp_path / "shared" / "method.tf").write_text(OPEN_METHOD)
    done = scan("--no-cache", tmp_path / "root")
    assert_outcome(done, 1, "module.api.aws_api_gateway_method.m  ../shared/method.tf:1")


def test_a_module_cycle_between_folders_is_an_error(tmp_path):
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(f'module "{other}" {{\n  source = "../{other}"\n}}\n')
    assert_outcome(scan("--no-cache", tmp_path), 2, "calls itself (a module cycle)")


def test_modules_nested_too_deeply_is_an_error(tmp_path):
    (tmp_path / ".git").mkdir()
    for level in range(40):
        (tmp_path / f"m{level}").mkdir()
        (tmp_path / f"m{level}" / "main.tf").write_text(f'module "next" {{\n  source = "../m{level + 1}"\n}}\n')
    (tmp_path / "m40").mkdir()
    (tmp_path / "m40" / "main.tf").write_text(OPEN_METHOD)
    assert_outcome(scan("--no-cache", tmp_path / "m0"), 2, "modules nested deeper than 32")
