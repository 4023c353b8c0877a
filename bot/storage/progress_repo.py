"""Study sessions, running totals, completions and streak state, kept consistent in one place.

A log is one transaction: the session row, the day/topic/member totals and the streak checkpoint
change together or not at all. It is written once, as a synchronous function of a `Connection`,
and run in one call by `run_write` (SQLite: the engine's writer thread; PostgreSQL: `run_sync`).
Its first statement is a write, so SQLite hands the transaction its write lock at once and
concurrent logs by one member serialise instead of racing on the streak row; PostgreSQL gets the
same from `SELECT ... FOR UPDATE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.leaderboard import Ranking, standings
from bot.core.pauses import Pause
from bot.core.progress_view import TopicProgress
from bot.core.streaks import (
    Adjustment,
    StreakRules,
    StreakState,
    StreakView,
    checkpoint,
    recompute,
    view,
)
from bot.storage.engine import run_write
from bot.storage.tables import (
    daily_totals,
    member_totals,
    streak_adjustments,
    streak_pauses,
    streaks,
    study_sessions,
    topic_completions,
    topic_totals,
)
from bot.storage.upsert import increment_sync, upsert_sync

if TYPE_CHECKING:
    from bot.core.groups import GroupDay, GroupEvent
    from bot.storage.group_days_repo import GroupDaysRepository

MEMBER_TABLES = (
    study_sessions,
    daily_totals,
    topic_totals,
    member_totals,
    topic_completions,
    streaks,
    streak_pauses,
    streak_adjustments,
)


@dataclass(frozen=True, slots=True)
class LogOutcome:
    day_minutes: int
    topic_minutes_before: int
    topic_minutes: int
    before: StreakView
    after: StreakView
    group_events: tuple[GroupEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionRow:
    topic_id: str
    minutes: int
    note: str | None
    day: date
    logged_at: datetime


@dataclass(frozen=True, slots=True)
class _StreakContext:
    state: StreakState
    totals: dict[date, int]
    pauses: list[Pause]
    adjustments: list[Adjustment]


class ProgressRepository:
    def __init__(self, engine: AsyncEngine, groups: GroupDaysRepository | None = None) -> None:
        self._engine = engine
        # Study groups count each session in the same transaction as the session row.
        self._groups = groups

    async def log(
        self,
        *,
        guild_id: int,
        user_id: int,
        topic_id: str,
        minutes: int,
        note: str | None,
        day: date,
        today: date,
        now: datetime,
        rules: StreakRules,
        group_day: GroupDay | None = None,
    ) -> LogOutcome:
        key = {"guild_id": guild_id, "user_id": user_id}

        def work(conn: Connection) -> LogOutcome:
            conn.execute(
                study_sessions.insert().values(
                    **key, topic_id=topic_id, minutes=minutes, note=note, day=day, logged_at=now
                )
            )
            increment_sync(conn, daily_totals, {**key, "day": day}, minutes=minutes)
            increment_sync(
                conn, topic_totals, {**key, "topic_id": topic_id}, minutes=minutes, sessions=1
            )
            increment_sync(conn, member_totals, key, minutes=minutes, sessions=1)
            topic_after = int(
                conn.execute(
                    select(topic_totals.c.minutes).where(
                        _member(topic_totals, guild_id, user_id),
                        topic_totals.c.topic_id == topic_id,
                    )
                ).scalar_one()
            )
            context = _context(conn, guild_id, user_id, lock=True)
            before_totals = dict(context.totals)
            before_totals[day] = before_totals.get(day, 0) - minutes
            args = (rules, context.pauses, context.adjustments)
            before = view(context.state, today, before_totals, *args)
            after = view(context.state, today, context.totals, *args)
            _save_state(
                conn, guild_id, user_id, checkpoint(context.state, today, context.totals, *args)
            )
            group_events: list[GroupEvent] = []
            if self._groups is not None and group_day is not None:
                group_events = self._groups.record_session(
                    conn,
                    guild_id=guild_id,
                    user_id=user_id,
                    minutes=minutes,
                    day=group_day.day,
                    today=group_day.today,
                    minimum=rules.minimum,
                )
            return LogOutcome(
                day_minutes=context.totals.get(day, 0),
                topic_minutes_before=topic_after - minutes,
                topic_minutes=topic_after,
                before=before,
                after=after,
                group_events=tuple(group_events),
            )

        return await run_write(self._engine, work)

    async def streak(
        self, guild_id: int, user_id: int, today: date, rules: StreakRules
    ) -> StreakView:
        async with self._engine.connect() as conn:
            context = await conn.run_sync(_context, guild_id, user_id, lock=False)
        return view(
            context.state, today, context.totals, rules, context.pauses, context.adjustments
        )

    async def recompute_streak(
        self, guild_id: int, user_id: int, today: date, rules: StreakRules
    ) -> StreakView:
        """The streak from the raw sessions alone, ignoring every stored total and checkpoint.

        The reference the incremental path is tested against, and the repair tool if stored
        state is ever in doubt.
        """
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(study_sessions.c.day, func.sum(study_sessions.c.minutes))
                .where(_member(study_sessions, guild_id, user_id))
                .group_by(study_sessions.c.day)
            )
            totals = {day: int(minutes) for day, minutes in rows}
            pauses = await conn.run_sync(_pauses, guild_id, user_id, None)
            adjustments = await conn.execute(
                select(streak_adjustments.c.day, streak_adjustments.c.value)
                .where(_member(streak_adjustments, guild_id, user_id))
                .order_by(streak_adjustments.c.id)
            )
            adjusted = [Adjustment(r.day, r.value) for r in adjustments]
        return recompute(totals, today, rules, pauses, adjusted)

    async def topic_progress(self, guild_id: int, user_id: int) -> TopicProgress:
        async with self._engine.connect() as conn:
            done = await conn.execute(
                select(topic_completions.c.topic_id).where(
                    _member(topic_completions, guild_id, user_id)
                )
            )
            minutes = await conn.execute(
                select(topic_totals.c.topic_id, topic_totals.c.minutes).where(
                    _member(topic_totals, guild_id, user_id)
                )
            )
            return TopicProgress(
                done=frozenset(done.scalars()), minutes={r.topic_id: r.minutes for r in minutes}
            )

    async def set_done(
        self, guild_id: int, user_id: int, topic_id: str, *, done: bool, now: datetime
    ) -> bool:
        """Mark or unmark; return whether anything changed."""
        async with self._engine.begin() as conn:
            if done:
                result = await conn.execute(
                    select(topic_completions.c.topic_id).where(
                        _member(topic_completions, guild_id, user_id),
                        topic_completions.c.topic_id == topic_id,
                    )
                )
                if result.first() is not None:
                    return False
                await conn.execute(
                    topic_completions.insert().values(
                        guild_id=guild_id, user_id=user_id, topic_id=topic_id, completed_at=now
                    )
                )
                return True
            removed = await conn.execute(
                delete(topic_completions).where(
                    _member(topic_completions, guild_id, user_id),
                    topic_completions.c.topic_id == topic_id,
                )
            )
            return bool(removed.rowcount)

    async def totals(self, guild_id: int, user_id: int) -> tuple[int, int]:
        """(minutes, sessions) over all time."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(member_totals.c.minutes, member_totals.c.sessions).where(
                        _member(member_totals, guild_id, user_id)
                    )
                )
            ).first()
        return (row.minutes, row.sessions) if row else (0, 0)

    async def recent_sessions(
        self, guild_id: int, user_id: int, limit: int = 5
    ) -> list[SessionRow]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(study_sessions)
                .where(_member(study_sessions, guild_id, user_id))
                .order_by(study_sessions.c.logged_at.desc(), study_sessions.c.id.desc())
                .limit(limit)
            )
            return [SessionRow(r.topic_id, r.minutes, r.note, r.day, r.logged_at) for r in rows]

    async def daily_minutes(
        self, guild_id: int, user_id: int, start: date, end: date
    ) -> dict[date, int]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(daily_totals.c.day, daily_totals.c.minutes).where(
                    _member(daily_totals, guild_id, user_id),
                    daily_totals.c.day.between(start, end),
                )
            )
            return {r.day: r.minutes for r in rows}

    async def ranking(
        self,
        guild_id: int,
        start: date | None,
        end: date | None,
        hidden: set[int],
        caller_id: int,
        size: int,
    ) -> Ranking:
        """Members by minutes in start..end (all time when None), ranked by the database.

        One statement returns the first `size` places (ties listed by user id) with, on each
        row, the caller's minutes, how many members have more, and how many are on the board;
        members in `hidden` and members without minutes are left out. Ranks are competition
        ranks (equal minutes, equal rank). All time reads `member_totals` through its
        (guild, minutes) index; a period sums `daily_totals` once, in a CTE.
        """
        if start is None or end is None:
            user = member_totals.c.user_id
            scores: Any = (
                select(user.label("user_id"), member_totals.c.minutes.label("m"))
                .where(member_totals.c.guild_id == guild_id, member_totals.c.minutes > 0)
                .where(*([user.not_in(hidden)] if hidden else []))
                .subquery("scores")
            )
        else:
            user, total = daily_totals.c.user_id, func.sum(daily_totals.c.minutes)
            scores = (
                select(user.label("user_id"), total.label("m"))
                .where(daily_totals.c.guild_id == guild_id, daily_totals.c.day.between(start, end))
                .where(*([user.not_in(hidden)] if hidden else []))
                .group_by(user)
                .having(total > 0)
                .cte("scores")
            )
        mine = select(scores.c.m).where(scores.c.user_id == caller_id).scalar_subquery()
        query = (
            select(
                scores.c.user_id,
                scores.c.m,
                mine.label("mine"),
                select(func.count()).select_from(scores).scalar_subquery().label("entrants"),
                select(func.count())
                .select_from(scores)
                .where(scores.c.m > mine)
                .scalar_subquery()
                .label("above"),
            )
            .order_by(scores.c.m.desc(), scores.c.user_id)
            .limit(size)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        if not rows:
            return Ranking(top=[], caller=None, entrants=0)
        top = [(s.rank, s.user_id, s.minutes) for s in standings([(r[0], int(r[1])) for r in rows])]
        first = rows[0]
        caller = None if first.mine is None else (int(first.above) + 1, int(first.mine))
        return Ranking(top=top, caller=caller, entrants=int(first.entrants))

    async def last_pause_start(self, guild_id: int, user_id: int) -> date | None:
        async with self._engine.connect() as conn:
            return await conn.scalar(
                select(func.max(streak_pauses.c.start)).where(
                    _member(streak_pauses, guild_id, user_id)
                )
            )

    async def pauses(self, guild_id: int, user_id: int) -> list[Pause]:
        async with self._engine.connect() as conn:
            return await conn.run_sync(_pauses, guild_id, user_id, None)

    async def add_pause(self, guild_id: int, user_id: int, pause: Pause) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                streak_pauses.insert().values(
                    guild_id=guild_id, user_id=user_id, start=pause.start, end=pause.end
                )
            )

    async def replace_pause(
        self, guild_id: int, user_id: int, old: Pause, new: Pause | None
    ) -> None:
        """Shorten (or drop, when `new` is None) a pause; its start row is kept for the cooldown."""
        async with self._engine.begin() as conn:
            where = and_(
                _member(streak_pauses, guild_id, user_id),
                streak_pauses.c.start == old.start,
                streak_pauses.c.end == old.end,
            )
            # With nothing left, the row stays (ending the day before it starts, so it covers no
            # day) because the pause cooldown counts from its start.
            end = old.start - timedelta(days=1) if new is None else new.end
            await conn.execute(update(streak_pauses).where(where).values(end=end))

    async def adjust(
        self,
        *,
        guild_id: int,
        user_id: int,
        moderator_id: int,
        value: int,
        previous: int,
        reason: str,
        day: date,
        now: datetime,
    ) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                streak_adjustments.insert().values(
                    guild_id=guild_id,
                    user_id=user_id,
                    moderator_id=moderator_id,
                    day=day,
                    value=value,
                    previous=previous,
                    reason=reason,
                    created_at=now,
                )
            )


