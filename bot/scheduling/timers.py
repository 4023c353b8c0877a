"""APScheduler holds the timers; the database holds the truth.

One cron job per server and kind fires `run_due` for that schedule at its local time (APScheduler
3.11's CronTrigger with the server's ZoneInfo, DST handled by the library); one interval job
retries posts that are claimed but not yet delivered. Jobs are in memory and rebuilt from the
`schedules` table at start and whenever a schedule changes.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.schedules import WEEKDAYS, Timing

log = logging.getLogger(__name__)

RunFor = Callable[[int | None, str | None], Awaitable[object]]
RETRY_EVERY = timedelta(minutes=2)


@functools.lru_cache(maxsize=4096)
def cron_for(timing: Timing) -> CronTrigger:
    """The trigger of a timing; schedules with the same days, time and zone share one (a
    trigger holds no state, and thousands of schedules use a few hundred distinct times)."""
    return CronTrigger(
        day_of_week=",".join(WEEKDAYS[d] for d in sorted(timing.weekdays)),
        hour=timing.at.hour,
        minute=timing.at.minute,
        second=0,
        timezone=timing.zone,
    )


class Timers:
    def __init__(self, run_for: RunFor) -> None:
        self._run_for = run_for
        self._scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        self._scheduler.add_job(
            self._run_for,
            IntervalTrigger(seconds=RETRY_EVERY.total_seconds()),
            args=[None, None],
            id="retry",
            replace_existing=True,
        )
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def set(self, guild_id: int, kind: str, trigger: BaseTrigger | None) -> None:
        """Install (or, with None, remove) the job of one server's schedule."""
        job_id = f"{guild_id}:{kind}"
        if trigger is None:
            if self._scheduler.get_job(job_id) is not None:
                self._scheduler.remove_job(job_id)
            return
        self._scheduler.add_job(
            self._run_for, trigger, args=[guild_id, kind], id=job_id, replace_existing=True
        )

    def next_fire(self, guild_id: int, kind: str) -> datetime | None:
        job = self._scheduler.get_job(f"{guild_id}:{kind}")
        return None if job is None else job.next_run_time

    def job_count(self) -> int:
        return len(self._scheduler.get_jobs())
