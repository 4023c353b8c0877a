"""Replies for /log, /done, /progress and /streak."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.progress import DoneReport, LogReport, MemberDay
from bot.core.progress_view import TopicProgress
from bot.core.streaks import StreakView
from bot.roadmap import Roadmap
from bot.storage.progress_repo import SessionRow
from bot.ui.format import minutes_text, progress_bar, timestamp, truncate
from bot.ui.roadmap_embeds import COLOUR, completion, stage_topics


def streak_line(streak: StreakView) -> str:
    days = "day" if streak.current == 1 else "days"
    line = f"🔥 Streak: **{streak.current}** {days} · 🧊 freezes: {streak.freezes}"
    if streak.frozen_days:
        line += f" ({streak.frozen_days} frozen)"
    return line


def log_reply(report: LogReport) -> str:
    when = f"{report.day_name}, {report.day.isoformat()}"
    status = "✅" if report.day_minutes >= report.minimum else "⏳"
    lines = [
        f"Logged **{minutes_text(report.minutes)}** on **{report.topic.title}** ({when}).",
        f"{status} That day: {minutes_text(report.day_minutes)} of the {report.minimum} min "
        "that keep a streak.",
        streak_line(report.streak),
        f"📚 {report.topic.title}: {minutes_text(report.topic_minutes)} in all.",
        *report.milestones,
    ]
    return truncate("\n".join(lines), 2000)


def done_reply(report: DoneReport) -> str:
    title = report.topic.title
    if report.done:
        head = (
            f"✅ **{title}** marked done." if report.changed else f"**{title}** was already done."
        )
    else:
        head = (
            f"↩️ **{title}** is no longer done." if report.changed else f"**{title}** wasn't done."
        )
    lines = [
        head,
        f"Stage: {progress_bar(report.stage_done, report.stage_total)} "
        f"({report.stage_done}/{report.stage_total})",
    ]
    if report.up_next:
        names = ", ".join(f"**{t.title}**" for t in report.up_next[:10])
        lines.append(f"Up next (all prerequisites done): {names}")
    return truncate("\n".join(lines), 2000)


def progress_embed(
    name: str,
    roadmap: Roadmap,
    progress: TopicProgress,
    track: str | None,
    totals: tuple[int, int],
    streak: StreakView,
    recent: Sequence[SessionRow],
    groups: str = "",
) -> discord.Embed:
    done, total = completion(roadmap.visible_topics(track), progress)
    minutes, sessions = totals
    embed = discord.Embed(
        title=truncate(f"{name}'s progress", 256),
        description=(
            f"{progress_bar(done, total)} · **{done}/{total}** topics done\n"
            f"⏱️ {minutes_text(minutes)} over {sessions} sessions\n"
            f"{streak_line(streak)} · longest {streak.longest}"
        ),
        colour=COLOUR,
    )
    lines = []
    for number, stage in enumerate(roadmap.stages, start=1):
        stage_done, stage_total = completion(stage_topics(stage, track), progress)
        lines.append(f"`{progress_bar(stage_done, stage_total)}` {number}. {stage.title}")
    embed.add_field(name="Stages", value=truncate("\n".join(lines), 1024), inline=False)
    if groups:
        embed.add_field(name="Study groups", value=truncate(groups, 1024), inline=False)
    if recent:
        items = []
        for row in recent:
            topic = roadmap.topic(row.topic_id)
            label = topic.title if topic else row.topic_id
            items.append(f"{row.day.isoformat()} · {minutes_text(row.minutes)} · {label}")
        embed.add_field(
            name="Recent sessions", value=truncate("\n".join(items), 1024), inline=False
        )
    return embed


def streak_embed(streak: StreakView, where: MemberDay) -> discord.Embed:
    embed = discord.Embed(title="Your streak", description=streak_line(streak), colour=COLOUR)
    embed.add_field(name="Longest", value=f"{streak.longest} days")
    embed.add_field(
        name="Today",
        value=(
            "✅ counts" if streak.today_active else f"{minutes_text(streak.today_minutes)} so far"
        ),
    )
    if streak.paused_until is not None:
        embed.add_field(name="Paused", value=f"until {streak.paused_until.isoformat()} (inclusive)")
    embed.add_field(
        name="Your day ends",
        value=f"{timestamp(where.ends_at, 'R')} ({where.zone.key})",
        inline=False,
    )
    if streak.at_risk:
        embed.set_footer(text="Study today to keep your streak going.")
    return embed
