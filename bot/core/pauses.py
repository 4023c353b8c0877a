"""Streak pauses: periods of days that neither count toward a streak nor break it.

Kept apart from the streak fold because the pause rules (how long, how often, ending early) are
decided when a member runs `/streak pause` or `/streak resume`, while the fold only needs to ask
"is this day paused?" and "how many paused days lie between these two days?" quickly.
Pure functions on dates: the caller supplies "today" as the member's local date.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import InvalidInput

MIN_PAUSE_DAYS = 1
MAX_PAUSE_DAYS = 14
PAUSE_COOLDOWN_DAYS = 30


class PauseLengthError(InvalidInput, ValueError):
    """A pause length out of range.

    Both a `UserError` (the command tree shows the message to the member) and a `ValueError`
    (callers outside Discord treat it as bad input the usual Python way).
    """


@dataclass(frozen=True, slots=True)
class Pause:
    """Days `start`..`end` (both inclusive) are skipped by the streak fold."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")


def can_pause(
    last_pause_start: date | None, today: date, cooldown_days: int = PAUSE_COOLDOWN_DAYS
) -> bool:
    """Whether a new pause may start today.

    Measured from the last pause's START (not its end), so resuming early does not buy an earlier
    next pause, and a member cannot chain pauses into a permanent one.
    """
    return last_pause_start is None or (today - last_pause_start).days >= cooldown_days


def pause_window(today: date, days: int) -> tuple[date, date]:
    """The (start, end inclusive) of a pause of `days` days starting today.

    Starting today (never in the past) keeps every day already checkpointed as final untouched.
    """
    if not MIN_PAUSE_DAYS <= days <= MAX_PAUSE_DAYS:
        raise PauseLengthError(f"A pause lasts {MIN_PAUSE_DAYS} to {MAX_PAUSE_DAYS} days.")
    return today, today + timedelta(days=days - 1)


def end_pause(pause: Pause, today: date) -> Pause | None:
    """The pause after `/streak resume` today: it ends yesterday, so today counts again.

    Returns None when the pause started today (nothing of it remains) and the pause unchanged when
    it is already over. Only today and later are cut, so checkpointed days stay final. The caller
    keeps the original start for `can_pause`: resuming does not reset the cooldown.
    """
    if pause.end < today:
        return pause
    if pause.start >= today:
        return None
    return Pause(pause.start, today - timedelta(days=1))


class PauseCalendar:
    """Merged pause intervals as day ordinals, answering coverage and counts in O(log n).

    Overlapping or touching pauses are merged so `paused_until` reports the real last paused day
    and counts never double a day. Prefix sums make "paused days in a range" arithmetic, which is
    what lets the fold skip years of empty days without visiting them.
    """

    __slots__ = ("_before", "_ends", "_starts")

    def __init__(self, pauses: Iterable[Pause]) -> None:
        spans = sorted((p.start.toordinal(), p.end.toordinal()) for p in pauses)
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]
        self._before: list[int] = [0]  # paused days in all intervals before index i
        for s, e in merged:
            self._before.append(self._before[-1] + e - s + 1)

    def until(self, day: int) -> int | None:
        """The last paused day (ordinal) of the pause covering `day`, or None if not paused."""
        i = bisect_right(self._starts, day) - 1
        return self._ends[i] if i >= 0 and self._ends[i] >= day else None

    def _upto(self, day: int) -> int:
        """Paused days <= `day`."""
        i = bisect_right(self._starts, day) - 1
        if i < 0:
            return 0
        return self._before[i] + min(self._ends[i], day) - self._starts[i] + 1

    def open_days(self, first: int, last: int) -> int:
        """Days in `first`..`last` (inclusive ordinals) that are not paused."""
        if last < first:
            return 0
        return (last - first + 1) - (self._upto(last) - self._upto(first - 1))
