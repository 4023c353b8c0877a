"""Interaction payloads exactly as Discord sends them, and what the bot answered.

``slash``/``autocomplete``/``click``/``submit_modal`` build an INTERACTION_CREATE here, the
gateway delivers it, and the REST routes fill in the :class:`Response` as the bot answers (the
callback, then for deferrals the edit of ``@original`` or a follow-up).  The shapes follow
discord.py 2.7.1's parsers: ``member.permissions`` is a string bitfield, options are nested under
subcommand/group options, ``resolved`` carries users/members/channels/roles keyed by id strings,
component interactions carry the ``message`` they were clicked on, and modal submits mirror the
modal's layout (action rows or 2.6+ Label components).
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Any

from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeRole

OPTION_SUBCOMMAND = 1
OPTION_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_CHANNEL = 7
OPTION_ROLE = 8
OPTION_MENTIONABLE = 9
OPTION_NUMBER = 10

LOADING_FLAG = 128
EPHEMERAL_FLAG = 64


@dataclass
class Response:
    """What the bot answered to one interaction.

    ``message`` is the answer message (original response, the deferred answer, or for component
    updates the clicked message); properties read it live, so later edits show up.
    """

    interaction_id: int
    token: str
    kind: int  # interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit
    channel_id: int = 0
    guild_id: int | None = None
    source_message: FakeMessage | None = None
    callback_type: int | None = None
    callback: dict[str, Any] | None = None
    message: FakeMessage | None = None
    followups: list[FakeMessage] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[tuple[str, Any]] | None = None
    #: When the INTERACTION_CREATE went out (loop time); Discord wants the callback within 3 s.
    sent_at: float = 0.0
    #: The gateway session it went out on: its shard, and its client end (which bot process).
    shard_id: int | None = None
    gateway_peer: tuple[str, int] | None = None
    #: Set when the interaction is fully answered (after a deferral: when the answer came).
    done: asyncio.Event = field(default_factory=asyncio.Event)
    #: Set when the callback arrived (answered or deferred).
    acked: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def deferred(self) -> bool:
        return self.callback_type in (5, 6)

    @property
    def _answer(self) -> FakeMessage | None:
        if self.message is not None:
            return self.message
        return self.followups[0] if self.followups else None

    @property
    def ephemeral(self) -> bool:
        answer = self._answer
        return bool(answer and answer.flags & EPHEMERAL_FLAG)

    @property
    def content(self) -> str:
        answer = self._answer
        return answer.content if answer else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        answer = self._answer
        return answer.embeds if answer else []

    @property
    def components(self) -> list[dict[str, Any]]:
        answer = self._answer
        return answer.components if answer else []

    @property
    def files(self) -> dict[str, bytes]:
        answer = self._answer
        return answer.files if answer else {}

    @property
    def message_id(self) -> int | None:
        answer = self._answer
        return answer.id if answer else None

    def mark_answered(self) -> None:
        self.acked.set()
        self.done.set()

    def __repr__(self) -> str:
        return (
            f"<Response callback_type={self.callback_type} ephemeral={self.ephemeral} "
            f"content={self.content!r} embeds={len(self.embeds)} followups={len(self.followups)}>"
        )


def new_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


def base_payload(
    *,
    interaction_id: int,
    token: str,
    kind: int,
    application_id: int,
    guild: FakeGuild,
    member: FakeMember,
    channel: FakeChannel,
) -> dict[str, Any]:
    """Fields every guild interaction carries."""
    return {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "token": token,
        "version": 1,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
        "channel_id": str(channel.id),
        "channel": _partial_channel(guild, member, channel),
        "member": member.payload(permissions=guild.channel_permissions(member, channel)),
        "app_permissions": str(guild.channel_permissions(guild.bot_member, channel)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }


def _partial_channel(guild: FakeGuild, member: FakeMember, channel: FakeChannel) -> dict[str, Any]:
    data = channel.payload()
    data["permissions"] = str(guild.channel_permissions(member, channel))
    return data


class OptionBuilder:
    """Turns ``slash(..., user=alice, count=3)`` into Discord's options and resolved data."""

    def __init__(self, guild: FakeGuild, member: FakeMember) -> None:
        self.guild = guild
        self.member = member
        self.resolved: dict[str, dict[str, Any]] = {}

    def option(self, name: str, value: Any, declared: dict[str, Any] | None) -> dict[str, Any]:
        declared_type = int(declared["type"]) if declared and "type" in declared else None
        if isinstance(value, FakeMember):
            self._resolve_member(value)
            return {"name": name, "type": declared_type or OPTION_USER, "value": str(value.id)}
        if isinstance(value, FakeChannel):
            data = _partial_channel(self.guild, self.member, value)
            self.resolved.setdefault("channels", {})[str(value.id)] = data
            return {"name": name, "type": OPTION_CHANNEL, "value": str(value.id)}
        if isinstance(value, FakeRole):
            self.resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return {"name": name, "type": declared_type or OPTION_ROLE, "value": str(value.id)}
        if isinstance(value, bool):
            return {"name": name, "type": OPTION_BOOLEAN, "value": value}
        if isinstance(value, int):
            kind = (
                declared_type
                if declared_type in (OPTION_INTEGER, OPTION_NUMBER)
                else OPTION_INTEGER
            )
            return {"name": name, "type": kind, "value": value}
        if isinstance(value, float):
            return {"name": name, "type": OPTION_NUMBER, "value": value}
        if declared_type in (OPTION_INTEGER, OPTION_NUMBER, OPTION_BOOLEAN):
            # Autocomplete sends what the member typed, even for numbers.
            return {"name": name, "type": declared_type, "value": str(value)}
        return {"name": name, "type": OPTION_STRING, "value": str(value)}

    def _resolve_member(self, member: FakeMember) -> None:
        self.resolved.setdefault("users", {})[str(member.id)] = member.user
        data = member.payload(permissions=self.guild.base_permissions(member))
        data.pop("user")
        self.resolved.setdefault("members", {})[str(member.id)] = data


