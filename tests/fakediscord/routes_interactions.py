"""The interaction callback and the interaction webhook (follow-ups, ``@original``).

discord.py posts the callback with ``?with_response=1`` and needs a 200 JSON answer holding an
``interaction`` object (``response_message_id`` is how it learns the id under which to store a
view) and, for message responses, a ``resource`` with the message.  A second callback for the same
interaction is refused with Discord's 40060, so "answered twice" bugs surface in tests.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .interactions import EPHEMERAL_FLAG, LOADING_FLAG, Response
from .messages import apply_body, new_message
from .models import FakeMessage
from .responses import REC_KEY, UPLOADS_KEY, error_answer, json_answer, no_content

if TYPE_CHECKING:
    from .server import FakeDiscord

CALLBACK_DEADLINE_S = 3.0


def register(app: web.Application, fake: FakeDiscord, prefix: str) -> None:
    r = _InteractionRoutes(fake)
    add = app.router.add_route
    add("POST", f"{prefix}/interactions/{{id}}/{{token}}/callback", r.callback)
    add("POST", f"{prefix}/webhooks/{{app_id}}/{{token}}", r.followup)
    add("GET", f"{prefix}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}", r.get_message)
    add("PATCH", f"{prefix}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}", r.edit_message)
    add(
        "DELETE",
        f"{prefix}/webhooks/{{app_id}}/{{token}}/messages/{{message_id}}",
        r.delete_message,
    )


class _InteractionRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    def _new_message(
        self, request: web.Request, resp: Response, body: dict[str, Any], flags: int
    ) -> FakeMessage:
        message = new_message(
            ids=self.fake.ids,
            channel_id=resp.channel_id,
            guild_id=resp.guild_id,
            author=self.fake.bot_user,
            body=body,
            uploads=request[UPLOADS_KEY],
            base_url=self.fake.api_base_url,
        )
        message.flags = flags
        message.webhook_id = self.fake.application_id
        message.application_id = self.fake.application_id
        message.interaction_id = resp.interaction_id
        return self.fake.store_message(message)

    async def callback(self, request: web.Request) -> web.Response:
        resp = self.fake.pending.get(request.match_info["token"])
        if resp is None or str(resp.interaction_id) != request.match_info["id"]:
            return error_answer(404, 10062, "Unknown interaction")
        if resp.callback_type is not None:
            return error_answer(400, 40060, "Interaction has already been acknowledged.")
        body: dict[str, Any] = request[REC_KEY].json or {}
        kind = int(body.get("type", 0))
        data: dict[str, Any] = body.get("data") or {}
        delay = asyncio.get_running_loop().time() - resp.sent_at
        if delay > CALLBACK_DEADLINE_S:
            self.fake.violations.append(
                f"POST /interactions/{{id}}/{{token}}/callback: answered after {delay:.1f} s "
                f"(max {CALLBACK_DEADLINE_S:.0f} s: defer slow work)"
            )
            return error_answer(404, 10062, "Unknown interaction")
        resp.callback_type, resp.callback = kind, body
        resp.acked.set()
        flags = int(data.get("flags") or 0)
        resource: dict[str, Any] | None = {"type": kind}
        if kind == 4:
            resp.message = self._new_message(request, resp, data, flags & ~LOADING_FLAG)
            resp.mark_answered()
        elif kind == 5:
            resp.message = self._new_message(
                request, resp, {}, LOADING_FLAG | (flags & EPHEMERAL_FLAG)
            )
        elif kind == 6 and resp.source_message is not None:
            resp.message = resp.source_message
        elif kind == 7 and resp.source_message is not None:
            resp.message = resp.source_message
            apply_body(
                resp.message,
                data,
                request[UPLOADS_KEY],
                ids=self.fake.ids,
                base_url=self.fake.api_base_url,
                editing=True,
            )
            resp.mark_answered()
        elif kind == 8:
            resp.choices = [(str(c.get("name")), c.get("value")) for c in data.get("choices") or []]
            resp.mark_answered()
            resource = None
        elif kind == 9:
            resp.modal = data
            resp.mark_answered()
            resource = None
        elif kind in (1, 6, 7):
            resp.mark_answered()
        else:
            return error_answer(400, 50035, f"Invalid Form Body (callback type {kind})")
        interaction: dict[str, Any] = {"id": str(resp.interaction_id), "type": resp.kind}
        if resp.message is not None and kind in (4, 5, 7):
            interaction["response_message_id"] = str(resp.message.id)
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = resp.message.ephemeral
        answer: dict[str, Any] = {"interaction": interaction}
        if resource is not None:
            if resp.message is not None and kind in (4, 5, 7):
                resource["message"] = resp.message.payload()
            answer["resource"] = resource
        return json_answer(answer)

    def _pending(self, request: web.Request) -> Response | None:
        if request.match_info["app_id"] != str(self.fake.application_id):
            return None
        return self.fake.pending.get(request.match_info["token"])

    async def followup(self, request: web.Request) -> web.StreamResponse:
        resp = self._pending(request)
        if resp is None:
            return error_answer(404, 10015, "Unknown Webhook")
        if resp.callback_type is None:
            return error_answer(404, 10015, "Unknown Webhook")
        body: dict[str, Any] = request[REC_KEY].json or {}
        original = resp.message
        if resp.callback_type == 5 and original is not None and original.flags & LOADING_FLAG:
            # The first follow-up after a deferral replaces the "thinking..." message.
            apply_body(
                original,
                body,
                request[UPLOADS_KEY],
                ids=self.fake.ids,
                base_url=self.fake.api_base_url,
                editing=False,
            )
            original.flags &= ~LOADING_FLAG
            message = original
        else:
            message = self._new_message(
                request, resp, body, int(body.get("flags") or 0) & EPHEMERAL_FLAG
            )
        resp.followups.append(message)
        resp.mark_answered()
        if request.query.get("wait", "").lower() in ("1", "true"):
            return json_answer(message.payload())
        return no_content()

    def _target(self, request: web.Request, resp: Response) -> FakeMessage | None:
        raw = request.match_info["message_id"]
        if raw == "@original":
            return resp.message
        found = self.fake.messages.get(int(raw)) if raw.isdigit() else None
        return None if found is None or found.deleted else found

    async def get_message(self, request: web.Request) -> web.Response:
        resp = self._pending(request)
        message = self._target(request, resp) if resp is not None else None
        if message is None:
            return error_answer(404, 10008, "Unknown Message")
        return json_answer(message.payload())

    async def edit_message(self, request: web.Request) -> web.Response:
        resp = self._pending(request)
        if resp is None:
            return error_answer(404, 10015, "Unknown Webhook")
        message = self._target(request, resp)
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
        message.flags &= ~LOADING_FLAG
        if resp.deferred or message is resp.message:
            resp.mark_answered()
        self.fake.note_message_edited(message)
        return json_answer(message.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        resp = self._pending(request)
        message = self._target(request, resp) if resp is not None else None
        if message is None:
            return error_answer(404, 10008, "Unknown Message")
        message.deleted = True
        return no_content()
