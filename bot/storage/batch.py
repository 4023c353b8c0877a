"""Bulk reads: many servers' rows with one query per chunk of ids.

A scheduler pass over thousands of servers must not cost a query per server (each is several
thread hops with aiosqlite); the chunk keeps each IN list well inside both databases' limit on
bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
CHUNK = 900


def chunked(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """The distinct values in order, `size` at a time."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]
