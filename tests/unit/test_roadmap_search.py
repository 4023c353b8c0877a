"""Topic and challenge search: rank order, fuzzy matching with a cutoff, limits, tracks."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from bot.roadmap import ChallengeIndex, Roadmap, TopicIndex, parse_roadmap
from bot.roadmap.search import normalize
from tests.unit import roadmap_samples as S


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def build(topics: list[dict[str, Any]], challenges: list[dict[str, Any]] | None = None) -> Roadmap:
    data = S.roadmap([S.stage("all", topics)], path=[], challenges=challenges or [], tips=[])
    return parse_roadmap(S.to_yaml(data))


def titles(found: list[Any]) -> list[str]:
    return [item.title for item in found]


@pytest.fixture(scope="module")
def index() -> TopicIndex:
    specs: list[tuple[str, dict[str, Any]]] = [
        ("How the Internet Works", {"tags": ["networking", "dns"]}),
        ("HTTP Basics", {"tags": ["web"]}),
        ("PostgreSQL", {"tags": ["sql", "database"]}),
        ("Progress Tracking", {}),
        ("Kubernetes Basics", {"tags": ["k8s", "containers"]}),
        ("Docker", {"tags": ["containers"]}),
        ("Docker Compose", {}),
        ("Node.js Basics", {"tracks": ["javascript"]}),
        ("Express", {"tracks": ["javascript"]}),
        ("Django", {"tracks": ["python"], "summary": "A batteries-included web framework."}),
        ("CI/CD Pipelines", {"tags": ["ci-cd", "automation"]}),
        ("Caching with Redis", {"tags": ["cache"]}),
        ("Message Brokers", {"summary": "Queues with RabbitMQ and Kafka."}),
        ("Café Culture", {}),
    ]
    return TopicIndex(build([S.topic(slug(t), title=t, **extra) for t, extra in specs]))


def test_normalize_casefolds_and_strips_accents() -> None:
    assert normalize("  Café   CRÈME  ") == "cafe creme"
    assert normalize("Straße") == "strasse"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("postgress", "PostgreSQL"),
        ("kubernets", "Kubernetes Basics"),
        ("dokcer", "Docker"),
        ("Postgres", "PostgreSQL"),
        ("k8s", "Kubernetes Basics"),
        ("nodejs", "Node.js Basics"),
        ("ci cd", "CI/CD Pipelines"),
        ("CAFE", "Café Culture"),
        ("café", "Café Culture"),
        ("kube bas", "Kubernetes Basics"),
        ("posgre", "PostgreSQL"),
    ],
)
def test_finds_the_expected_topic_first(index: TopicIndex, query: str, first: str) -> None:
    assert titles(index.search(query))[0] == first


@pytest.mark.parametrize("query", ["zzqqxx", "qwertyuiop", "xyzzy plugh", "!!!"])
def test_junk_finds_nothing(index: TopicIndex, query: str) -> None:
    assert index.search(query) == []


def test_exact_before_prefix_before_tag_prefix_before_word_before_substring_before_fuzzy() -> None:
    roadmap = build(
        [
            S.topic("t-fuzzy", title="Dokker Tooling"),  # 7: misspelling of the query
            S.topic("t-summary", title="Summary Only", summary="All about docker internals."),
            S.topic("t-substring", title="Mydocker"),  # 5: substring of the title
            S.topic("t-word", title="Using Docker Well"),  # 4: a title word starts with it
            S.topic("t-tag", title="Tag Holder", tags=["dockerfile"]),  # 3: tag prefix
            S.topic("t-prefix", title="Dockerfiles"),  # 2: title prefix
            S.topic("t-exact", title="Docker"),  # 1: exact title
        ]
    )
    found = [t.id for t in TopicIndex(roadmap).search("docker")]
    assert found == [
        "t-exact",
        "t-prefix",
        "t-tag",
        "t-word",
        "t-substring",
        "t-summary",
        "t-fuzzy",
    ]


def test_exact_id_and_tag_rank_first() -> None:
    roadmap = build(
        [
            S.topic("sql-intro", title="SQLite Tricks"),
            S.topic("orm", title="Object Relational Mapping", tags=["sql"]),
        ]
    )
    index = TopicIndex(roadmap)
    assert [t.id for t in index.search("sql")] == ["orm", "sql-intro"]
    assert index.search("orm")[0].id == "orm"


def test_same_rank_keeps_roadmap_order(index: TopicIndex) -> None:
    assert titles(index.search("basics")) == [
        "HTTP Basics",
        "Kubernetes Basics",
        "Node.js Basics",
    ]


def test_fuzzy_matches_are_ordered_by_similarity(index: TopicIndex) -> None:
    found = titles(index.search("postgress"))
    assert found[0] == "PostgreSQL"
    assert "How the Internet Works" not in found


def test_summary_matches_come_last(index: TopicIndex) -> None:
    assert titles(index.search("rabbitmq")) == ["Message Brokers"]
    found = titles(index.search("web"))
    assert found.index("HTTP Basics") < found.index("Django")  # tag before summary


def test_empty_query_lists_visible_topics_in_order(index: TopicIndex) -> None:
    assert titles(index.search(""))[:3] == [
        "How the Internet Works",
        "HTTP Basics",
        "PostgreSQL",
    ]
    assert "Django" not in titles(index.search("   ", track="javascript"))
    assert titles(index.search("", limit=2)) == ["How the Internet Works", "HTTP Basics"]


def test_track_filtering(index: TopicIndex) -> None:
    assert titles(index.search("node", track="javascript")) == ["Node.js Basics"]
    assert index.search("node", track="python") == []
    assert index.search("django", track="go") == []
    assert titles(index.search("django", track="python")) == ["Django"]
    assert titles(index.search("django")) == ["Django"]  # no track: everything
    assert titles(index.search("docker", track="java")) == ["Docker", "Docker Compose"]


def test_at_most_limit_results() -> None:
    roadmap = build([S.topic(f"topic-{n}", title=f"Topic {n}") for n in range(60)])
    index = TopicIndex(roadmap)
    assert len(index.search("topic")) == 25
    assert len(index.search("")) == 25
    assert len(index.search("topic", limit=5)) == 5
    assert index.search("topic", limit=0) == []


def test_search_is_fast_enough_for_autocomplete() -> None:
    roadmap = build([S.topic(f"topic-{n}", title=f"Subject number {n}") for n in range(150)])
    index = TopicIndex(roadmap)
    started = time.perf_counter()
    for query in ["sub", "numbr", "zzqqxx", "subject 14", "x"] * 20:
        index.search(query)
    assert (time.perf_counter() - started) / 100 < 0.02


def test_challenge_search() -> None:
    roadmap = build(
        [S.topic("http-basics")],
        challenges=[
            S.challenge("todo-api", ["http-basics"], title="Build a todo API"),
            S.challenge("url-shortener", ["http-basics"], title="Build a URL shortener"),
            S.challenge("rate-limiter", ["http-basics"], title="Write a rate limiter"),
        ],
    )
    index = ChallengeIndex(roadmap)
    assert [c.id for c in index.search("url-shortener")] == ["url-shortener"]
    assert [c.id for c in index.search("build")] == ["todo-api", "url-shortener"]
    assert [c.id for c in index.search("shortner")] == ["url-shortener"]
    assert [c.id for c in index.search("limit")] == ["rate-limiter"]
    assert [c.id for c in index.search("")] == ["todo-api", "url-shortener", "rate-limiter"]
    assert index.search("zzqqxx") == []
    assert len(index.search("", limit=1)) == 1
