"""Holding a request in flight: the fake keeps it open until the test releases it.

``hold = discord.hold_next("POST /channels/{id}/messages", skip=1)`` lets the first matching
request through and parks the second; ``await hold.reached.wait()`` returns once the bot is
waiting on it, and ``hold.release()`` lets it continue (to a planned fault or the real route).
While a request is parked, a test can prove the bot still does other work, deterministically:
the post is known to be in flight, not merely likely to be.
"""

from __future__ import annotations

import asyncio

from .openapi import normalize_template


class Hold:
    """One planned hold of the request after ``skip`` matching ones."""

    def __init__(self, route: str, *, skip: int = 0) -> None:
        if " " not in route:
            raise ValueError(f"route must look like 'POST /channels/{{id}}', got {route!r}")
        self.route = route
        self.skip = skip
        #: Set when the held request arrived (the bot is now waiting on it).
        self.reached = asyncio.Event()
        self._released = asyncio.Event()

    def take(self, route: str) -> bool:
        """Whether this hold parks a request to ``route`` (counting down ``skip`` first)."""
        if self.reached.is_set() or normalize_template(self.route) != normalize_template(route):
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        self.reached.set()
        return True

    async def wait_released(self) -> None:
        await self._released.wait()

    def release(self) -> None:
        self._released.set()

    @property
    def released(self) -> bool:
        return self._released.is_set()
