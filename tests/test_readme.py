"""The README stays true: its commands exist and its rule table matches the rules."""

import re
from pathlib import Path

from gateaudit.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()[1:]] == [["make", "scan"],
                                                                                   ["make", "test"]]


def test_every_make_target_in_the_readme_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    for target in re.findall(r"`make ([a-z-]+)`|^make ([a-z-]+)", README, re.MULTILINE):
        name = target[0] or target[1]
        assert name in targets, f"README mentions make {name}, which the Makefile lacks"


def test_readme_rule_table_matches_the_rules():
    rows = dict(re.findall(r"^\| (GA\d{3}) \| [^|]+ \| [^|]+ \| (.+?) \|$", README, re.MULTILINE))
    rules = {loaded.rule.id: loaded.rule.title for loaded in load_rules()}
    assert rows == rules