def _context(conn: Connection, guild_id: int, user_id: int, *, lock: bool) -> _StreakContext:
    """The streak checkpoint and what came after it (days, pauses, adjustments)."""
    query = select(streaks).where(_member(streaks, guild_id, user_id))
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    state = (
        StreakState(
            day=row.checkpoint_day,
            current=row.current,
            longest=row.longest,
            freezes=row.freezes,
            frozen_days=row.frozen_days,
            last_active=row.last_active,
        )
        if row
        else StreakState()
    )
    after = state.day
    day_filter = [] if after is None else [daily_totals.c.day > after]
    totals_rows = conn.execute(
        select(daily_totals.c.day, daily_totals.c.minutes).where(
            _member(daily_totals, guild_id, user_id), *day_filter
        )
    )
    adjust_filter = [] if after is None else [streak_adjustments.c.day > after]
    adjustments = conn.execute(
        select(streak_adjustments.c.day, streak_adjustments.c.value)
        .where(_member(streak_adjustments, guild_id, user_id), *adjust_filter)
        .order_by(streak_adjustments.c.id)
    )
    return _StreakContext(
        state=state,
        totals={r.day: r.minutes for r in totals_rows},
        pauses=_pauses(conn, guild_id, user_id, after),
        adjustments=[Adjustment(r.day, r.value) for r in adjustments],
    )


def _save_state(conn: Connection, guild_id: int, user_id: int, state: StreakState) -> None:
    upsert_sync(
        conn,
        streaks,
        {
            "guild_id": guild_id,
            "user_id": user_id,
            "checkpoint_day": state.day,
            "current": state.current,
            "longest": state.longest,
            "freezes": state.freezes,
            "frozen_days": state.frozen_days,
            "last_active": state.last_active,
        },
        keys=("guild_id", "user_id"),
    )


def _pauses(conn: Connection, guild_id: int, user_id: int, after: date | None) -> list[Pause]:
    where = [
        _member(streak_pauses, guild_id, user_id),
        streak_pauses.c.end >= streak_pauses.c.start,
    ]
    if after is not None:
        where.append(streak_pauses.c.end > after)
    rows = conn.execute(select(streak_pauses.c.start, streak_pauses.c.end).where(*where))
    return [Pause(r.start, r.end) for r in rows]


def _member(table: Any, guild_id: int, user_id: int) -> Any:
    return and_(table.c.guild_id == guild_id, table.c.user_id == user_id)
