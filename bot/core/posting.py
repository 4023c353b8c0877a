"""Scheduled posts: what is due, what to post, and the ledger that makes each post happen once.

Discord-free. The publisher (bot/scheduling/publisher.py) asks `due()` for work, sends it, and
reports back through `delivered()` / `failed()`. The rules, from DESIGN's scheduling facts:
- A post is claimed in the ledger (UNIQUE server, kind, period) before it is sent, and a send is
  retried with the same nonce, so neither a restart nor a second run can post twice.
- At start and at every run, each schedule's latest due time that has no sent post is posted if
  it is within the grace window, otherwise recorded as missed (and shown by /schedule show).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.challenges import (
    RECENT_DAYS,
    ChallengeItem,
    TipItem,
    choose_challenge,
    choose_tip,
    roadmap_challenges,
    tip_pool,
)
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.schedules import (
    KINDS,
    Kind,
    Timing,
    days_text,
    nonce,
    parse_days,
    parse_time,
    period_key,
)
from bot.roadmap import Roadmap

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.storage.challenges_repo import ChallengesRepository
    from bot.storage.scheduling_repo import PostRow, ScheduleRow, SchedulingRepository
    from bot.storage.settings_repo import SettingsRepository


@dataclass(frozen=True, slots=True)
class DuePost:
    """A claimed post to deliver now."""

    schedule: ScheduleRow
    post: PostRow
    timing: Timing
    challenge: ChallengeItem | None
    tip: TipItem | None

    @property
    def deadline(self) -> datetime:
        """When this period's challenge closes: the next post of the schedule."""
        return self.timing.next_due(self.post.due_at)


