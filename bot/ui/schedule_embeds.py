"""What /schedule shows moderators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.core.challenges import ChallengeItem, TipItem
from bot.roadmap import Roadmap
from bot.storage.scheduling_repo import PostRow, ScheduleRow
from bot.ui.challenge_embeds import COLOUR, challenge_embed, tip_embed
from bot.ui.format import timestamp, truncate

STATUS = {"active": "🟢 active", "paused": "⏸️ paused", "broken": "🔴 broken"}


@dataclass(frozen=True, slots=True)
class ScheduleDetail:
    row: ScheduleRow
    next_due: datetime | None
    last: PostRow | None
    missed: Sequence[PostRow]


def _status(row: ScheduleRow) -> str:
    if row.status == "broken":
        return STATUS["broken"]
    return STATUS["active"] if row.enabled else STATUS["paused"]


def show(details: Sequence[ScheduleDetail], zone: str) -> discord.Embed:
    embed = discord.Embed(title="Schedules", colour=COLOUR)
    if not details:
        embed.description = (
            "Nothing is scheduled. Start with `/schedule challenges` and `/schedule tips`."
        )
    for detail in details:
        row = detail.row
        lines = [
            f"Channel: <#{row.channel_id}> · {row.days} at {row.at} ({zone})",
            f"Status: {_status(row)}",
        ]
        if row.reason:
            lines.append(f"Why: {truncate(row.reason, 300)}")
        if detail.next_due is not None:
            lines.append(
                f"Next: {timestamp(detail.next_due, 'F')} ({timestamp(detail.next_due, 'R')})"
            )
        if detail.last is not None and detail.last.sent_at is not None:
            lines.append(f"Last post: {timestamp(detail.last.sent_at, 'f')} ({detail.last.period})")
        if detail.missed:
            periods = ", ".join(m.period for m in detail.missed)
            lines.append(f"Missed (beyond the grace window): {periods}")
        embed.add_field(name=row.kind.title(), value=truncate("\n".join(lines), 1024), inline=False)
    return embed


def saved(row: ScheduleRow, next_due: datetime) -> discord.Embed:
    return discord.Embed(
        title=f"{row.kind.title()} scheduled",
        description=(
            f"<#{row.channel_id}> · {row.days} at {row.at} (server time)\n"
            f"Next post: {timestamp(next_due, 'F')} ({timestamp(next_due, 'R')})"
        ),
        colour=COLOUR,
    )


def challenge_preview(
    challenge: ChallengeItem, roadmap: Roadmap, deadline: datetime
) -> discord.Embed:
    return challenge_embed(challenge, roadmap, deadline, week="preview")


def tip_preview(tip: TipItem, roadmap: Roadmap) -> discord.Embed:
    return tip_embed(tip, roadmap)
