"""Moderator-added challenges, the queue, submissions, and what members studied lately."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, delete, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.challenges import ChallengeItem
from bot.storage.batch import chunked
from bot.storage.scheduling_tables import challenge_queue, custom_challenges, submissions
from bot.storage.tables import streaks, study_sessions
from bot.storage.upsert import upsert


@dataclass(frozen=True, slots=True)
class Submission:
    user_id: int
    period: str
    challenge_id: str
    link: str
    note: str | None
    submitted_at: datetime


class ChallengesRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def custom(self, guild_id: int) -> list[ChallengeItem]:
        return (await self.custom_for([guild_id]))[guild_id]

    async def custom_for(self, guild_ids: Iterable[int]) -> dict[int, list[ChallengeItem]]:
        """Each server's own challenges (not removed), oldest first."""
        found: dict[int, list[ChallengeItem]] = defaultdict(list)
        async with self._engine.connect() as conn:
            for chunk in chunked(guild_ids):
                rows = await conn.execute(
                    select(custom_challenges)
                    .where(
                        custom_challenges.c.guild_id.in_(chunk),
                        custom_challenges.c.removed.is_(False),
                    )
                    .order_by(custom_challenges.c.created_at, custom_challenges.c.id)
                )
                for r in rows:
                    found[r.guild_id].append(
                        ChallengeItem(
                            id=r.id,
                            title=r.title,
                            brief=r.brief,
                            deliverable=r.deliverable,
                            difficulty=r.difficulty,
                            topics=tuple(filter(None, r.topics.split(","))),
                            custom=True,
                        )
                    )
        return found

    async def add_custom(
        self, guild_id: int, item: ChallengeItem, author: int, now: datetime
    ) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                custom_challenges.insert().values(
                    id=item.id,
                    guild_id=guild_id,
                    title=item.title,
                    brief=item.brief,
                    deliverable=item.deliverable,
                    difficulty=item.difficulty,
                    topics=",".join(item.topics),
                    created_by=author,
                    created_at=now,
                )
            )

    async def custom_count(self) -> int:
        async with self._engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(custom_challenges)) or 0)

    async def remove_custom(self, guild_id: int, challenge_id: str) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(custom_challenges)
                .where(
                    custom_challenges.c.guild_id == guild_id,
                    custom_challenges.c.id == challenge_id,
                    custom_challenges.c.removed.is_(False),
                )
                .values(removed=True)
            )
            await conn.execute(
                delete(challenge_queue).where(
                    challenge_queue.c.guild_id == guild_id,
                    challenge_queue.c.challenge_id == challenge_id,
                )
            )
            return bool(result.rowcount)

    async def queue(self, guild_id: int) -> list[tuple[str, str | None]]:
        """[(challenge_id, week or None)] in the order they were queued."""
        return (await self.queues([guild_id]))[guild_id]

    async def queues(self, guild_ids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
        found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
        async with self._engine.connect() as conn:
            for chunk in chunked(guild_ids):
                rows = await conn.execute(
                    select(
                        challenge_queue.c.guild_id,
                        challenge_queue.c.challenge_id,
                        challenge_queue.c.week,
                    )
                    .where(challenge_queue.c.guild_id.in_(chunk))
                    .order_by(challenge_queue.c.id)
                )
                for r in rows:
                    found[r.guild_id].append((r.challenge_id, r.week))
        return found

    async def enqueue(
        self, guild_id: int, challenge_id: str, week: str | None, now: datetime
    ) -> bool:
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    challenge_queue.insert().values(
                        guild_id=guild_id, challenge_id=challenge_id, week=week, created_at=now
                    )
                )
        except IntegrityError:
            return False
        return True

    async def dequeue(self, guild_id: int, challenge_id: str) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(challenge_queue).where(
                    challenge_queue.c.guild_id == guild_id,
                    challenge_queue.c.challenge_id == challenge_id,
                )
            )
            return bool(result.rowcount)

    async def dequeue_many(self, pairs: list[tuple[int, str]]) -> None:
        """Take many (server, challenge) off their queues in one transaction."""
        if not pairs:
            return
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(challenge_queue).where(
                    challenge_queue.c.guild_id == bindparam("g"),
                    challenge_queue.c.challenge_id == bindparam("c"),
                ),
                [{"g": guild_id, "c": challenge_id} for guild_id, challenge_id in pairs],
            )

    async def submit(self, guild_id: int, submission: Submission) -> None:
        """One submission per member per challenge week; a new one replaces the old."""
        async with self._engine.begin() as conn:
            await upsert(
                conn,
                submissions,
                {
                    "guild_id": guild_id,
                    "period": submission.period,
                    "user_id": submission.user_id,
                    "challenge_id": submission.challenge_id,
                    "link": submission.link,
                    "note": submission.note,
                    "submitted_at": submission.submitted_at,
                },
                keys=("guild_id", "period", "user_id"),
            )

    async def submissions(
        self, guild_id: int, *, period: str | None = None, user_id: int | None = None
    ) -> list[Submission]:
        where = [submissions.c.guild_id == guild_id]
        if period is not None:
            where.append(submissions.c.period == period)
        if user_id is not None:
            where.append(submissions.c.user_id == user_id)
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(submissions)
                .where(*where)
                .order_by(submissions.c.period.desc(), submissions.c.submitted_at)
            )
            return [
                Submission(r.user_id, r.period, r.challenge_id, r.link, r.note, r.submitted_at)
                for r in rows
            ]

    async def recent_topics(self, guild_id: int, since: date) -> list[str]:
        """Topics logged in this server since `since`, most studied first."""
        return (await self.recent_topics_for([guild_id], since))[guild_id]

    async def recent_topics_for(
        self, guild_ids: Iterable[int], since: date
    ) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        minutes = func.sum(study_sessions.c.minutes)
        async with self._engine.connect() as conn:
            for chunk in chunked(guild_ids):
                rows = await conn.execute(
                    select(study_sessions.c.guild_id, study_sessions.c.topic_id)
                    .where(study_sessions.c.guild_id.in_(chunk), study_sessions.c.day >= since)
                    .group_by(study_sessions.c.guild_id, study_sessions.c.topic_id)
                    .order_by(study_sessions.c.guild_id, minutes.desc(), study_sessions.c.topic_id)
                )
                for r in rows:
                    found[r.guild_id].append(r.topic_id)
        return found

    async def top_streaks(self, guild_id: int, limit: int) -> list[tuple[int, int]]:
        """[(user_id, current)] by the stored streak (as of each member's last checkpoint)."""
        return (await self.top_streaks_for([guild_id], limit))[guild_id]

    async def top_streaks_for(
        self, guild_ids: Iterable[int], limit: int
    ) -> dict[int, list[tuple[int, int]]]:
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        order = (streaks.c.current.desc(), streaks.c.user_id)
        async with self._engine.connect() as conn:
            for chunk in chunked(guild_ids):
                place = func.row_number().over(partition_by=streaks.c.guild_id, order_by=order)
                ranked = (
                    select(
                        streaks.c.guild_id, streaks.c.user_id, streaks.c.current, place.label("n")
                    )
                    .where(streaks.c.guild_id.in_(chunk), streaks.c.current > 0)
                    .subquery()
                )
                rows = await conn.execute(
                    select(ranked)
                    .where(ranked.c.n <= limit)
                    .order_by(ranked.c.guild_id, ranked.c.n)
                )
                for r in rows:
                    found[r.guild_id].append((r.user_id, r.current))
        return found

    async def submitters_for(
        self, periods: Iterable[tuple[int, str]]
    ) -> dict[tuple[int, str], list[int]]:
        """Who submitted in each (server, challenge week), in the order they submitted."""
        found: dict[tuple[int, str], list[int]] = defaultdict(list)
        async with self._engine.connect() as conn:
            for chunk in chunked(periods):
                rows = await conn.execute(
                    select(submissions.c.guild_id, submissions.c.period, submissions.c.user_id)
                    .where(tuple_(submissions.c.guild_id, submissions.c.period).in_(chunk))
                    .order_by(submissions.c.submitted_at)
                )
                for r in rows:
                    found[r.guild_id, r.period].append(r.user_id)
        return found
