"""The one place that posts unasked: scheduled challenges and tips.

`run_due` is what both the timers and the tests (`BotRunner.run_due`) call. It asks the posting
service which posts are due (claiming each in the ledger first), sends them with their
deterministic nonce, and reports the outcome: sent, retry later, or schedule broken.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.core.batching import GroupCommit, gather_bounded
from bot.core.posting import DuePost, PostingService
from bot.ui.challenge_embeds import Recap, challenge_embed, recap_embed, submit_view, tip_embed

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
SEND_AHEAD = 16  # posts prepared (database reads) while earlier ones are sent
SHOWN_STREAKS = 3  # longest current streaks named in a recap
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
        # Told "sent", "retry" or "broken" for each attempt (the bot's metrics listen here).
        self.on_outcome: Callable[[str, str], None] = lambda kind, outcome: None

    async def run_due(
        self, now: datetime, *, guild_id: int | None = None, kind: str | None = None
    ) -> int:
        """Send everything due at `now`; return how many posts went out.

        Posts are prepared (channel, recap, ping role: database reads) up to SEND_AHEAD at a
        time, and sent one at a time: a single request in flight meets Discord's global rate
        limit with one 429 and one wait, where concurrent sends would all be refused together
        and retry together.
        """
        async with self._lock:
            jobs = await self.posting.due(now, guild_id=guild_id, kind=kind)  # type: ignore[arg-type]
            recaps = await self.recaps(jobs)
            turn = asyncio.Lock()
            ledger = GroupCommit(self.posting.delivered_many)
            sent = gather_bounded(
                (self.deliver(job, recaps.get(job.post.id), turn, ledger) for job in jobs),
                SEND_AHEAD,
            )
            return sum(await sent)

    async def deliver_now(self, job: DuePost) -> int:
        """Send one claimed post (a moderator's post-now) under the same lock as the runs."""
        async with self._lock:
            return await self.deliver(job, (await self.recaps([job])).get(job.post.id))

    async def deliver(
        self,
        job: DuePost,
        recap: Recap | None,
        turn: asyncio.Lock | None = None,
        ledger: GroupCommit[tuple[DuePost, int]] | None = None,
    ) -> int:
        """Send one post (taking `turn` for the request itself) and record the outcome (with
        the other posts sent meanwhile, through `ledger`)."""
        where = job.schedule
        try:
            message = await self._send(job, recap, turn or asyncio.Lock())
        except CannotPost as exc:
            await self._broken(job, str(exc))
        except discord.Forbidden as exc:
            detail = exc.text or exc.status
            await self._broken(
                job, f"I can't post in <#{where.channel_id}>: missing permission ({detail})."
            )
        except discord.NotFound:
            await self._broken(job, f"The channel <#{where.channel_id}> no longer exists.")
        except TRANSIENT as exc:
            await self._retry_later(job, exc)
        except discord.HTTPException as exc:
            if exc.status == 429:
                # discord.py waited out retry_after five times and gave up: still a rate limit,
                # not a refusal, so the post stays claimed for the next run.
                await self._retry_later(job, exc)
                return 0
            await self._broken(job, f"Discord refused the post ({exc.status}: {exc.text[:200]}).")
        else:
            if ledger is None:
                await self.posting.delivered(job, message.id)
            else:
                await ledger.submit((job, message.id))
            self.on_outcome(where.kind, "sent")
            return 1
        return 0

    async def _broken(self, job: DuePost, reason: str) -> None:
        where = job.schedule
        log.warning("schedule %s/%s broken: %s", where.guild_id, where.kind, reason)
        await self.posting.failed(job, reason, permanent=True)
        self.on_outcome(where.kind, "broken")

    async def _retry_later(self, job: DuePost, exc: Exception) -> None:
        where = job.schedule
        log.warning(
            "post %s for %s/%s failed, will retry: %r",
            job.post.period,
            where.guild_id,
            where.kind,
            exc,
        )
        await self.posting.failed(job, f"{type(exc).__name__}: {exc}"[:300], permanent=False)
        self.on_outcome(where.kind, "retry")

    async def _send(self, job: DuePost, recap: Recap | None, turn: asyncio.Lock) -> discord.Message:
        # Through the server: `client.get_channel` searches every server the bot is in.
        guild = self.client.get_guild(job.schedule.guild_id)
        channel: object = guild.get_channel_or_thread(job.schedule.channel_id) if guild else None
        if channel is None:
            async with turn:
                channel = await self.client.fetch_channel(job.schedule.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise CannotPost(f"<#{job.schedule.channel_id}> is not a channel I can post in.")
        roadmap = self.services.roadmap
        if job.challenge is not None:
            embeds = [challenge_embed(job.challenge, roadmap, job.deadline, week=job.post.period)]
            if recap is not None:
                embeds.append(recap_embed(recap))
            config = await self.services.guild_settings.guild(job.schedule.guild_id)
            role = config.ping_role_id
            async with turn:
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
            async with turn:
                return await channel.send(
                    embed=tip_embed(job.tip, roadmap),
                    nonce=job.post.nonce,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
        raise CannotPost(f"There is nothing left to post for {job.schedule.kind}.")

    async def recaps(self, jobs: Sequence[DuePost]) -> dict[int, Recap]:
        """Last week's recap for each challenge post (by post id), read for all the posts'
        servers at once: a minute with 2,000 posts due costs a handful of queries here."""
        services = self.services
        challenges = [job for job in jobs if job.challenge is not None]
        guilds = {job.schedule.guild_id for job in challenges}
        if not guilds:
            return {}
        last = await self.posting.schedules.last_sent_for(guilds, "challenges")
        previous = {
            job.post.id: last[job.schedule.guild_id]
            for job in challenges
            if job.schedule.guild_id in last
            and last[job.schedule.guild_id].item_id is not None
            and last[job.schedule.guild_id].period != job.post.period
        }
        if not previous:
            return {}
        guilds = {post.guild_id for post in previous.values()}
        customs = await services.challenge_repo.custom_for(guilds)
        submitted = await services.challenge_repo.submitters_for(
            (post.guild_id, post.period) for post in previous.values()
        )
        candidates = await services.challenge_repo.top_streaks_for(guilds, SHOWN_STREAKS * 5)
        streaks = await self._current_streaks(candidates)
        groups = await services.groups.leaderboards(guilds)
        recaps = {}
        for post_id, post in previous.items():
            guild_id, item_id = post.guild_id, str(post.item_id)
            challenge = self.posting.challenge_among(customs[guild_id], item_id)
            recaps[post_id] = Recap(
                title=challenge.title if challenge else item_id,
                submitters=submitted[guild_id, post.period],
                top_streaks=streaks.get(guild_id, []),
                group_streaks=[
                    (g.group.name, g.streak.current)
                    for g in groups.get(guild_id, [])
                    if g.streak.current > 0
                ],
            )
        return recaps

    async def _current_streaks(
        self, candidates: dict[int, list[tuple[int, int]]]
    ) -> dict[int, list[tuple[int, int]]]:
        """The longest current streaks in each server, as members would see them today.

        Stored streaks are checkpoints two days old; the few best candidates are re-folded up to
        today so the recap agrees with /streak show.
        """
        pairs = [
            (guild_id, user_id) for guild_id, users in candidates.items() for user_id, _ in users
        ]
        views = await gather_bounded(
            (self.services.study.streak(guild_id, user_id) for guild_id, user_id in pairs), 8
        )
        current: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (guild_id, user_id), (view, _) in zip(pairs, views, strict=True):
            if view.current > 0:
                current[guild_id].append((user_id, view.current))
        return {
            guild_id: sorted(found, key=lambda pair: (-pair[1], pair[0]))[:SHOWN_STREAKS]
            for guild_id, found in current.items()
        }
