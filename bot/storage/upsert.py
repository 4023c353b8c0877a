"""INSERT ... ON CONFLICT DO UPDATE for both SQLite and PostgreSQL, written once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def _insert(conn: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


async def upsert(
    conn: AsyncConnection,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Iterable[str],
    update: Iterable[str] | None = None,
) -> None:
    """Insert `values`, or update the row with the same `keys` (only `update` columns, if given)."""
    key_set = tuple(keys)
    insert = _insert(conn, table).values(**values)
    columns = tuple(update) if update is not None else tuple(k for k in values if k not in key_set)
    if not columns:
        statement = insert.on_conflict_do_nothing(index_elements=list(key_set))
    else:
        statement = insert.on_conflict_do_update(
            index_elements=list(key_set),
            set_={name: insert.excluded[name] for name in columns},
        )
    await conn.execute(statement)


async def increment(
    conn: AsyncConnection, table: Table, key: Mapping[str, Any], **amounts: int
) -> None:
    """Add to running totals atomically: INSERT, or UPDATE column = column + amount."""
    insert = _insert(conn, table).values(**key, **amounts)
    await conn.execute(
        insert.on_conflict_do_update(
            index_elements=list(key),
            set_={name: table.c[name] + insert.excluded[name] for name in amounts},
        )
    )
