"""The disagreements with Checkov that docs/checkov-differences.md explains, pinned: a new one fails here.

bench/agreement.py runs both tools over every rule fixture, the reference stack and its seed, and Checkov's
own fixtures for the checks that cover our controls (../shared/peer/checkov/, read there). Each disagreement
is listed in disagreements.tsv and explained in docs/checkov-differences.md; when this test fails, explain
the new one there (or fix the rule that is wrong) and update the list.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .conftest import PEER, ROOT

A = "authorizer-attached"


def _pinned() -> set[tuple[str, str, str, str, str]]:
    """(case, resource, control, gateaudit's verdict, Checkov's verdict), as `Disagreement.key()` gives them."""
    pinned = set()
    for line in (Path(__file__).parent / "disagreements.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            control, case, resource, ours, theirs = line.split("\t")
            pinned.add((case, resource, control, ours, theirs))
    return pinned


PINNED = _pinned()


def _agreement_module():
    spec = importlib.util.spec_from_file_location("gateaudit_bench_agreement", ROOT / "bench" / "agreement.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def agreement():
    return _agreement_module()


def test_the_disagreements_are_the_explained_ones(agreement, real_checkov):
    groups = ("fixtures", "stack", "peer") if (PEER / "expected.json").is_file() else ("fixtures", "stack")
    if "peer" not in groups:
        print(f"{PEER} is not there: Checkov's own fixtures are left out (they are read from ../shared/peer/)")
    result = agreement.compare(agreement.cases(groups, PEER), real_checkov, PEER)
    found = {d.key() for d in result.disagreements}
    expected = {key for key in PINNED if "peer" in groups or not key[0].startswith("peer/")}
    new = "\n".join(str(d) for d in result.disagreements if d.key() not in expected)
    assert found == expected, (f"new disagreements (explain them in docs/checkov-differences.md, then pin them):\n"
                               f"{new or '  none'}\nno longer found: {sorted(expected - found)}")
    assert result.peer_unexpected == [], "Checkov no longer gives its own fixtures the verdicts its tests expect"
    assert result.parsing_errors == []
    # Checkov's fixtures declare some resources twice (invalid Terraform, exit 2 for gateaudit); ours never do
    assert [error for error in result.gateaudit_errors if not error.startswith("peer/")] == []
    assert result.counts["logging-enabled"]["compared"] > 0 and result.counts[A]["agree"] > 0


def test_every_pinned_disagreement_is_explained_in_the_doc():
    text = (ROOT / "docs" / "checkov-differences.md").read_text(encoding="utf-8")
    for case, resource, *_ in sorted(PINNED):
        assert f"`{resource}`" in text and case.removeprefix("peer/") in text, resource


def test_batches_never_put_two_files_of_one_folder_or_two_folders_in_one_checkov_run(agreement):
    cases = agreement.cases(("fixtures",))
    batches = agreement.checkov_batches(cases)
    assert sorted(case.label for batch in batches for case in batch) == sorted(case.label for case in cases)
    for batch in batches:
        folders = [case for case in batch if case.path.is_dir()]
        assert len(folders) == 0 or len(batch) == 1
        parents = [case.path.parent for case in batch if case.path.is_file()]
        assert len(parents) == len(set(parents))