def command_data(
    *,
    command: dict[str, Any] | None,
    command_id: int,
    path: list[str],
    options: dict[str, Any],
    builder: OptionBuilder,
    guild_id: int | None,
    focused: str | None = None,
) -> dict[str, Any]:
    """``data`` of an application command (or autocomplete) interaction with nested options."""
    declared = {o["name"]: o for o in _declared_leaf_options(command, path)}
    leaf: list[dict[str, Any]] = []
    for name, value in options.items():
        opt = builder.option(name, value, declared.get(name))
        if name == focused:
            opt["focused"] = True
        leaf.append(opt)
    nested: list[dict[str, Any]] = leaf
    for depth, name in reversed(list(enumerate(path[1:], start=1))):
        kind = OPTION_SUBCOMMAND if depth == len(path) - 1 else OPTION_GROUP
        nested = [{"name": name, "type": kind, "options": nested}]
    data: dict[str, Any] = {"id": str(command_id), "name": path[0], "type": 1}
    if nested:
        data["options"] = nested
    if builder.resolved:
        data["resolved"] = builder.resolved
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def _declared_leaf_options(command: dict[str, Any] | None, path: list[str]) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = (command or {}).get("options") or []
    for name in path[1:]:
        sub = next((o for o in options if o.get("name") == name), None)
        if sub is None:
            return []
        options = sub.get("options") or []
    return options


def find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    """Depth-first search through rows, containers, sections (accessory) and labels."""
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return comp
        children = list(comp.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                children.append(comp[key])
        found = find_component(children, custom_id)
        if found is not None:
            return found
    return None


def custom_ids(components: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for comp in components:
        if comp.get("custom_id"):
            out.append(str(comp["custom_id"]))
        children = list(comp.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                children.append(comp[key])
        out.extend(custom_ids(children))
    return out


def component_data(
    component: dict[str, Any], values: list[Any] | None, builder: OptionBuilder
) -> dict[str, Any]:
    """``data`` of a button click or select choice."""
    data: dict[str, Any] = {
        "custom_id": component["custom_id"],
        "component_type": component["type"],
    }
    if component["type"] in (3, 5, 6, 7, 8):
        strings: list[str] = []
        for value in values or []:
            if isinstance(value, (FakeMember, FakeRole, FakeChannel)):
                builder.option("_", value, None)
                strings.append(str(value.id))
            else:
                strings.append(str(value))
        data["values"] = strings
        if builder.resolved:
            data["resolved"] = builder.resolved
    return data


def modal_submit_components(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirror the modal's layout: action rows stay rows, Label (18) components stay labels."""

    def answer(comp: dict[str, Any]) -> dict[str, Any] | None:
        custom_id = comp.get("custom_id")
        if custom_id is None:
            return None
        out: dict[str, Any] = {"type": comp["type"], "custom_id": custom_id}
        if "id" in comp:
            out["id"] = comp["id"]
        given = values.get(custom_id, comp.get("value") or "")
        if comp["type"] == 4:
            out["value"] = str(given)
        else:
            out["values"] = [
                str(getattr(v, "id", v)) for v in (given if isinstance(given, list) else [given])
            ]
        return out

    rows: list[dict[str, Any]] = []
    for comp in modal.get("components", []):
        if comp.get("type") == 1:
            children = [a for c in comp.get("components", []) if (a := answer(c)) is not None]
            rows.append({"type": 1, "components": children})
        elif comp.get("type") == 18 and isinstance(comp.get("component"), dict):
            inner = answer(comp["component"])
            if inner is not None:
                row: dict[str, Any] = {"type": 18, "component": inner}
                if "id" in comp:
                    row["id"] = comp["id"]
                rows.append(row)
    unknown = set(values) - set(custom_ids(modal.get("components", [])))
    if unknown:
        raise AssertionError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(unknown)}")
    return rows
