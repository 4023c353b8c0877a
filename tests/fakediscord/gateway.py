"""The gateway websocket: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, RESUME, dispatch.

Frames are plain-text JSON.  discord.py asks for ``compress=zlib-stream`` (or zstd) in the query
but decodes text frames without a decompressor, so the fake never compresses.  Each websocket is a
:class:`GatewaySession` bound to one shard after IDENTIFY; events for a guild go to the session of
that guild's shard, as on real Discord.  Fault hooks (close codes, op 7, op 9) let tests exercise
discord.py's reconnect logic.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .responses import Peer, peer_of

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41250


class GatewaySession:
    """One websocket connection (one shard)."""

    def __init__(self, ws: web.WebSocketResponse, peer: Peer | None = None) -> None:
        self.ws = ws
        #: The client end of the websocket's TCP connection: which bot process holds the shard.
        self.peer = peer
        self.session_id = secrets.token_hex(16)
        self.seq = 0
        self.shard_id = 0
        self.shard_count = 1
        self.identified = False
        self.ready = False
        self.intents = 0
        self.received: list[dict[str, Any]] = []

    def owns_guild(self, guild_id: int) -> bool:
        return (guild_id >> 22) % max(1, self.shard_count) == self.shard_id

    async def send(self, payload: dict[str, Any]) -> None:
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        await self.send({"op": 0, "t": event, "s": self.seq, "d": data})


class Gateway:
    """All gateway sessions of one fake Discord, plus the hooks tests use."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: list[GatewaySession] = []
        #: Sessions that ended, by id, so a RESUME can pick up their sequence.
        self._resumable: dict[str, GatewaySession] = {}
        self.ready_event = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0

    # -- websocket handler -------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        peer = peer_of(request)
        await ws.prepare(request)
        session = GatewaySession(ws, peer)
        self.sessions.append(session)
        try:
            await session.send(
                {"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                session.received.append(payload)
                await self._on_op(session, payload)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
            if session.identified:
                self._resumable[session.session_id] = session
        return ws

    async def _on_op(self, session: GatewaySession, payload: dict[str, Any]) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            await session.send({"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(session, data or {})
        elif op == 6:
            await self._resume(session, data or {})
        elif op == 8:
            await self._request_members(session, data or {})

    async def _identify(self, session: GatewaySession, data: dict[str, Any]) -> None:
        self.identify_count += 1
        shard = data.get("shard") or [0, 1]
        session.shard_id, session.shard_count = int(shard[0]), int(shard[1])
        session.intents = int(data.get("intents", 0))
        session.identified = True
        guilds = [g for g in self.fake.guilds if session.owns_guild(g.id)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.fake.bot_user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": str(self.fake.gateway_url),
            "application": {"id": str(self.fake.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
        }
        if data.get("shard") is not None:
            ready["shard"] = [session.shard_id, session.shard_count]
        await session.dispatch("READY", ready)
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", guild.payload())
        session.ready = True
        self.ready_event.set()

    async def _resume(self, session: GatewaySession, data: dict[str, Any]) -> None:
        old = self._resumable.pop(str(data.get("session_id")), None)
        if old is None:
            await session.send({"op": 9, "s": None, "t": None, "d": False})
            return
        self.resume_count += 1
        session.session_id = old.session_id
        session.shard_id, session.shard_count = old.shard_id, old.shard_count
        session.seq = max(old.seq, int(data.get("seq") or 0))
        session.identified = session.ready = True
        await session.dispatch("RESUMED", {})

    async def _request_members(self, session: GatewaySession, data: dict[str, Any]) -> None:
        guild = self.fake.guild(int(data.get("guild_id", 0)))
        if guild is None:
            return
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in guild.members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # -- sending -----------------------------------------------------------------------------

    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        for session in self.sessions:
            if session.ready and (guild_id is None or session.owns_guild(guild_id)):
                return session
        return None

    async def wait_for_session(self, guild_id: int | None, wait_s: float) -> GatewaySession:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        while True:
            session = self.session_for(guild_id)
            if session is not None:
                return session
            if loop.time() >= deadline:
                raise AssertionError(
                    f"no READY gateway session for guild {guild_id} within {wait_s} s: is the bot "
                    "connected (Route.BASE / DEFAULT_GATEWAY pointed at the fake)?"
                )
            await asyncio.sleep(0.01)

    async def dispatch_to_guild(self, guild_id: int, event: str, data: dict[str, Any]) -> None:
        session = self.session_for(guild_id)
        if session is not None:
            await session.dispatch(event, data)

    def event_sink(self) -> Callable[[int, str, dict[str, Any]], None]:
        """A sync callback for models: schedules the dispatch on the running loop."""

        def sink(guild_id: int, event: str, data: dict[str, Any]) -> None:
            if self.session_for(guild_id) is None:
                return
            task = asyncio.get_running_loop().create_task(
                self.dispatch_to_guild(guild_id, event, data)
            )
            self.fake.track_task(task)

        return sink

    # -- fault hooks -------------------------------------------------------------------------

    async def close_all(self, code: int) -> None:
        for session in list(self.sessions):
            await session.ws.close(code=code, message=b"fake discord closed the gateway")

    async def send_op(self, op: int, data: Any) -> None:
        for session in list(self.sessions):
            await session.send({"op": op, "s": None, "t": None, "d": data})

    async def shutdown(self) -> None:
        await self.close_all(1001)
