"""Streak rules as pure functions of dates and per-day minute totals.

No clock and no I/O: the caller converts "now" to the member's local date and passes it in, so the
rules can be tested on any calendar and replayed from raw totals (`recompute`) to check the
incremental path the bot uses (`checkpoint` after each log, `view` to show).

The rules, day by day (a day is a local calendar `date`):
- ACTIVE when its minutes >= `rules.minimum`: the run grows by one, and every `freeze_every`-th
  active day of the run earns a freeze (held at most `max_freezes`).
- PAUSED (inside a `Pause`): skipped entirely, neither counts nor breaks.
- MISSED (otherwise, once the day is closed): covered by a held freeze if any (the run survives
  but does not grow; `frozen_days` counts it), else the run ends. A broken run loses its held
  freezes too: they were earned by that run, and keeping them would let a member bank freezes
  across restarts. With no run (current 0) a missed day changes nothing.
- TODAY is open until local midnight: an inactive today never spends a freeze or breaks.
- An `Adjustment` (a moderator's correction) sets the run length at the END of its day's
  processing; `longest` takes it into account, freezes are unchanged, and `frozen_days` resets
  only when the run is set to 0. Adjustments on days already checkpointed are the caller's job
  to replay (recompute from totals), since checkpoints treat those days as final.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.pauses import Pause, PauseCalendar, can_pause, end_pause, pause_window

__all__ = [
    "MILESTONES",
    "Adjustment",
    "Pause",
    "StreakRules",
    "StreakState",
    "StreakView",
    "advance",
    "can_pause",
    "checkpoint",
    "end_pause",
    "milestones_reached",
    "pause_window",
    "recompute",
    "view",
]

MILESTONES: tuple[int, ...] = (3, 7, 14, 30, 50, 100, 365)
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StreakRules:
    """A server's streak settings; validated so the fold never loops on a zero threshold."""

    minimum: int = 15
    freeze_every: int = 7
    max_freezes: int = 2

    def __post_init__(self) -> None:
        # minimum 0 would make every empty calendar day active, defeating the sparse fold.
        if self.minimum < 1 or self.freeze_every < 1 or self.max_freezes < 0:
            raise ValueError(f"invalid streak rules: {self}")


