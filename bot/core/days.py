"""Local study days: the bridge between UTC instants and the calendar dates streaks count.

Kept separate and pure so the edges (midnight, DST, zones far from UTC) are tested directly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date `moment` falls on in `zone`."""
    return moment.astimezone(zone).date()


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant `day` ends in `zone` (the next local midnight), correct across DST."""
    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)
