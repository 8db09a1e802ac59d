"""A report names a hardcoded secret; it never becomes one more copy of it, in any format."""

from gateaudit.reports import FORMATS

SEED_KEY = "seed-example-key-not-a-real-credential-0000"  # the literal in stack/examples/seed/main.tf


def test_no_format_repeats_the_seed_secret(run_cli, tmp_path):
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", "stack/examples/seed", *formats, "--output-dir", str(tmp_path))
    assert done.returncode == 1
    written = sorted(tmp_path.iterdir())
    assert len(written) == len(FORMATS)
    for report in written:
        text = report.read_text()
        assert "GA201" in text, f"{report.name} does not report the hardcoded secret"
        assert SEED_KEY not in text, f"{report.name} repeats the secret's value"
