"""The shipped curriculum, `data/roadmap.yaml`: it loads, and it meets the issue's minimums.

This fails (never skips) when the file is missing: the bot cannot run without it. Like Red's
trivia tests, a load failure prints every problem in the file.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.roadmap import Roadmap, RoadmapError, TopicIndex, load_roadmap
from bot.roadmap.model import DIFFICULTIES

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "roadmap.yaml"


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    assert SHIPPED.is_file(), f"the shipped roadmap {SHIPPED} is missing"
    try:
        return load_roadmap(SHIPPED)
    except RoadmapError as exc:
        pytest.fail(f"the shipped roadmap is invalid:\n{exc}", pytrace=False)


def test_loads_well_under_a_second() -> None:
    assert SHIPPED.is_file(), f"the shipped roadmap {SHIPPED} is missing"
    started = time.perf_counter()
    with contextlib.suppress(RoadmapError):  # problems are reported by the fixture's tests
        load_roadmap(SHIPPED)
    assert time.perf_counter() - started < 1.0


def test_at_least_100_topics(roadmap: Roadmap) -> None:
    assert len(roadmap.topics) >= 100


def test_every_topic_has_two_or_more_resources(roadmap: Roadmap) -> None:
    thin = [topic.id for topic in roadmap.topics if len(topic.resources) < 2]
    assert thin == []


def test_at_least_52_challenges_across_every_difficulty(roadmap: Roadmap) -> None:
    assert len(roadmap.challenges) >= 52
    by_difficulty = Counter(challenge.difficulty for challenge in roadmap.challenges)
    assert set(by_difficulty) == set(DIFFICULTIES), by_difficulty


def test_at_least_104_tips(roadmap: Roadmap) -> None:
    assert len(roadmap.tips) >= 104


def test_most_topics_start_with_official_docs(roadmap: Roadmap) -> None:
    others = [topic.id for topic in roadmap.topics if topic.resources[0].kind != "docs"]
    docs_first = len(roadmap.topics) - len(others)
    assert docs_first >= 0.8 * len(roadmap.topics), (
        f"{docs_first}/{len(roadmap.topics)} topics start with docs; these do not: {others}"
    )


def test_every_topic_is_findable_by_its_title(roadmap: Roadmap) -> None:
    index = TopicIndex(roadmap)
    for topic in roadmap.topics:
        assert topic in index.search(topic.title), topic.id
