"""Driving the bot as a member would: slash commands, autocomplete, clicks and modal submits.

Each call sends an INTERACTION_CREATE through the gateway and waits until the bot answered: the
callback, and after a deferral (type 5, or 6 for components) also the deferred answer (edit of
``@original``, a follow-up, or an edit of the clicked message).  A bot that never answers makes
the call fail with an AssertionError that says what was received, instead of hanging the test.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .interactions import (
    OptionBuilder,
    Response,
    base_payload,
    command_data,
    component_data,
    custom_ids,
    find_component,
    modal_submit_components,
    new_token,
)
from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage

if TYPE_CHECKING:
    from .gateway import Gateway
    from .models import SnowflakeFactory
    from .responses import RecordedRequest

DEFAULT_TIMEOUT = 10.0


class InteractionDriver:
    """Mixin for :class:`~tests.fakediscord.server.FakeDiscord` (uses its state)."""

    if TYPE_CHECKING:
        ids: SnowflakeFactory
        application_id: int
        gateway: Gateway
        pending: dict[str, Response]
        global_commands: list[dict[str, Any]]
        guild_commands: dict[int, list[dict[str, Any]]]
        command_ids: dict[tuple[int | None, int, str], int]
        requests: list[RecordedRequest]

    # -- commands ------------------------------------------------------------------------------

    def stored_command(self, cmd: dict[str, Any], guild_id: int | None) -> dict[str, Any]:
        """A command as Discord returns it, with an id that is stable per (scope, type, name)."""
        kind = int(cmd.get("type", 1))
        stored = {
            "application_id": str(self.application_id),
            "version": str(self.ids()),
            "type": kind,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **cmd,
            "id": str(self.command_id(guild_id, kind, str(cmd.get("name")))),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    def command_id(self, guild_id: int | None, kind: int, name: str) -> int:
        key = (guild_id, kind, name)
        if key not in self.command_ids:
            self.command_ids[key] = self.ids()
        return self.command_ids[key]

    def find_command(self, guild: FakeGuild, name: str) -> tuple[dict[str, Any] | None, int | None]:
        """The synced command (guild scope first) and the guild id to send in ``data``."""
        for cmd in self.guild_commands.get(guild.id, []):
            if cmd.get("name") == name and int(cmd.get("type", 1)) == 1:
                return cmd, guild.id
        for cmd in self.global_commands:
            if cmd.get("name") == name and int(cmd.get("type", 1)) == 1:
                return cmd, None
        return None, None

    # -- public driving API -------------------------------------------------------------------

    async def slash(
        self,
        member: FakeMember,
        guild: FakeGuild,
        command: str,
        /,
        *,
        _channel: FakeChannel | None = None,
        _guild_command: bool | None = None,
        _timeout: float = DEFAULT_TIMEOUT,
        _wait_followup: bool = True,
        **options: Any,
    ) -> Response:
        """Run ``/command`` (``"group sub"`` for subcommands) with options as keyword arguments."""
        data, channel = self._command(
            member, guild, command, options, _channel, _guild_command, None
        )
        return await self._send(2, member, guild, channel, data, None, _timeout, _wait_followup)

    async def dispatch_slash(
        self,
        member: FakeMember,
        guild: FakeGuild,
        command: str,
        /,
        *,
        _timeout: float = DEFAULT_TIMEOUT,
        **options: Any,
    ) -> Response:
        """Send ``/command`` and return at once, without waiting for the answer.

        The returned :class:`Response` fills in as the bot answers (``acked``/``done`` events):
        for tests that stop the bot mid-flight and then ask which commands were answered.
        """
        data, channel = self._command(member, guild, command, options, None, None, None)
        return await self._dispatch(2, member, guild, channel, data, None, _timeout)

    async def autocomplete(
        self,
        member: FakeMember,
        guild: FakeGuild,
        command: str,
        option: str,
        typed: str,
        /,
        *,
        _channel: FakeChannel | None = None,
        _guild_command: bool | None = None,
        _timeout: float = DEFAULT_TIMEOUT,
        **other_options: Any,
    ) -> list[tuple[str, Any]]:
        """Ask for choices while ``option`` holds ``typed``; returns ``[(name, value)]``."""
        options = {**other_options, option: typed}
        data, channel = self._command(
            member, guild, command, options, _channel, _guild_command, option
        )
        r = await self._send(4, member, guild, channel, data, None, _timeout, False)
        if r.choices is None:
            raise AssertionError(
                f"autocomplete for /{command} {option} answered with callback type "
                f"{r.callback_type}"
            )
        return r.choices

    async def click(
        self,
        member: FakeMember,
        guild: FakeGuild,
        on: Response | FakeMessage,
        custom_id: str,
        /,
        *,
        values: list[Any] | None = None,
        _timeout: float = DEFAULT_TIMEOUT,
        _wait_followup: bool = True,
    ) -> Response:
        """Click a button (or pick ``values`` in a select) on a message the bot sent."""
        message = on.message if isinstance(on, Response) else on
        if message is None:
            raise AssertionError(f"{on!r} has no message to click on")
        component = find_component(message.components, custom_id)
        if component is None:
            raise AssertionError(
                f"message {message.id} has no component {custom_id!r}; "
                f"it has {custom_ids(message.components)}"
            )
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} on message {message.id} is disabled")
        channel = self._channel(guild, message.channel_id)
        builder = OptionBuilder(guild, member)
        data = component_data(component, values, builder)
        return await self._send(3, member, guild, channel, data, message, _timeout, _wait_followup)

    async def submit_modal(
        self,
        member: FakeMember,
        guild: FakeGuild,
        shown: Response,
        custom_id: str,
        values: dict[str, Any],
        /,
        *,
        _timeout: float = DEFAULT_TIMEOUT,
        _wait_followup: bool = True,
    ) -> Response:
        """Submit the modal ``shown.modal`` with ``{input_custom_id: text}``."""
        modal = shown.modal
        if modal is None:
            raise AssertionError(f"{shown!r} did not answer with a modal")
        if modal.get("custom_id") != custom_id:
            raise AssertionError(
                f"the modal shown is {modal.get('custom_id')!r}, not {custom_id!r}"
            )
        data = {"custom_id": custom_id, "components": modal_submit_components(modal, values)}
        channel = self._channel(guild, shown.channel_id)
        source = shown.source_message
        return await self._send(5, member, guild, channel, data, source, _timeout, _wait_followup)

    # -- internals -------------------------------------------------------------------------

    def _channel(self, guild: FakeGuild, channel_id: int) -> FakeChannel:
        return guild.channel(channel_id) or guild.default_channel()

    def _command(
        self,
        member: FakeMember,
        guild: FakeGuild,
        command: str,
        options: dict[str, Any],
        channel: FakeChannel | None,
        guild_command: bool | None,
        focused: str | None,
    ) -> tuple[dict[str, Any], FakeChannel]:
        path = command.strip().lstrip("/").split()
        if not path:
            raise AssertionError("empty command name")
        synced, scope = self.find_command(guild, path[0])
        if guild_command is True:
            scope = guild.id
        elif guild_command is False:
            scope = None
        command_id = int(synced["id"]) if synced else self.command_id(scope, 1, path[0])
        builder = OptionBuilder(guild, member)
        data = command_data(
            command=synced,
            command_id=command_id,
            path=path,
            options=options,
            builder=builder,
            guild_id=scope,
            focused=focused,
        )
        return data, channel or guild.default_channel()

    async def _send(
        self,
        kind: int,
        member: FakeMember,
        guild: FakeGuild,
        channel: FakeChannel,
        data: dict[str, Any],
        source: FakeMessage | None,
        wait_s: float,
        wait_followup: bool,
    ) -> Response:
        first_request = len(self.requests)
        resp = await self._dispatch(kind, member, guild, channel, data, source, wait_s)
        target = resp.done if wait_followup else resp.acked
        try:
            await asyncio.wait_for(target.wait(), wait_s)
        except TimeoutError:
            pass
        else:
            return resp
        seen = [repr(r) for r in self.requests[first_request:]]
        what = {2: "command", 3: "component", 4: "autocomplete", 5: "modal submit"}[kind]
        state = (
            "never called the interaction callback"
            if resp.callback_type is None
            else f"deferred (callback type {resp.callback_type}) but never sent the answer"
        )
        raise AssertionError(
            f"the bot {state} for {what} interaction {data.get('name') or data.get('custom_id')!r} "
            f"within {wait_s} s; requests since: {seen or 'none'}"
        )

    async def _dispatch(
        self,
        kind: int,
        member: FakeMember,
        guild: FakeGuild,
        channel: FakeChannel,
        data: dict[str, Any],
        source: FakeMessage | None,
        wait_s: float,
    ) -> Response:
        interaction_id, token = self.ids(), new_token()
        payload = base_payload(
            interaction_id=interaction_id,
            token=token,
            kind=kind,
            application_id=self.application_id,
            guild=guild,
            member=member,
            channel=channel,
        )
        payload["data"] = data
        if source is not None:
            payload["message"] = source.payload()
        resp = Response(
            interaction_id=interaction_id,
            token=token,
            kind=kind,
            channel_id=channel.id,
            guild_id=guild.id,
            source_message=source,
        )
        self.pending[token] = resp
        session = await self.gateway.wait_for_session(guild.id, wait_s)
        resp.sent_at = asyncio.get_running_loop().time()
        resp.shard_id, resp.gateway_peer = session.shard_id, session.peer
        await session.dispatch("INTERACTION_CREATE", payload)
        return resp

    def note_message_edited(self, message: FakeMessage) -> None:
        """A deferred component update (type 6) is answered once the clicked message is edited."""
        for resp in self.pending.values():
            if resp.callback_type == 6 and resp.source_message is message:
                resp.mark_answered()
