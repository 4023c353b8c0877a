"""A fake Discord (REST + gateway) for running the real discord.py client in tests.

async with FakeDiscord() as discord:
    guild = discord.create_guild("Backend Learners")
    alice = guild.add_member("alice")
    ...  # point discord.py at discord.api_base_url / discord.gateway_url, start the bot
    r = await discord.slash(alice, guild, "help")
    assert discord.violations == []
"""

from .interactions import Response
from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeRole
from .responses import RecordedRequest
from .runner import BotRunner
from .server import FakeDiscord

__all__ = [
    "BotRunner",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "RecordedRequest",
    "Response",
]
