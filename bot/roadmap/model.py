"""The roadmap as typed, immutable data: stages, topics, resources, phases, challenges, tips.

Why pydantic with `frozen=True, extra="forbid"`: the file is written by people, so every field
is checked with a message that names its YAML path (see `loader.py`), typos in keys are errors
rather than silently ignored, and once loaded the roadmap is shared by every cog and the
scheduler without anyone being able to change it under the others' feet. Sequences are tuples
for the same reason.

Scalars are strict (`hours: "6"` or `title: 2023` are errors, not quietly converted) because a
YAML value that is not what the author meant is almost always a mistake worth pointing at.

Build a `Roadmap` from a file with `loader.load_roadmap` / `parse_roadmap`. Building one
directly (as tests may) still runs the cross-reference checks and raises on dangling ids.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    ValidationInfo,
    model_validator,
)

from bot.roadmap import limits as L
from bot.roadmap.checks import RoadmapParts, reference_problems
from bot.roadmap.fields import (
    HttpsUrl,
    Slug,
    SlugList,
    StrictBool,
    Tag,
    bounded,
    check_months,
    check_unique,
)

__all__ = [
    "DIFFICULTIES",
    "RESOURCE_KINDS",
    "SKIP_REFERENCE_CHECKS",
    "TRACKS",
    "Challenge",
    "Difficulty",
    "Phase",
    "Resource",
    "ResourceKind",
    "Roadmap",
    "Stage",
    "Tip",
    "Topic",
    "Track",
]

ResourceKind = Literal["docs", "book", "course", "video", "article", "practice"]
Difficulty = Literal["beginner", "intermediate", "advanced"]
Track = Literal["javascript", "python", "java", "go"]

RESOURCE_KINDS: Final[tuple[str, ...]] = get_args(ResourceKind)
DIFFICULTIES: Final[tuple[str, ...]] = get_args(Difficulty)
TRACKS: Final[tuple[str, ...]] = get_args(Track)

SKIP_REFERENCE_CHECKS: Final = "skip_reference_checks"
"""Validation-context key: the loader runs the cross-reference checks itself, so that it can
report them with exact paths even when other parts of the file are broken."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Resource(_Frozen):
    """A place to learn a topic from; official documentation comes first in each topic."""

    title: Annotated[str, bounded(L.RESOURCE_TITLE_MAX)] = Field(description="the resource's name")
    url: HttpsUrl = Field(description="an https:// address")
    kind: ResourceKind = Field(description="one of " + ", ".join(RESOURCE_KINDS))
    free: StrictBool = Field(description="true if it costs nothing, else false")


class Topic(_Frozen):
    """One thing to learn: what it is, why it matters, how to know you know it, where to learn."""

    id: Slug = Field(description="a slug such as 'http-basics', unique across the file")
    title: Annotated[str, bounded(L.TOPIC_TITLE_MAX)] = Field(description="a short title")
    summary: Annotated[str, bounded(L.TOPIC_SUMMARY_MAX)] = Field(description="what it covers")
    why: Annotated[str, bounded(L.TOPIC_WHY_MAX)] = Field(description="why a developer needs it")
    checklist: Annotated[
        tuple[Annotated[str, bounded(L.CHECKLIST_ITEM_MAX)], ...],
        Field(min_length=L.CHECKLIST_MIN_ITEMS, max_length=L.CHECKLIST_MAX_ITEMS),
    ] = Field(description=f"{L.CHECKLIST_MIN_ITEMS} to {L.CHECKLIST_MAX_ITEMS} concrete skills")
    resources: Annotated[
        tuple[Resource, ...], Field(min_length=L.RESOURCES_MIN, max_length=L.RESOURCES_MAX)
    ] = Field(description=f"{L.RESOURCES_MIN} to {L.RESOURCES_MAX} resources, docs first")
    prerequisites: SlugList = Field(default=(), description="ids of topics to learn first")
    tracks: Annotated[tuple[Track, ...], AfterValidator(check_unique)] = Field(
        default=(), description="the language tracks this topic belongs to; none means all"
    )
    hours: Annotated[int, Strict(), Field(ge=L.TOPIC_HOURS_MIN, le=L.TOPIC_HOURS_MAX)] = Field(
        description=f"estimated hours, a whole number from {L.TOPIC_HOURS_MIN} "
        f"to {L.TOPIC_HOURS_MAX}"
    )
    tags: Annotated[
        tuple[Tag, ...], Field(max_length=L.TAGS_MAX_ITEMS), AfterValidator(check_unique)
    ] = Field(default=(), description="extra search words")

    def visible_to(self, track: str | None) -> bool:
        """True when a member on `track` should see this topic (no track sees everything)."""
        return track is None or not self.tracks or track in self.tracks


