"""Progress: the rules around logging study time, completing topics and keeping a streak.

Discord-free: cogs hand in ids and option values, and get back plain results to render. Every
refusal is a `UserError` whose message is written for the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from bot.core.days import day_end, local_day
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.groups import GroupDay, GroupEvent, group_day
from bot.core.pauses import Pause, can_pause, end_pause, pause_window
from bot.core.progress_view import TopicProgress
from bot.core.streaks import StreakRules, StreakView, milestones_reached
from bot.roadmap import Roadmap, Topic

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.storage.progress_repo import ProgressRepository
    from bot.storage.settings_repo import SettingsRepository

MINUTES_MIN, MINUTES_MAX = 1, 720
NOTE_MAX = 300
TOPIC_HOURS_MILESTONE = 600  # minutes: "10 hours on a topic"
PAUSE_COOLDOWN_DAYS = 30
ADJUST_MAX = 3650

Day = Literal["today", "yesterday"]


@dataclass(frozen=True, slots=True)
class LogReport:
    topic: Topic
    minutes: int
    day: date
    day_name: Day
    day_minutes: int
    minimum: int
    topic_minutes: int
    streak: StreakView
    milestones: list[str]
    group_events: tuple[GroupEvent, ...] = ()  # for the groups' threads; the cog posts them


@dataclass(frozen=True, slots=True)
class DoneReport:
    topic: Topic
    changed: bool
    done: bool
    stage_done: int
    stage_total: int
    up_next: list[Topic]


@dataclass(frozen=True, slots=True)
class MemberDay:
    """Where a member is in time: their zone, their local today, and when it ends (UTC)."""

    zone: ZoneInfo
    today: date
    ends_at: datetime


class ProgressService:
    def __init__(
        self,
        *,
        roadmap: Roadmap,
        clock: Clock,
        settings: SettingsRepository,
        repo: ProgressRepository,
    ) -> None:
        self.roadmap = roadmap
        self.clock = clock
        self.settings = settings
        self.repo = repo

    async def member_day(self, guild_id: int, user_id: int) -> MemberDay:
        guild = await self.settings.guild(guild_id)
        member = await self.settings.member(guild_id, user_id)
        zone = member.zone(guild)
        today = local_day(self.clock.now(), zone)
        return MemberDay(zone=zone, today=today, ends_at=day_end(today, zone))

    async def rules(self, guild_id: int) -> StreakRules:
        return StreakRules(minimum=(await self.settings.guild(guild_id)).streak_minimum)

    async def log(
        self,
        guild_id: int,
        user_id: int,
        topic: Topic,
        minutes: int,
        note: str | None = None,
        day: Day = "today",
    ) -> LogReport:
        if not MINUTES_MIN <= minutes <= MINUTES_MAX:
            raise InvalidInput(
                f"Log between {MINUTES_MIN} and {MINUTES_MAX} minutes at a time "
                f"(you gave {minutes}). Split a marathon into several logs."
            )
        note = (note or "").strip() or None
        if note is not None and len(note) > NOTE_MAX:
            raise InvalidInput(f"A note can be at most {NOTE_MAX} characters ({len(note)} given).")
        if day not in ("today", "yesterday"):
            raise InvalidInput("You can log for today or yesterday only.")
        where = await self.member_day(guild_id, user_id)
        rules = await self.rules(guild_id)
        session_day = where.today - timedelta(days=1 if day == "yesterday" else 0)
        # Groups share one calendar: the server's date at the time of logging, not the member's.
        server_today = local_day(self.clock.now(), (await self.settings.guild(guild_id)).zone)
        outcome = await self.repo.log(
            guild_id=guild_id,
            user_id=user_id,
            topic_id=topic.id,
            minutes=minutes,
            note=note,
            day=session_day,
            today=where.today,
            now=self.clock.now(),
            rules=rules,
            group_day=GroupDay(group_day(server_today, day), server_today),
        )
        milestones = [
            f"🔥 {n}-day streak!"
            for n in milestones_reached(outcome.before.current, outcome.after.current)
        ]
        if outcome.topic_minutes_before == 0:
            milestones.append(f"🌱 First session on {topic.title}.")
        if outcome.topic_minutes_before < TOPIC_HOURS_MILESTONE <= outcome.topic_minutes:
            milestones.append(f"🏅 10 hours on {topic.title}.")
        return LogReport(
            topic=topic,
            minutes=minutes,
            day=session_day,
            day_name=day,
            day_minutes=outcome.day_minutes,
            minimum=rules.minimum,
            topic_minutes=outcome.topic_minutes,
            streak=outcome.after,
            milestones=milestones,
            group_events=outcome.group_events,
        )

    async def mark_done(
        self, guild_id: int, user_id: int, topic: Topic, *, undo: bool
    ) -> DoneReport:
        changed = await self.repo.set_done(
            guild_id, user_id, topic.id, done=not undo, now=self.clock.now()
        )
        progress = await self.repo.topic_progress(guild_id, user_id)
        track = await self.settings.track(guild_id, user_id)
        stage = self.roadmap.stage_of(topic.id)
        visible = [t for t in stage.topics if t.visible_to(track)]
        up_next = [] if undo else self.up_next(topic, progress, track)
        return DoneReport(
            topic=topic,
            changed=changed,
            done=not undo,
            stage_done=sum(1 for t in visible if progress.is_done(t.id)),
            stage_total=len(visible),
            up_next=up_next,
        )

    def up_next(self, topic: Topic, progress: TopicProgress, track: str | None) -> list[Topic]:
        """Topics unlocked by finishing `topic`: every prerequisite now done, not done yet."""
        return [
            t
            for t in self.roadmap.dependents(topic.id)
            if t.visible_to(track)
            and not progress.is_done(t.id)
            and all(progress.is_done(p) for p in t.prerequisites)
        ]

    async def streak(self, guild_id: int, user_id: int) -> tuple[StreakView, MemberDay]:
        where = await self.member_day(guild_id, user_id)
        view = await self.repo.streak(guild_id, user_id, where.today, await self.rules(guild_id))
        return view, where

    async def pause(self, guild_id: int, user_id: int, days: int) -> Pause:
        where = await self.member_day(guild_id, user_id)
        start, end = pause_window(where.today, days)
        last = await self.repo.last_pause_start(guild_id, user_id)
        if not can_pause(last, where.today, PAUSE_COOLDOWN_DAYS):
            assert last is not None
            allowed = last + timedelta(days=PAUSE_COOLDOWN_DAYS)
            raise NotAllowed(
                f"You can start a new pause {PAUSE_COOLDOWN_DAYS} days after the last one began: "
                f"from {allowed.isoformat()}."
            )
        pause = Pause(start, end)
        await self.repo.add_pause(guild_id, user_id, pause)
        return pause

    async def resume(self, guild_id: int, user_id: int) -> None:
        where = await self.member_day(guild_id, user_id)
        for pause in await self.repo.pauses(guild_id, user_id):
            if pause.start <= where.today <= pause.end:
                await self.repo.replace_pause(
                    guild_id, user_id, pause, end_pause(pause, where.today)
                )
                return
        raise InvalidInput("Your streak isn't paused, so there is nothing to resume.")

    async def adjust(
        self, guild_id: int, moderator_id: int, user_id: int, days: int, reason: str
    ) -> tuple[int, int]:
        """Set a member's current streak (a moderator's correction); return (before, after)."""
        reason = reason.strip()
        if not 0 <= days <= ADJUST_MAX:
            raise InvalidInput(f"A streak can be set from 0 to {ADJUST_MAX} days.")
        if not reason or len(reason) > NOTE_MAX:
            raise InvalidInput(
                f"Give a reason of 1 to {NOTE_MAX} characters; it goes in the audit log."
            )
        view, where = await self.streak(guild_id, user_id)
        await self.repo.adjust(
            guild_id=guild_id,
            user_id=user_id,
            moderator_id=moderator_id,
            value=days,
            previous=view.current,
            reason=reason,
            day=where.today,
            now=self.clock.now(),
        )
        return view.current, days
