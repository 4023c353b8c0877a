"""Which challenge and which tip a server gets next: pure choices over the pool and history.

The rules: a moderator's queue comes first; otherwise the next challenge the server has not had
yet, preferring the stages members are working on (what they logged in the last 14 days); the
pool cycles only once exhausted. Tips follow the same "no repeat until all were shown" rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.roadmap import Roadmap

RECENT_DAYS = 14


@dataclass(frozen=True, slots=True)
class ChallengeItem:
    """A challenge from the roadmap or added by a moderator (`custom`)."""

    id: str
    title: str
    brief: str
    deliverable: str
    difficulty: str
    topics: tuple[str, ...]
    hints: tuple[str, ...] = ()
    stretch: tuple[str, ...] = ()
    hours: int | None = None
    custom: bool = False


@dataclass(frozen=True, slots=True)
class TipItem:
    id: str
    text: str
    topic: str | None = None
    url: str | None = None


def roadmap_challenges(roadmap: Roadmap) -> list[ChallengeItem]:
    return [
        ChallengeItem(
            id=c.id,
            title=c.title,
            brief=c.brief,
            deliverable=c.deliverable,
            difficulty=c.difficulty,
            topics=tuple(c.topics),
            hints=tuple(c.hints),
            stretch=tuple(c.stretch),
            hours=c.hours,
        )
        for c in roadmap.challenges
    ]


def choose_challenge(
    pool: Sequence[ChallengeItem],
    posted: Mapping[str, int],
    queued: Sequence[str],
    recent_topics: Iterable[str],
    stage_of: Callable[[str], str | None],
) -> ChallengeItem | None:
    """The next challenge: queued first, then the least-posted (never-posted first), preferring
    the stages of recently studied topics, in pool order."""
    by_id = {item.id: item for item in pool}
    for challenge_id in queued:
        if challenge_id in by_id:
            return by_id[challenge_id]
    if not pool:
        return None
    fewest = min(posted.get(item.id, 0) for item in pool)
    candidates = [item for item in pool if posted.get(item.id, 0) == fewest]
    stages = {stage for topic in recent_topics if (stage := stage_of(topic)) is not None}
    for item in candidates:
        if any(stage_of(topic) in stages for topic in item.topics):
            return item
    return candidates[0]


def tip_pool(roadmap: Roadmap, recent_topics: Iterable[str]) -> list[TipItem]:
    """The roadmap's tips, then a resource tip for each recently studied topic."""
    items = [TipItem(t.id, t.text, t.topic, t.url) for t in roadmap.tips]
    for topic_id in dict.fromkeys(recent_topics):
        topic = roadmap.topic(topic_id)
        if topic is None:
            continue
        for index, resource in enumerate(topic.resources):
            items.append(
                TipItem(
                    id=f"resource:{topic.id}:{index}",
                    text=f"A resource for **{topic.title}**: {resource.title} ({resource.kind}).",
                    topic=topic.id,
                    url=resource.url,
                )
            )
    return items


def choose_tip(
    pool: Sequence[TipItem], shown: Mapping[str, int], recent_topics: Iterable[str]
) -> TipItem | None:
    """The least-shown tip, preferring tips about recently studied topics, in pool order."""
    if not pool:
        return None
    fewest = min(shown.get(item.id, 0) for item in pool)
    candidates = [item for item in pool if shown.get(item.id, 0) == fewest]
    recent = set(recent_topics)
    for item in candidates:
        if item.topic in recent:
            return item
    return candidates[0]
