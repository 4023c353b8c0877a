"""Who may do what, checked by the bot itself: a server can override Discord's default command
permissions, so the bot must refuse on its own.

The tables come from the command tree (`commands.all_commands()`): every command that carries
the moderator check, every group command for owners. What members are told (the descriptions
/help shows) must match what the code enforces, so a new moderator command that forgets its
check, or a check nobody documented, fails here. Components (buttons and menus) made for one
member refuse everyone else.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from discord import AppCommandOptionType
from sqlalchemy import text

from bot.ui.checks import NOT_A_MODERATOR
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember, Response
from tests.reliability.commands import CommandSpec, Option, all_commands
from tests.reliability.inputs import VALID_BY_NAME

COMMANDS = all_commands()
# Checked or documented: either way it must refuse (the first test says they are the same).
MODERATOR = [c for c in COMMANDS if c.moderator_check or c.documented_for_moderators]
OWNER = [c for c in COMMANDS if c.for_owners]
NOT_YOURS = "These buttons belong to someone else's command"
GROUP = "Night Owls"

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass
class Server:
    discord: FakeDiscord
    runner: BotRunner
    guild: FakeGuild
    alice: FakeMember  # owns the group GROUP
    bob: FakeMember  # in the group
    carol: FakeMember  # in the group
    helper: FakeMember  # a "moderators" role with some powers, but not a moderator
    mod: FakeMember


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    """One bot for the module: every refusal must leave it exactly as it was anyway."""
    async with FakeDiscord() as discord:
        guild = discord.create_guild("Backend Learners")
        alice, bob, carol = (guild.add_member(n) for n in ("alice", "bob", "carol"))
        mod = guild.add_member("mod", permissions={"manage_guild"})
        lookalike = guild.add_role("moderators", permissions={"manage_messages", "kick_members"})
        helper = guild.add_member("helper", roles=[lookalike])
        guild.add_role("learners", mentionable=True)
        data_dir = Path(tmp_path_factory.mktemp("permissions"))
        async with BotRunner(discord, data_dir=data_dir) as runner:
            await discord.slash(alice, guild, "log", topic="git-basics", minutes=20)
            await discord.slash(alice, guild, "group create", name=GROUP)
            for member in (bob, carol):
                await discord.slash(member, guild, "group join", name=GROUP)
            yield Server(discord, runner, guild, alice, bob, carol, helper, mod)
        assert discord.violations == [], "the bot broke a Discord limit or schema"


async def test_what_members_are_told_matches_what_is_enforced() -> None:
    checked = {c.path for c in COMMANDS if c.moderator_check}
    documented = {c.path for c in COMMANDS if c.documented_for_moderators}
    assert checked == documented, (
        f"moderator check without saying so: {sorted(checked - documented)}; "
        f"said to be for moderators but not checked: {sorted(documented - checked)}"
    )
    assert len(checked) >= 20 and len(OWNER) >= 5  # the tree was read, not an empty list


async def fingerprint(runner: BotRunner) -> str:
    """A digest of every row of every table: equal digests, nothing changed."""
    digest = hashlib.sha256()
    async with runner.bot.engine.connect() as conn:
        names = await conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        )
        for (name,) in list(names):
            rows = await conn.execute(text(f'SELECT * FROM "{name}"'))
            digest.update(name.encode())
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(row.encode())
    return digest.hexdigest()


def plausible(option: Option, guild: FakeGuild, other: FakeMember) -> Any:
    """A value that would pass the option's own checks, so only permission stops the command."""
    if option.choices:
        return option.choices[0]
    kind = option.type
    if kind is AppCommandOptionType.string:
        return VALID_BY_NAME.get(option.name, ["something"])[0]
    if kind in (AppCommandOptionType.integer, AppCommandOptionType.number):
        return int(option.min_value) if option.min_value is not None else 1
    if kind is AppCommandOptionType.boolean:
        return False
    if kind in (AppCommandOptionType.user, AppCommandOptionType.mentionable):
        return other
    if kind is AppCommandOptionType.role:
        return next(r for r in guild.roles if r.name == "learners")
    if kind is AppCommandOptionType.channel:
        return guild.default_channel()
    raise AssertionError(f"no plausible value for {kind!r}: add one here")


