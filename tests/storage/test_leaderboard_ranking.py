"""The leaderboard ranked by the database agrees with the reference ranking done in Python.

`ProgressRepository.ranking` returns only the top places and the caller's line (window functions
over the totals tables); `build_board` ranks every member in Python. Random servers, with ties,
hidden members, periods and callers anywhere on (or off) the board, must give the same Board.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.leaderboard import Bounds, build_board, ranked_board
from bot.storage.progress_repo import ProgressRepository
from bot.storage.tables import daily_totals, member_totals

GUILD, OTHER_GUILD = 10, 11
START = date(2026, 3, 2)


async def _fill(engine: AsyncEngine, rng: random.Random) -> dict[int, dict[date, int]]:
    """Members' minutes per day (few distinct values, so ties are common), in two servers."""
    days = [START + timedelta(days=n) for n in range(10)]
    history: dict[int, dict[date, int]] = {}
    daily, totals = [], []
    for user in range(1, 40):
        mine = {d: rng.choice((0, 15, 30, 30, 60)) for d in rng.sample(days, rng.randint(0, 4))}
        history[user] = mine
        daily += [
            {"guild_id": GUILD, "user_id": user, "day": d, "minutes": m} for d, m in mine.items()
        ]
        totals.append(
            {"guild_id": GUILD, "user_id": user, "minutes": sum(mine.values()), "sessions": 1}
        )
    daily.append({"guild_id": OTHER_GUILD, "user_id": 1, "day": START, "minutes": 999})
    totals.append({"guild_id": OTHER_GUILD, "user_id": 1, "minutes": 999, "sessions": 1})
    async with engine.begin() as conn:
        await conn.execute(daily_totals.insert(), daily)
        await conn.execute(member_totals.insert(), totals)
    return history


def _rows(
    history: dict[int, dict[date, int]], bounds: Bounds, hidden: set[int]
) -> list[tuple[int, int]]:
    """What the old repository returned: everyone's minutes, best first, hidden ones gone."""
    rows = []
    for user, days in history.items():
        if user in hidden:
            continue
        inside = [
            m
            for d, m in days.items()
            if bounds.start is None or bounds.end is None or bounds.start <= d <= bounds.end
        ]
        if inside:
            rows.append((user, sum(inside)))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


async def test_database_ranking_matches_the_reference(engine: AsyncEngine) -> None:
    rng = random.Random(5)
    history = await _fill(engine, rng)
    repo = ProgressRepository(engine)
    periods = [
        Bounds("all", None, None),
        Bounds("week", START, START + timedelta(days=6)),
        Bounds("month", START + timedelta(days=3), START + timedelta(days=30)),
    ]
    for _ in range(60):
        bounds = rng.choice(periods)
        hidden = set(rng.sample(range(1, 40), rng.randint(0, 5)))
        caller = rng.randint(1, 45)
        size = rng.choice((1, 3, 10))
        ranking = await repo.ranking(GUILD, bounds.start, bounds.end, hidden, caller, size)
        got = ranked_board(bounds, ranking, caller, caller_hidden=caller in hidden)
        want = build_board(
            bounds,
            _rows(history, bounds, hidden),
            caller,
            caller_hidden=caller in hidden,
            size=size,
        )
        assert got == want, (bounds, sorted(hidden), caller, size)
