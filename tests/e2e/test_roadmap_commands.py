"""The roadmap browser through the fake Discord: /roadmap, /topic, /resources, /path, /track."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember


def custom_ids(reply: object) -> list[str]:
    rows = getattr(reply, "components", None) or []
    return [c["custom_id"] for row in rows for c in row.get("components", []) if "custom_id" in c]


def button(reply: object, label_start: str) -> str:
    for row in getattr(reply, "components", None) or []:
        for component in row.get("components", []):
            if component.get("type") == 2 and component.get("label", "").startswith(label_start):
                return str(component["custom_id"])
    raise AssertionError(f"no button starting with {label_start!r}")


def select_id(reply: object) -> str:
    for row in getattr(reply, "components", None) or []:
        for component in row.get("components", []):
            if component.get("type") == 3:
                return str(component["custom_id"])
    raise AssertionError("no select menu")


async def test_roadmap_overview_lists_stages_with_bars_and_a_picker(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    reply = await discord.slash(alice, guild, "roadmap")
    assert reply.ephemeral
    embed = reply.embeds[0]
    stages = runner.bot.roadmap.stages
    assert len(embed["fields"]) == len(stages)
    assert embed["fields"][0]["name"] == f"1. {stages[0].title}"
    assert "0%" in embed["fields"][0]["value"]
    assert f"0/{len(stages[0].topics)} topics" in embed["fields"][0]["value"]
    assert select_id(reply)


async def test_picking_a_stage_pages_through_its_topics_and_only_for_the_invoker(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    bob = guild.add_member("bob")
    reply = await discord.slash(alice, guild, "roadmap")
    biggest = max(runner.bot.roadmap.stages, key=lambda s: len(s.topics))
    opened = await discord.click(alice, guild, reply, select_id(reply), values=[biggest.id])
    page_one = opened.embeds[0]
    assert biggest.title in page_one["title"]
    assert "Page 1/" in page_one["footer"]["text"]
    first_topic = biggest.topics[0].title
    assert first_topic in page_one["description"]

    refused = await discord.click(bob, guild, opened, button(opened, "Next"))
    assert refused.ephemeral
    assert "someone else" in (refused.content or "")

    page_two = await discord.click(alice, guild, opened, button(opened, "Next"))
    assert "Page 2/" in page_two.embeds[0]["footer"]["text"]
    assert first_topic not in page_two.embeds[0]["description"]
    back = await discord.click(alice, guild, page_two, button(page_two, "Previous"))
    assert "Page 1/" in back.embeds[0]["footer"]["text"]


async def test_roadmap_with_a_stage_opens_it_and_refuses_unknown_ones(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    stage = runner.bot.roadmap.stages[2]
    reply = await discord.slash(alice, guild, "roadmap", stage=stage.id)
    assert stage.title in reply.embeds[0]["title"]
    choices = await discord.autocomplete(alice, guild, "roadmap", "stage", "data")
    assert ("3. Databases", "databases") in choices
    bad = await discord.slash(alice, guild, "roadmap", stage="no-such-stage")
    assert bad.ephemeral and "no stage called" in (bad.content or "")


async def test_topic_shows_everything_and_shares_on_request(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    topic = runner.bot.roadmap.topic("postgresql")
    assert topic is not None
    reply = await discord.slash(alice, guild, "topic", name="postgresql")
    assert reply.ephemeral
    embed = reply.embeds[0]
    assert embed["title"] == topic.title
    names = [f["name"] for f in embed["fields"]]
    for expected in ("Why it matters", "You should be able to", "Resources", "Your status"):
        assert expected in names
    resources = next(f["value"] for f in embed["fields"] if f["name"] == "Resources")
    assert topic.resources[0].url in resources
    assert "Learn first" in names
    shared = await discord.slash(alice, guild, "topic", name="PostgreSQL", share=True)
    assert not shared.ephemeral
    unknown = await discord.slash(alice, guild, "topic", name="@everyone basket weaving")
    assert unknown.ephemeral and "couldn't find a topic" in (unknown.content or "")
    assert "@everyone" not in (unknown.content or "")


async def test_topic_autocomplete_ranks_matches_and_forgives_misspellings(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    exact = await discord.autocomplete(alice, guild, "topic", "name", "docker")
    assert exact[0][1] == "docker"
    prefix = await discord.autocomplete(alice, guild, "topic", "name", "htt")
    assert prefix[0][1].startswith("http")
    misspelt = await discord.autocomplete(alice, guild, "topic", "name", "postgress")
    assert misspelt[0][1] == "postgresql"
    everything = await discord.autocomplete(alice, guild, "topic", "name", "")
    assert len(everything) == 25
    nothing = await discord.autocomplete(alice, guild, "topic", "name", "zzqqxxjj")
    assert nothing == []


async def test_track_hides_other_languages(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    before = await discord.slash(alice, guild, "track")
    assert "no track" in (before.content or "")
    assert any(
        v == "django" for _, v in await discord.autocomplete(alice, guild, "topic", "name", "djan")
    )
    chosen = await discord.slash(alice, guild, "track", language="go")
    assert "Go" in (chosen.content or "")
    assert not any(
        v == "django" for _, v in await discord.autocomplete(alice, guild, "topic", "name", "djan")
    )
    assert any(
        v == "gin" for _, v in await discord.autocomplete(alice, guild, "topic", "name", "gin")
    )
    overview = await discord.slash(alice, guild, "roadmap", stage="frameworks")
    text = overview.embeds[0]["description"]
    assert "**Gin**" in text and "**Django**" not in text
    shown = await discord.slash(alice, guild, "track")
    assert "Go" in (shown.content or "")
    cleared = await discord.slash(alice, guild, "track", language="all")
    assert "cleared" in (cleared.content or "")


async def test_resources_filter_by_kind(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    topic = runner.bot.roadmap.topic("git-basics")
    assert topic is not None
    everything = await discord.slash(alice, guild, "resources", topic="git-basics")
    for resource in topic.resources:
        assert resource.url in everything.embeds[0]["description"]
    docs = await discord.slash(alice, guild, "resources", topic="git-basics", kind="docs")
    for resource in topic.resources:
        assert (resource.url in docs.embeds[0]["description"]) == (resource.kind == "docs")


async def test_path_shows_phases_and_where_the_member_stands(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember
) -> None:
    reply = await discord.slash(alice, guild, "path")
    embed = reply.embeds[0]
    phases = runner.bot.roadmap.path
    assert len(embed["fields"]) == len(phases)
    assert f"You are in **{phases[0].title}**" in embed["description"]
    first, last = phases[0].months
    assert f"(months {first}-{last})" in embed["fields"][0]["name"]
    assert phases[0].goals[0] in embed["fields"][0]["value"]


def limit_roadmap(path: Path) -> Path:
    """A roadmap whose texts are all at their maximum lengths."""
    from bot.roadmap import limits as L

    def resource(n: int) -> dict[str, object]:
        url = "https://example.com/" + "a" * (L.URL_MAX - len("https://example.com/") - 1) + str(n)
        return {"title": "R" * L.RESOURCE_TITLE_MAX, "url": url, "kind": "docs", "free": True}

    def topic(topic_id: str, prerequisites: list[str]) -> dict[str, object]:
        return {
            "id": topic_id,
            "title": "T" * L.TOPIC_TITLE_MAX,
            "summary": "s" * L.TOPIC_SUMMARY_MAX,
            "why": "w" * L.TOPIC_WHY_MAX,
            "checklist": ["c" * L.CHECKLIST_ITEM_MAX] * L.CHECKLIST_MAX_ITEMS,
            "resources": [resource(n) for n in range(L.RESOURCES_MAX)],
            "prerequisites": prerequisites,
            "hours": L.TOPIC_HOURS_MAX,
            "tags": ["t" * (L.TAG_MAX - 2) + f"{n:02d}" for n in range(L.TAGS_MAX_ITEMS)],
        }

    ids = [f"topic-{n}" for n in range(30)]
    topics = [topic(ids[0], [])] + [topic(i, ids[:k][:5]) for k, i in enumerate(ids[1:], start=1)]
    data = {
        "name": "N" * L.ROADMAP_NAME_MAX,
        "description": "d" * L.ROADMAP_DESCRIPTION_MAX,
        "stages": [
            {
                "id": "big",
                "title": "S" * L.STAGE_TITLE_MAX,
                "summary": "u" * L.STAGE_SUMMARY_MAX,
                "topics": topics,
            }
        ],
        "path": [
            {
                "id": "all",
                "title": "P" * L.PHASE_TITLE_MAX,
                "months": [1, 12],
                "goals": ["g" * L.PHASE_GOAL_MAX] * L.PHASE_GOALS_MAX,
                "topics": ids,
            }
        ],
        "challenges": [
            {
                "id": f"challenge-{n}",
                "title": "C" * L.CHALLENGE_TITLE_MAX,
                "brief": "b" * L.CHALLENGE_BRIEF_MAX,
                "deliverable": "v" * L.CHALLENGE_DELIVERABLE_MAX,
                "difficulty": "advanced",
                "topics": [ids[-1]],
                "hours": L.CHALLENGE_HOURS_MAX,
                "hints": ["h" * L.CHALLENGE_NOTE_MAX] * L.CHALLENGE_NOTES_MAX_ITEMS,
                "stretch": ["x" * L.CHALLENGE_NOTE_MAX] * L.CHALLENGE_NOTES_MAX_ITEMS,
            }
            for n in range(12)
        ],
        "tips": [],
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["topic", "resources", "roadmap", "path"])
async def test_texts_at_their_limits_stay_inside_discords(
    discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, tmp_path: Path, command: str
) -> None:
    roadmap = limit_roadmap(tmp_path / "limits.yaml")
    async with BotRunner(discord, data_dir=tmp_path, env={"STUDYBOT_ROADMAP__PATH": str(roadmap)}):
        if command == "topic":
            reply = await discord.slash(alice, guild, "topic", name="topic-29")
            assert reply.embeds and "…and" in str(reply.embeds[0])
        elif command == "resources":
            await discord.slash(alice, guild, "resources", topic="topic-29")
        elif command == "roadmap":
            reply = await discord.slash(alice, guild, "roadmap", stage="big")
            await discord.click(alice, guild, reply, button(reply, "Next"))
        else:
            await discord.slash(alice, guild, "path")
    assert discord.violations == []
