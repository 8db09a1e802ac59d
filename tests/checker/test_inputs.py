"""read_regular: the one way a scan reads a file's bytes, never more than the limit allows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateaudit.inputs import read_regular


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
