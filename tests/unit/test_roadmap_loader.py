"""The roadmap loader: a valid file loads with working lookups; every problem is reported at
once with its exact YAML path; nothing but RoadmapError ever escapes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.roadmap import (
    Challenge,
    Problem,
    Roadmap,
    RoadmapError,
    Topic,
    load_roadmap,
    parse_roadmap,
)
from bot.roadmap import limits as L
from tests.unit import roadmap_samples as S

Data = dict[str, Any]


def problems_of(data: Data | str) -> list[Problem]:
    text = data if isinstance(data, str) else S.to_yaml(data)
    with pytest.raises(RoadmapError) as caught:
        parse_roadmap(text, "test.yaml")
    return caught.value.problems


def paths_of(data: Data | str) -> set[str]:
    return {problem.path for problem in problems_of(data)}


def only_problem(data: Data | str) -> Problem:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    return problems[0]


# --- a valid roadmap ---------------------------------------------------------------------------


def test_sample_roadmap_loads_with_all_fields() -> None:
    roadmap = parse_roadmap(S.SAMPLE_YAML)

    assert roadmap.name == "Backend Development"
    assert [stage.id for stage in roadmap.stages] == ["foundations", "languages"]
    http = roadmap.topic("http-basics")
    assert http is not None
    assert http.title == "HTTP Basics"
    assert http.summary == "Requests, responses, methods, status codes and headers."  # `>` newline
    assert http.prerequisites == ("how-the-internet-works",)
    assert http.tracks == ()
    assert http.resources[0].kind == "docs"
    assert roadmap.path[0].months == (1, 3)
    assert roadmap.tips[0].url == "https://curl.se/docs/manpage.html"
    assert roadmap.tips[1].topic is None
    assert roadmap.challenges[1].hints == ()


def test_lookups() -> None:
    roadmap = parse_roadmap(S.SAMPLE_YAML)

    assert [t.id for t in roadmap.topics] == [
        "how-the-internet-works",
        "http-basics",
        "python-basics",
        "node-basics",
    ]
    assert roadmap.topic("nope") is None
    assert roadmap.stage_of("node-basics").id == "languages"
    with pytest.raises(KeyError):
        roadmap.stage_of("nope")
    challenge = roadmap.challenge("url-shortener")
    assert isinstance(challenge, Challenge)
    assert roadmap.challenge("nope") is None
    assert [t.id for t in roadmap.dependents("http-basics")] == ["python-basics", "node-basics"]
    assert roadmap.dependents("node-basics") == []
    assert [c.id for c in roadmap.challenges_for("http-basics")] == [
        "url-shortener",
        "http-client",
    ]
    assert roadmap.challenges_for("node-basics") == []
    assert roadmap.counts() == {
        "stages": 2,
        "topics": 4,
        "resources": 8,
        "challenges": 2,
        "tips": 2,
    }


def test_visible_topics_by_track() -> None:
    roadmap = parse_roadmap(S.SAMPLE_YAML)
    everyone = ["how-the-internet-works", "http-basics"]

    assert [t.id for t in roadmap.visible_topics(None)] == [t.id for t in roadmap.topics]
    assert [t.id for t in roadmap.visible_topics("python")] == [*everyone, "python-basics"]
    assert [t.id for t in roadmap.visible_topics("javascript")] == [*everyone, "node-basics"]
    assert [t.id for t in roadmap.visible_topics("go")] == everyone
    assert [t.id for t in roadmap.visible_topics("cobol")] == everyone


def test_roadmap_is_immutable() -> None:
    roadmap = parse_roadmap(S.SAMPLE_YAML)
    with pytest.raises(pydantic.ValidationError):
        roadmap.name = "changed"  # type: ignore[misc]
    assert isinstance(roadmap.topics, tuple)
    hash(roadmap.topics[0])  # frozen models with tuple fields are hashable


def test_optional_sections_may_be_omitted() -> None:
    data = S.roadmap()
    for key in ("path", "challenges", "tips"):
        del data[key]
    roadmap = parse_roadmap(S.to_yaml(data))
    assert roadmap.path == roadmap.challenges == roadmap.tips == ()


def test_building_a_roadmap_directly_still_checks_references() -> None:
    data = S.roadmap(tips=[S.tip("t", topic="nowhere")])
    with pytest.raises(pydantic.ValidationError, match="unknown topic id 'nowhere'"):
        Roadmap.model_validate(data)
    assert isinstance(Roadmap.model_validate(S.roadmap()).topic("git-basics"), Topic)


# --- one kind of problem at a time -------------------------------------------------------------


def topic_at(data: Data, stage: int, topic: int) -> Data:
    result: Data = data["stages"][stage]["topics"][topic]
    return result


Mutation = Callable[[Data], None]

CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "missing field",
        lambda d: topic_at(d, 0, 1).pop("why"),
        "stages[0].topics[1].why",
        "required, but missing",
    ),
    (
        "missing top-level field",
        lambda d: d.pop("description"),
        "description",
        "required",
    ),
    (
        "wrong type: text for a number",
        lambda d: topic_at(d, 0, 0).update(hours="6"),
        "stages[0].topics[0].hours",
        "whole number",
    ),
    (
        "wrong type: boolean for text",
        lambda d: topic_at(d, 1, 0).update(title=True),
        "stages[1].topics[0].title",
        "put the text in quotes",
    ),
    (
        "wrong type: mapping for a list",
        lambda d: topic_at(d, 0, 0).update(checklist={"a": 1}),
        "stages[0].topics[0].checklist",
        "must be a list",
    ),
    (
        "unknown key",
        lambda d: topic_at(d, 0, 1).update(resouces=[]),
        "stages[0].topics[1].resouces",
        "did you mean 'resources'",
    ),
    (
        "unknown top-level key",
        lambda d: d.update(extra="x"),
        "extra",
        "unknown key 'extra'",
    ),
    (
        "bad resource kind",
        lambda d: topic_at(d, 0, 0)["resources"][1].update(kind="blog"),
        "stages[0].topics[0].resources[1].kind",
        "'docs', 'book', 'course', 'video', 'article' or 'practice'",
    ),
    (
        "bad difficulty",
        lambda d: d["challenges"][0].update(difficulty="hard"),
        "challenges[0].difficulty",
        "'beginner', 'intermediate' or 'advanced'",
    ),
    (
        "bad track",
        lambda d: topic_at(d, 0, 0).update(tracks=["python", "rust"]),
        "stages[0].topics[0].tracks[1]",
        "'javascript', 'python', 'java' or 'go'",
    ),
    (
        "bad id slug",
        lambda d: d["stages"][1].update(id="Data Bases"),
        "stages[1].id",
        "not a valid id",
    ),
    (
        "id too long",
        lambda d: d["tips"][0].update(id="a" * (L.ID_MAX + 1)),
        "tips[0].id",
        f"at most {L.ID_MAX} characters; this one has {L.ID_MAX + 1}",
    ),
    (
        "text over its limit",
        lambda d: topic_at(d, 0, 1).update(title="x" * 95),
        "stages[0].topics[1].title",
        "is 95 characters long; the limit is 80",
    ),
    (
        "checklist item over its limit",
        lambda d: topic_at(d, 0, 0)["checklist"].__setitem__(2, "y" * 201),
        "stages[0].topics[0].checklist[2]",
        "is 201 characters long; the limit is 200",
    ),
    (
        "blank text",
        lambda d: d.update(name="   "),
        "name",
        "must not be empty",
    ),
    (
        "too few checklist items",
        lambda d: topic_at(d, 0, 0).update(checklist=["one"]),
        "stages[0].topics[0].checklist",
        "at least 3 items, but has 1",
    ),
    (
        "too few resources",
        lambda d: topic_at(d, 0, 0).update(resources=[S.resource()]),
        "stages[0].topics[0].resources",
        "at least 2 items, but has 1",
    ),
    (
        "number out of range",
        lambda d: d["challenges"][0].update(hours=0),
        "challenges[0].hours",
        "at least 1",
    ),
    (
        "non-https url",
        lambda d: topic_at(d, 0, 0)["resources"][0].update(url="http://example.com"),
        "stages[0].topics[0].resources[0].url",
        "https://",
    ),
    (
        "non-https tip url",
        lambda d: d["tips"][0].update(url="ftp://example.com/x"),
        "tips[0].url",
        "https://",
    ),
    (
        "duplicate topic id across stages",
        lambda d: d["stages"][1]["topics"].append(S.topic("git-basics")),
        "stages[1].topics[1].id",
        "duplicate topic id 'git-basics': already used at stages[0].topics[0]",
    ),
    (
        "duplicate stage id",
        lambda d: d["stages"][1].update(id="foundations"),
        "stages[1].id",
        "duplicate stage id",
    ),
    (
        "duplicate challenge id",
        lambda d: d["challenges"].append(S.challenge("first", ["git-basics"])),
        "challenges[1].id",
        "duplicate challenge id",
    ),
    (
        "duplicate tip id",
        lambda d: d["tips"].append(S.tip("a-tip")),
        "tips[1].id",
        "duplicate tip id",
    ),
    (
        "duplicate phase id",
        lambda d: d["path"].append(S.phase("basics", [])),
        "path[1].id",
        "duplicate phase id",
    ),
    (
        "unknown prerequisite",
        lambda d: topic_at(d, 1, 0).update(prerequisites=["http-basics", "htp-basics"]),
        "stages[1].topics[0].prerequisites[1]",
        "unknown topic id 'htp-basics': no topic has this id (did you mean 'http-basics'?)",
    ),
    (
        "unknown path topic",
        lambda d: d["path"][0]["topics"].append("nowhere"),
        "path[0].topics[1]",
        "unknown topic id 'nowhere'",
    ),
    (
        "unknown challenge topic",
        lambda d: d["challenges"][0]["topics"].append("nowhere"),
        "challenges[0].topics[1]",
        "unknown topic id 'nowhere'",
    ),
    (
        "unknown tip topic",
        lambda d: d["tips"][0].update(topic="nowhere"),
        "tips[0].topic",
        "unknown topic id 'nowhere'",
    ),
    (
        "self prerequisite",
        lambda d: topic_at(d, 0, 0).update(prerequisites=["git-basics"]),
        "stages[0].topics[0].prerequisites[0]",
        "its own prerequisite",
    ),
    (
        "prerequisite listed twice",
        lambda d: topic_at(d, 1, 0).update(prerequisites=["git-basics", "git-basics"]),
        "stages[1].topics[0].prerequisites",
        "more than once",
    ),
    (
        "empty stage",
        lambda d: d["stages"].append(S.stage("empty", [])),
        "stages[2].topics",
        "at least 1 item, but has 0",
    ),
    (
        "challenge without topics",
        lambda d: d["challenges"][0].update(topics=[]),
        "challenges[0].topics",
        "at least 1 item",
    ),
    (
        "month range reversed",
        lambda d: d["path"][0].update(months=[6, 4]),
        "path[0].months",
        "reversed: first month 6 comes after last month 4",
    ),
    (
        "month out of range",
        lambda d: d["path"][0].update(months=[1, 40]),
        "path[0].months",
        "between 1 and 36",
    ),
    (
        "months not a pair",
        lambda d: d["path"][0].update(months=3),
        "path[0].months",
        "a pair [first, last]",
    ),
    (
        "bad tag",
        lambda d: topic_at(d, 0, 0).update(tags=["Web Dev"]),
        "stages[0].topics[0].tags[0]",
        "not a valid tag",
    ),
    (
        "stage is not a mapping",
        lambda d: d["stages"].append("oops"),
        "stages[2]",
        "must be a mapping",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [pytest.param(m, p, msg, id=name) for name, m, p, msg in CASES],
)
def test_each_kind_of_problem_is_reported_with_its_path(
    mutate: Mutation, path: str, message: str
) -> None:
    data = S.roadmap()
    mutate(data)
    problem = only_problem(data)
    assert problem.path == path
    assert message in problem.message


def test_cycle_is_named() -> None:
    data = S.roadmap(
        [
            S.stage(
                "s",
                [
                    S.topic("alpha", prerequisites=["gamma"]),
                    S.topic("beta", prerequisites=["alpha"]),
                    S.topic("gamma", prerequisites=["beta"]),
                    S.topic("delta", prerequisites=["alpha"]),
                ],
            ),
            S.stage("t", [S.topic("x", prerequisites=["y"]), S.topic("y", prerequisites=["x"])]),
        ],
        path=[],
        challenges=[],
        tips=[],
    )
    problems = problems_of(data)
    assert [(p.path, p.message) for p in problems] == [
        (
            "stages[0].topics[0].prerequisites[0]",
            "prerequisites form a cycle: alpha -> gamma -> beta -> alpha",
        ),
        ("stages[1].topics[0].prerequisites[0]", "prerequisites form a cycle: x -> y -> x"),
    ]


def test_long_prerequisite_chain_is_fine() -> None:
    topics = [S.topic("t0")] + [
        S.topic(f"t{n}", prerequisites=[f"t{n - 1}"]) for n in range(1, 400)
    ]
    roadmap = parse_roadmap(
        S.to_yaml(S.roadmap([S.stage("s", topics)], path=[], challenges=[], tips=[]))
    )
    assert len(roadmap.dependents("t0")) == 1


# --- everything at once ------------------------------------------------------------------------


def test_schema_error_does_not_hide_a_reference_error_elsewhere() -> None:
    data = S.roadmap()
    del topic_at(data, 0, 0)["summary"]
    topic_at(data, 1, 0)["prerequisites"] = ["missing-topic"]
    assert paths_of(data) == {
        "stages[0].topics[0].summary",
        "stages[1].topics[0].prerequisites[0]",
    }


def test_broken_topic_still_has_its_references_checked_and_counts_as_known() -> None:
    data = S.roadmap()
    topic_at(data, 0, 1).update(title="x" * 81, prerequisites=["ghost"])
    data["tips"][0]["topic"] = "http-basics"  # the broken topic is still a known id
    assert paths_of(data) == {
        "stages[0].topics[1].title",
        "stages[0].topics[1].prerequisites[0]",
    }


def test_many_problems_are_all_reported() -> None:
    data = S.roadmap(
        [
            S.stage(
                "foundations",
                [
                    S.topic("git-basics", prerequisites=["sql-basics"]),
                    S.topic("http-basics", hours=0, title="T" * 81),
                ],
            ),
            S.stage("databases", [S.topic("sql-basics", prerequisites=["git-basics"])]),
            S.stage("foundations", []),
            S.stage("more", [S.topic("http-basics", tracks=["rust"])]),
        ],
        path=[S.phase("basics", ["git-basics", "nowhere"], months=[3, 1])],
        challenges=[
            S.challenge("first", ["sql-basics"], difficulty="hard"),
            S.challenge("second", ["ghost"]),
        ],
        tips=[
            S.tip("a-tip", topic="gti-basics", url="http://example.com"),
            S.tip("Bad Tip", text="x" * 501),
        ],
        colour="blue",
    )
    del topic_at(data, 0, 0)["why"]
    topic_at(data, 0, 1)["resources"][0]["kind"] = "blog"
    topic_at(data, 1, 0)["resouces"] = []

    problems = problems_of(data)
    assert {p.path for p in problems} == {
        "colour",
        "stages[0].topics[0].why",
        "stages[0].topics[0].prerequisites[0]",  # cycle git-basics -> sql-basics -> git-basics
        "stages[0].topics[1].title",
        "stages[0].topics[1].hours",
        "stages[0].topics[1].resources[0].kind",
        "stages[1].topics[0].resouces",
        "stages[2].id",
        "stages[2].topics",
        "stages[3].topics[0].id",
        "stages[3].topics[0].tracks[0]",
        "path[0].months",
        "path[0].topics[1]",
        "challenges[0].difficulty",
        "challenges[1].topics[0]",
        "tips[0].topic",
        "tips[0].url",
        "tips[1].id",
        "tips[1].text",
    }
    assert len(problems) == 19


def test_error_text_lists_every_problem_prefixed_by_the_file_name() -> None:
    data = S.roadmap()
    del data["name"]
    data["tips"][0]["topic"] = "ghost"
    with pytest.raises(RoadmapError) as caught:
        parse_roadmap(S.to_yaml(data), "roadmap.yaml")
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("roadmap.yaml: name: required")
    assert lines[1].startswith("roadmap.yaml: tips[0].topic: unknown topic id 'ghost'")
    assert caught.value.paths == ["name", "tips[0].topic"]


# --- whole-file problems -----------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line() -> None:
    text = "name: x\ndescription: y\nstages:\n  - id: [unclosed\n"
    problem = only_problem(text)
    assert problem.path.startswith("line ")
    assert "YAML syntax error" in problem.message


def test_duplicate_yaml_key_is_reported_by_line() -> None:
    text = S.to_yaml(S.roadmap()).replace("name: Test Roadmap\n", "name: A\nname: B\n", 1)
    problem = only_problem(text)
    assert problem.path == "line 2"
    assert "'name' appears twice" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file is empty"),
        ("# only a comment\n", "file is empty"),
        ("- a\n- b\n", "found a list"),
        ("just words", "found plain text"),
        ("42", "found a single value"),
    ],
)
def test_file_that_is_not_a_mapping(text: str, expected: str) -> None:
    problem = only_problem(text)
    assert problem.path == "(file)"
    assert expected in problem.message


def test_self_referencing_alias_is_one_clear_problem() -> None:
    problem = only_problem("name: &a [*a]\n")
    assert problem.path == "(file)"
    assert "alias" in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    problem = only_problem("\n".join(lines) + "\n")
    assert "alias" in problem.message


def test_no_stages() -> None:
    data = S.roadmap(stages=[], path=[], challenges=[], tips=[])
    problem = only_problem(data)
    assert (problem.path, problem.message) == ("stages", "must list at least 1 item, but has 0")


def test_deep_nesting_is_reported_not_raised() -> None:
    text = S.to_yaml(S.roadmap()).replace("stages:", "stages: " + "[" * 3000 + "]" * 3000, 1)
    problem = only_problem(text.split("\n- id: foundations")[0])
    assert problem.path == "stages[0]"
    assert "must be a mapping" in problem.message


def test_non_text_keys_are_unknown_keys() -> None:
    data = S.roadmap()
    text = S.to_yaml(data) + "1: one\n"
    assert only_problem(text).path == "1"


def test_load_roadmap_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text(S.SAMPLE_YAML, encoding="utf-8")
    assert load_roadmap(path).counts()["topics"] == 4


def test_load_roadmap_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(path)
    assert caught.value.paths == ["(file)"]
    assert str(caught.value).startswith(f"{path}: (file): cannot read the file")


def test_load_roadmap_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\n".encode("latin-1"))
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(path)
    assert "not UTF-8" in caught.value.problems[0].message


def test_load_roadmap_directory(tmp_path: Path) -> None:
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(tmp_path)
    assert caught.value.paths == ["(file)"]


# --- nothing but RoadmapError ------------------------------------------------------------------


def _parse_quietly(text: str) -> None:
    """Parse `text`; any exception other than RoadmapError fails the test."""
    problems: list[Problem] = []
    try:
        parse_roadmap(text)
    except RoadmapError as exc:
        problems = exc.problems or [Problem("", "")]
        str(exc)
    assert all(p.path and p.message for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_only_raises_roadmap_error(text: str) -> None:
    _parse_quietly(text)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 300)
    | st.floats(allow_nan=False)
    | st.text(max_size=120)
    | st.sampled_from(["git-basics", "http-basics", "docs", "beginner", "https://x.org", ""]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "title", "topics", "url", "kind", "x"]) | st.text(max_size=8),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _containers(node: Any, out: list[Any]) -> list[Any]:
    if isinstance(node, dict | list):
        out.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, out)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_roadmap_only_raises_roadmap_error(data: st.DataObject) -> None:
    document = copy.deepcopy(yaml.safe_load(S.SAMPLE_YAML))
    for _ in range(data.draw(st.integers(1, 5))):
        containers = _containers(document, [])
        target = data.draw(st.sampled_from(containers))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(target, dict):
            keys = list(target)
            if action == "add" or not keys:
                target[data.draw(st.text(max_size=10))] = data.draw(yaml_values)
            else:
                key = data.draw(st.sampled_from(keys))
                if action == "delete":
                    del target[key]
                else:
                    target[key] = data.draw(yaml_values)
        elif action == "add" or not target:
            target.append(data.draw(yaml_values))
        else:
            index = data.draw(st.integers(0, len(target) - 1))
            if action == "delete":
                del target[index]
            else:
                target[index] = data.draw(yaml_values)
    _parse_quietly(S.to_yaml(document))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_truncated_or_spliced_yaml_only_raises_roadmap_error(data: st.DataObject) -> None:
    text = S.SAMPLE_YAML
    cut = data.draw(st.integers(0, len(text)))
    insert = data.draw(st.text(alphabet=":-[]{}&*!|>'\"# \n\tab", max_size=12))
    _parse_quietly(text[:cut] + insert + text[cut:])


# --- limits fit the Discord places they protect ------------------------------------------------

# Discord's limits, from DESIGN.md ("Discord facts"), written out independently of the code.
AUTOCOMPLETE_NAME = 100
AUTOCOMPLETE_VALUE = 100
CUSTOM_ID = 100
SELECT_LABEL = 100
SELECT_OPTIONS = 25
BUTTON_LABEL = 80
LINK_BUTTON_URL = 512
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
MESSAGE = 2000

PROTECTED: dict[str, list[int]] = {
    "ID_MAX": [AUTOCOMPLETE_VALUE - 40, CUSTOM_ID - 40],  # room for a custom_id prefix
    "ROADMAP_NAME_MAX": [EMBED_TITLE],
    "ROADMAP_DESCRIPTION_MAX": [EMBED_DESCRIPTION],
    "STAGE_TITLE_MAX": [SELECT_LABEL, FIELD_NAME],
    "STAGE_SUMMARY_MAX": [FIELD_VALUE],
    "TOPIC_TITLE_MAX": [AUTOCOMPLETE_NAME, SELECT_LABEL, BUTTON_LABEL],
    "TOPIC_SUMMARY_MAX": [EMBED_DESCRIPTION, FIELD_VALUE],
    "TOPIC_WHY_MAX": [FIELD_VALUE],
    "CHECKLIST_ITEM_MAX": [FIELD_VALUE],
    "CHECKLIST_MAX_ITEMS": [SELECT_OPTIONS],
    "RESOURCES_MAX": [SELECT_OPTIONS],
    "TAG_MAX": [FOOTER // L.TAGS_MAX_ITEMS],
    "TAGS_MAX_ITEMS": [SELECT_OPTIONS],
    "RESOURCE_TITLE_MAX": [SELECT_LABEL],
    "URL_MAX": [LINK_BUTTON_URL, FIELD_VALUE - L.RESOURCE_TITLE_MAX - 4],
    "PHASE_TITLE_MAX": [FIELD_NAME, SELECT_LABEL],
    "PHASE_GOAL_MAX": [FIELD_VALUE],
    "PHASE_GOALS_MAX": [SELECT_OPTIONS],
    "CHALLENGE_TITLE_MAX": [AUTOCOMPLETE_NAME, EMBED_TITLE],
    "CHALLENGE_BRIEF_MAX": [EMBED_DESCRIPTION],
    "CHALLENGE_DELIVERABLE_MAX": [FIELD_VALUE],
    "CHALLENGE_NOTE_MAX": [FIELD_VALUE - 4],  # wrapped in ||spoiler|| bars
    "CHALLENGE_NOTES_MAX_ITEMS": [SELECT_OPTIONS],
    "TIP_TEXT_MAX": [EMBED_DESCRIPTION, MESSAGE],
}


def test_every_text_limit_fits_the_discord_place_it_protects() -> None:
    maxima = {
        name
        for name in vars(L)
        if name.endswith(("_MAX", "_MAX_ITEMS")) and "HOURS" not in name and "MONTH" not in name
    }
    assert maxima == set(PROTECTED), "give each new limit the Discord place it protects"
    for name, discord_limits in PROTECTED.items():
        value = getattr(L, name)
        for discord_limit in discord_limits:
            assert value <= discord_limit, f"{name}={value} exceeds {discord_limit}"


def test_limits_are_enforced_by_the_models() -> None:
    data = S.roadmap()
    topic_at(data, 0, 0)["title"] = "x" * L.TOPIC_TITLE_MAX
    data["challenges"][0]["title"] = "y" * L.CHALLENGE_TITLE_MAX
    data["tips"][0]["text"] = "z" * L.TIP_TEXT_MAX
    parse_roadmap(S.to_yaml(data))  # exactly at the limit is fine
