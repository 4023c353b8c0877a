"""Challenges from the member's and moderator's side: the current one, submissions, the pool.

Discord-free; every refusal is a UserError with a sentence for the member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.core.challenges import ChallengeItem
from bot.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.core.progress import MINUTES_MAX, MINUTES_MIN, NOTE_MAX, LogReport, ProgressService
from bot.core.schedules import Timing

if TYPE_CHECKING:
    from bot.core.posting import PostingService
    from bot.storage.challenges_repo import ChallengesRepository, Submission

LINK_MAX = 400
WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
TITLE_MAX, BRIEF_MAX, DELIVERABLE_MAX = 100, 1500, 500
DIFFICULTIES = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True, slots=True)
class CurrentChallenge:
    challenge: ChallengeItem
    period: str
    posted_at: datetime
    deadline: datetime
    message_id: int | None
    channel_id: int | None


@dataclass(frozen=True, slots=True)
class SubmitReport:
    challenge: ChallengeItem
    replaced: bool
    deadline: datetime
    log: LogReport | None


class ChallengeService:
    def __init__(
        self, *, posting: PostingService, repo: ChallengesRepository, study: ProgressService
    ) -> None:
        self.posting = posting
        self.repo = repo
        self.study = study

    async def current(self, guild_id: int) -> CurrentChallenge:
        post = await self.posting.schedules.last_sent(guild_id, "challenges")
        schedule = await self.posting.schedules.get(guild_id, "challenges")
        if post is None or post.item_id is None or schedule is None:
            raise NotFound(
                "There is no challenge running yet. "
                "Moderators start them with `/schedule challenges`."
            )
        challenge = await self.posting.challenge(guild_id, post.item_id)
        if challenge is None:
            raise NotFound("This week's challenge was removed by a moderator.")
        timing: Timing = await self.posting.timing(schedule)
        return CurrentChallenge(
            challenge=challenge,
            period=post.period,
            posted_at=post.due_at,
            deadline=timing.next_due(post.due_at),
            message_id=post.message_id,
            channel_id=post.channel_id,
        )

    async def submit(
        self,
        guild_id: int,
        user_id: int,
        link: str,
        note: str | None = None,
        minutes: int | None = None,
        period: str | None = None,
    ) -> SubmitReport:
        link = link.strip()
        parts = urlsplit(link)
        if len(link) > LINK_MAX or parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput(
                f"Submit a link starting with http:// or https:// (up to {LINK_MAX} characters)."
            )
        note = (note or "").strip() or None
        if note is not None and len(note) > NOTE_MAX:
            raise InvalidInput(f"A note can be at most {NOTE_MAX} characters.")
        if minutes is not None and not MINUTES_MIN <= minutes <= MINUTES_MAX:
            raise InvalidInput(f"Minutes go from {MINUTES_MIN} to {MINUTES_MAX}.")
        current = await self.current(guild_id)
        if period is not None and period != current.period:
            raise NotAllowed(
                "That challenge has closed; submit to this week's with `/challenge submit`."
            )
        now = self.posting.clock.now()
        if now >= current.deadline:
            raise NotAllowed("The deadline has passed; the next challenge is on its way.")
        from bot.storage.challenges_repo import Submission

        previous = await self.repo.submissions(guild_id, period=current.period, user_id=user_id)
        await self.repo.submit(
            guild_id,
            Submission(user_id, current.period, current.challenge.id, link, note, now),
        )
        log = None
        topic = (
            self.posting.roadmap.topic(current.challenge.topics[0])
            if current.challenge.topics
            else None
        )
        if minutes is not None and topic is not None:
            log = await self.study.log(
                guild_id,
                user_id,
                topic,
                minutes,
                f"Challenge: {current.challenge.title}"[:NOTE_MAX],
            )
        return SubmitReport(current.challenge, bool(previous), current.deadline, log)

    async def history(self, guild_id: int, user_id: int) -> list[tuple[Submission, str]]:
        rows = await self.repo.submissions(guild_id, user_id=user_id)
        titles = {item.id: item.title for item in await self.posting.pool(guild_id)}
        return [(row, titles.get(row.challenge_id, row.challenge_id)) for row in rows]

    async def add(
        self,
        guild_id: int,
        author_id: int,
        *,
        title: str,
        brief: str,
        deliverable: str,
        difficulty: str,
        topics: str,
    ) -> ChallengeItem:
        title, brief, deliverable = title.strip(), brief.strip(), deliverable.strip()
        difficulty = difficulty.strip().lower()
        for name, value, limit in (
            ("title", title, TITLE_MAX),
            ("brief", brief, BRIEF_MAX),
            ("deliverable", deliverable, DELIVERABLE_MAX),
        ):
            if not value or len(value) > limit:
                raise InvalidInput(f"The {name} needs 1 to {limit} characters.")
        if difficulty not in DIFFICULTIES:
            raise InvalidInput("Difficulty is beginner, intermediate or advanced.")
        topic_ids = []
        for raw in filter(None, (t.strip().lower() for t in topics.split(","))):
            topic = self.posting.roadmap.topic(raw)
            if topic is None:
                raise InvalidInput(
                    f"“{raw[:60]}” is not a topic id (see `/topic`); separate ids with commas."
                )
            topic_ids.append(topic.id)
        if not topic_ids:
            raise InvalidInput("Name at least one topic id, like `rest-principles`.")
        number = await self.repo.custom_count() + 1
        item = ChallengeItem(
            id=f"custom-{number}",
            title=title,
            brief=brief,
            deliverable=deliverable,
            difficulty=difficulty,
            topics=tuple(topic_ids),
            custom=True,
        )
        await self.repo.add_custom(guild_id, item, author_id, self.posting.clock.now())
        return item

    async def queue(self, guild_id: int, challenge_id: str, week: str | None) -> ChallengeItem:
        challenge = await self._challenge(guild_id, challenge_id)
        if week is not None:
            week = parse_week(week)
        if not await self.repo.enqueue(guild_id, challenge.id, week, self.posting.clock.now()):
            raise Conflict(f"“{challenge.title}” is already queued.")
        return challenge

    async def unqueue(self, guild_id: int, challenge_id: str) -> ChallengeItem:
        challenge = await self._challenge(guild_id, challenge_id)
        if not await self.repo.dequeue(guild_id, challenge.id):
            raise NotFound(f"“{challenge.title}” isn't queued.")
        return challenge

    async def remove(self, guild_id: int, challenge_id: str) -> ChallengeItem:
        challenge = await self._challenge(guild_id, challenge_id)
        if not challenge.custom:
            raise NotAllowed(
                "Only challenges added by moderators can be removed; roadmap ones stay."
            )
        await self.repo.remove_custom(guild_id, challenge.id)
        return challenge

    async def _challenge(self, guild_id: int, challenge_id: str) -> ChallengeItem:
        found = await self.posting.challenge(guild_id, challenge_id.strip().lower())
        if found is None:
            raise NotFound(f"There is no challenge “{challenge_id[:60]}”. Pick one from the list.")
        return found


def parse_week(text: str) -> str:
    """An ISO week as a member types it (`2026-w14`), checked: `2026-W14`."""
    week = text.strip().upper()
    if not WEEK.match(week):
        raise InvalidInput("A week looks like `2026-W14` (ISO year and week).")
    return week
