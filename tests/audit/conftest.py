"""A fresh moto account for each audit test, on the session's moto server (tests/conftest.py; see _moto.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._moto import open_account


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[Any]:
    """An empty moto account of its own, reached through the environment only; a boto3 session in it."""
    yield open_account(moto_endpoint, monkeypatch, tmp_path)
