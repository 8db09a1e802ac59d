"""The repository root bounds what a scan may read and which config it trusts (checker/root.py)."""

from __future__ import annotations

from pathlib import Path

from gateaudit.root import repository_root, root_of


def test_the_folder_holding_git_at_or_above_the_current_folder(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra" / "api").mkdir(parents=True)
    assert repository_root(tmp_path / "infra" / "api") == tmp_path.resolve()
    assert repository_root(tmp_path) == tmp_path.resolve()


def test_without_git_the_current_folder(tmp_path: Path):
    (tmp_path / "infra").mkdir()
    assert repository_root(tmp_path / "infra") == (tmp_path / "infra").resolve()


def test_a_git_folder_inside_the_scanned_tree_does_not_move_the_root(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra" / ".git").mkdir(parents=True)  # planted by the change under review
    repository = repository_root(tmp_path)
    assert root_of(tmp_path / "infra", repository) == tmp_path.resolve()


def test_a_path_outside_the_repository_has_a_root_of_its_own(tmp_path: Path):
    (tmp_path / "here" / ".git").mkdir(parents=True)
    (tmp_path / "other" / ".git").mkdir(parents=True)
    (tmp_path / "other" / "infra").mkdir()
    (tmp_path / "loose" / "infra").mkdir(parents=True)
    repository = repository_root(tmp_path / "here")
    assert root_of(tmp_path / "other" / "infra", repository) == (tmp_path / "other").resolve()
    assert root_of(tmp_path / "loose" / "infra", repository) == (tmp_path / "loose" / "infra").resolve()
