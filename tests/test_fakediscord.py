"""The fake Discord against the REAL discord.py client.

A small ``commands.Bot`` with typical app commands (plain and ephemeral replies, deferrals,
subcommand groups with user/channel/int options, autocomplete, buttons, modals with action rows
and with 2.6 Labels, files) runs against :class:`FakeDiscord`.  The happy paths run twice: with
and without ``DISCORD_OPENAPI_SPEC``, proving correct discord.py traffic produces no false
violations.  Fault injection (5xx, 429, network drops), nonce dedupe, limits and unknown routes
are tested once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord, FakeGuild, FakeMember
from tests.fakediscord.limits import Checker, check_commands, check_message, valid_command_name

SPEC = Path(__file__).resolve().parents[2] / "shared" / "discord-api-spec" / "openapi.json"
if not SPEC.exists():
    SPEC = Path("/work/shared/discord-api-spec/openapi.json")


# -- the demo bot -------------------------------------------------------------------------------


class CounterView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="Add one", custom_id="counter:add", style=discord.ButtonStyle.primary)
    async def add(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count: {self.count}", view=self)

    @discord.ui.button(label="Slowly", custom_id="counter:slow")
    async def slow(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()  # type 6: deferred update of this message
        self.count += 100
        await interaction.edit_original_response(content=f"count: {self.count}")

    @discord.ui.select(
        custom_id="counter:pick",
        options=[
            discord.SelectOption(label="Ten", value="10"),
            discord.SelectOption(label="Twenty", value="20"),
        ],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        self.count = int(select.values[0])
        await interaction.response.edit_message(content=f"count: {self.count}", view=self)


class RowModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="What do you think?", custom_id="fb:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class LabelModal(discord.ui.Modal, title="Goal"):
    goal: discord.ui.Label[Any] = discord.ui.Label(
        text="Your goal",
        component=discord.ui.TextInput(custom_id="goal:text", style=discord.TextStyle.long),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.goal.component, discord.ui.TextInput)
        await interaction.response.send_message(f"goal: {self.goal.component.value}")


class FeedbackView(discord.ui.View):
    @discord.ui.button(label="Give feedback", custom_id="fb:open")
    async def open(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(RowModal())


TOPICS = ["http", "https", "html", "databases", "caching"]


def build_tree(bot: commands.Bot | commands.AutoShardedBot) -> None:
    tree = bot.tree

    @tree.command(description="Replies pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Shows your profile, privately")
    async def profile(interaction: discord.Interaction) -> None:
        embed = discord.Embed(title=f"{interaction.user.name}'s profile", description="Studying")
        embed.add_field(name="Streak", value="3 days")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @tree.command(description="Thinks, then answers with a follow-up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done thinking")

    @tree.command(description="Thinks privately, then edits the original")
    async def slowedit(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="edited answer")

    study = app_commands.Group(name="study", description="Study time")
    log = app_commands.Group(name="log", description="Logging", parent=study)

    @log.command(name="add", description="Log minutes for someone")
    async def log_add(
        interaction: discord.Interaction,
        member: discord.Member,
        channel: discord.TextChannel,
        minutes: app_commands.Range[int, 1, 600],
        note: str | None = None,
    ) -> None:
        assert isinstance(member, discord.Member)
        await interaction.response.send_message(
            f"{member.mention} logged {minutes} min in {channel.mention} ({note})",
            allowed_mentions=discord.AllowedMentions.none(),
        )

    tree.add_command(study)

    @tree.command(description="Looks up a topic")
    async def topic(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"topic {name}")

    @topic.autocomplete("name")
    async def topic_auto(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=t.upper(), value=t) for t in TOPICS if t.startswith(current)
        ]

    @tree.command(description="A counter with a button")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count: 0", view=CounterView())

    @tree.command(description="Opens feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Tell us", view=FeedbackView())

    @tree.command(description="Asks for a goal")
    async def goal(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelModal())

    @tree.command(description="Sends a chart")
    async def chart(interaction: discord.Interaction) -> None:
        file = discord.File(fp=__import__("io").BytesIO(b"\x89PNG fake"), filename="chart.png")
        await interaction.response.send_message("your chart", file=file)

    @tree.command(description="Breaks the embed title limit")
    async def toolong(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="x" * 300))


class DemoBot(commands.Bot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),  # no privileged intents
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def setup_hook(self) -> None:
        build_tree(self)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py sleeps 5 s before re-IDENTIFYing; tests don't wait for that


# -- fixtures -----------------------------------------------------------------------------------


@dataclass
class World:
    fake: FakeDiscord
    bot: DemoBot
    guild: FakeGuild
    alice: FakeMember
    mod: FakeMember


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord) -> AsyncIterator[DemoBot]:
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    bot = DemoBot()
    task: asyncio.Task[None] | None = None
    try:
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect())
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        yield bot
    finally:
        await bot.close()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def make_world(fake: FakeDiscord) -> AsyncIterator[World]:
    guild = fake.create_guild("Backend Learners")
    alice = guild.add_member("alice")
    mod = guild.add_member("mod", permissions={"manage_guild"})
    guild.add_text_channel("challenges")
    async with running_bot(fake) as bot:
        yield World(fake, bot, guild, alice, mod)


@pytest.fixture(params=["plain", "openapi"])
async def world(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[World]:
    if request.param == "openapi":
        monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(SPEC))
    else:
        monkeypatch.delenv("DISCORD_OPENAPI_SPEC", raising=False)
    async with FakeDiscord() as fake:
        if request.param == "openapi":
            assert fake.spec is not None
        async for w in make_world(fake):
            yield w
            assert fake.unknown_routes == []
            assert fake.violations == []


@pytest.fixture
async def plain_world(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    monkeypatch.delenv("DISCORD_OPENAPI_SPEC", raising=False)
    async with FakeDiscord() as fake:
        async for w in make_world(fake):
            yield w


# -- happy paths (with and without the OpenAPI spec) ---------------------------------------------


async def test_login_and_ready(world: World) -> None:
    fake, bot = world.fake, world.bot
    assert bot.user is not None
    assert bot.user.id == fake.application_id
    g = bot.get_guild(world.guild.id)
    assert g is not None
    assert g.name == "Backend Learners"
    assert {c.name for c in g.text_channels} == {"challenges"}
    assert g.member_count == 4  # owner, bot, alice, mod (members aren't cached without the intent)
    assert g.me.guild_permissions.send_messages
    routes = [r.route for r in fake.requests]
    assert "GET /users/@me" in routes
    await fake.wait_for_ready(timeout=1)


async def test_plain_and_ephemeral_replies(world: World) -> None:
    fake = world.fake
    r = await fake.slash(world.alice, world.guild, "ping")
    assert (r.content, r.ephemeral, r.callback_type) == ("pong", False, 4)
    assert r.message_id is not None
    assert [m.content for m in fake.messages_in(world.guild.channels[0].id)] == ["pong"]
    r = await fake.slash(world.alice, world.guild, "profile")
    assert r.ephemeral
    assert r.embeds[0]["title"] == "alice's profile"
    assert r.embeds[0]["fields"][0] == {"name": "Streak", "value": "3 days", "inline": True}
    assert fake.violations == []


async def test_deferred_follow_up_and_edit(world: World) -> None:
    fake = world.fake
    r = await fake.slash(world.alice, world.guild, "slow")
    assert r.callback_type == 5
    assert r.content == "done thinking"
    assert len(r.followups) == 1
    r = await fake.slash(world.alice, world.guild, "slowedit")
    assert (r.content, r.ephemeral) == ("edited answer", True)
    assert fake.violations == []


async def test_subcommand_group_with_user_channel_int_options(world: World) -> None:
    fake = world.fake
    chan = world.guild.channels[0]
    r = await fake.slash(
        world.mod, world.guild, "study log add", member=world.alice, channel=chan, minutes=30
    )
    assert r.content == f"<@{world.alice.id}> logged 30 min in <#{chan.id}> (None)"
    assert fake.violations == []


async def test_after_sync_commands_are_stored_with_ids(world: World) -> None:
    fake, bot = world.fake, world.bot
    synced = await bot.tree.sync()
    assert {c.name for c in synced} >= {"ping", "study", "topic"}
    assert {c["name"] for c in fake.global_commands} == {c.name for c in synced}
    again = await bot.tree.sync()
    assert {c.id for c in again} == {c.id for c in synced}  # ids are stable across syncs
    r = await fake.slash(
        world.alice,
        world.guild,
        "study log add",
        member=world.alice,
        channel=world.guild.channels[0],
        minutes=5,
    )
    assert "logged 5 min" in r.content
    guild_obj = discord.Object(id=world.guild.id)
    bot.tree.copy_global_to(guild=guild_obj)
    await bot.tree.sync(guild=guild_obj)
    assert world.guild.id in fake.guild_commands
    r = await fake.slash(world.alice, world.guild, "ping")
    assert r.content == "pong"
    assert fake.violations == []


async def test_autocomplete(world: World) -> None:
    choices = await world.fake.autocomplete(world.alice, world.guild, "topic", "name", "ht")
    assert choices == [("HTTP", "http"), ("HTTPS", "https"), ("HTML", "html")]
    assert world.fake.violations == []


async def test_button_and_select_update_the_message(world: World) -> None:
    fake = world.fake
    r = await fake.slash(world.alice, world.guild, "counter")
    assert r.components[0]["components"][0]["custom_id"] == "counter:add"
    clicked = await fake.click(world.alice, world.guild, r, "counter:add")
    assert clicked.callback_type == 7
    assert r.content == "count: 1"  # the stored message was updated in place
    assert clicked.message_id == r.message_id
    await fake.click(world.alice, world.guild, r, "counter:pick", values=["20"])
    assert r.content == "count: 20"
    slow = await fake.click(world.alice, world.guild, r, "counter:slow")
    assert (slow.callback_type, r.content) == (6, "count: 120")
    with pytest.raises(AssertionError, match="no component 'nope'"):
        await fake.click(world.alice, world.guild, r, "nope")
    assert fake.violations == []


async def test_modal_from_button_with_action_rows(world: World) -> None:
    fake = world.fake
    r = await fake.slash(world.alice, world.guild, "feedback")
    shown = await fake.click(world.alice, world.guild, r, "fb:open")
    assert shown.modal is not None
    assert shown.modal["title"] == "Feedback"
    assert shown.modal["components"][0]["type"] == 1
    modal_id = shown.modal["custom_id"]
    done = await fake.submit_modal(world.alice, world.guild, shown, modal_id, {"fb:text": "great"})
    assert (done.content, done.ephemeral) == ("thanks: great", True)
    assert fake.violations == []


async def test_modal_with_labels(world: World) -> None:
    fake = world.fake
    shown = await fake.slash(world.alice, world.guild, "goal")
    assert shown.modal is not None
    assert shown.modal["components"][0]["type"] == 18
    done = await fake.submit_modal(
        world.alice, world.guild, shown, shown.modal["custom_id"], {"goal:text": "ship it"}
    )
    assert done.content == "goal: ship it"
    assert fake.violations == []


async def test_file_attachment(world: World) -> None:
    r = await world.fake.slash(world.alice, world.guild, "chart")
    assert r.content == "your chart"
    assert r.files == {"chart.png": b"\x89PNG fake"}
    assert world.fake.violations == []


async def test_channel_send_dm_and_thread(world: World) -> None:
    fake, bot = world.fake, world.bot
    chan = world.guild.channels[0]
    channel = bot.get_channel(chan.id)
    assert isinstance(channel, discord.TextChannel)
    msg = await channel.send("hello", embed=discord.Embed(title="Weekly challenge"))
    assert fake.messages_in(chan.id)[-1].id == msg.id
    await msg.edit(content="hello again")
    assert fake.messages_in(chan.id)[-1].content == "hello again"
    thread = await channel.create_thread(name="discussion", type=discord.ChannelType.public_thread)
    await thread.send("in thread")
    assert [m.content for m in fake.messages_in(thread.id)] == ["in thread"]
    await thread.add_user(discord.Object(id=world.alice.id))
    await thread.edit(archived=True)
    fake_thread = fake.channel(thread.id)
    assert fake_thread is not None
    assert fake_thread.archived
    assert world.alice.id in fake_thread.thread_member_ids
    user = (
        await bot.fetch_user(world.alice.id)
        if bot.get_user(world.alice.id) is None
        else bot.get_user(world.alice.id)
    )
    assert user is not None
    await user.send("a DM")
    assert [m.content for m in fake.dms_to(world.alice)] == ["a DM"]
    world.alice.accepts_dms = False
    with pytest.raises(discord.Forbidden) as info:
        await user.send("another DM")
    assert info.value.code == 50007
    assert fake.violations == []


# -- limits, faults and recording (once) ---------------------------------------------------------


async def test_over_long_embed_title_is_a_violation(plain_world: World) -> None:
    fake = plain_world.fake
    await fake.slash(plain_world.alice, plain_world.guild, "toolong")
    assert fake.violations == [
        "POST /interactions/{id}/{token}/callback: data.embeds[0].title is 300 characters (max 256)"
    ]


async def test_nonce_dedupe(plain_world: World) -> None:
    fake, bot = plain_world.fake, plain_world.bot
    chan = plain_world.guild.channels[0]
    channel = bot.get_channel(chan.id)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("weekly challenge", nonce="challenge:2026-W10")
    second = await channel.send("weekly challenge", nonce="challenge:2026-W10")
    assert first.id == second.id
    assert len(fake.messages_in(chan.id)) == 1
    third = await channel.send("other", nonce="challenge:2026-W11")
    assert third.id != first.id


async def test_server_error_then_success(plain_world: World) -> None:
    fake, bot = plain_world.fake, plain_world.bot
    chan = plain_world.guild.channels[0]
    channel = bot.get_channel(chan.id)
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next("POST /channels/{id}/messages", status=500)
    await channel.send("after a 500")  # discord.py retries 5xx itself (after ~1 s)
    statuses = [r.status for r in fake.requests_to("POST /channels/{channel_id}/messages")]
    assert statuses == [500, 200]
    assert [m.content for m in fake.messages_in(chan.id)] == ["after a 500"]


async def test_rate_limit_retry_after_is_honoured(plain_world: World) -> None:
    fake, bot = plain_world.fake, plain_world.bot
    channel = bot.get_channel(plain_world.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next("POST /channels/{id}/messages", status=429, retry_after=0.05)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await channel.send("after a 429")
    assert loop.time() - start >= 0.05
    assert [r.status for r in fake.requests_to("POST /channels/{id}/messages")] == [429, 200]


async def test_forbidden_and_network_faults(plain_world: World) -> None:
    fake, bot = plain_world.fake, plain_world.bot
    channel = bot.get_channel(plain_world.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next("POST /channels/{id}/messages", status=403)
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("nope")
    assert (info.value.code, info.value.text) == (50001, "Missing Access")
    fake.fail_next("POST /channels/{id}/messages", network=True)
    with pytest.raises(Exception) as dropped:  # noqa: PT011 - aiohttp's exact class varies
        await channel.send("dropped")
    assert not isinstance(dropped.value, discord.HTTPException)
    await channel.send("works again")
    assert [m.content for m in fake.messages_in(channel.id)] == ["works again"]


async def test_channel_overwrites_deny_the_bot(plain_world: World) -> None:
    bot = plain_world.bot
    locked = plain_world.guild.add_text_channel("announcements", deny_bot={"send_messages"})
    await asyncio.sleep(0.05)  # CHANNEL_CREATE reaches the bot
    channel = bot.get_channel(locked.id)
    assert isinstance(channel, discord.TextChannel)
    assert not channel.permissions_for(channel.guild.me).send_messages
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("hi")
    assert info.value.code == 50013


async def test_unknown_route_is_recorded(plain_world: World) -> None:
    fake, bot = plain_world.fake, plain_world.bot
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/stickers/{sticker_id}", sticker_id=1))
    assert [(r.route, r.path, r.status) for r in fake.unknown_routes] == [
        ("GET /stickers/1", "/api/v10/stickers/1", 404)
    ]


async def test_unanswered_interaction_fails_with_a_helpful_message(plain_world: World) -> None:
    fake = plain_world.fake
    with pytest.raises(AssertionError, match="never called the interaction callback"):
        await fake.slash(plain_world.alice, plain_world.guild, "no-such-command", _timeout=0.3)


async def test_gateway_resume_after_close(plain_world: World) -> None:
    fake = plain_world.fake
    await fake.gateway_close(code=4000)
    for _ in range(100):
        if fake.gateway.resume_count:
            break
        await asyncio.sleep(0.02)
    assert fake.gateway.resume_count == 1
    r = await fake.slash(plain_world.alice, plain_world.guild, "ping")
    assert r.content == "pong"


async def test_gateway_reconnect_and_invalid_session(plain_world: World) -> None:
    fake = plain_world.fake
    await fake.gateway_send_reconnect()  # op 7: discord.py reconnects and RESUMEs
    await _until(lambda: fake.gateway.resume_count == 1 and fake.gateway.session_for(None))
    await fake.gateway_invalid_session(resumable=False)  # op 9: a fresh IDENTIFY
    await _until(lambda: fake.gateway.identify_count == 2 and fake.gateway.session_for(None))
    r = await fake.slash(plain_world.alice, plain_world.guild, "ping")
    assert r.content == "pong"


class ShardedDemoBot(commands.AutoShardedBot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def setup_hook(self) -> None:
        build_tree(self)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


async def test_shards_get_their_own_guilds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_OPENAPI_SPEC", raising=False)
    async with FakeDiscord(shard_count=2) as fake:
        guilds = [fake.create_guild(f"guild {i}") for i in range(2)]
        assert {(g.id >> 22) % 2 for g in guilds} == {0, 1}
        alice = guilds[1].add_member("alice")
        saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = fake.api_base_url
        bot = ShardedDemoBot()
        task: asyncio.Task[None] | None = None
        try:
            await bot.login(fake.token)
            task = asyncio.create_task(bot.connect())
            await asyncio.wait_for(bot.wait_until_ready(), 5)
            assert bot.shard_count == 2
            assert {g.shard_id for g in bot.guilds} == {0, 1}
            r = await fake.slash(alice, guilds[1], "ping")
            assert r.content == "pong"
        finally:
            await bot.close()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
    assert "GET /gateway/bot" in [r.route for r in fake.requests]


async def _until(condition: Any, timeout_s: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


# -- limits unit checks --------------------------------------------------------------------------


def test_limit_checks_name_the_problem() -> None:
    c = Checker("POST /channels/{id}/messages")
    check_message(
        c,
        {
            "content": "@everyone " + "x" * 2000,
            "embeds": [{"title": "t", "fields": [{"name": "n", "value": "v" * 1100}]}] * 11,
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": ""}]}
            ],
        },
    )
    text = "\n".join(c.problems)
    assert "content is 2010 characters (max 2000)" in text
    assert "embeds has 11 items (max 10)" in text
    assert "embeds[0].fields[0].value is 1100 characters (max 1024)" in text
    assert "hold 12122 characters in all (max 6000)" in text
    assert "components[0].components[0].custom_id is 0 characters (min 1)" in text
    assert "would ping @everyone without allowed_mentions" in text


def test_command_checks() -> None:
    assert valid_command_name("log-time")
    assert valid_command_name("día")
    assert not valid_command_name("Log")
    assert not valid_command_name("a b")
    assert not valid_command_name("")
    c = Checker("PUT /applications/{app_id}/commands")
    cmds = [{"name": f"c{i}", "description": "d", "type": 1} for i in range(101)]
    cmds.append(
        {
            "name": "c1",
            "description": "",
            "type": 1,
            "options": [
                {
                    "name": "x",
                    "description": "d",
                    "type": 3,
                    "choices": [{"name": "a", "value": "a"}] * 26,
                }
            ],
        }
    )
    check_commands(c, cmds, is_global=True)
    text = "\n".join(c.problems)
    assert "[101].name 'c1' is a duplicate" in text
    assert "has 102 global chat-input commands (max 100)" in text
    assert "[101].description is 0 characters (min 1)" in text
    assert "[101].options[0].choices has 26 items (max 25)" in text


async def test_openapi_validation_reports_bad_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(SPEC))
    async with FakeDiscord() as fake:
        chan = fake.create_guild("g").add_text_channel("c")
        async with aiohttp.ClientSession() as session:
            url = f"{fake.api_base_url}/channels/{chan.id}/messages"
            async with session.post(
                url, json={"content": 5, "allowed_mentions": {"parse": []}}
            ) as resp:
                assert resp.status == 200
                assert resp.headers["Content-Type"] == "application/json"
    assert fake.violations == [
        "POST /channels/{id}/messages: content is int, expected a string",
        "POST /channels/{id}/messages: create_message: $.content: "
        "fails type=['string', 'null'] (value 5)",
    ]