class Stage(_Frozen):
    """A chapter of the roadmap: an ordered group of topics."""

    id: Slug = Field(description="a slug such as 'foundations'")
    title: Annotated[str, bounded(L.STAGE_TITLE_MAX)] = Field(description="a short title")
    summary: Annotated[str, bounded(L.STAGE_SUMMARY_MAX)] = Field(description="a sentence or two")
    topics: Annotated[tuple[Topic, ...], Field(min_length=1)] = Field(
        description="at least one topic"
    )


class Phase(_Frozen):
    """A step of the suggested learning path, spanning a range of months."""

    id: Slug = Field(description="a slug such as 'basics'")
    title: Annotated[str, bounded(L.PHASE_TITLE_MAX)] = Field(description="a short title")
    months: Annotated[tuple[int, int], BeforeValidator(check_months)] = Field(
        description="[first, last] month numbers"
    )
    goals: Annotated[
        tuple[Annotated[str, bounded(L.PHASE_GOAL_MAX)], ...],
        Field(min_length=L.PHASE_GOALS_MIN, max_length=L.PHASE_GOALS_MAX),
    ] = Field(description=f"{L.PHASE_GOALS_MIN} to {L.PHASE_GOALS_MAX} goals")
    topics: SlugList = Field(default=(), description="ids of the topics in this phase")


class Challenge(_Frozen):
    """A weekly challenge: something to build, and what to hand in."""

    id: Slug = Field(description="a slug such as 'url-shortener'")
    title: Annotated[str, bounded(L.CHALLENGE_TITLE_MAX)] = Field(description="a short title")
    brief: Annotated[str, bounded(L.CHALLENGE_BRIEF_MAX)] = Field(description="what to build")
    deliverable: Annotated[str, bounded(L.CHALLENGE_DELIVERABLE_MAX)] = Field(
        description="what a member submits"
    )
    difficulty: Difficulty = Field(description="one of " + ", ".join(DIFFICULTIES))
    topics: Annotated[SlugList, Field(min_length=1)] = Field(
        description="one or more topic ids; the first is where submitted minutes are logged"
    )
    hours: Annotated[int, Strict(), Field(ge=L.CHALLENGE_HOURS_MIN, le=L.CHALLENGE_HOURS_MAX)] = (
        Field(
            description=f"estimated hours, a whole number from {L.CHALLENGE_HOURS_MIN} "
            f"to {L.CHALLENGE_HOURS_MAX}"
        )
    )
    hints: Annotated[
        tuple[Annotated[str, bounded(L.CHALLENGE_NOTE_MAX)], ...],
        Field(max_length=L.CHALLENGE_NOTES_MAX_ITEMS),
    ] = Field(default=(), description="hints, posted as spoilers")
    stretch: Annotated[
        tuple[Annotated[str, bounded(L.CHALLENGE_NOTE_MAX)], ...],
        Field(max_length=L.CHALLENGE_NOTES_MAX_ITEMS),
    ] = Field(default=(), description="stretch goals")


class Tip(_Frozen):
    """A short resource tip the bot posts on schedule."""

    id: Slug = Field(description="a slug such as 'curl-verbose'")
    text: Annotated[str, bounded(L.TIP_TEXT_MAX)] = Field(description="the tip itself")
    topic: Slug | None = Field(default=None, description="an optional topic id")
    url: HttpsUrl | None = Field(default=None, description="an optional https:// address")


