"""`python -m bot`: run the bot and the maintenance verbs around it.

The CLI owns process concerns (arguments, logging, exit codes); everything else is handed the
settings it reads. Expected problems print one clear message and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import discord

from bot.clock import SystemClock
from bot.config import TOKEN_VARIABLE, ConfigError, Settings, load_settings
from bot.logs import setup_logging
from bot.roadmap import RoadmapError, load_roadmap
from bot.storage import migrate
from bot.storage.backup import backup_sqlite
from bot.storage.engine import create_engine, sqlite_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

TOKEN_HELP = f"""No Discord bot token is set.
Create a bot at https://discord.com/developers/applications (Bot -> Reset Token), then either
  export {TOKEN_VARIABLE}=your-token
or put the line
  {TOKEN_VARIABLE}=your-token
in a file named .env next to config.toml. See README.md, "Create the Discord application"."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Roadmap Study Bot")
    p.add_argument(
        "--config", type=Path, default=None, help="settings file (default: config.toml if present)"
    )
    verbs = p.add_subparsers(dest="verb")
    verbs.add_parser("run", help="start the bot (the default)")
    verbs.add_parser("check", help="check settings, roadmap and database, and print a summary")
    verbs.add_parser("migrate", help="bring the database schema up to date")
    sync = verbs.add_parser("sync-commands", help="register the slash commands with Discord")
    sync.add_argument("--guild", type=int, default=None, help="sync to this server only (instant)")
    backup = verbs.add_parser("backup", help="copy the SQLite database safely while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    verb = args.verb or "run"
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    setup_logging(settings.log_level, secrets=[settings.discord.token])
    try:
        if verb == "run":
            return _run(settings)
        if verb == "check":
            return asyncio.run(_check(settings))
        if verb == "migrate":
            return asyncio.run(_migrate(settings))
        if verb == "sync-commands":
            return _sync(settings, args.guild)
        if verb == "backup":
            return _backup(settings, args.path)
    except RoadmapError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
    raise AssertionError(f"unhandled verb {verb}")


def _require_token(settings: Settings) -> bool:
    if settings.discord.token:
        return True
    print(TOKEN_HELP, file=sys.stderr)
    return False


def _run(settings: Settings) -> int:
    if not _require_token(settings):
        return EXIT_USAGE
    from bot.app import open_bot

    async def start() -> None:
        with _stop_on_sigterm():
            async with open_bot(settings, SystemClock()) as bot:
                await bot.start(settings.discord.token)

    try:
        asyncio.run(start())
    except discord.LoginFailure:
        print(
            f"Discord rejected the token. Check {TOKEN_VARIABLE} (Developer Portal -> Bot).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except discord.PrivilegedIntentsRequired as exc:
        print(f"Discord refused a privileged intent: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (`docker stop`, systemd, Kubernetes) stops the bot as Ctrl-C does: the running
    task is cancelled, so leaving `open_bot` closes the gateway, gives up the scheduler's lock and
    disposes the database; the process then exits 0. Without this, Python's default action ends
    the process on the spot."""
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        if main is not None:
            main.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, terminate)
    except (NotImplementedError, RuntimeError):  # no signal handlers here (Windows)
        yield
        return
    try:
        yield
    except asyncio.CancelledError:
        if not terminated:
            raise
        logging.getLogger(__name__).info("stopped by SIGTERM")
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def _check(settings: Settings) -> int:
    problems: list[str] = []
    print("settings: ok")
    print(f"  database: {_safe_url(settings.database.url)}")
    print(f"  roadmap file: {settings.roadmap.path}")
    print(f"  default timezone: {settings.community.default_timezone}")
    print(
        "  token: "
        + ("set" if settings.discord.token else f"not set (needed to run; {TOKEN_VARIABLE})")
    )
    try:
        roadmap = load_roadmap(settings.roadmap.path)
    except RoadmapError as exc:
        problems.append(str(exc))
    else:
        counts = ", ".join(f"{n} {k}" for k, n in roadmap.counts().items())
        print(f"roadmap: ok: {roadmap.name}: {counts}")
    problems.extend(await _check_database(settings.database.url))
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


async def _check_database(url: str) -> list[str]:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        print(f"database: ok: {path} does not exist yet; `run` or `migrate` creates it")
        return []
    engine = create_engine(url)
    try:
        current = await migrate.current_revision(engine)
    except Exception as exc:
        return [f"database: cannot be reached: {type(exc).__name__}: {exc}"]
    finally:
        await engine.dispose()
    head = migrate.head_revision()
    if current != head:
        return [
            f"database: schema is at revision {current or 'none'}, the latest is {head}: "
            "run `python -m bot migrate`"
        ]
    print(f"database: ok: reachable, schema at the latest revision ({head})")
    return []


async def _migrate(settings: Settings) -> int:
    engine = create_engine(settings.database.url)
    try:
        await migrate.upgrade(engine)
        print(f"database: schema at revision {await migrate.current_revision(engine)}")
    finally:
        await engine.dispose()
    return EXIT_OK


def _sync(settings: Settings, guild_id: int | None) -> int:
    if not _require_token(settings):
        return EXIT_USAGE
    from bot.app import open_bot

    async def sync() -> int:
        async with open_bot(settings, SystemClock()) as bot:
            await bot.login(settings.discord.token)
            if guild_id:
                guild = discord.Object(id=guild_id)
                bot.tree.copy_global_to(guild=guild)
                synced = await bot.tree.sync(guild=guild)
                where = f"server {guild_id}"
            else:
                synced = await bot.tree.sync()
                where = "every server (global commands can take up to an hour to appear)"
            print(f"synced {len(synced)} commands to {where}")
            return EXIT_OK

    return asyncio.run(sync())


def _backup(settings: Settings, target: Path) -> int:
    source = sqlite_path(settings.database.url)
    if source is None:
        print(
            "backup copies a SQLite database file; for PostgreSQL use pg_dump (docs/deploy.md).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        pages = backup_sqlite(source, target)
    except (FileNotFoundError, OSError) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    logging.getLogger(__name__).info("backed up %s to %s (%d pages)", source, target, pages)
    print(f"backup written to {target} ({pages} pages)")
    return EXIT_OK


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
