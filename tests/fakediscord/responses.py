"""HTTP plumbing shared by the routes: JSON answers, Discord-shaped errors, recorded requests.

discord.py only parses a body as JSON when ``Content-Type`` is exactly ``application/json``
(aiohttp's ``json_response`` appends ``; charset=utf-8``), and it only honours a 429 that carries a
``Via`` header (otherwise it assumes a Cloudflare ban).  Both details live here, once.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .openapi import normalize_template

Peer = tuple[str, int]


def peer_of(request: web.BaseRequest) -> Peer | None:
    """The client's address and port of the connection a request (or websocket) came on."""
    transport = request.transport
    name = transport.get_extra_info("peername") if transport is not None else None
    return (str(name[0]), int(name[1])) if name else None


#: Default error bodies, as Discord sends them.
ERROR_BODIES: dict[int, tuple[int, str]] = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50001, "Missing Access"),
    404: (0, "404: Not Found"),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
    503: (0, "503: Service Unavailable"),
}


def json_answer(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response with exactly ``Content-Type: application/json``."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", "Via": "1.1 google", **(headers or {})},
    )


def no_content() -> web.Response:
    return web.Response(status=204, headers={"Via": "1.1 google"})


def error_answer(status: int, code: int | None = None, message: str | None = None) -> web.Response:
    default_code, default_message = ERROR_BODIES.get(status, (0, f"{status}: Error"))
    body = {
        "message": message if message is not None else default_message,
        "code": code if code is not None else default_code,
    }
    return json_answer(body, status=status)


def rate_limited_answer(retry_after: float, *, is_global: bool = False) -> web.Response:
    """A 429 with the body and headers Discord sends (discord.py sleeps ``retry_after``)."""
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
    }
    headers = {
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": "fakediscordbucket",
        "X-RateLimit-Scope": "global" if is_global else "user",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    return json_answer(body, status=429, headers=headers)


@dataclass
class RecordedRequest:
    """One request the bot made.  ``route`` is ``"POST /channels/{id}/messages"``."""

    method: str
    path: str
    route: str
    query: dict[str, str]
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 0
    #: When the request arrived (``time.monotonic()``): gaps prove a ``retry_after`` was honoured.
    at: float = field(default_factory=time.monotonic)
    #: The client end of the TCP connection it came on (host, port): with several bot
    #: processes, which one sent it (see tests/fakediscord/process.py).
    peer: Peer | None = None

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass
class Fault:
    """A planned failure for the next ``times`` requests matching a route template."""

    route: str
    status: int = 500
    times: int = 1
    retry_after: float = 0.05
    code: int | None = None
    message: str | None = None
    network: bool = False
    is_global: bool = False

    def matches(self, route: str) -> bool:
        return normalize_template(self.route) == normalize_template(route)

    def answer(self) -> web.Response:
        if self.status == 429:
            return rate_limited_answer(self.retry_after, is_global=self.is_global)
        return error_answer(self.status, self.code, self.message)


UploadedFiles = dict[str, tuple[str, bytes]]  # multipart field name -> (filename, bytes)

#: Where the middleware leaves the parsed request for the route handlers.
REC_KEY = web.RequestKey("fakediscord_rec", RecordedRequest)
UPLOADS_KEY = web.RequestKey("fakediscord_uploads", UploadedFiles)