class PostingService:
    def __init__(
        self,
        *,
        roadmap: Roadmap,
        clock: Clock,
        settings: SettingsRepository,
        schedules: SchedulingRepository,
        challenges: ChallengesRepository,
        grace: timedelta,
    ) -> None:
        self.roadmap = roadmap
        self.clock = clock
        self.settings = settings
        self.schedules = schedules
        self.challenges = challenges
        self.grace = grace

    # --- configuration ------------------------------------------------------------------------

    async def configure(
        self, guild_id: int, kind: Kind, *, channel_id: int, days: str, at: str
    ) -> ScheduleRow:
        weekdays = parse_days(days)
        when = parse_time(at)
        return await self.schedules.save(
            guild_id,
            kind,
            channel_id=channel_id,
            days=days_text(weekdays),
            at=when.strftime("%H:%M"),
            now=self.clock.now(),
        )

    async def pause(self, guild_id: int, kind: Kind) -> None:
        await self._existing(guild_id, kind)
        await self.schedules.set_state(guild_id, kind, now=self.clock.now(), enabled=False)

    async def resume(self, guild_id: int, kind: Kind) -> ScheduleRow:
        """Enable again and clear a broken status; runs missed meanwhile are not made up."""
        await self._existing(guild_id, kind)
        await self.schedules.set_state(
            guild_id,
            kind,
            now=self.clock.now(),
            enabled=True,
            status="active",
            reason=None,
            reactivate=True,
        )
        return await self._existing(guild_id, kind)

    async def timing(self, row: ScheduleRow) -> Timing:
        zone = (await self.settings.guild(row.guild_id)).zone
        return Timing(parse_days(row.days), parse_time(row.at), zone)

    async def _existing(self, guild_id: int, kind: Kind) -> ScheduleRow:
        row = await self.schedules.get(guild_id, kind)
        if row is None:
            raise NotFound(f"There is no {kind} schedule yet: set one with `/schedule {kind}`.")
        return row

    # --- the run ---------------------------------------------------------------------------------

    async def due(
        self, now: datetime, *, guild_id: int | None = None, kind: Kind | None = None
    ) -> list[DuePost]:
        """Claim and return every post to send now; record the ones too late to send."""
        work = []
        for row in await self.schedules.runnable(guild_id, kind):
            found = await self._decide(row, now)
            if found is not None:
                work.append(found)
        return work

    async def _decide(self, row: ScheduleRow, now: datetime) -> DuePost | None:
        timing = await self.timing(row)
        due_at = timing.latest_due(now, after=row.active_since)
        if due_at is None:
            return None
        kind: Kind = row.kind  # type: ignore[assignment]
        period = period_key(kind, due_at, timing.zone)
        post = await self.schedules.post(row.guild_id, kind, period)
        if post is not None and post.status != "claimed":
            return None
        if now - due_at > self.grace:
            if post is None:
                await self.schedules.claim(
                    guild_id=row.guild_id,
                    kind=kind,
                    period=period,
                    due_at=due_at,
                    item_id=None,
                    channel_id=row.channel_id,
                    nonce=nonce(row.guild_id, kind, period),
                    now=now,
                    status="missed",
                )
            else:
                await self.schedules.finish(
                    post.id, status="missed", now=now, error="grace window passed", attempted=False
                )
            return None
        if post is None:
            item_id = await self._next_item_id(row.guild_id, kind, period, now)
            claimed = await self.schedules.claim(
                guild_id=row.guild_id,
                kind=kind,
                period=period,
                due_at=due_at,
                item_id=item_id,
                channel_id=row.channel_id,
                nonce=nonce(row.guild_id, kind, period),
                now=now,
            )
            if not claimed:
                return None
            if kind == "challenges" and item_id is not None:
                await self.challenges.dequeue(row.guild_id, item_id)
            post = await self.schedules.post(row.guild_id, kind, period)
            assert post is not None
        return await self._with_item(row, post, timing)

    async def _with_item(self, row: ScheduleRow, post: PostRow, timing: Timing) -> DuePost:
        challenge = tip = None
        if row.kind == "challenges" and post.item_id:
            challenge = await self.challenge(row.guild_id, post.item_id)
        elif row.kind == "tips" and post.item_id:
            tip = self.tip(post.item_id)
        return DuePost(row, post, timing, challenge, tip)

    async def delivered(self, job: DuePost, message_id: int) -> None:
        await self.schedules.finish(
            job.post.id, status="sent", now=self.clock.now(), message_id=message_id
        )

    async def failed(self, job: DuePost, reason: str, *, permanent: bool) -> None:
        """A permanent failure (channel gone, access removed) breaks the schedule until a
        moderator resumes it; a transient one stays claimed and is retried within grace."""
        now = self.clock.now()
        if permanent:
            await self.schedules.finish(job.post.id, status="failed", now=now, error=reason)
            await self.schedules.set_state(
                job.schedule.guild_id, job.post.kind, now=now, status="broken", reason=reason
            )
        else:
            await self.schedules.finish(job.post.id, status="claimed", now=now, error=reason)

    async def post_now(self, guild_id: int, kind: Kind) -> DuePost:
        """Claim this period's post now (a moderator's /schedule post-now)."""
        row = await self._existing(guild_id, kind)
        if row.status == "broken":
            raise Conflict(
                f"The {kind} schedule is broken: {row.reason}. Fix it, then `/schedule resume`."
            )
        timing = await self.timing(row)
        now = self.clock.now()
        period = period_key(kind, now, timing.zone)
        existing = await self.schedules.post(guild_id, kind, period)
        if existing is not None and existing.status == "sent":
            raise Conflict(f"This period's {kind} post is already out ({period}).")
        if existing is None or existing.status != "claimed":
            item_id = await self._next_item_id(guild_id, kind, period, now)
            if existing is None:
                await self.schedules.claim(
                    guild_id=guild_id,
                    kind=kind,
                    period=period,
                    due_at=now,
                    item_id=item_id,
                    channel_id=row.channel_id,
                    nonce=nonce(guild_id, kind, period),
                    now=now,
                )
            else:
                await self.schedules.finish(existing.id, status="claimed", now=now, attempted=False)
            if kind == "challenges" and item_id is not None:
                await self.challenges.dequeue(guild_id, item_id)
        post = await self.schedules.post(guild_id, kind, period)
        assert post is not None
        return await self._with_item(row, post, timing)

    # --- what to post ----------------------------------------------------------------------------

    async def pool(self, guild_id: int) -> list[ChallengeItem]:
        return roadmap_challenges(self.roadmap) + await self.challenges.custom(guild_id)

    async def challenge(self, guild_id: int, challenge_id: str) -> ChallengeItem | None:
        for item in await self.pool(guild_id):
            if item.id == challenge_id:
                return item
        return None

    def tip(self, tip_id: str) -> TipItem | None:
        topics = [tip_id.split(":")[1]] if tip_id.startswith("resource:") else []
        return next((item for item in tip_pool(self.roadmap, topics) if item.id == tip_id), None)

    async def next_challenge(
        self, guild_id: int, period: str | None = None
    ) -> ChallengeItem | None:
        now = self.clock.now()
        recent = await self.challenges.recent_topics(
            guild_id, now.date() - timedelta(days=RECENT_DAYS)
        )
        queued = await self.challenges.queue(guild_id)
        order = [cid for cid, week in queued if week is not None and week == period]
        order += [cid for cid, week in queued if week is None]
        posted = await self.schedules.item_counts(guild_id, "challenges")
        return choose_challenge(await self.pool(guild_id), posted, order, recent, self._stage_id)

    async def next_tip(self, guild_id: int) -> TipItem | None:
        now = self.clock.now()
        recent = await self.challenges.recent_topics(
            guild_id, now.date() - timedelta(days=RECENT_DAYS)
        )
        shown = await self.schedules.item_counts(guild_id, "tips")
        return choose_tip(tip_pool(self.roadmap, recent), shown, recent)

    async def _next_item_id(
        self, guild_id: int, kind: Kind, period: str, now: datetime
    ) -> str | None:
        if kind == "challenges":
            challenge = await self.next_challenge(guild_id, period)
            return challenge.id if challenge else None
        tip = await self.next_tip(guild_id)
        return tip.id if tip else None

    def _stage_id(self, topic_id: str) -> str | None:
        return self.roadmap.stage_of(topic_id).id if self.roadmap.topic(topic_id) else None


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise InvalidInput("The kind is `challenges` or `tips`.")
    return kind
