"""The one place that posts unasked: scheduled challenges and tips.

`run_due` is what both the timers and the tests (`BotRunner.run_due`) call. It asks the posting
service which posts are due (claiming each in the ledger first), sends them with their
deterministic nonce, and reports the outcome: sent, retry later, or schedule broken.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.core.posting import DuePost, PostingService
from bot.ui.challenge_embeds import Recap, challenge_embed, recap_embed, submit_view, tip_embed

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
TRANSIENT = (
    discord.DiscordServerError,
    discord.RateLimited,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    OSError,
)


class CannotPost(Exception):
    """The post cannot go out as configured (not a text channel, nothing left to post)."""


class Publisher:
    def __init__(self, client: discord.Client, services: Services) -> None:
        self.client = client
        self.services = services
        self.posting: PostingService = services.posting
        # One run at a time: a timer firing while a test's run_due (or a retry pass) is still
        # sending must not pick up the same claimed post twice.
        self._lock = asyncio.Lock()

    async def run_due(
        self, now: datetime, *, guild_id: int | None = None, kind: str | None = None
    ) -> int:
        """Send everything due at `now`; return how many posts went out."""
        async with self._lock:
            sent = 0
            for job in await self.posting.due(now, guild_id=guild_id, kind=kind):  # type: ignore[arg-type]
                sent += await self.deliver(job)
            return sent

    async def deliver_now(self, job: DuePost) -> int:
        """Send one claimed post (a moderator's post-now) under the same lock as the runs."""
        async with self._lock:
            return await self.deliver(job)

    async def deliver(self, job: DuePost) -> int:
        where = job.schedule
        try:
            message = await self._send(job)
        except CannotPost as exc:
            log.warning("schedule %s/%s broken: %s", where.guild_id, where.kind, exc)
            await self.posting.failed(job, str(exc), permanent=True)
        except discord.Forbidden as exc:
            detail = exc.text or exc.status
            reason = f"I can't post in <#{where.channel_id}>: missing permission ({detail})."
            log.warning("schedule %s/%s broken: %s", where.guild_id, where.kind, reason)
            await self.posting.failed(job, reason, permanent=True)
        except discord.NotFound:
            reason = f"The channel <#{where.channel_id}> no longer exists."
            log.warning("schedule %s/%s broken: %s", where.guild_id, where.kind, reason)
            await self.posting.failed(job, reason, permanent=True)
        except TRANSIENT as exc:
            log.warning(
                "post %s for %s/%s failed, will retry: %r",
                job.post.period,
                where.guild_id,
                where.kind,
                exc,
            )
            await self.posting.failed(job, f"{type(exc).__name__}: {exc}"[:300], permanent=False)
        except discord.HTTPException as exc:
            reason = f"Discord refused the post ({exc.status}: {exc.text[:200]})."
            log.warning("schedule %s/%s broken: %s", where.guild_id, where.kind, reason)
            await self.posting.failed(job, reason, permanent=True)
        else:
            await self.posting.delivered(job, message.id)
            return 1
        return 0

    async def _send(self, job: DuePost) -> discord.Message:
        channel = self.client.get_channel(job.schedule.channel_id)
        if channel is None:
            channel = await self.client.fetch_channel(job.schedule.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise CannotPost(f"<#{job.schedule.channel_id}> is not a channel I can post in.")
        roadmap = self.services.roadmap
        if job.challenge is not None:
            embeds = [challenge_embed(job.challenge, roadmap, job.deadline, week=job.post.period)]
            recap = await self._recap(job)
            if recap is not None:
                embeds.append(recap_embed(recap))
            config = await self.services.guild_settings.guild(job.schedule.guild_id)
            role = config.ping_role_id
            return await channel.send(
                content=f"<@&{role}> a new challenge is up!" if role else None,
                embeds=embeds,
                view=submit_view(job.post.period),
                nonce=job.post.nonce,
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, roles=[discord.Object(role)] if role else False
                ),
            )
        if job.tip is not None:
            return await channel.send(
                embed=tip_embed(job.tip, roadmap),
                nonce=job.post.nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        raise CannotPost(f"There is nothing left to post for {job.schedule.kind}.")

    async def _recap(self, job: DuePost) -> Recap | None:
        previous = await self.services.posting.schedules.last_sent(
            job.schedule.guild_id, "challenges"
        )
        if previous is None or previous.item_id is None or previous.period == job.post.period:
            return None
        challenge = await self.posting.challenge(job.schedule.guild_id, previous.item_id)
        submitted = await self.services.challenge_repo.submissions(
            job.schedule.guild_id, period=previous.period
        )
        streaks = await self._top_streaks(job.schedule.guild_id)
        groups = await self.services.groups.leaderboard(job.schedule.guild_id)
        return Recap(
            title=challenge.title if challenge else previous.item_id,
            submitters=[s.user_id for s in submitted],
            top_streaks=streaks,
            group_streaks=[
                (g.group.name, g.streak.current) for g in groups if g.streak.current > 0
            ],
        )

    async def _top_streaks(self, guild_id: int, shown: int = 3) -> list[tuple[int, int]]:
        """The longest current streaks, as members would see them today.

        Stored streaks are checkpoints two days old; the few best candidates are re-folded up to
        today so the recap agrees with /streak show.
        """
        candidates = await self.services.challenge_repo.top_streaks(guild_id, shown * 5)
        current = []
        for user_id, _ in candidates:
            view, _ = await self.services.study.streak(guild_id, user_id)
            if view.current > 0:
                current.append((user_id, view.current))
        return sorted(current, key=lambda pair: (-pair[1], pair[0]))[:shown]
