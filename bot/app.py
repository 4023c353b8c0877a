"""StudyBot: the one place that wires settings -> engine -> repositories -> services -> cogs."""

from __future__ import annotations

import contextlib
import logging
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import yarl
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine

import cogs
from bot import __version__
from bot.clock import Clock
from bot.config import Settings
from bot.health import HealthServer
from bot.metrics import Metrics
from bot.roadmap import Roadmap, load_roadmap
from bot.scheduling.host import SchedulerHost
from bot.storage import migrate
from bot.storage.checkpoints import WalCheckpoints
from bot.storage.engine import create_engine
from bot.ui.challenge_embeds import SubmitButton
from bot.ui.reminder_views import UNDELIVERABLE_NOTICE, QuickLogButton
from bot.ui.tree import StudyTree, command_name, elapsed
from bot.wiring import build_services

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what the features use: guilds (channels, roles, threads). No privileged intent."""
    return discord.Intents(guilds=True)


class StudyBot(commands.AutoShardedBot):
    def __init__(
        self, *, settings: Settings, engine: AsyncEngine, clock: Clock, roadmap: Roadmap
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=StudyTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=settings.discord.guild_ready_timeout,
            **shard_options(settings),
            activity=discord.Activity(type=discord.ActivityType.watching, name="/help"),
        )
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.version = __version__
        self.started_at = clock.now()
        self.services = build_services(settings, engine, clock, roadmap)
        self._logged_in = False
        self.metrics = Metrics()
        self.metrics.watch_gateway(lambda: self.latency)
        self.health: HealthServer | None = None
        self.checkpoints = WalCheckpoints(engine)
        self.scheduler = SchedulerHost(
            self,
            self.services,
            engine,
            clock,
            leader_retry_seconds=settings.scheduling.leader_retry_seconds,
        )
        self.scheduler.publisher.on_outcome = lambda kind, outcome: self.metrics.posts.labels(
            kind=kind, outcome=outcome
        ).inc()

    @property
    def roadmap(self) -> Roadmap:
        return self.services.roadmap

    async def run_due(self, guild_id: int | None = None, kind: str | None = None) -> int:
        """Send everything due at the clock's current time (the timers call exactly this;
        tests call it after moving a FakeClock)."""
        return await self.scheduler.run_due(guild_id, kind)

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: object
    ) -> None:
        """Count the command; tell a member, once, that a reminder could not reach them."""
        self.metrics.command(command_name(interaction), "ok", elapsed(interaction))
        if interaction.guild_id is None:
            return
        reminders = self.services.reminders.repo
        if not await reminders.has_undeliverable(interaction.guild_id, interaction.user.id):
            return
        await reminders.set_undeliverable(interaction.guild_id, interaction.user.id, False)
        with contextlib.suppress(discord.HTTPException):
            await interaction.followup.send(UNDELIVERABLE_NOTICE, ephemeral=True)

    async def refresh_timer(self, guild_id: int, kind: str) -> None:
        await self.scheduler.refresh(guild_id, kind)

    async def login(self, token: str) -> None:
        apply_endpoints(self.settings)
        self._logged_in = True
        await super().login(token)

    async def load_cogs(self) -> None:
        for name in cog_modules():
            # A cog that fails to load raises here and stops the start with its error.
            await self.load_extension(name)
        self.add_dynamic_items(SubmitButton, QuickLogButton)

    async def setup_hook(self) -> None:
        self.checkpoints.start()
        await self.load_cogs()
        await self.scheduler.start()
        if self.settings.metrics.port:
            self.health = HealthServer(
                self, host=self.settings.metrics.host, port=self.settings.metrics.port
            )
            await self.health.start()
        guild_id = self.settings.discord.dev_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development server %d", len(synced), guild_id)

    async def on_ready(self) -> None:
        user = self.user
        log.info("ready as %s in %d servers", user, len(self.guilds))

    async def close(self) -> None:
        await self.scheduler.stop()
        if self.health is not None:
            await self.health.stop()
        try:
            if self._logged_in:
                await super().close()
            else:
                # AutoShardedClient.close expects the state login creates; a bot that never
                # logged in (a failed start, a command check) only has its HTTP session to close.
                await self.http.close()
        finally:
            await self.checkpoints.stop()
            await self.engine.dispose()


def shard_options(settings: Settings) -> dict[str, Any]:
    """No settings: one process, as many shards as Discord recommends (AutoShardedBot asks)."""
    options: dict[str, Any] = {}
    if settings.discord.shard_count:
        options["shard_count"] = settings.discord.shard_count
    if settings.discord.shard_ids:
        options["shard_ids"] = list(settings.discord.shard_ids)
    return options


def cog_modules() -> list[str]:
    """Every module in the `cogs` package: a new feature is loaded by adding its file."""
    return sorted(f"{cogs.__name__}.{info.name}" for info in pkgutil.iter_modules(cogs.__path__))


def apply_endpoints(settings: Settings) -> None:
    """Point discord.py at a REST proxy or a test server when the settings say so.

    discord.py reads its API base and default gateway from these class attributes (the library
    sets `Route.BASE` itself when the API version changes); there is no constructor argument.
    """
    if settings.discord.api_base_url:
        discord.http.Route.BASE = settings.discord.api_base_url
    if settings.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


@asynccontextmanager
async def open_bot(settings: Settings, clock: Clock) -> AsyncIterator[StudyBot]:
    """Open the resources the bot needs, migrate, and hand them to a new StudyBot.

    The bot is not connected; the caller starts it (`bot.start(token)`), and leaving the block
    closes it, which also disposes the engine.
    """
    roadmap = load_roadmap(settings.roadmap.path)
    engine = create_engine(settings.database.url, echo=settings.database.echo)
    try:
        await migrate.upgrade(engine)
    except BaseException:
        await engine.dispose()
        raise
    bot = StudyBot(settings=settings, engine=engine, clock=clock, roadmap=roadmap)
    try:
        yield bot
    finally:
        if not bot.is_closed():
            await bot.close()