class Roadmap(_Frozen):
    """The whole curriculum, with lookups built once at construction.

    Cogs answer autocomplete and button clicks from these lookups, so each is a dictionary
    read rather than a scan; the roadmap never changes while the bot runs.
    """

    name: Annotated[str, bounded(L.ROADMAP_NAME_MAX)] = Field(description="the roadmap's name")
    description: Annotated[str, bounded(L.ROADMAP_DESCRIPTION_MAX)] = Field(
        description="what the roadmap is for and who it serves"
    )
    stages: Annotated[tuple[Stage, ...], Field(min_length=1)] = Field(
        description="at least one stage"
    )
    path: tuple[Phase, ...] = Field(default=(), description="learning-path phases")
    challenges: tuple[Challenge, ...] = Field(default=(), description="weekly challenges")
    tips: tuple[Tip, ...] = Field(default=(), description="resource tips")

    _topics: tuple[Topic, ...] = PrivateAttr(default=())
    _topic_by_id: dict[str, Topic] = PrivateAttr(default_factory=dict)
    _stage_by_topic: dict[str, Stage] = PrivateAttr(default_factory=dict)
    _challenge_by_id: dict[str, Challenge] = PrivateAttr(default_factory=dict)
    _dependents: dict[str, tuple[Topic, ...]] = PrivateAttr(default_factory=dict)
    _challenges_for: dict[str, tuple[Challenge, ...]] = PrivateAttr(default_factory=dict)
    _visible: dict[str | None, tuple[Topic, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Roadmap:
        """Reject dangling ids and cycles when a Roadmap is built outside the loader."""
        if isinstance(info.context, dict) and info.context.get(SKIP_REFERENCE_CHECKS):
            return self
        parts = RoadmapParts.from_items(self.stages, self.path, self.challenges, self.tips)
        problems = reference_problems(parts)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Build the lookups. Duplicate ids cannot reach here through the loader; if they
        did, the first occurrence wins, matching what the file order suggests."""
        topics = tuple(topic for stage in self.stages for topic in stage.topics)
        self._topics = topics
        for stage in self.stages:
            for topic in stage.topics:
                self._topic_by_id.setdefault(topic.id, topic)
                self._stage_by_topic.setdefault(topic.id, stage)
        for challenge in self.challenges:
            self._challenge_by_id.setdefault(challenge.id, challenge)
        dependents: dict[str, list[Topic]] = {}
        for topic in topics:
            for prerequisite in topic.prerequisites:
                dependents.setdefault(prerequisite, []).append(topic)
        self._dependents = {key: tuple(value) for key, value in dependents.items()}
        challenges_for: dict[str, list[Challenge]] = {}
        for challenge in self.challenges:
            for topic_id in challenge.topics:
                challenges_for.setdefault(topic_id, []).append(challenge)
        self._challenges_for = {key: tuple(value) for key, value in challenges_for.items()}
        self._visible = {None: topics}
        for track in TRACKS:
            self._visible[track] = tuple(t for t in topics if t.visible_to(track))

    @property
    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in file order (stage by stage)."""
        return self._topics

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with this id, or None."""
        return self._topic_by_id.get(topic_id)

    def stage_of(self, topic_id: str) -> Stage:
        """The stage holding this topic; KeyError for an unknown id (a programming error:
        ids come from the roadmap itself or from autocomplete, checked with `topic()`)."""
        try:
            return self._stage_by_topic[topic_id]
        except KeyError:
            raise KeyError(f"no topic with id {topic_id!r} in roadmap {self.name!r}") from None

    def challenge(self, challenge_id: str) -> Challenge | None:
        """The challenge with this id, or None."""
        return self._challenge_by_id.get(challenge_id)

    def visible_topics(self, track: str | None) -> list[Topic]:
        """The topics a member on `track` sees, in file order.

        A topic with no tracks is always visible; with `track` None (no track chosen) every
        topic is visible. An unknown track sees only the topics meant for all tracks.
        """
        cached = self._visible.get(track)
        if cached is None:
            cached = tuple(t for t in self._topics if t.visible_to(track))
        return list(cached)

    def dependents(self, topic_id: str) -> list[Topic]:
        """The topics that list `topic_id` as a prerequisite, in file order."""
        return list(self._dependents.get(topic_id, ()))

    def challenges_for(self, topic_id: str) -> list[Challenge]:
        """The challenges that exercise `topic_id`, in file order."""
        return list(self._challenges_for.get(topic_id, ()))

    def counts(self) -> dict[str, int]:
        """Sizes for `python -m bot check` and the /roadmap overview."""
        return {
            "stages": len(self.stages),
            "topics": len(self._topics),
            "resources": sum(len(t.resources) for t in self._topics),
            "challenges": len(self.challenges),
            "tips": len(self.tips),
        }
