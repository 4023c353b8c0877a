"""Fixtures shared by every test package: the PostgreSQL server of this run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import start_postgres


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    # Not under pytest's basetemp: a second pytest run on the machine rotates old basetemp
    # folders away, and must not delete a live server's data directory.
    folder = Path(tempfile.mkdtemp(prefix="studybot-postgres-"))
    try:
        yield from start_postgres(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
