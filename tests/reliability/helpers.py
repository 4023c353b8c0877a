"""Small shared steps of the reliability tests."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

WAIT_S = 20.0


async def until(condition: Callable[[], object], what: str, *, wait_s: float = WAIT_S) -> None:
    """Poll until `condition()` is true. The wait is generous: it bounds a hang, it is not a
    timing assertion (a healthy bot gets there in milliseconds, or ~5 s for a re-IDENTIFY)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up after {wait_s} s waiting for {what}")
        await asyncio.sleep(0.01)


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a SQLite file: "ok" when the database is sound."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(str(row[0]) for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()
