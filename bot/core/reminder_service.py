"""Reminders from the member's side (set, list, clear) and the sweep's decisions (what to send).

Discord-free. One periodic sweep, not a job per member: reminders carry their next due time in
UTC, the sweep reads the due ones with an indexed query, and each send is claimed per member,
kind and local date, so a restart or a repeated sweep sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.reminders import (
    HOURS_DEFAULT,
    ReminderKind,
    StreakNudge,
    check_hours,
    still_useful,
    study_timing,
)
from bot.core.schedules import days_text, parse_days, parse_time

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.core.progress import ProgressService
    from bot.roadmap import Topic
    from bot.storage.progress_repo import ProgressRepository
    from bot.storage.reminders_repo import ReminderRow, RemindersRepository
    from bot.storage.settings_repo import SettingsRepository


@dataclass(frozen=True, slots=True)
class ReminderToSend:
    row: ReminderRow
    local_date: date
    streak: int
    freezes: int
    topic: Topic | None


class ReminderService:
    def __init__(
        self,
        *,
        clock: Clock,
        settings: SettingsRepository,
        repo: RemindersRepository,
        study: ProgressService,
        progress: ProgressRepository,
    ) -> None:
        self.clock = clock
        self.settings = settings
        self.repo = repo
        self.study = study
        self.progress = progress

    async def zone(self, guild_id: int, user_id: int) -> ZoneInfo:
        guild = await self.settings.guild(guild_id)
        return (await self.settings.member(guild_id, user_id)).zone(guild)

    async def set_streak(
        self, guild_id: int, user_id: int, hours_before: int = HOURS_DEFAULT
    ) -> datetime:
        nudge = StreakNudge(check_hours(hours_before))
        now = self.clock.now()
        due = nudge.next_due(now, await self.zone(guild_id, user_id))
        await self.repo.save(
            guild_id, user_id, "streak", next_due_at=due, now=now, hours_before=nudge.hours_before
        )
        return due

    async def set_study(
        self, guild_id: int, user_id: int, at: str | None, days: str | None
    ) -> datetime:
        if at is None:
            raise InvalidInput(
                "Give a time for the reminder, like `18:30` (24-hour, your timezone)."
            )
        when = parse_time(at)
        weekdays = parse_days(days or "daily")
        now = self.clock.now()
        timing = study_timing(weekdays, when, await self.zone(guild_id, user_id))
        due = timing.next_due(now)
        await self.repo.save(
            guild_id,
            user_id,
            "study",
            next_due_at=due,
            now=now,
            at=when.strftime("%H:%M"),
            days=days_text(weekdays),
        )
        return due

    async def turn_off(self, guild_id: int, user_id: int, kind: ReminderKind | None = None) -> int:
        return await self.repo.remove(guild_id, user_id, kind)

    async def rezone(self, guild_id: int, user_id: int | None = None) -> None:
        """After a timezone change, move reminders to the new local time."""
        rows = (
            await self.repo.for_member(guild_id, user_id)
            if user_id is not None
            else await self.repo.in_guild(guild_id)
        )
        now = self.clock.now()
        for row in rows:
            await self.repo.reschedule(row, await self._next_due(row, now))

    # --- the sweep -------------------------------------------------------------------------------

    async def due(self, now: datetime) -> list[ReminderToSend]:
        """Reminders to send now. Each due row is rescheduled to its next time first, so a crash
        mid-sweep never leaves a row that fires in a loop; the send itself is claimed later."""
        found = []
        for row in await self.repo.due(now):
            zone = await self.zone(row.guild_id, row.user_id)
            await self.repo.reschedule(row, await self._next_due(row, now))
            if not still_useful(row.kind, row.next_due_at, now, zone):  # type: ignore[arg-type]
                continue
            local_date = row.next_due_at.astimezone(zone).date()
            view, _ = await self.study.streak(row.guild_id, row.user_id)
            if row.kind == "streak":
                at_stake = view.current > 0 or view.freezes > 0
                if view.today_active or view.paused_until is not None or not at_stake:
                    continue
                found.append(ReminderToSend(row, local_date, view.current, view.freezes, None))
            else:
                topic = await self._last_topic(row.guild_id, row.user_id)
                found.append(ReminderToSend(row, local_date, view.current, view.freezes, topic))
        return found

    async def claim(self, item: ReminderToSend, via: str) -> bool:
        return await self.repo.claim_send(item.row, item.local_date, via, self.clock.now())

    async def _next_due(self, row: ReminderRow, now: datetime) -> datetime:
        zone = await self.zone(row.guild_id, row.user_id)
        if row.kind == "streak":
            return StreakNudge(row.hours_before or HOURS_DEFAULT).next_due(now, zone)
        timing = study_timing(parse_days(row.days or "daily"), parse_time(row.at or "18:00"), zone)
        return timing.next_due(now)

    async def _last_topic(self, guild_id: int, user_id: int) -> Topic | None:
        recent = await self.progress.recent_sessions(guild_id, user_id, limit=1)
        return self.study.roadmap.topic(recent[0].topic_id) if recent else None
