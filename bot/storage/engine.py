"""The one way to open the database: an async SQLAlchemy engine with the settings DESIGN measured.

Each unit of work takes its own pooled connection (`engine.begin()`); a connection object is never
shared between concurrent tasks, because aiosqlite runs one transaction per connection and a
rollback in one task would drop the other's rows.

A hot write transaction is written once as a synchronous function of a `Connection` and handed to
`run_write`, which runs it in one call: on a SQLite file, on the engine's writer thread with a
synchronous pysqlite engine (one thread hop for the whole transaction instead of four or five a
statement); elsewhere (PostgreSQL, a memory database) through `AsyncConnection.run_sync` inside
`engine.begin()`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

T = TypeVar("T")

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
    # Commits copy the log into the database only past 40 MB: bot.storage.checkpoints does it
    # every second in the background, off the commits.
    "PRAGMA wal_autocheckpoint=10000",
)
SQLITE_POOL = 20


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The database file behind a SQLite URL, or None for memory or another engine."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the engine; for SQLite, create the folder and set the pragmas on every connection,
    and queue write transactions in the process (`SQLiteEngine`)."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if not is_sqlite(url):
        return create_async_engine(url, echo=echo, pool_pre_ping=True)
    # A file database keeps enough connections for the concurrent reads of a busy minute: a
    # connection returned to a full pool is closed, and opening one (a thread, the pragmas)
    # costs about a millisecond.
    pool = {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL} if path is not None else {}
    engine = create_async_engine(url, echo=echo, **pool)
    event.listen(engine.sync_engine, "connect", _apply_pragmas)
    return SQLiteEngine(engine.sync_engine, url if path is not None else None, echo=echo)


async def run_write(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` as one write transaction and return its result; commit, or roll back if it
    raises. `work` must not start another unit of work of its own (it is handed its connection).

    SQLite file: on the engine's writer thread, holding the engine's writer turn. Otherwise:
    `run_sync` on the connection of `engine.begin()` (no thread hops on asyncpg).
    """
    if isinstance(engine, SQLiteEngine):
        return await engine.run_write(work)
    async with engine.begin() as conn:
        return await conn.run_sync(work)


class SQLiteEngine(AsyncEngine):
    """An engine whose write transactions (`begin()`) take turns in the event loop.

    SQLite lets one connection write at a time. Without this, the others wait inside SQLite's busy
    handler, which sleeps in growing steps (up to 100 ms) and leaves the database idle between
    writers: 50 members logging at once got 52 answers a second and a p99 of 4 s. A lock in the
    process hands the write over the moment it is free (SQLite deployments are one process:
    bot.scheduling.leader). Reads (`connect()`) never wait for it. A task may nest `begin()`.
    `run_write` units of work take the same turns, on the writer thread of a file database.
    """

    def __init__(
        self, sync_engine: Any, writer_url: str | None = None, *, echo: bool = False
    ) -> None:
        super().__init__(sync_engine)
        self._writer = _TaskLock()
        self._writer_thread = (
            None if writer_url is None else _WriterThread(writer_url, self._writer, echo=echo)
        )

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self._writer, super().begin() as conn:
            yield conn

    async def run_write(self, work: Callable[[Connection], T]) -> T:
        """`run_write` for SQLite: the writer thread's transaction takes its turn with the
        `begin()` writers. A memory database has no second engine (it would be another
        database): there the work runs on the `begin()` connection."""
        if self._writer_thread is None or self._writer.held():
            # A task inside `begin()` already holds the write turn: its nested unit of work runs
            # as a nested `begin()` would, instead of queueing for a turn it holds itself.
            async with self.begin() as conn:
                return await conn.run_sync(work)
        return await self._writer_thread.run(work)

    async def dispose(self, close: bool = True) -> None:
        try:
            if self._writer_thread is not None:
                await self._writer_thread.close()
        finally:
            await super().dispose(close)


class _WriterThread:
    """One thread with a synchronous engine on the same SQLite file; each unit of work is a whole
    transaction in one hop. Its single connection is opened, used and closed on that thread.

    Units of work queue here; while any wait, one task holds the engine's writer turn and the
    thread runs them back to back (each its own transaction), without a trip through the event
    loop between them. After `BATCH` in a row the turn is given back, so `begin()` writers waiting
    for it are not starved by a busy minute of logs.
    """

    BATCH = 32

    def __init__(self, url: str, turn: _TaskLock, *, echo: bool) -> None:
        sync_url = make_url(url).set(drivername="sqlite+pysqlite")
        self._engine: Engine = create_sync_engine(sync_url, echo=echo, pool_size=1, max_overflow=0)
        event.listen(self._engine, "connect", _apply_pragmas)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._turn = turn
        self._queue: collections.deque[tuple[Callable[[Connection], Any], asyncio.Future[Any]]]
        self._queue = collections.deque()
        self._drainer: asyncio.Task[None] | None = None
        self._closed = False

    async def run(self, work: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("the SQLite writer is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, future))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain(loop), name="sqlite-writer")
        # A caller cancelled before its turn is skipped; once started, its transaction finishes.
        return await future

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            while self._queue:
                async with self._turn:
                    batch = loop.run_in_executor(self._executor, self._run_batch, loop)
                    try:
                        await asyncio.shield(batch)
                    except BaseException:
                        # Cancelled (the loop is going away): keep the turn until the thread is
                        # done, and let the units of work that never started go.
                        while self._queue:
                            self._queue.popleft()[1].cancel()
                        with contextlib.suppress(Exception):
                            await batch
                        raise
        finally:
            self._drainer = None

    def _run_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the writer thread: up to BATCH queued units of work, each in its own transaction."""
        for _ in range(self.BATCH):
            try:
                work, future = self._queue.popleft()
            except IndexError:
                return
            if future.cancelled():
                continue
            try:
                with self._engine.begin() as conn:
                    result = work(conn)
            except BaseException as error:  # handed to the caller, like any await would
                loop.call_soon_threadsafe(_settle, future, None, error)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._drainer is not None:
                # Shielded: a close that is itself cancelled (a second SIGTERM) must not cancel
                # the writes already queued (each a member waiting for its answer).
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._drainer)
        finally:
            try:
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(self._executor, self._engine.dispose)
            finally:
                self._executor.shutdown(wait=True)  # after the queued work: one thread, in order


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class _TaskLock:
    """An asyncio lock that the task holding it may take again."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    def held(self) -> bool:
        """Whether the current task holds the lock."""
        return self._owner is not None and self._owner is asyncio.current_task()

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        if task is None or self._owner is not task:
            await self._lock.acquire()
            self._owner = task
        self._depth += 1

    async def __aexit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


def _apply_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
