"""Small shared steps of the reliability tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.fakediscord.process import until

__all__ = ["integrity", "until"]


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a SQLite file: "ok" when the database is sound."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(str(row[0]) for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()