@dataclass(frozen=True, slots=True)
class StreakState:
    """The streak as of the END of `day` (all days <= day are final), or before any day if None."""

    day: date | None = None
    current: int = 0  # active days in the current run
    longest: int = 0
    freezes: int = 0
    frozen_days: int = 0  # days covered by freezes in the current run (for display)
    last_active: date | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A moderator set the current run to `current` on `day` (applied after that day's minutes)."""

    day: date
    current: int

    def __post_init__(self) -> None:
        if self.current < 0:
            raise ValueError("an adjusted streak cannot be negative")


@dataclass(frozen=True, slots=True)
class StreakView:
    """What `/streak` shows today; `at_risk` drives the "study today to keep it" nudge."""

    current: int
    longest: int
    freezes: int
    frozen_days: int
    today_active: bool
    today_minutes: int
    paused_until: date | None
    at_risk: bool


@dataclass(slots=True)
class _Run:
    """Mutable working copy of a StreakState while folding (avoids a copy per day)."""

    current: int
    longest: int
    freezes: int
    frozen_days: int
    last_active: date | None

    def gain(self, day: date, rules: StreakRules) -> None:
        self.current += 1
        self.last_active = day
        if self.current % rules.freeze_every == 0:
            self.freezes = min(rules.max_freezes, self.freezes + 1)
        self.longest = max(self.longest, self.current)

    def miss(self, days: int) -> None:
        """`days` missed in a row: freezes only fall during a gap, so only the count matters."""
        if days <= 0 or self.current == 0:
            return
        if days <= self.freezes:
            self.freezes -= days
            self.frozen_days += days
        else:
            self.current = self.freezes = self.frozen_days = 0

    def adjust(self, current: int) -> None:
        self.current = current
        self.longest = max(self.longest, current)
        if current == 0:
            self.frozen_days = 0

    def state(self, day: date | None) -> StreakState:
        return StreakState(
            day, self.current, self.longest, self.freezes, self.frozen_days, self.last_active
        )


def _run_of(state: StreakState) -> _Run:
    return _Run(state.current, state.longest, state.freezes, state.frozen_days, state.last_active)


def _adjustments_in(adjustments: Sequence[Adjustment], lo: date, hi: date) -> dict[date, int]:
    """The adjustment for each day in lo..hi; the last one listed for a day wins."""
    return {a.day: a.current for a in adjustments if lo <= a.day <= hi}


def _fold(
    state: StreakState,
    through: date,
    minutes_by_day: Mapping[date, int],
    rules: StreakRules,
    calendar: PauseCalendar,
    adjustments: Sequence[Adjustment],
) -> StreakState:
    """`advance` with the pause calendar built once, so `view` can reuse it for today."""
    if state.day is not None and through <= state.day:
        return state
    lo = date.min if state.day is None else state.day + _DAY
    active = {
        d
        for d, m in minutes_by_day.items()
        if lo <= d <= through and m >= rules.minimum and calendar.until(d.toordinal()) is None
    }
    adjusted = _adjustments_in(adjustments, lo, through)
    events = sorted(active | adjusted.keys())
    run = _run_of(state)
    # Ordinals, not dates: the cursor may step one past date.max-like edges without overflowing.
    # Before the first day ever there is nothing to miss; otherwise resume right after state.day.
    end = through.toordinal()
    first = events[0].toordinal() if events else end + 1
    cursor = first if state.day is None else lo.toordinal()
    for day in events:
        ordinal = day.toordinal()
        run.miss(calendar.open_days(cursor, ordinal - 1))
        if day in active:
            run.gain(day, rules)
        elif calendar.until(ordinal) is None:
            run.miss(1)
        if day in adjusted:
            run.adjust(adjusted[day])
        cursor = ordinal + 1
    run.miss(calendar.open_days(cursor, end))
    return run.state(through)


def advance(
    state: StreakState,
    through: date,
    minutes_by_day: Mapping[date, int],
    rules: StreakRules,
    pauses: Sequence[Pause] = (),
    adjustments: Sequence[Adjustment] = (),
) -> StreakState:
    """Fold the closed days state.day+1 .. through (inclusive) into the state.

    `minutes_by_day` may be sparse (missing days = 0 minutes) and hold days outside the window.
    Only active, adjusted and paused days are visited; runs of empty days between them are
    skipped arithmetically, so a member returning after years costs the same as after a day.
    If through <= state.day the state is returned unchanged (days already final stay final).
    """
    return _fold(state, through, minutes_by_day, rules, PauseCalendar(pauses), adjustments)


def view(
    state: StreakState,
    today: date,
    minutes_by_day: Mapping[date, int],
    rules: StreakRules,
    pauses: Sequence[Pause] = (),
    adjustments: Sequence[Adjustment] = (),
) -> StreakView:
    """What to show today.

    Yesterday is folded as closed: an inactive yesterday is shown as missed (a freeze spent or the
    run ended), since that is what happens unless a late log arrives; such a log only changes the
    totals, and the next view (still folding yesterday from totals, not from the checkpoint)
    reflects it. Today is open: it adds a day only when already active and never spends or breaks.
    """
    if state.day is not None and state.day >= today:
        raise ValueError(f"state is final through {state.day}, cannot view {today} as open")
    calendar = PauseCalendar(pauses)
    closed = _fold(state, today - _DAY, minutes_by_day, rules, calendar, adjustments)
    run = _run_of(closed)
    minutes = minutes_by_day.get(today, 0)
    until = calendar.until(today.toordinal())
    active = until is None and minutes >= rules.minimum
    if active:
        run.gain(today, rules)
    adjusted = _adjustments_in(adjustments, today, today)
    if today in adjusted:
        run.adjust(adjusted[today])
    return StreakView(
        current=run.current,
        longest=run.longest,
        freezes=run.freezes,
        frozen_days=run.frozen_days,
        today_active=active,
        today_minutes=minutes,
        paused_until=None if until is None else date.fromordinal(until),
        at_risk=run.current > 0 and not active and until is None,
    )


def recompute(
    minutes_by_day: Mapping[date, int],
    today: date,
    rules: StreakRules,
    pauses: Sequence[Pause] = (),
    adjustments: Sequence[Adjustment] = (),
) -> StreakView:
    """The view from raw per-day totals alone: the reference the incremental path must match."""
    return view(StreakState(), today, minutes_by_day, rules, pauses, adjustments)


def checkpoint(
    state: StreakState,
    today: date,
    minutes_by_day: Mapping[date, int],
    rules: StreakRules,
    pauses: Sequence[Pause] = (),
    adjustments: Sequence[Adjustment] = (),
) -> StreakState:
    """Advance the stored state to the day before yesterday, the last day no log can change.

    Logs are accepted for today and yesterday only, so days <= today - 2 are final. Storing this
    after each log (with the per-day totals) keeps a log O(1): `view` then folds only yesterday
    and today, plus any days since the member's previous checkpoint.
    """
    return advance(state, today - 2 * _DAY, minutes_by_day, rules, pauses, adjustments)


def milestones_reached(before: int, after: int) -> list[int]:
    """Milestones crossed going from `before` to `after`, to celebrate each exactly once."""
    return [m for m in MILESTONES if before < m <= after]
