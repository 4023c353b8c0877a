"""Moderator-added challenges, the queue, submissions, and what members studied lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.challenges import ChallengeItem
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
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(custom_challenges)
                .where(
                    custom_challenges.c.guild_id == guild_id, custom_challenges.c.removed.is_(False)
                )
                .order_by(custom_challenges.c.created_at, custom_challenges.c.id)
            )
            return [
                ChallengeItem(
                    id=r.id,
                    title=r.title,
                    brief=r.brief,
                    deliverable=r.deliverable,
                    difficulty=r.difficulty,
                    topics=tuple(filter(None, r.topics.split(","))),
                    custom=True,
                )
                for r in rows
            ]

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
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(challenge_queue.c.challenge_id, challenge_queue.c.week)
                .where(challenge_queue.c.guild_id == guild_id)
                .order_by(challenge_queue.c.id)
            )
            return [(r.challenge_id, r.week) for r in rows]

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
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(study_sessions.c.topic_id, func.sum(study_sessions.c.minutes).label("m"))
                .where(study_sessions.c.guild_id == guild_id, study_sessions.c.day >= since)
                .group_by(study_sessions.c.topic_id)
                .order_by(func.sum(study_sessions.c.minutes).desc(), study_sessions.c.topic_id)
            )
            return [r.topic_id for r in rows]

    async def top_streaks(self, guild_id: int, limit: int) -> list[tuple[int, int]]:
        """[(user_id, current)] by the stored streak (as of each member's last checkpoint)."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(streaks.c.user_id, streaks.c.current)
                .where(streaks.c.guild_id == guild_id, streaks.c.current > 0)
                .order_by(streaks.c.current.desc(), streaks.c.user_id)
                .limit(limit)
            )
            return [(r.user_id, r.current) for r in rows]
