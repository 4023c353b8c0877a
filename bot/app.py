"""StudyBot: the one place that wires settings -> engine -> repositories -> services -> cogs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
import yarl
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine

import cogs
from bot import __version__
from bot.clock import Clock
from bot.config import Settings
from bot.roadmap import Roadmap, load_roadmap
from bot.scheduling.publisher import Publisher
from bot.scheduling.reminder_sender import ReminderSender
from bot.scheduling.timers import Timers, cron_for
from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.ui.challenge_embeds import SubmitButton
from bot.ui.reminder_views import UNDELIVERABLE_NOTICE, QuickLogButton
from bot.ui.tree import StudyTree
from bot.wiring import build_services

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what the features use: guilds (channels, roles, threads). No privileged intent."""
    return discord.Intents(guilds=True)


class StudyBot(commands.Bot):
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
            activity=discord.Activity(type=discord.ActivityType.watching, name="/help"),
        )
        self.settings = settings
        self.engine = engine
        self.clock = clock
        self.version = __version__
        self.started_at = clock.now()
        self.services = build_services(settings, engine, clock, roadmap)
        self.publisher = Publisher(self, self.services)
        self.reminder_sender = ReminderSender(self, self.services)
        self.timers = Timers(self._timer_fired)
        self._catch_up: asyncio.Task[None] | None = None

    @property
    def roadmap(self) -> Roadmap:
        return self.services.roadmap

    async def run_due(self, guild_id: int | None = None, kind: str | None = None) -> int:
        """Send everything due at the clock's current time: scheduled posts (optionally one
        schedule's) and, on a full run, the reminder sweep.

        The timers call exactly this; tests call it after moving a FakeClock.
        """
        now = self.clock.now()
        sent = await self.publisher.run_due(now, guild_id=guild_id, kind=kind)
        if guild_id is None and kind is None:
            sent += await self.reminder_sender.sweep(now)
        return sent

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: object
    ) -> None:
        """Tell a member, once, that a reminder could not reach them."""
        if interaction.guild_id is None:
            return
        reminders = self.services.reminders.repo
        if not await reminders.has_undeliverable(interaction.guild_id, interaction.user.id):
            return
        await reminders.set_undeliverable(interaction.guild_id, interaction.user.id, False)
        with contextlib.suppress(discord.HTTPException):
            await interaction.followup.send(UNDELIVERABLE_NOTICE, ephemeral=True)

    async def _timer_fired(self, guild_id: int | None, kind: str | None) -> None:
        try:
            await self.run_due(guild_id, kind)
        except Exception:
            log.exception("scheduled run for %s/%s failed", guild_id, kind)

    async def refresh_timer(self, guild_id: int, kind: str) -> None:
        """Rebuild one schedule's job from the database after it changed."""
        row = await self.services.posting.schedules.get(guild_id, kind)
        if row is None or not row.enabled or row.status != "active":
            self.timers.set(guild_id, kind, None)
            return
        self.timers.set(guild_id, kind, cron_for(await self.services.posting.timing(row)))

    async def _start_timers(self) -> None:
        for row in await self.services.posting.schedules.runnable():
            self.timers.set(
                row.guild_id, row.kind, cron_for(await self.services.posting.timing(row))
            )
        self.timers.start()

    async def _catch_up_when_ready(self) -> None:
        """Post what came due while the bot was down, once channels are known."""
        await self.wait_until_ready()
        await self._timer_fired(None, None)

    async def login(self, token: str) -> None:
        apply_endpoints(self.settings)
        await super().login(token)

    async def setup_hook(self) -> None:
        for name in cog_modules():
            # A cog that fails to load raises here and stops the start with its error.
            await self.load_extension(name)
        self.add_dynamic_items(SubmitButton, QuickLogButton)
        await self._start_timers()
        self._catch_up = asyncio.create_task(self._catch_up_when_ready())
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
        self.timers.shutdown()
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up
        try:
            await super().close()
        finally:
            await self.engine.dispose()


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
