"""Leaderboards and personal study statistics: period bounds, ranks and the data behind /stats.

The pure functions (period bounds from a date, ranks with ties, the top-N cut) carry the rules and
are unit tested on their own; the two small services only fetch rows and hand them to those
functions, so the cogs stay a matter of parsing options and rendering. Discord-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, get_args
from zoneinfo import ZoneInfo

from bot.core.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.core.progress import ProgressService
    from bot.storage.privacy_repo import PrivacyRepository
    from bot.storage.progress_repo import ProgressRepository
    from bot.storage.settings_repo import SettingsRepository

Period = Literal["week", "month", "all"]
PERIODS: tuple[str, ...] = get_args(Period)
TOP_SIZE = 10
STATS_MIN_WEEKS, STATS_MAX_WEEKS = 4, 52


@dataclass(frozen=True, slots=True)
class Bounds:
    """The days a period covers, inclusive; both None for "all time"."""

    period: Period
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Board:
    """What a leaderboard reply shows: the top, and the caller's own line when not in it."""

    bounds: Bounds
    top: list[Standing]
    caller: Standing | None  # set only when the caller ranks but sits outside `top`
    caller_in_top: bool
    caller_hidden: bool
    entrants: int


@dataclass(frozen=True, slots=True)
class Ranking:
    """A leaderboard as the database ranks it: the first places and the caller's own line."""

    top: list[tuple[int, int, int]]  # (rank, user_id, minutes), best first
    caller: tuple[int, int] | None  # (rank, minutes) when the caller is on the board
    entrants: int


@dataclass(frozen=True, slots=True)
class MemberStats:
    """The days behind a member's heatmap, in the member's own timezone."""

    minutes_by_day: dict[date, int]
    start: date
    today: date
    zone: ZoneInfo
    total_minutes: int
    active_days: int


def week_bounds(today: date) -> tuple[date, date]:
    """The ISO week (Monday..Sunday) holding `today`; it may straddle a year end."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def month_bounds(today: date) -> tuple[date, date]:
    """The calendar month holding `today`, first to last day."""
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return first, next_first - timedelta(days=1)


def period_bounds(period: str, now: datetime, zone: ZoneInfo) -> Bounds:
    """The days of `period` around `now` as seen in `zone` (the server's: one board for everyone).

    Discord only offers the listed choices, but a stale client can send anything: refuse kindly.
    """
    today = now.astimezone(zone).date()
    if period == "week":
        return Bounds("week", *week_bounds(today))
    if period == "month":
        return Bounds("month", *month_bounds(today))
    if period == "all":
        return Bounds("all", None, None)
    raise InvalidInput(f"Pick a period from the list: {', '.join(PERIODS)}.")


def standings(rows: list[tuple[int, int]]) -> list[Standing]:
    """Competition ranks ("1, 2, 2, 4") over rows sorted best first: equal minutes, equal rank."""
    ranked: list[Standing] = []
    for position, (user_id, minutes) in enumerate(rows, start=1):
        tied = ranked and ranked[-1].minutes == minutes
        rank = ranked[-1].rank if tied else position
        ranked.append(Standing(rank, user_id, minutes))
    return ranked


def build_board(
    bounds: Bounds,
    rows: list[tuple[int, int]],
    caller_id: int,
    *,
    caller_hidden: bool = False,
    size: int = TOP_SIZE,
) -> Board:
    """Cut the top `size` and find the caller's line; rows arrive best first, hidden ones gone.

    The reference for `ranked_board`, which gets the same answer from the database's ranking.
    """
    ranked = standings([(user, minutes) for user, minutes in rows if minutes > 0])
    top = ranked[:size]
    in_top = any(s.user_id == caller_id for s in top)
    caller = None
    if not in_top:
        caller = next((s for s in ranked[size:] if s.user_id == caller_id), None)
    return Board(bounds, top, caller, in_top, caller_hidden, len(ranked))


def ranked_board(
    bounds: Bounds, ranking: Ranking, caller_id: int, *, caller_hidden: bool = False
) -> Board:
    """The same Board as `build_board`, from the places the database already ranked."""
    top = [Standing(rank, user_id, minutes) for rank, user_id, minutes in ranking.top]
    in_top = any(s.user_id == caller_id for s in top)
    caller = None
    if not in_top and ranking.caller is not None:
        caller = Standing(ranking.caller[0], caller_id, ranking.caller[1])
    return Board(bounds, top, caller, in_top, caller_hidden, ranking.entrants)


class LeaderboardService:
    """Who studied most in a server, and one member's days for /stats.

    Both read running totals only (DESIGN: a top-10 from totals is ~1 ms, a GROUP BY over raw
    sessions is ~50x that), and both respect the member's privacy settings.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        settings: SettingsRepository,
        progress: ProgressRepository,
        study: ProgressService,
        privacy: PrivacyRepository,
    ) -> None:
        self.clock = clock
        self.settings = settings
        self.progress = progress
        self.study = study
        self.privacy = privacy

    async def board(self, guild_id: int, caller_id: int, period: str) -> Board:
        zone = (await self.settings.guild(guild_id)).zone
        bounds = period_bounds(period, self.clock.now(), zone)
        hidden = await self.privacy.hidden_from_leaderboards(guild_id)
        ranking = await self.progress.ranking(
            guild_id, bounds.start, bounds.end, hidden, caller_id, TOP_SIZE
        )
        return ranked_board(bounds, ranking, caller_id, caller_hidden=caller_id in hidden)

    async def member_stats(
        self, guild_id: int, viewer_id: int, member_id: int, weeks: int
    ) -> MemberStats:
        """A member's last `weeks` ISO weeks, refused to others when the member hides progress."""
        if not STATS_MIN_WEEKS <= weeks <= STATS_MAX_WEEKS:
            raise InvalidInput(
                f"Pick between {STATS_MIN_WEEKS} and {STATS_MAX_WEEKS} weeks (you gave {weeks})."
            )
        if viewer_id != member_id and await self.privacy.hides_progress(guild_id, member_id):
            raise NotAllowed("That member keeps their study progress private.")
        where = await self.study.member_day(guild_id, member_id)
        start = where.today - timedelta(days=where.today.weekday(), weeks=weeks - 1)
        days = await self.progress.daily_minutes(guild_id, member_id, start, where.today)
        return MemberStats(
            minutes_by_day=days,
            start=start,
            today=where.today,
            zone=where.zone,
            total_minutes=sum(max(0, m) for m in days.values()),
            active_days=sum(1 for m in days.values() if m > 0),
        )
