"""Random histories: the incremental path the bot uses must always show what a replay shows.

Two oracles: `recompute` (the module's own replay from raw totals) and a naive day-by-day fold
written here independently, which catches mistakes in the arithmetic skipping of empty days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.streaks import (
    Adjustment,
    Pause,
    StreakRules,
    StreakState,
    StreakView,
    advance,
    checkpoint,
    recompute,
    view,
)

ONE = timedelta(days=1)
SETTINGS = settings(max_examples=200, deadline=None)

# Many zeros, values around the usual minimum (15), and a full hour.
minutes_st = st.one_of(st.just(0), st.just(0), st.sampled_from([14, 15, 16]), st.integers(0, 60))
rules_st = st.builds(
    StreakRules,
    minimum=st.sampled_from([1, 15, 30]),
    freeze_every=st.integers(1, 7),
    max_freezes=st.integers(0, 3),
)


@dataclass(frozen=True)
class History:
    start: date
    logs: list[list[tuple[bool, int]]]  # per simulated day: (for yesterday?, minutes) in order
    pauses: list[Pause]
    adjustments: list[Adjustment]
    rules: StreakRules


@st.composite
def histories(draw: st.DrawFn) -> History:
    start = draw(st.dates(date(2000, 1, 1), date(2030, 12, 31)))
    days = draw(st.integers(1, 120))
    logs = draw(
        st.lists(
            st.lists(st.tuples(st.booleans(), minutes_st), max_size=3),
            min_size=days,
            max_size=days,
        )
    )
    pauses = [
        Pause(start + offset * ONE, start + (offset + length - 1) * ONE)
        for offset, length in draw(
            st.lists(st.tuples(st.integers(-5, days), st.integers(1, 14)), max_size=3)
        )
    ]
    adjustments = [
        Adjustment(start + offset * ONE, value)
        for offset, value in draw(
            st.lists(st.tuples(st.integers(-5, days), st.integers(0, 30)), max_size=3)
        )
    ]
    return History(start, logs, pauses, adjustments, draw(rules_st))


def naive(
    totals: dict[date, int],
    today: date,
    rules: StreakRules,
    pauses: list[Pause],
    adjustments: list[Adjustment],
) -> StreakView:
    """The rules applied one calendar day at a time, with today open."""
    paused_until: dict[date, date] = {}
    for p in sorted(pauses, key=lambda p: p.start):
        d = p.start
        while d <= p.end:
            paused_until[d] = max(p.end, paused_until.get(d, p.end))
            d += ONE
    # Chained pauses: the shown end is the end of the whole paused stretch.
    for d in sorted(paused_until, reverse=True):
        after = paused_until[d] + ONE
        if after in paused_until:
            paused_until[d] = paused_until[after]
    adjusted = {a.day: a.current for a in adjustments}
    first = min(
        [d for d, m in totals.items() if m >= rules.minimum] + list(adjusted), default=today
    )
    current = longest = freezes = frozen = 0
    today_active = False
    d = first
    while d <= today:
        if d not in paused_until:
            if totals.get(d, 0) >= rules.minimum:
                today_active = d == today
                current += 1
                if current % rules.freeze_every == 0:
                    freezes = min(rules.max_freezes, freezes + 1)
                longest = max(longest, current)
            elif d != today and current > 0:
                if freezes:
                    freezes, frozen = freezes - 1, frozen + 1
                else:
                    current = freezes = frozen = 0
        if d in adjusted:
            current = adjusted[d]
            longest = max(longest, current)
            frozen = 0 if current == 0 else frozen
        d += ONE
    until = paused_until.get(today)
    return StreakView(
        current,
        longest,
        freezes,
        frozen,
        today_active,
        totals.get(today, 0),
        until,
        current > 0 and not today_active and until is None,
    )


@SETTINGS
@given(histories())
def test_incremental_view_always_matches_replay(history: History) -> None:
    rules, pauses, adjustments = history.rules, history.pauses, history.adjustments
    totals: dict[date, int] = {}
    state = StreakState()

    def check(today: date) -> None:
        shown = view(state, today, totals, rules, pauses, adjustments)
        assert shown == recompute(totals, today, rules, pauses, adjustments)
        assert shown == naive(totals, today, rules, pauses, adjustments)

    for offset, logs in enumerate(history.logs):
        today = history.start + offset * ONE
        check(today)  # a new day dawns: nothing logged yet, the stored state is from before
        for for_yesterday, minutes in logs:
            logged_day = today - ONE if for_yesterday else today
            totals[logged_day] = totals.get(logged_day, 0) + minutes
            state = checkpoint(state, today, totals, rules, pauses, adjustments)
            assert state.day == today - 2 * ONE
            check(today)


@SETTINGS
@given(
    start=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    minutes=st.lists(minutes_st, max_size=150),
    splits=st.tuples(st.integers(-3, 160), st.integers(-3, 160)),
    seed=st.tuples(st.booleans(), st.integers(0, 20), st.integers(0, 3)),
    pause_spans=st.lists(st.tuples(st.integers(0, 150), st.integers(1, 14)), max_size=3),
    adjusted=st.lists(st.tuples(st.integers(0, 150), st.integers(0, 30)), max_size=3),
    rules=rules_st,
)
def test_advance_is_associative_over_splits(
    start: date,
    minutes: list[int],
    splits: tuple[int, int],
    seed: tuple[bool, int, int],
    pause_spans: list[tuple[int, int]],
    adjusted: list[tuple[int, int]],
    rules: StreakRules,
) -> None:
    totals = {start + i * ONE: m for i, m in enumerate(minutes) if m}
    pauses = [Pause(start + o * ONE, start + (o + n - 1) * ONE) for o, n in pause_spans]
    adjustments = [Adjustment(start + o * ONE, v) for o, v in adjusted]
    fresh, current, freezes = seed
    initial = (
        StreakState()
        if fresh
        else StreakState(start - ONE, current, current + 3, min(freezes, rules.max_freezes))
    )
    middle, end = (start + s * ONE for s in sorted(splits))
    args = (totals, rules, pauses, adjustments)
    two_steps = advance(advance(initial, middle, *args), end, *args)
    assert two_steps == advance(initial, end, *args)
