"""Everything that runs unasked, for one process: timers, the catch-up, and the leadership that
decides whether this process may run them at all."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduling.leader import Leadership
from bot.scheduling.publisher import Publisher
from bot.scheduling.reminder_sender import ReminderSender
from bot.scheduling.timers import Timers, cron_for

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services import Services

log = logging.getLogger(__name__)
TIMERS_PER_BATCH = 250  # timers added between two returns to the event loop


class SchedulerHost:
    def __init__(
        self,
        client: discord.Client,
        services: Services,
        engine: AsyncEngine,
        clock: Clock,
        *,
        leader_retry_seconds: float,
    ) -> None:
        self.client = client
        self.services = services
        self.clock = clock
        self.publisher = Publisher(client, services)
        self.reminders = ReminderSender(client, services)
        self.leadership = Leadership(
            engine,
            retry_seconds=leader_retry_seconds,
            on_elected=self._elected,
            on_deposed=self._deposed,
        )
        self.timers: Timers | None = None
        self._building: asyncio.Task[None] | None = None
        self._refreshed: set[tuple[int, str]] = set()
        self._catch_up: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.leadership.start()

    async def stop(self) -> None:
        await self.leadership.stop()
        await self._deposed()

    async def run_due(self, guild_id: int | None = None, kind: str | None = None) -> int:
        """Send what is due now: scheduled posts (optionally one schedule's) and, on a full run,
        the reminder sweep. A follower process sends nothing: the leader does."""
        if not self.leadership.is_leader:
            return 0
        now = self.clock.now()
        sent = await self.publisher.run_due(now, guild_id=guild_id, kind=kind)
        if guild_id is None and kind is None:
            sent += await self.reminders.sweep(now)
        return sent

    async def refresh(self, guild_id: int, kind: str) -> None:
        """Rebuild one schedule's timer from the database after it changed."""
        if self.timers is None:
            return
        self._refreshed.add((guild_id, kind))
        row = await self.services.posting.schedules.get(guild_id, kind)
        if row is None or not row.enabled or row.status != "active":
            self.timers.set(guild_id, kind, None)
            return
        self.timers.set(guild_id, kind, cron_for(await self.services.posting.timing(row)))

    async def _fired(self, guild_id: int | None, kind: str | None) -> None:
        try:
            await self.run_due(guild_id, kind)
        except Exception:
            log.exception("scheduled run for %s/%s failed", guild_id, kind)

    async def _elected(self) -> None:
        timers = Timers(self._fired)
        timers.start()
        self.timers = timers
        self._refreshed.clear()
        self._building = asyncio.create_task(self._build_timers(timers))
        self._catch_up = asyncio.create_task(self._catch_up_when_ready())

    async def _build_timers(self, timers: Timers) -> None:
        """One timer per schedule, built in the background a few hundred at a time.

        Thousands of schedules take seconds of APScheduler's time: the start does not wait for
        them (the catch-up pass after ready and the two-minute retry pass post whatever comes
        due meanwhile), and the event loop answers commands between batches. A schedule
        changed meanwhile keeps the timer `refresh` gave it.
        """
        posting = self.services.posting
        rows = await posting.schedules.runnable()
        timings = await posting.timings(rows)  # the servers' settings in one read, not one each
        for number, row in enumerate(rows, start=1):
            if (row.guild_id, row.kind) not in self._refreshed:
                timers.set(row.guild_id, row.kind, cron_for(timings[row.guild_id, row.kind]))
            if number % TIMERS_PER_BATCH == 0:
                await asyncio.sleep(0)
        log.info("timers set for %d schedules", len(rows))

    async def _deposed(self) -> None:
        if self.timers is not None:
            self.timers.shutdown()
            self.timers = None
        for task in (self._building, self._catch_up):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._building = self._catch_up = None

    async def _catch_up_when_ready(self) -> None:
        """Post what came due while no scheduler ran, once channels are known."""
        await self.client.wait_until_ready()
        await self._fired(None, None)
