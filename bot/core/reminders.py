"""When a member's reminders are due: pure date arithmetic in the member's timezone.

A streak nudge is due `hours_before` the member's local midnight, as a wall-clock time
(`24 - hours_before`:00 local), so a DST change day still nudges at, say, 20:00. A study reminder
is a weekly timing like a scheduled post (bot/core/schedules.Timing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput
from bot.core.schedules import Timing

ReminderKind = Literal["streak", "study"]
HOURS_MIN, HOURS_MAX, HOURS_DEFAULT = 1, 12, 4
# A study reminder found late (the bot was down) still goes out within this window; later it is
# skipped rather than arriving at a confusing hour.
STUDY_LATE_LIMIT = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class StreakNudge:
    hours_before: int

    def at(self) -> time:
        return time(24 - self.hours_before, 0)

    def due_on(self, day: date, zone: ZoneInfo) -> datetime:
        return datetime.combine(day, self.at(), zone).astimezone(UTC)

    def next_due(self, now: datetime, zone: ZoneInfo) -> datetime:
        today = now.astimezone(zone).date()
        due = self.due_on(today, zone)
        return due if due > now else self.due_on(today + timedelta(days=1), zone)


def check_hours(hours: int) -> int:
    if not HOURS_MIN <= hours <= HOURS_MAX:
        raise InvalidInput(
            f"Nudges come {HOURS_MIN} to {HOURS_MAX} hours before your day ends (you gave {hours})."
        )
    return hours


def study_timing(weekdays: frozenset[int], at: time, zone: ZoneInfo) -> Timing:
    return Timing(weekdays, at, zone)


def still_useful(kind: ReminderKind, due: datetime, now: datetime, zone: ZoneInfo) -> bool:
    """Whether a reminder found at `now` should still be sent.

    A streak nudge is pointless once the member's day it warned about has ended; a study
    reminder is skipped when it would arrive more than STUDY_LATE_LIMIT late.
    """
    if kind == "streak":
        return now.astimezone(zone).date() == due.astimezone(zone).date()
    return now - due <= STUDY_LATE_LIMIT
