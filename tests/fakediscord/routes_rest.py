"""Login, gateway discovery, guild reads and application-command routes.

Commands from a bulk overwrite (``tree.sync()``) are stored per scope with ids that stay stable
across syncs (Discord keeps a command's id while its name and type stay the same), so ``slash()``
can send the id the bot would see in production, whether or not the bot synced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .responses import REC_KEY, error_answer, json_answer

if TYPE_CHECKING:
    from .server import FakeDiscord


def register(app: web.Application, fake: FakeDiscord, prefix: str) -> None:
    r = _RestRoutes(fake)
    add = app.router.add_route
    add("GET", f"{prefix}/users/@me", r.get_me)
    add("GET", f"{prefix}/users/{{user_id}}", r.get_user)
    add("GET", f"{prefix}/oauth2/applications/@me", r.get_application)
    add("GET", f"{prefix}/applications/@me", r.get_application)
    add("GET", f"{prefix}/gateway", r.get_gateway)
    add("GET", f"{prefix}/gateway/bot", r.get_gateway_bot)
    add("GET", f"{prefix}/guilds/{{id}}", r.get_guild)
    add("GET", f"{prefix}/guilds/{{id}}/channels", r.get_guild_channels)
    add("GET", f"{prefix}/guilds/{{id}}/roles", r.get_guild_roles)
    add("GET", f"{prefix}/guilds/{{id}}/members/{{user_id}}", r.get_guild_member)
    for scope in ("", "/guilds/{guild_id}"):
        base = f"{prefix}/applications/{{app_id}}{scope}/commands"
        add("GET", base, r.get_commands)
        add("PUT", base, r.put_commands)
        add("POST", base, r.post_command)
        add("GET", f"{base}/{{command_id}}", r.get_command)
        add("DELETE", f"{base}/{{command_id}}", r.delete_command)


class _RestRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    async def get_me(self, request: web.Request) -> web.Response:
        return json_answer(self.fake.bot_user)

    async def get_user(self, request: web.Request) -> web.Response:
        user_id = int(request.match_info["user_id"])
        if user_id == self.fake.application_id:
            return json_answer(self.fake.bot_user)
        member = self.fake.member(user_id)
        if member is None:
            return error_answer(404, 10013, "Unknown User")
        return json_answer(member.user)

    async def get_application(self, request: web.Request) -> web.Response:
        fake = self.fake
        return json_answer(
            {
                "id": str(fake.application_id),
                "name": fake.bot_user["username"],
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": {**fake.bot_user, "id": "1", "username": "owner", "bot": False},
                "team": None,
                "bot": fake.bot_user,
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(fake.guilds),
            }
        )

    async def get_gateway(self, request: web.Request) -> web.Response:
        return json_answer({"url": str(self.fake.gateway_url)})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        return json_answer(
            {
                "url": str(self.fake.gateway_url),
                "shards": self.fake.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def get_guild(self, request: web.Request) -> web.Response:
        guild = self.fake.guild(int(request.match_info["id"]))
        if guild is None:
            return error_answer(404, 10004, "Unknown Guild")
        data = guild.payload()
        for key in ("channels", "threads", "members", "presences", "voice_states"):
            data.pop(key, None)
        return json_answer(data)

    async def get_guild_channels(self, request: web.Request) -> web.Response:
        guild = self.fake.guild(int(request.match_info["id"]))
        if guild is None:
            return error_answer(404, 10004, "Unknown Guild")
        return json_answer([c.payload() for c in guild.channels])

    async def get_guild_roles(self, request: web.Request) -> web.Response:
        guild = self.fake.guild(int(request.match_info["id"]))
        if guild is None:
            return error_answer(404, 10004, "Unknown Guild")
        return json_answer([r.payload() for r in guild.roles])

    async def get_guild_member(self, request: web.Request) -> web.Response:
        guild = self.fake.guild(int(request.match_info["id"]))
        if guild is None:
            return error_answer(404, 10004, "Unknown Guild")
        member = guild.member(int(request.match_info["user_id"]))
        if member is None:
            return error_answer(404, 10007, "Unknown Member")
        return json_answer(member.payload())

    # -- application commands -----------------------------------------------------------------

    def _scope(self, request: web.Request) -> tuple[int | None, list[dict[str, Any]]]:
        raw = request.match_info.get("guild_id")
        if raw is None:
            return None, self.fake.global_commands
        guild_id = int(raw)
        return guild_id, self.fake.guild_commands.setdefault(guild_id, [])

    async def get_commands(self, request: web.Request) -> web.Response:
        _, commands = self._scope(request)
        return json_answer(commands)

    async def put_commands(self, request: web.Request) -> web.Response:
        guild_id, commands = self._scope(request)
        body = request[REC_KEY].json
        if not isinstance(body, list):
            return error_answer(400, 50035, "Invalid Form Body")
        commands[:] = [self.fake.stored_command(cmd, guild_id) for cmd in body]
        return json_answer(commands)

    async def post_command(self, request: web.Request) -> web.Response:
        guild_id, commands = self._scope(request)
        stored = self.fake.stored_command(request[REC_KEY].json or {}, guild_id)
        commands[:] = [c for c in commands if c["id"] != stored["id"]] + [stored]
        return json_answer(stored, status=201)

    async def get_command(self, request: web.Request) -> web.Response:
        _, commands = self._scope(request)
        found = next((c for c in commands if c["id"] == request.match_info["command_id"]), None)
        if found is None:
            return error_answer(404, 10063, "Unknown application command")
        return json_answer(found)

    async def delete_command(self, request: web.Request) -> web.Response:
        _, commands = self._scope(request)
        commands[:] = [c for c in commands if c["id"] != request.match_info["command_id"]]
        return web.Response(status=204, headers={"Via": "1.1 google"})
