"""FakeDiscord: the aiohttp app, its state, request recording, fault injection and checks.

Every request passes one middleware that (1) records it (parsed JSON, or ``payload_json`` plus
file bytes for multipart), (2) answers 404 for unknown routes and remembers them, (3) applies a
planned fault (``fail_next``), (4) checks the body against Discord's limits and, when
``DISCORD_OPENAPI_SPEC`` is set, the OpenAPI schema, and (5) runs the route.  Routes live in the
``routes_*`` modules; driving interactions (``slash``, ``click``...) lives in :mod:`.driver`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import traceback
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from aiohttp import BodyPartReader, web

from . import limits, routes_channels, routes_interactions, routes_rest
from .driver import InteractionDriver
from .gateway import Gateway
from .holds import Hold
from .interactions import Response
from .models import (
    DEFAULT_BOT_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    SnowflakeFactory,
    user_payload,
)
from .openapi import normalize_template, spec_from_env
from .ratelimit import GlobalRateLimit
from .responses import REC_KEY, UPLOADS_KEY, Fault, RecordedRequest, error_answer, peer_of

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeDiscord(InteractionDriver):
    """A fake Discord for the real discord.py client.  Use as ``async with FakeDiscord() as d``."""

    def __init__(
        self,
        *,
        shard_count: int = 1,
        bot_name: str = "Roadmap Study Bot",
        bot_permissions: set[str] | frozenset[str] = DEFAULT_BOT_PERMISSIONS,
        global_rate_limit: int | None = None,
    ) -> None:
        self.ids = SnowflakeFactory()
        self.application_id = self.ids()
        self.bot_user = user_payload(self.application_id, bot_name, bot=True)
        self.shard_count = shard_count
        self.bot_permissions = bot_permissions
        self.guilds: list[FakeGuild] = []
        # Lookups remembered (and checked again on use): benchmarks run thousands of servers,
        # members and DM channels, which a search through everything would make slow.
        self._channel_guilds: dict[int, FakeGuild] = {}
        self._member_guilds: dict[int, FakeGuild] = {}
        self._dm_by_id: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.dm_channels: dict[int, FakeChannel] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.command_ids: dict[tuple[int | None, int, str], int] = {}
        self.pending: dict[str, Response] = {}
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        #: Discord's global limit (requests per second), when a test asks for it.
        self.rate_limit = GlobalRateLimit(global_rate_limit) if global_rate_limit else None
        self.holds: list[Hold] = []
        #: User/role ids that messages may ping (e.g. the opt-in challenge role).
        self.permitted_pings: set[int] = set()
        self.nonces: dict[tuple[int, str], FakeMessage] = {}
        self.nonce_window_s = 300.0
        self.gateway = Gateway(self)
        self.spec = spec_from_env()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        #: The bot token tests hand to discord.py (any token is accepted).
        self.token = "fake-token"

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        routes_rest.register(app, self, API_PREFIX)
        routes_channels.register(app, self, API_PREFIX)
        routes_interactions.register(app, self, API_PREFIX)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None)
        if not sockets:
            raise RuntimeError("the fake Discord did not bind a socket")
        self.port = int(sockets[0].getsockname()[1])

    async def close(self) -> None:
        for hold in self.holds:
            hold.release()
        await self.gateway.shutdown()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def track_task(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """``ws://127.0.0.1:PORT/gateway`` (wrap in ``yarl.URL`` for DEFAULT_GATEWAY)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- the world ---------------------------------------------------------------------------

    def create_guild(self, name: str, *, bot_permissions: set[str] | None = None) -> FakeGuild:
        guild = FakeGuild(
            guild_id=self.ids(),
            name=name,
            ids=self.ids,
            bot_user=self.bot_user,
            bot_permissions=bot_permissions
            if bot_permissions is not None
            else self.bot_permissions,
        )
        guild.on_event = self.gateway.event_sink()
        self.guilds.append(guild)
        if any(s.ready and s.owns_guild(guild.id) for s in self.gateway.sessions):
            task = asyncio.get_running_loop().create_task(
                self.gateway.dispatch_to_guild(guild.id, "GUILD_CREATE", guild.payload())
            )
            self.track_task(task)
        return guild

    def guild(self, guild_id: int) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def channel(self, channel_id: int) -> FakeChannel | None:
        guild = self.guild_of_channel(channel_id)
        if guild is not None:
            return guild.channel(channel_id)
        dm = self._dm_by_id.get(channel_id)
        if dm is not None and self.dm_channels.get(_recipient_id(dm)) is dm:
            return dm
        found = next((c for c in self.dm_channels.values() if c.id == channel_id), None)
        if found is not None:
            self._dm_by_id[channel_id] = found
        return found

    def guild_of_channel(self, channel_id: int) -> FakeGuild | None:
        known = self._channel_guilds.get(channel_id)
        if known is not None and known in self.guilds and known.channel(channel_id) is not None:
            return known
        found = next((g for g in self.guilds if g.channel(channel_id) is not None), None)
        if found is not None:
            self._channel_guilds[channel_id] = found
        return found

    def member(self, user_id: int) -> FakeMember | None:
        known = self._member_guilds.get(user_id)
        if known is not None and known in self.guilds:
            found = known.member(user_id)
            if found is not None:
                return found
        for guild in self.guilds:
            found = guild.member(user_id)
            if found is not None:
                self._member_guilds[user_id] = guild
                return found
        return None

    def messages_in(self, channel_id: int) -> list[FakeMessage]:
        """Messages the bot posted in a channel (not deleted, not ephemeral), oldest first."""
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel_id and not m.deleted and not m.ephemeral
        ]

    def dms_to(self, member: FakeMember) -> list[FakeMessage]:
        """Messages the bot sent to a member's DM channel."""
        channel = self.dm_channels.get(member.id)
        return [] if channel is None else self.messages_in(channel.id)

    def store_message(self, message: FakeMessage) -> FakeMessage:
        self.messages[message.id] = message
        channel = self.channel(message.channel_id)
        if channel is not None:
            channel.last_message_id = message.id
        return message

    # -- faults and gateway hooks ------------------------------------------------------------

    def fail_next(
        self,
        route: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: float = 0.05,
        code: int | None = None,
        message: str | None = None,
        network: bool = False,
        is_global: bool = False,
    ) -> None:
        """Fail the next ``times`` requests to ``"METHOD /template"``.

        Placeholder names don't matter: ``{id}`` and ``{channel_id}`` match alike.
        """
        if " " not in route:
            raise ValueError(
                f"route must look like 'POST /channels/{{id}}/messages', got {route!r}"
            )
        self.faults.append(
            Fault(
                route=route,
                status=status,
                times=times,
                retry_after=retry_after,
                code=code,
                message=message,
                network=network,
                is_global=is_global,
            )
        )

    def hold_next(self, route: str, *, skip: int = 0) -> Hold:
        """Park the request to ``route`` after ``skip`` matching ones until ``release()``."""
        hold = Hold(route, skip=skip)
        self.holds.append(hold)
        return hold

    async def wait_for_ready(self, timeout: float = 5) -> None:  # noqa: ASYNC109
        """Until a gateway session got READY and its GUILD_CREATEs."""
        try:
            await asyncio.wait_for(self.gateway.ready_event.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"the bot did not IDENTIFY on the fake gateway within {timeout} s"
            ) from None

    async def gateway_close(self, code: int = 4000) -> None:
        await self.gateway.close_all(code)

    async def gateway_send_reconnect(self) -> None:
        await self.gateway.send_op(7, None)

    async def gateway_invalid_session(self, resumable: bool = False) -> None:
        await self.gateway.send_op(9, resumable)

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Recorded requests whose route matches ``"METHOD /template"``."""
        wanted = normalize_template(route)
        return [r for r in self.requests if normalize_template(r.route) == wanted]

    # -- middleware --------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        resource = request.match_info.route.resource
        template = (
            resource.canonical.removeprefix(API_PREFIX) if resource is not None else request.path
        )
        rec = RecordedRequest(
            method=request.method,
            path=request.path,
            route=f"{request.method} {template.removeprefix(API_PREFIX)}",
            query=dict(request.query),
            peer=peer_of(request),
        )
        rec.json, uploads = await _read_body(request)
        rec.files = {name: data for name, data in uploads.values()}
        self.requests.append(rec)
        request[REC_KEY] = rec
        request[UPLOADS_KEY] = uploads
        if resource is None:
            self.unknown_routes.append(rec)
            rec.status = 404
            return error_answer(404)
        for hold in [h for h in self.holds if h.take(rec.route)]:
            await hold.wait_released()
        if self.rate_limit is not None:
            limited = self.rate_limit.check(rec.route)
            if limited is not None:
                rec.status = 429
                return limited
        fault = next((f for f in self.faults if f.matches(rec.route)), None)
        if fault is not None:
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            if fault.network:
                rec.status = 0
                if request.transport is not None:
                    request.transport.close()
                raise asyncio.CancelledError
            rec.status = fault.status
            return fault.answer()
        self._check(rec)
        try:
            response = await handler(request)
        except web.HTTPException:
            raise
        except Exception as exc:
            self.violations.append(
                f"{rec.route}: the fake Discord failed ({exc!r}); "
                "this is a bug in tests/fakediscord\n" + traceback.format_exc()
            )
            response = error_answer(400, 50035, f"fake discord error: {exc!r}")
        rec.status = response.status
        return response

    def _check(self, rec: RecordedRequest) -> None:
        body = rec.json
        if body is None:
            return
        c = limits.Checker(rec.route)
        key = normalize_template(rec.route)
        if key in _MESSAGE_ROUTES and isinstance(body, dict):
            limits.check_message(c, body, permitted_pings=self.permitted_pings)
        elif key == "POST /interactions/{}/{}/callback" and isinstance(body, dict):
            data = body.get("data") or {}
            kind = body.get("type")
            if kind in (4, 7):
                limits.check_message(c, data, prefix="data.", permitted_pings=self.permitted_pings)
            elif kind == 8:
                limits.check_choices(c, data.get("choices"))
            elif kind == 9:
                limits.check_modal(c, data)
        elif key in ("PUT /applications/{}/commands", "PUT /applications/{}/guilds/{}/commands"):
            limits.check_commands(c, body, is_global="guilds" not in key)
        elif key in _COMMAND_POST_ROUTES and isinstance(body, dict):
            limits.check_command(c, body)
        self.violations.extend(c.problems)
        if self.spec is not None:
            template = rec.route.split(" ", 1)[1]
            self.violations.extend(
                f"{rec.route}: {problem}"
                for problem in self.spec.validate(rec.method, template, body)
            )


_COMMAND_POST_ROUTES = {
    "POST /applications/{}/commands",
    "POST /applications/{}/guilds/{}/commands",
}
_MESSAGE_ROUTES = {
    "POST /channels/{}/messages",
    "PATCH /channels/{}/messages/{}",
    "POST /webhooks/{}/{}",
    "PATCH /webhooks/{}/{}/messages/{}",
}


async def _read_body(request: web.Request) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """JSON body, or ``payload_json`` + ``files[n]`` parts of a multipart body."""
    uploads: dict[str, tuple[str, bytes]] = {}
    if not request.can_read_body:
        return None, uploads
    if request.content_type == "multipart/form-data":
        payload: Any = None
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            if part.name == "payload_json":
                payload = json.loads(data)
            elif part.name:
                uploads[part.name] = (part.filename or part.name, bytes(data))
        return payload, uploads
    raw = await request.read()
    if not raw:
        return None, uploads
    try:
        return json.loads(raw), uploads
    except ValueError:
        return raw.decode(errors="replace"), uploads


def _recipient_id(channel: FakeChannel) -> int:
    return int(channel.recipient["id"]) if channel.recipient else 0
