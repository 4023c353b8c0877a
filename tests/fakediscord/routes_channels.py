"""Channel, message, thread and DM routes.

Sending honours what real Discord enforces and the bot must handle: the bot's permissions in the
channel (guild roles + overwrites -> 403 50013), members who refuse DMs (403 50007), and
``nonce`` + ``enforce_nonce`` (a repeat within a few minutes returns the first message instead of
creating a second: the scheduler's exactly-once posting relies on it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import discord
from aiohttp import web

from .messages import apply_body, new_message
from .models import FakeChannel, FakeGuild
from .responses import REC_KEY, UPLOADS_KEY, error_answer, json_answer, no_content

if TYPE_CHECKING:
    from .server import FakeDiscord

PERM = discord.Permissions.VALID_FLAGS


def register(app: web.Application, fake: FakeDiscord, prefix: str) -> None:
    r = _ChannelRoutes(fake)
    add = app.router.add_route
    add("GET", f"{prefix}/channels/{{id}}", r.get_channel)
    add("PATCH", f"{prefix}/channels/{{id}}", r.patch_channel)
    add("GET", f"{prefix}/channels/{{id}}/messages", r.list_messages)
    add("POST", f"{prefix}/channels/{{id}}/messages", r.post_message)
    add("GET", f"{prefix}/channels/{{id}}/messages/{{message_id}}", r.get_message)
    add("PATCH", f"{prefix}/channels/{{id}}/messages/{{message_id}}", r.patch_message)
    add("DELETE", f"{prefix}/channels/{{id}}/messages/{{message_id}}", r.delete_message)
    add("POST", f"{prefix}/channels/{{id}}/threads", r.create_thread)
    add("POST", f"{prefix}/channels/{{id}}/messages/{{message_id}}/threads", r.create_thread)
    add("PUT", f"{prefix}/channels/{{id}}/thread-members/{{user_id}}", r.thread_member)
    add("DELETE", f"{prefix}/channels/{{id}}/thread-members/{{user_id}}", r.thread_member)
    add("POST", f"{prefix}/users/@me/channels", r.open_dm)


class _ChannelRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def _lookup(self, request: web.Request) -> tuple[FakeChannel | None, FakeGuild | None]:
        channel_id = int(request.match_info["id"])
        return self.fake.channel(channel_id), self.fake.guild_of_channel(channel_id)

    def _bot_can(self, guild: FakeGuild | None, channel: FakeChannel, *names: str) -> bool:
        if guild is None:
            return True
        perms = guild.channel_permissions(guild.bot_member, channel)
        return all(perms & PERM[name] for name in names)

    async def get_channel(self, request: web.Request) -> web.Response:
        channel, guild = self._lookup(request)
        if channel is None:
            return error_answer(404, 10003, "Unknown Channel")
        if not self._bot_can(guild, channel, "view_channel"):
            return error_answer(403, 50001, "Missing Access")
        return json_answer(channel.payload())

    async def patch_channel(self, request: web.Request) -> web.Response:
        channel, guild = self._lookup(request)
        if channel is None:
            return error_answer(404, 10003, "Unknown Channel")
        body: dict[str, Any] = request[REC_KEY].json or {}
        channel.name = body.get("name", channel.name)
        channel.topic = body.get("topic", channel.topic)
        channel.archived = bool(body.get("archived", channel.archived))
        channel.locked = bool(body.get("locked", channel.locked))
        channel.auto_archive_duration = int(
            body.get("auto_archive_duration", channel.auto_archive_duration)
        )
        event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
        if guild is not None:
            await self.fake.gateway.dispatch_to_guild(guild.id, event, channel.payload())
        return json_answer(channel.payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        channel, _ = self._lookup(request)
        if channel is None:
            return error_answer(404, 10003, "Unknown Channel")
        limit = int(request.query.get("limit", "50"))
        newest_first = list(reversed(self.fake.messages_in(channel.id)))[:limit]
        return json_answer([m.payload() for m in newest_first])

    async def post_message(self, request: web.Request) -> web.Response:
        channel, guild = self._lookup(request)
        if channel is None:
            return error_answer(404, 10003, "Unknown Channel")
        if channel.type == 1:
            member = self.fake.member(int(channel.recipient["id"])) if channel.recipient else None
            if member is not None and not member.accepts_dms:
                return error_answer(403, 50007, "Cannot send messages to this user")
        send = "send_messages_in_threads" if channel.is_thread else "send_messages"
        if not self._bot_can(guild, channel, "view_channel"):
            return error_answer(403, 50001, "Missing Access")
        if not self._bot_can(guild, channel, send):
            return error_answer(403, 50013, "Missing Permissions")
        if channel.is_thread and channel.archived and channel.locked:
            return error_answer(400, 50083, "Thread is archived")
        body: dict[str, Any] = request[REC_KEY].json or {}
        nonce = body.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            earlier = self.fake.nonces.get(key)
            if (
                earlier is not None
                and time.monotonic() - earlier.created_monotonic < self.fake.nonce_window_s
            ):
                return json_answer(earlier.payload())
        message = new_message(
            ids=self.fake.ids,
            channel_id=channel.id,
            guild_id=guild.id if guild else None,
            author=self.fake.bot_user,
            body=body,
            uploads=request[UPLOADS_KEY],
            base_url=self.fake.api_base_url,
        )
        channel.archived = False  # sending in an archived (unlocked) thread unarchives it
        self.fake.store_message(message)
        if nonce is not None:
            self.fake.nonces[key] = message
        return json_answer(message.payload())

    def _message(self, request: web.Request) -> Any:
        raw = request.match_info["message_id"]
        message = self.fake.messages.get(int(raw)) if raw.isdigit() else None
        if (
            message is None
            or message.deleted
            or message.channel_id != int(request.match_info["id"])
        ):
            return None
        return message

    async def get_message(self, request: web.Request) -> web.Response:
        message = self._message(request)
        if message is None:
            return error_answer(404, 10008, "Unknown Message")
        return json_answer(message.payload())

    async def patch_message(self, request: web.Request) -> web.Response:
        message = self._message(request)
        if message is None:
            return error_answer(404, 10008, "Unknown Message")
        apply_body(
            message,
            request[REC_KEY].json or {},
            request[UPLOADS_KEY],
            ids=self.fake.ids,
            base_url=self.fake.api_base_url,
            editing=True,
        )
        self.fake.note_message_edited(message)
        return json_answer(message.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        message = self._message(request)
        if message is None:
            return error_answer(404, 10008, "Unknown Message")
        message.deleted = True
        return no_content()

    async def create_thread(self, request: web.Request) -> web.Response:
        parent, guild = self._lookup(request)
        if parent is None or guild is None:
            return error_answer(404, 10003, "Unknown Channel")
        body: dict[str, Any] = request[REC_KEY].json or {}
        from_message = "message_id" in request.match_info
        kind = 11 if from_message else int(body.get("type") or 12)
        perm = "create_public_threads" if kind == 11 else "create_private_threads"
        if not self._bot_can(guild, parent, "view_channel", perm):
            return error_answer(403, 50013, "Missing Permissions")
        thread = FakeChannel(
            id=int(request.match_info["message_id"]) if from_message else self.fake.ids(),
            name=str(body.get("name", "thread")),
            guild_id=guild.id,
            type=kind,
            parent_id=parent.id,
            owner_id=self.fake.application_id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            thread_member_ids={self.fake.application_id},
        )
        guild.threads.append(thread)
        await self.fake.gateway.dispatch_to_guild(
            guild.id, "THREAD_CREATE", {**thread.payload(), "newly_created": True}
        )
        return json_answer(thread.payload(), status=201)

    async def thread_member(self, request: web.Request) -> web.Response:
        thread, _ = self._lookup(request)
        if thread is None or not thread.is_thread:
            return error_answer(404, 10003, "Unknown Channel")
        raw = request.match_info["user_id"]
        user_id = self.fake.application_id if raw == "@me" else int(raw)
        if request.method == "PUT":
            if self.fake.member(user_id) is None:
                return error_answer(404, 10013, "Unknown User")
            thread.thread_member_ids.add(user_id)
        else:
            thread.thread_member_ids.discard(user_id)
        return no_content()

    async def open_dm(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = request[REC_KEY].json or {}
        user_id = int(body.get("recipient_id", 0))
        member = self.fake.member(user_id)
        if member is None:
            return error_answer(400, 50035, "Invalid Form Body")
        channel = self.fake.dm_channels.get(user_id)
        if channel is None:
            channel = FakeChannel(
                id=self.fake.ids(), name="", guild_id=None, type=1, recipient=member.user
            )
            self.fake.dm_channels[user_id] = channel
        return json_answer(channel.payload())
