"""What the roadmap commands need to know about a member's progress, and nothing more.

The roadmap browser depends on this small read-only interface, which the progress repository
implements over the database, so browsing code never needs to know how progress is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TopicProgress:
    """A member's standing on the roadmap: topics marked done and minutes logged per topic."""

    done: frozenset[str] = frozenset()
    minutes: Mapping[str, int] = field(default_factory=dict)

    def is_done(self, topic_id: str) -> bool:
        return topic_id in self.done

    def minutes_on(self, topic_id: str) -> int:
        return self.minutes.get(topic_id, 0)

    def status(self, topic_id: str) -> str:
        """`done`, `started` (minutes logged, not done) or `todo`."""
        if topic_id in self.done:
            return "done"
        return "started" if self.minutes_on(topic_id) > 0 else "todo"


class ProgressReader(Protocol):
    async def topic_progress(self, guild_id: int, user_id: int) -> TopicProgress: ...
