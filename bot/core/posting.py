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
class _Slot:
    """A schedule's latest due time in a pass, and the ledger period it belongs to."""

    row: ScheduleRow
    timing: Timing
    due_at: datetime
    period: str

    @property
    def kind(self) -> Kind:
        return self.row.kind  # type: ignore[return-value]

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.row.guild_id, self.row.kind, self.period)


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
        # The roadmap never changes: its challenges and each topic's stage are worked out once.
        self._roadmap_challenges = roadmap_challenges(roadmap)
        self._stages = {topic.id: roadmap.stage_of(topic.id).id for topic in roadmap.topics}

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
        """Claim and return every post to send now; record the ones too late to send.

        Besides each schedule's latest due time, a post claimed earlier and still not delivered
        (a /schedule post-now that Discord refused for now, a period whose successor is already
        due) is retried while within grace of its own due time, and recorded as missed after.

        A pass costs a few queries however many schedules there are: the servers' settings, the
        ledger rows of every due period and what the next items are chosen from are read in
        bulk, and the claims go in as one transaction.
        """
        rows = await self.schedules.runnable(guild_id, kind)
        timings = await self.timings(rows)
        slots: list[_Slot] = []
        for row in rows:
            timing = timings[row.guild_id, row.kind]
            due_at = timing.latest_due(now, after=row.active_since)
            if due_at is not None:
                period = period_key(row.kind, due_at, timing.zone)  # type: ignore[arg-type]
                slots.append(_Slot(row, timing, due_at, period))
        ledger = await self.schedules.posts_for(slot.key for slot in slots)
        work: list[DuePost] = []
        fresh: list[_Slot] = []
        missed: list[dict[str, object]] = []
        expired: list[int] = []
        for slot in slots:
            post = ledger.get(slot.key)
            if post is not None and post.status != "claimed":
                continue
            if now - slot.due_at > self.grace:
                if post is None:
                    missed.append(self._ledger_row(slot, None, now, status="missed"))
                else:
                    expired.append(post.id)
            elif post is not None:
                work.append(await self._with_item(slot.row, post, slot.timing))
            else:
                fresh.append(slot)
        items = await self._next_items([(s.row.guild_id, s.kind, s.period) for s in fresh])
        claims = [
            self._ledger_row(s, i.id if i else None, now) for s, i in zip(fresh, items, strict=True)
        ]
        inserted = await self.schedules.claim_many(claims + missed)
        claimed = {(p.guild_id, p.kind, p.period): p for p in inserted if p.status == "claimed"}
        await self.schedules.mark_missed(expired)
        dequeued = []
        for slot, item in zip(fresh, items, strict=True):
            post = claimed.get(slot.key)
            if post is None:
                continue  # someone else claimed this period meanwhile
            if isinstance(item, ChallengeItem):
                dequeued.append((slot.row.guild_id, item.id))
                work.append(DuePost(slot.row, post, slot.timing, item, None))
            else:
                work.append(DuePost(slot.row, post, slot.timing, None, item))
        await self.challenges.dequeue_many(dequeued)
        work += await self._still_pending(rows, timings, {job.post.id for job in work}, now)
        return work

    async def _still_pending(
        self,
        rows: list[ScheduleRow],
        timings: dict[tuple[int, str], Timing],
        taken: set[int],
        now: datetime,
    ) -> list[DuePost]:
        """Posts claimed by an earlier run or a post-now and not delivered yet."""
        schedules = {(row.guild_id, row.kind): row for row in rows}
        work, expired = [], []
        for post in await self.schedules.pending():
            owner = schedules.get((post.guild_id, post.kind))
            if owner is None or post.id in taken:
                continue
            if now - post.due_at > self.grace:
                expired.append(post.id)
                continue
            work.append(await self._with_item(owner, post, timings[owner.guild_id, owner.kind]))
        await self.schedules.mark_missed(expired)
        return work

    async def timings(self, rows: list[ScheduleRow]) -> dict[tuple[int, str], Timing]:
        """Each schedule's timing in its server's timezone, from one read of the settings."""
        configs = await self.settings.guilds(row.guild_id for row in rows)
        return {
            (row.guild_id, row.kind): Timing(
                parse_days(row.days), parse_time(row.at), configs[row.guild_id].zone
            )
            for row in rows
        }

    @staticmethod
    def _ledger_row(
        slot: _Slot, item_id: str | None, now: datetime, *, status: str = "claimed"
    ) -> dict[str, object]:
        guild_id, kind, period = slot.key
        return {
            "guild_id": guild_id,
            "kind": kind,
            "period": period,
            "status": status,
            "due_at": slot.due_at,
            "item_id": item_id,
            "channel_id": slot.row.channel_id,
            "nonce": nonce(guild_id, slot.kind, period),
            "created_at": now,
        }

    async def _with_item(self, row: ScheduleRow, post: PostRow, timing: Timing) -> DuePost:
        challenge = tip = None
        if row.kind == "challenges" and post.item_id:
            challenge = await self.challenge(row.guild_id, post.item_id)
        elif row.kind == "tips" and post.item_id:
            tip = self.tip(post.item_id)
        return DuePost(row, post, timing, challenge, tip)

    async def delivered(self, job: DuePost, message_id: int) -> None:
        await self.delivered_many([(job, message_id)])

    async def delivered_many(self, sent: list[tuple[DuePost, int]]) -> None:
        """Record posts as sent (with their message ids) in one write."""
        await self.schedules.finish_sent(
            [(job.post.id, message_id) for job, message_id in sent], self.clock.now()
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
        return self._roadmap_challenges + await self.challenges.custom(guild_id)

    async def challenge(self, guild_id: int, challenge_id: str) -> ChallengeItem | None:
        return self.challenge_among(await self.challenges.custom(guild_id), challenge_id)

    def challenge_among(
        self, custom: list[ChallengeItem], challenge_id: str
    ) -> ChallengeItem | None:
        """A roadmap challenge, or one of the server's own (`custom`), by id."""
        return next((c for c in self._roadmap_challenges + custom if c.id == challenge_id), None)

    def tip(self, tip_id: str) -> TipItem | None:
        topics = [tip_id.split(":")[1]] if tip_id.startswith("resource:") else []
        return next((item for item in tip_pool(self.roadmap, topics) if item.id == tip_id), None)

    async def next_challenge(
        self, guild_id: int, period: str | None = None
    ) -> ChallengeItem | None:
        item = (await self._next_items([(guild_id, "challenges", period)]))[0]
        return item if isinstance(item, ChallengeItem) else None

    async def next_tip(self, guild_id: int) -> TipItem | None:
        item = (await self._next_items([(guild_id, "tips", None)]))[0]
        return item if isinstance(item, TipItem) else None

    async def _next_items(
        self, wanted: list[tuple[int, Kind, str | None]]
    ) -> list[ChallengeItem | TipItem | None]:
        """The next challenge or tip for each (server, kind, period), from one read of each
        kind of data for all the servers: what they studied lately, their queues, their own
        challenges, and how often each item was posted there."""
        if not wanted:
            return []
        since = self.clock.now().date() - timedelta(days=RECENT_DAYS)
        on_challenges = [guild_id for guild_id, kind, _ in wanted if kind == "challenges"]
        on_tips = [guild_id for guild_id, kind, _ in wanted if kind == "tips"]
        recent = await self.challenges.recent_topics_for([g for g, _, _ in wanted], since)
        queues = await self.challenges.queues(on_challenges)
        customs = await self.challenges.custom_for(on_challenges)
        posted = await self.schedules.item_counts_for(on_challenges, "challenges")
        shown = await self.schedules.item_counts_for(on_tips, "tips")
        items: list[ChallengeItem | TipItem | None] = []
        for guild_id, kind, period in wanted:
            topics = recent.get(guild_id, [])
            if kind == "tips":
                items.append(choose_tip(tip_pool(self.roadmap, topics), shown[guild_id], topics))
                continue
            queued = queues.get(guild_id, [])
            order = [cid for cid, week in queued if week is not None and week == period]
            order += [cid for cid, week in queued if week is None]
            pool = self._roadmap_challenges + customs.get(guild_id, [])
            items.append(choose_challenge(pool, posted[guild_id], order, topics, self._stage_id))
        return items

    async def _next_item_id(
        self, guild_id: int, kind: Kind, period: str, now: datetime
    ) -> str | None:
        item = (await self._next_items([(guild_id, kind, period)]))[0]
        return item.id if item else None

    def _stage_id(self, topic_id: str) -> str | None:
        return self._stages.get(topic_id)


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise InvalidInput("The kind is `challenges` or `tips`.")
    return kind
