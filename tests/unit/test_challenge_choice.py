from __future__ import annotations

from bot.core.challenges import ChallengeItem, TipItem, choose_challenge, choose_tip


def item(cid: str, topic: str) -> ChallengeItem:
    return ChallengeItem(cid, cid.title(), "brief", "deliverable", "beginner", (topic,))


STAGES = {"sql": "databases", "http": "web", "docker": "deployment"}
POOL = [item("a", "http"), item("b", "sql"), item("c", "docker")]


def pick(posted: dict[str, int], queued: list[str], recent: list[str]) -> str:
    chosen = choose_challenge(POOL, posted, queued, recent, STAGES.get)
    assert chosen is not None
    return chosen.id


def test_queue_comes_first() -> None:
    assert pick({}, ["c"], []) == "c"


def test_unposted_first_preferring_recent_stages() -> None:
    assert pick({}, [], ["sql"]) == "b"
    assert pick({"b": 1}, [], ["sql"]) == "a"
    assert pick({}, [], []) == "a"


def test_the_pool_cycles_only_when_exhausted() -> None:
    posted = {"a": 1, "b": 1, "c": 1}
    assert pick(posted, [], []) == "a"
    assert pick({"a": 2, "b": 1, "c": 1}, [], []) == "b"
    assert choose_challenge([], {}, [], [], STAGES.get) is None


def test_tips_prefer_recent_topics_and_never_repeat_early() -> None:
    tips = [TipItem("t1", "one", "http"), TipItem("t2", "two", "sql")]
    assert choose_tip(tips, {}, ["sql"]).id == "t2"  # type: ignore[union-attr]
    assert choose_tip(tips, {"t2": 1}, ["sql"]).id == "t1"  # type: ignore[union-attr]
