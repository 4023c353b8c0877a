"""Exactly one scheduler per deployment.

APScheduler's own FAQ warns that processes sharing a job store fire jobs twice; so with several
processes on PostgreSQL, only the process holding a PostgreSQL advisory lock runs the timers and
the catch-up. The lock lives as long as the holder's database session: when that process dies,
PostgreSQL releases it and another process takes over at its next attempt, then runs what is due
(the posts ledger makes sure nothing the old leader sent is sent again). With SQLite there is one
process, and it always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.engine import is_sqlite

log = logging.getLogger(__name__)

# An arbitrary constant naming "the Roadmap Study Bot scheduler" among advisory locks.
LOCK_KEY = 7_411_208_390_117

Callback = Callable[[], Awaitable[None]]


class Leadership:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        retry_seconds: float,
        on_elected: Callback,
        on_deposed: Callback,
    ) -> None:
        self._engine = engine
        self._retry = retry_seconds
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self._connection: AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self.is_leader = False

    @property
    def role(self) -> str:
        return "leader" if self.is_leader else "follower"

    async def start(self) -> None:
        if is_sqlite(self._engine.url.render_as_string()):
            await self._become_leader()
            return
        self._task = asyncio.create_task(self._campaign(), name="scheduler-leadership")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._release()

    async def _campaign(self) -> None:
        while True:
            try:
                if self.is_leader:
                    await self._check_still_held()
                else:
                    await self._try_acquire()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler leadership check failed")
                await self._lose()
            await asyncio.sleep(self._retry)

    async def _try_acquire(self) -> None:
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            )
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return
        self._connection = connection
        log.info("this process now runs the scheduler (advisory lock taken)")
        await self._become_leader()

    async def _check_still_held(self) -> None:
        assert self._connection is not None
        await self._connection.scalar(text("SELECT 1"))
        await self._connection.commit()

    async def _become_leader(self) -> None:
        self.is_leader = True
        await self._on_elected()

    async def _lose(self) -> None:
        if self.is_leader:
            log.warning("this process no longer runs the scheduler")
            self.is_leader = False
            await self._on_deposed()
        await self._release()

    async def _release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with contextlib.suppress(Exception):
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        with contextlib.suppress(Exception):
            await connection.close()
