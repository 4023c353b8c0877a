"""StudyBot: the one place that wires settings -> engine -> repositories -> services -> cogs."""

from __future__ import annotations

import logging
import pkgutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import discord
import yarl
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine

import cogs
from bot import __version__
from bot.clock import Clock
from bot.config import Settings
from bot.core.leaderboard import LeaderboardService
from bot.core.progress import ProgressService
from bot.roadmap import Roadmap, TopicIndex, load_roadmap
from bot.services import Services
from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.privacy_repo import PrivacyRepository
from bot.storage.progress_repo import ProgressRepository
from bot.storage.settings_repo import SettingsRepository
from bot.ui.tree import StudyTree

log = logging.getLogger(__name__)

DueWork = Callable[[datetime], Awaitable[None]]


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
        settings_repo = SettingsRepository(
            engine,
            default_timezone=settings.community.default_timezone,
            streak_minimum=settings.community.streak_minimum,
        )
        progress_repo = ProgressRepository(engine)
        privacy = PrivacyRepository(engine)
        study = ProgressService(
            roadmap=roadmap, clock=clock, settings=settings_repo, repo=progress_repo
        )
        self.services = Services(
            settings=settings,
            clock=clock,
            roadmap=roadmap,
            topic_index=TopicIndex(roadmap),
            guild_settings=settings_repo,
            progress=progress_repo,
            progress_repo=progress_repo,
            study=study,
            privacy=privacy,
            leaderboards=LeaderboardService(
                clock=clock,
                settings=settings_repo,
                progress=progress_repo,
                study=study,
                privacy=privacy,
            ),
        )
        self._due_work: list[DueWork] = []

    @property
    def roadmap(self) -> Roadmap:
        return self.services.roadmap

    def add_due_work(self, work: DueWork) -> None:
        """Register scheduled work; `run_due` and the scheduler's timers call it."""
        self._due_work.append(work)

    async def run_due(self) -> None:
        """Run every piece of scheduled work that is due at the clock's current time."""
        now = self.clock.now()
        for work in list(self._due_work):
            await work(now)

    async def login(self, token: str) -> None:
        apply_endpoints(self.settings)
        await super().login(token)

    async def setup_hook(self) -> None:
        for name in cog_modules():
            # A cog that fails to load raises here and stops the start with its error.
            await self.load_extension(name)
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