def _all_options(spec: CommandSpec, guild: FakeGuild, other: FakeMember) -> dict[str, Any]:
    return {o.name: plausible(o, guild, other) for o in spec.options if o.required}


@pytest.mark.parametrize("spec", MODERATOR, ids=[c.path for c in MODERATOR])
async def test_moderator_commands_refuse_members(spec: CommandSpec, server: Server) -> None:
    discord, guild = server.discord, server.guild
    before = await fingerprint(server.runner)
    posted = len(discord.requests_to("POST /channels/{id}/messages"))
    options = _all_options(spec, guild, server.alice)
    reply = await discord.slash(server.helper, guild, spec.path, **options)
    assert reply.modal is None
    assert reply.ephemeral and reply.content == NOT_A_MODERATOR
    assert await fingerprint(server.runner) == before
    assert len(discord.requests_to("POST /channels/{id}/messages")) == posted


@pytest.mark.parametrize("spec", OWNER, ids=[c.path for c in OWNER])
async def test_owner_commands_refuse_other_members(spec: CommandSpec, server: Server) -> None:
    before = await fingerprint(server.runner)
    options = _all_options(spec, server.guild, server.bob)
    if any(o.name == "group" for o in spec.options):
        options["group"] = GROUP
    reply = await server.discord.slash(server.carol, server.guild, spec.path, **options)
    assert reply.ephemeral
    assert f"Only the owner of **{GROUP}**" in reply.content, reply.content
    assert reply.components == []  # no confirm buttons offered (disband)
    assert await fingerprint(server.runner) == before


# -- components -------------------------------------------------------------------------------


def _interactive(reply: Response) -> list[dict[str, Any]]:
    """Every enabled button or menu on the reply (links excluded: they are not interactions)."""
    found = []
    for row in reply.components:
        for component in row.get("components", []):
            if component.get("disabled") or component.get("style") == 5:
                continue
            if component.get("type") in (2, 3, 5, 6, 7, 8):
                found.append(component)
    return found


async def _others_are_refused(
    discord: FakeDiscord, guild: FakeGuild, reply: Response, intruder: FakeMember
) -> None:
    """Each button and menu of `reply`, used by someone else, is refused and changes nothing."""
    components = _interactive(reply)
    assert components, "the reply has no buttons to test"
    assert reply.message is not None
    shown = (reply.message.content, reply.message.embeds, reply.message.components)
    for component in components:
        values = [component["options"][-1]["value"]] if component.get("type") == 3 else None
        refused = await discord.click(intruder, guild, reply, component["custom_id"], values=values)
        assert refused.ephemeral and NOT_YOURS in refused.content, component
        assert refused.modal is None
        assert (reply.message.content, reply.message.embeds, reply.message.components) == shown


async def test_roadmap_pages_and_menu_answer_only_their_member(server: Server) -> None:
    stage = server.runner.bot.roadmap.stages[0].id
    reply = await server.discord.slash(server.alice, server.guild, "roadmap", stage=stage)
    assert any(c.get("type") == 2 for c in _interactive(reply))  # paging buttons
    await _others_are_refused(server.discord, server.guild, reply, server.bob)


async def test_privacy_buttons_answer_only_their_member(server: Server) -> None:
    discord, guild, alice, bob = server.discord, server.guild, server.alice, server.bob
    before = await fingerprint(server.runner)
    panel = await discord.slash(alice, guild, "privacy")
    await _others_are_refused(discord, guild, panel, bob)
    assert discord.dms_to(bob) == [] and all(not r.files for r in discord.pending.values())
    # The second step of a deletion is locked too.
    labels = {c["label"].split(":")[0]: c["custom_id"] for c in _interactive(panel)}
    confirm = await discord.click(alice, guild, panel, labels["Delete my data"])
    await _others_are_refused(discord, guild, confirm, bob)
    assert await fingerprint(server.runner) == before


async def test_disband_confirmation_answers_only_the_owner(server: Server) -> None:
    discord, guild = server.discord, server.guild
    before = await fingerprint(server.runner)
    asked = await discord.slash(server.alice, guild, "group disband", group=GROUP)
    await _others_are_refused(discord, guild, asked, server.bob)
    await _others_are_refused(discord, guild, asked, server.mod)  # a moderator: their own disband
    assert await fingerprint(server.runner) == before
