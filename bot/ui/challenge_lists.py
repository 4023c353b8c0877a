"""Lists around challenges: the pool, submissions and a member's history, as embed pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.challenges import ChallengeItem
from bot.storage.challenges_repo import Submission
from bot.ui.challenge_embeds import COLOUR
from bot.ui.format import timestamp, truncate
from bot.ui.paginator import chunked


def pool_embed(
    pool: Sequence[ChallengeItem],
    queued: Sequence[tuple[str, str | None]],
    posted: Mapping[str, int],
    upcoming: ChallengeItem | None,
) -> discord.Embed:
    titles = {c.id: c.title for c in pool}
    fresh = sum(1 for c in pool if posted.get(c.id, 0) == 0)
    embed = discord.Embed(title="Challenge pool", colour=COLOUR)
    embed.description = (
        f"{len(pool)} challenges, {fresh} not posted here yet "
        f"({sum(1 for c in pool if c.custom)} added by moderators)."
    )
    if queued:
        lines = [
            f"{n}. {titles.get(cid, cid)}" + (f" ({week})" if week else "")
            for n, (cid, week) in enumerate(queued, start=1)
        ]
        embed.add_field(name="Queue", value=truncate("\n".join(lines), 1024), inline=False)
    embed.add_field(
        name="Next up",
        value=truncate(upcoming.title if upcoming else "nothing: the pool is empty", 1024),
        inline=False,
    )
    return embed


def submission_pages(period: str, rows: Sequence[Submission]) -> list[discord.Embed]:
    lines = [
        f"<@{s.user_id}> · [link]({s.link}) · {timestamp(s.submitted_at, 'R')}"
        + (f"\n  {truncate(s.note, 200)}" if s.note else "")
        for s in rows
    ]
    return _pages(f"Submissions for {period} ({len(rows)})", lines, "No submissions yet.")


def history_pages(name: str, rows: Sequence[tuple[Submission, str]]) -> list[discord.Embed]:
    lines = [f"{s.period} · **{truncate(title, 100)}** · [link]({s.link})" for s, title in rows]
    return _pages(truncate(f"{name}'s challenges ({len(rows)})", 256), lines, "No submissions yet.")


def _pages(title: str, lines: Sequence[str], empty: str) -> list[discord.Embed]:
    pages = chunked(lines, per_page=10) or [[empty]]
    embeds = []
    for number, page in enumerate(pages, start=1):
        embed = discord.Embed(title=title, description="\n".join(page), colour=COLOUR)
        if len(pages) > 1:
            embed.set_footer(text=f"Page {number}/{len(pages)}")
        embeds.append(embed)
    return embeds
