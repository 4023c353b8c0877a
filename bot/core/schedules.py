"""When scheduled posts are due: pure calendar arithmetic in the server's timezone.

A schedule says "these weekdays at HH:MM, local time". Every question the publisher asks (what is
due now, what was missed, what comes next, which period a post belongs to) is answered here from
dates and zones alone, so the DST edges are tested without a scheduler or a clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput

Kind = Literal["challenges", "tips"]
KINDS: tuple[Kind, ...] = ("challenges", "tips")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LOOKBACK_DAYS = 8


@dataclass(frozen=True, slots=True)
class Timing:
    """Weekdays (0 = Monday) and a local time of day, in a zone."""

    weekdays: frozenset[int]
    at: time
    zone: ZoneInfo

    def occurrence(self, day: date) -> datetime:
        """The UTC instant of `day` at `at` local time.

        A time that does not exist (skipped by a spring-forward) resolves to the same wall time
        under the old offset, i.e. just after the gap; an ambiguous one (fall-back) takes its
        first occurrence. Either way: exactly one post that day.
        """
        return datetime.combine(day, self.at, self.zone).astimezone(UTC)

    def latest_due(self, now: datetime, *, after: datetime | None = None) -> datetime | None:
        """The most recent occurrence <= now (and > after, when given)."""
        today = now.astimezone(self.zone).date()
        for back in range(_LOOKBACK_DAYS):
            day = today - timedelta(days=back)
            if day.weekday() not in self.weekdays:
                continue
            moment = self.occurrence(day)
            if moment <= now:
                return None if after is not None and moment <= after else moment
        return None

    def next_due(self, now: datetime) -> datetime:
        """The first occurrence strictly after now."""
        today = now.astimezone(self.zone).date()
        for ahead in range(_LOOKBACK_DAYS + 1):
            day = today + timedelta(days=ahead)
            if day.weekday() in self.weekdays:
                moment = self.occurrence(day)
                if moment > now:
                    return moment
        raise AssertionError("a timing with weekdays always has a next occurrence")

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


def period_key(kind: Kind, due: datetime, zone: ZoneInfo) -> str:
    """The period a post belongs to: the ISO week for challenges, date and slot for tips."""
    local = due.astimezone(zone)
    if kind == "challenges":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.date().isoformat()}@{local.strftime('%H:%M')}"


def parse_time(text: str) -> time:
    found = _TIME.match(text.strip())
    if not found:
        raise InvalidInput(
            f"“{text[:20]}” isn't a time: use 24-hour `HH:MM`, like `09:00` or `18:30`."
        )
    return time(int(found.group(1)), int(found.group(2)))


def parse_days(text: str) -> frozenset[int]:
    """`mon,wed,fri`, `mon-fri`, `daily`/`every day` -> weekday numbers."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in {"daily", "everyday", "all"}:
        return frozenset(range(7))
    if cleaned == "weekdays":
        return frozenset(range(5))
    days: set[int] = set()
    for part in filter(None, cleaned.split(",")):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _weekday(first, text), _weekday(last, text)
            span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
            days.update(span)
        else:
            days.add(_weekday(part, text))
    if not days:
        raise InvalidInput("Give at least one day, like `mon` or `mon,wed,fri`.")
    return frozenset(days)


def _weekday(token: str, original: str) -> int:
    for number, name in enumerate(FULL_WEEKDAYS):
        if len(token) >= 3 and name.startswith(token):
            return number
    raise InvalidInput(
        f"“{original[:40]}” isn't a list of days: use `mon,wed,fri` (mon tue wed thu fri sat sun)."
    )


def days_text(weekdays: frozenset[int]) -> str:
    if len(weekdays) == 7:
        return "every day"
    return ",".join(WEEKDAYS[d] for d in sorted(weekdays))


def nonce(guild_id: int, kind: Kind, period: str) -> str:
    """A deterministic message nonce (<= 25 characters): a retried send of the same post carries
    the same nonce, and Discord returns the first message instead of creating a second."""
    import hashlib

    digest = hashlib.sha256(f"{guild_id}:{kind}:{period}".encode()).hexdigest()
    return str(int(digest[:16], 16))[:25]
