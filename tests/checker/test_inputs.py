"""How a load asks the filesystem: read_regular, the one way a scan reads a file's bytes, never more than the
limit allows; resolving a path, once per folder in a load, as `Path.resolve` does; and the variable files a
folder holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateaudit.inputs import _Resolver, read_regular


@pytest.mark.parametrize(("size", "limit", "expected"), [
    (0, 10, 0),
    (10, 10, 10),
    (11, 10, 11),  # one byte over: enough to say the file is over the limit
    (300_000, 100_000, 100_001),  # more than one read's worth, cut at the limit
    (300_000, None, 300_000),
    (300_000, 300_000, 300_000),
])
def test_reads_the_file_up_to_one_byte_over_the_limit(tmp_path: Path, size: int, limit: int | None,
                                                        expected: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    (tmp_path / "main.tf").write_bytes(data)
    found = read_regular(tmp_path / "main.tf", limit)
    assert found is not None
    assert found[0] == data[:expected]
    assert found[1].st_size == size


def test_a_named_pipe_is_not_read_and_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "main.tf")
    assert read_regular(tmp_path / "main.tf", 10) is None


def test_a_symbolic_link_is_followed_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "target.tf").write_text("x")
    (tmp_path / "main.tf").symlink_to(tmp_path / "target.tf")
    with pytest.raises(OSError):
        read_regular(tmp_path / "main.tf", 10)
    assert read_regular(tmp_path / "main.tf", 10, follow_links=True)[0] == b"x"


@pytest.fixture
def linked_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder tree with every kind of path a load resolves: links to folders (relative, absolute, through ..),
    to files, dangling, looping; the working folder inside it."""
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text("")
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "a" / "mods").symlink_to(tmp_path / "m")
    (tmp_path / "a" / "b" / "file").symlink_to("../../m/main.tf")
    (tmp_path / "a" / "dangling").symlink_to("nowhere")
    (tmp_path / "a" / "loop").symlink_to("loop")
    monkeypatch.chdir(tmp_path / "a" / "b")
    return tmp_path


NAMES = ["a", "b", "c", "m", "main.tf", "up", "mods", "file", "dangling", "loop", "missing", "..", ".", ""]


def _resolved(resolve, path: Path) -> Path | str:
    try:
        return resolve(path)
    except (RuntimeError, OSError) as error:  # a loop: RuntimeError before Python 3.13
        return type(error).__name__


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=st.lists(st.tuples(st.booleans(), st.lists(st.sampled_from(NAMES), min_size=1, max_size=8)),
                      min_size=1, max_size=12))
def test_a_load_resolves_paths_as_path_resolve_does(linked_tree: Path, paths: list) -> None:
    resolver = _Resolver()  # one per load: what one path taught it must not mislead it about the next
    for absolute, names in paths:
        path = Path(*([str(linked_tree)] if absolute else []), *names)
        expected = _resolved(Path.resolve, path)
        assert _resolved(resolver, path) == expected, path
        assert _resolved(resolver.text, str(path)) == (str(expected) if isinstance(expected, Path) else expected)


def test_each_folder_is_looked_up_once_per_load(linked_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up = []
    lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path: looked_up.append(path) or lstat(path))
    resolver = _Resolver()
    assert resolver(Path("c")) == linked_tree / "a" / "b" / "c"
    assert resolver(Path("c/../../../m/main.tf")) == linked_tree / "m" / "main.tf"
    assert looked_up == [str(linked_tree / "a" / "b" / "c"), str(linked_tree / "m"), str(linked_tree / "m" / "main.tf")]


def test_the_variable_files_terraform_loads_by_itself_in_its_order(tmp_path: Path) -> None:
    """Any entry but a folder: a dangling link is named (reading it says why not), a link to a folder too."""
    from gateaudit.discover import tfvars_files

    (tmp_path / "terraform.tfvars").symlink_to(tmp_path / "nowhere")
    (tmp_path / "terraform.tfvars.json").mkdir()
    (tmp_path / "b.auto.tfvars").write_text("")
    (tmp_path / "a.auto.tfvars.json").symlink_to(tmp_path / "terraform.tfvars.json")
    (tmp_path / "c.tfvars").write_text("")
    assert tfvars_files(tmp_path) == [tmp_path / "terraform.tfvars", tmp_path / "a.auto.tfvars.json",
                                      tmp_path / "b.auto.tfvars"]
    assert tfvars_files(tmp_path / "missing") == []
