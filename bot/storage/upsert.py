"""INSERT ... ON CONFLICT DO UPDATE for both SQLite and PostgreSQL, written once.

Each statement is built once per table and shape and reused with new values (building one, its
`excluded` columns above all, cost more than a /log's SQLite work). A synchronous unit of work
(`bot.storage.engine.run_write`) calls `upsert_sync`/`increment_sync`; async code awaits
`upsert`/`increment`, which run the same statements.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def upsert_sync(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Iterable[str],
    update: Iterable[str] | None = None,
) -> None:
    """Insert `values`, or update the row with the same `keys` (only `update` columns, if given)."""
    conn.execute(_upsert_of(conn, table, values, keys, update), dict(values))


def increment_sync(conn: Connection, table: Table, key: Mapping[str, Any], **amounts: int) -> None:
    """Add to running totals atomically: INSERT, or UPDATE column = column + amount."""
    conn.execute(_increment_of(conn, table, key, amounts), {**key, **amounts})


async def upsert(
    conn: AsyncConnection,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Iterable[str],
    update: Iterable[str] | None = None,
) -> None:
    """`upsert_sync` for an async connection."""
    await conn.execute(_upsert_of(conn, table, values, keys, update), dict(values))


async def increment(
    conn: AsyncConnection, table: Table, key: Mapping[str, Any], **amounts: int
) -> None:
    """`increment_sync` for an async connection."""
    await conn.execute(_increment_of(conn, table, key, amounts), {**key, **amounts})


def _upsert_of(
    conn: Connection | AsyncConnection,
    table: Table,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str] | None,
) -> Any:
    key_set = tuple(keys)
    columns = tuple(update) if update is not None else tuple(k for k in values if k not in key_set)
    return _upsert_statement(conn.dialect.name, table, key_set, columns)


def _increment_of(
    conn: Connection | AsyncConnection,
    table: Table,
    key: Mapping[str, Any],
    amounts: Mapping[str, int],
) -> Any:
    return _increment_statement(conn.dialect.name, table, tuple(key), tuple(amounts))


@functools.lru_cache(maxsize=256)
def _upsert_statement(
    dialect: str, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]
) -> Any:
    insert = _insert(dialect, table)
    if not columns:
        return insert.on_conflict_do_nothing(index_elements=list(keys))
    return insert.on_conflict_do_update(
        index_elements=list(keys), set_={name: insert.excluded[name] for name in columns}
    )


@functools.lru_cache(maxsize=256)
def _increment_statement(
    dialect: str, table: Table, keys: tuple[str, ...], amounts: tuple[str, ...]
) -> Any:
    insert = _insert(dialect, table)
    return insert.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + insert.excluded[name] for name in amounts},
    )


def _insert(dialect: str, table: Table) -> Any:
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)
