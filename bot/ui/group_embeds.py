"""Replies for /group and the groups leaderboard, and the posts in a group's thread.

Members appear as `<@id>` mentions inside embeds and ephemeral replies: they show names and,
with the bot's allowed_mentions set to none, never ping.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.group_service import GroupInfo, GroupSummary
from bot.core.groups import Group, GroupDayBecameActive, GroupEvent, GroupMilestone
from bot.core.streaks import StreakView
from bot.roadmap import Roadmap
from bot.ui.format import minutes_text, truncate

COLOUR = discord.Colour(0xF0883E)
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
TOP_SIZE = 10


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def streak_text(streak: StreakView) -> str:
    text = (
        f"🔥 **{_days(streak.current)}** · longest {streak.longest} · 🧊 freezes: {streak.freezes}"
    )
    if streak.frozen_days:
        text += f" ({streak.frozen_days} frozen)"
    return text


def _topic(roadmap: Roadmap, group: Group) -> str | None:
    if group.topic_id is None:
        return None
    topic = roadmap.topic(group.topic_id)
    return topic.title if topic else group.topic_id


def _headline(roadmap: Roadmap, summary: GroupSummary) -> str:
    group = summary.group
    parts = [f"**{group.name}**"]
    topic = _topic(roadmap, group)
    if topic:
        parts.append(topic)
    parts.append(f"{group.member_count}/{group.capacity} members")
    parts.append(f"🔥 {summary.streak.current}")
    parts.append(f"{minutes_text(summary.week_minutes)} this week")
    if not group.is_open:
        parts.append("🔒 invite-only")
    return " · ".join(parts)


def quorum_text(studied: int, required: int) -> str:
    verb = "has" if studied == 1 else "have"
    return f"{studied} of {required} needed {verb} studied today"


def info_embed(roadmap: Roadmap, info: GroupInfo) -> discord.Embed:
    group = info.summary.group
    lock = " 🔒" if not group.is_open else ""
    embed = discord.Embed(
        title=truncate(f"{group.name}{lock}", 256),
        description=group.description or "No description yet.",
        colour=COLOUR,
    )
    embed.add_field(name="Owner", value=f"<@{group.owner_id}>")
    embed.add_field(name="Topic", value=_topic(roadmap, group) or "any")
    quorum = "default (half, rounded up)" if group.quorum is None else str(group.quorum)
    embed.add_field(name="Quorum", value=quorum)
    embed.add_field(name="Streak", value=streak_text(info.summary.streak), inline=False)
    done = "✅" if info.studied_today >= info.required_today else "⏳"
    embed.add_field(
        name="Today",
        value=f"{done} {quorum_text(info.studied_today, info.required_today)}",
        inline=False,
    )
    lines = [
        f"<@{m.user_id}> · {minutes_text(info.week_by_member.get(m.user_id, 0))}"
        for m in info.members
    ]
    embed.add_field(
        name=truncate(
            f"Members ({group.member_count}/{group.capacity}) · this week since "
            f"{info.week_start.isoformat()}",
            256,
        ),
        value=truncate("\n".join(lines) or "nobody", 1024),
        inline=False,
    )
    embed.set_footer(text=f"Group days follow the server's calendar; today is {info.today}.")
    return embed


def list_embed(roadmap: Roadmap, summaries: Sequence[GroupSummary]) -> discord.Embed:
    lines = [_headline(roadmap, s) for s in summaries[:25]]
    if not lines:
        lines = ["No group has a free place right now. Start one with `/group create`!"]
    embed = discord.Embed(
        title="Study groups with free places",
        description=truncate("\n".join(lines), 4096),
        colour=COLOUR,
    )
    embed.set_footer(text="Most active first. Join one with /group join.")
    return embed


def leaderboard_embed(summaries: Sequence[GroupSummary]) -> discord.Embed:
    lines = []
    for rank, summary in enumerate(summaries[:TOP_SIZE], start=1):
        place = MEDALS.get(rank, f"**{rank}.**")
        lines.append(
            f"{place} **{summary.group.name}** · 🔥 {_days(summary.streak.current)} · "
            f"{minutes_text(summary.week_minutes)} this week"
        )
    if not lines:
        lines = ["No study groups yet. Start one with `/group create`!"]
    embed = discord.Embed(
        title="Group leaderboard · current streak, then this week's minutes",
        description=truncate("\n".join(lines), 4096),
        colour=COLOUR,
    )
    count = len(summaries)
    embed.set_footer(text=f"{count} group{'s' if count != 1 else ''} in this server")
    return embed


def member_groups_text(summaries: Sequence[GroupSummary]) -> str:
    """For /progress: one line per group the member is in."""
    return "\n".join(f"**{s.group.name}** · 🔥 {_days(s.streak.current)}" for s in summaries)


def event_text(event: GroupEvent) -> str:
    """What the bot posts in a group's thread."""
    if isinstance(event, GroupDayBecameActive):
        when = "today" if event.is_today else f"for {event.day.isoformat()}"
        return f"Quorum reached {when}: {event.studied} of {event.required} studied 🎉"
    assert isinstance(event, GroupMilestone)
    return f"🔥 **{event.group_name}** reached a {event.days}-day group streak!"
