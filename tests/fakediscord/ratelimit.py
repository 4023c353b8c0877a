"""An opt-in global rate limit: ``FakeDiscord(global_rate_limit=50)``.

Discord lets a bot make 50 requests per second in all (interaction callbacks and the interaction
webhooks are not counted) and answers the excess with a 429 whose body says ``"global": true``
and carries ``retry_after`` in seconds, with the headers ``Retry-After``, ``X-RateLimit-Global``
and ``X-RateLimit-Scope: global`` (no bucket headers: the global limit is not a route bucket).
The window here is a sliding one: at most ``per_second`` counted requests in any second.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

from .responses import json_answer

#: Routes Discord does not count against the global limit (interaction endpoints).
EXEMPT_PREFIXES = ("POST /interactions/", "POST /webhooks/", "GET /webhooks/", "PATCH /webhooks/")


class GlobalRateLimit:
    def __init__(
        self,
        per_second: int,
        *,
        window_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second < 1:
            raise ValueError("a global rate limit allows at least one request per second")
        self.per_second = per_second
        self.window_s = window_s
        self._clock = clock
        self._counted: deque[float] = deque()
        #: Requests let through and requests answered with a 429, for tests and benchmarks.
        self.allowed = 0
        self.limited = 0

    @staticmethod
    def exempt(route: str) -> bool:
        return route.startswith(EXEMPT_PREFIXES) or route.startswith("DELETE /webhooks/")

    def check(self, route: str) -> web.Response | None:
        """None to let the request through, or the 429 to answer instead."""
        if self.exempt(route):
            return None
        now = self._clock()
        while self._counted and now - self._counted[0] >= self.window_s:
            self._counted.popleft()
        if len(self._counted) < self.per_second:
            self._counted.append(now)
            self.allowed += 1
            return None
        self.limited += 1
        wait = self.window_s - (now - self._counted[0])
        return global_rate_limited(math.ceil(wait * 1000) / 1000)


def global_rate_limited(retry_after: float) -> web.Response:
    """A global 429 as Discord sends it."""
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": True}
    headers = {
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
    }
    return json_answer(body, status=429, headers=headers)
