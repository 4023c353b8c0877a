"""Embeds for browsing the roadmap: the overview, a stage's topics, a topic, the path, resources.

Every function here is pure (roadmap + a member's progress in, embeds out) and keeps each text
inside Discord's limits, so the cogs only decide *what* to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.core.progress_view import TopicProgress
from bot.roadmap import Phase, Resource, Roadmap, Stage, Topic
from bot.ui.format import minutes_text, progress_bar, truncate
from bot.ui.paginator import chunked

COLOUR = discord.Colour.from_rgb(88, 166, 92)
STATUS_ICON = {"done": "✅", "started": "🟡", "todo": "⬜"}
STATUS_WORD = {"done": "done", "started": "in progress", "todo": "not started"}
KIND_ICON = {
    "docs": "📘",
    "book": "📚",
    "course": "🎓",
    "video": "🎬",
    "article": "📰",
    "practice": "🏋️",
}
FIELD_MAX = 1024
TOPICS_PER_PAGE = 12


def stage_topics(stage: Stage, track: str | None) -> list[Topic]:
    return [t for t in stage.topics if t.visible_to(track)]


def completion(topics: Sequence[Topic], progress: TopicProgress) -> tuple[int, int]:
    return sum(1 for t in topics if progress.is_done(t.id)), len(topics)


def overview(roadmap: Roadmap, progress: TopicProgress, track: str | None) -> discord.Embed:
    """All stages with topic counts and the member's completion as bars."""
    embed = discord.Embed(
        title=truncate(roadmap.name, 256),
        description=truncate(roadmap.description, 1000),
        colour=COLOUR,
    )
    for number, stage in enumerate(roadmap.stages[:24], start=1):
        done, total = completion(stage_topics(stage, track), progress)
        embed.add_field(
            name=truncate(f"{number}. {stage.title}", 256),
            value=truncate(f"`{progress_bar(done, total)}` {done}/{total} topics", FIELD_MAX),
            inline=False,
        )
    done, total = completion(roadmap.visible_topics(track), progress)
    embed.set_footer(
        text=f"{_track_label(track)} · {done} of {total} topics done · pick a stage below"
    )
    return embed


def stage_pages(
    stage: Stage, number: int, progress: TopicProgress, track: str | None
) -> list[discord.Embed]:
    """A stage's topics with the member's status, split into pages."""
    topics = stage_topics(stage, track)
    done, total = completion(topics, progress)
    lines = [_topic_line(topic, progress) for topic in topics]
    pages = chunked(lines, per_page=TOPICS_PER_PAGE) or [["No topics on your track here."]]
    embeds = []
    for index, page in enumerate(pages, start=1):
        embed = discord.Embed(
            title=truncate(f"{number}. {stage.title}", 256),
            description=truncate(stage.summary, 400) + "\n\n" + "\n".join(page),
            colour=COLOUR,
        )
        footer = f"{done}/{total} done · {_track_label(track)} · open one with /topic"
        if len(pages) > 1:
            footer = f"Page {index}/{len(pages)} · " + footer
        embed.set_footer(text=footer)
        embeds.append(embed)
    return embeds


def _topic_line(topic: Topic, progress: TopicProgress) -> str:
    status = progress.status(topic.id)
    spent = progress.minutes_on(topic.id)
    extra = f" · {minutes_text(spent)} logged" if spent else ""
    return f"{STATUS_ICON[status]} **{topic.title}** · ~{topic.hours} h{extra}"


def topic_embed(
    roadmap: Roadmap, topic: Topic, progress: TopicProgress, track: str | None
) -> discord.Embed:
    """Everything about one topic, and where the member stands on it."""
    stage = roadmap.stage_of(topic.id)
    status = progress.status(topic.id)
    embed = discord.Embed(
        title=truncate(topic.title, 256), description=truncate(topic.summary, 4096), colour=COLOUR
    )
    embed.set_author(name=truncate(f"{roadmap.name} › {stage.title}", 256))
    embed.add_field(name="Why it matters", value=truncate(topic.why, FIELD_MAX), inline=False)
    checklist = [
        f"{STATUS_ICON['done'] if status == 'done' else '▫️'} {item}" for item in topic.checklist
    ]
    embed.add_field(name="You should be able to", value=_lines(checklist), inline=False)
    embed.add_field(name="Resources", value=_lines(resource_lines(topic.resources)), inline=False)
    if topic.prerequisites:
        prereqs = []
        for prerequisite_id in topic.prerequisites:
            prerequisite = roadmap.topic(prerequisite_id)
            if prerequisite is not None:
                icon = STATUS_ICON[progress.status(prerequisite.id)]
                prereqs.append(f"{icon} {prerequisite.title}")
        embed.add_field(name="Learn first", value=_lines(prereqs), inline=False)
    challenges = roadmap.challenges_for(topic.id)
    if challenges:
        embed.add_field(
            name="Related challenges",
            value=_lines([f"🏁 {c.title} ({c.difficulty})" for c in challenges]),
            inline=False,
        )
    embed.add_field(name="Estimated time", value=f"~{topic.hours} h")
    embed.add_field(
        name="Your status",
        value=f"{STATUS_ICON[status]} {STATUS_WORD[status]} · "
        + minutes_text(progress.minutes_on(topic.id)),
    )
    footer = f"id: {topic.id}"
    if topic.tags:
        footer += " · tags: " + ", ".join(topic.tags)
    if topic.tracks:
        footer += " · track: " + ", ".join(topic.tracks)
    embed.set_footer(text=truncate(footer, 2048))
    return embed


def resource_lines(resources: Iterable[Resource]) -> list[str]:
    return [
        f"{KIND_ICON.get(r.kind, '🔗')} [{_link_text(r.title)}]({r.url}) · {r.kind} · "
        + ("free" if r.free else "paid")
        for r in resources
    ]


def _link_text(title: str) -> str:
    return title.replace("[", "(").replace("]", ")")


def resources_embed(topic: Topic, kind: str | None) -> discord.Embed:
    chosen = [r for r in topic.resources if kind is None or r.kind == kind]
    if chosen:
        description = "\n".join(resource_lines(chosen))
    else:
        kinds = ", ".join(sorted({r.kind for r in topic.resources}))
        description = f"No {kind} resources for this topic. It has: {kinds}."
    embed = discord.Embed(
        title=truncate(f"Resources: {topic.title}", 256),
        description=truncate(description, 4096),
        colour=COLOUR,
    )
    embed.set_footer(text="Official documentation comes first. Suggest more to your moderators.")
    return embed


def path_embed(roadmap: Roadmap, progress: TopicProgress, track: str | None) -> discord.Embed:
    """The learning path's phases with goals, and the phase the member is in now."""
    current = current_phase(roadmap.path, progress, track, roadmap)
    embed = discord.Embed(
        title=truncate(f"Learning path: {roadmap.name}", 256),
        description=(
            f"You are in **{current.title}**: finish its topics to move on."
            if current is not None
            else "You have finished every phase of the path. Time to mentor someone!"
        ),
        colour=COLOUR,
    )
    for phase in roadmap.path[:25]:
        topics = [t for t in (roadmap.topic(i) for i in phase.topics) if t and t.visible_to(track)]
        done, total = completion(topics, progress)
        first, last = phase.months
        marker = "👉 " if phase is current else ""
        goals = [f"• {goal}" for goal in phase.goals]
        value = _lines([f"`{progress_bar(done, total)}` {done}/{total} topics", *goals])
        embed.add_field(
            name=truncate(f"{marker}{phase.title} (months {first}-{last})", 256),
            value=value,
            inline=False,
        )
    return embed


def current_phase(
    phases: Sequence[Phase], progress: TopicProgress, track: str | None, roadmap: Roadmap
) -> Phase | None:
    """The first phase with a visible topic not yet done."""
    for phase in phases:
        for topic_id in phase.topics:
            topic = roadmap.topic(topic_id)
            if topic and topic.visible_to(track) and not progress.is_done(topic_id):
                return phase
    return None


def _lines(lines: Sequence[str], limit: int = FIELD_MAX) -> str:
    """Join lines into one field value; when they don't fit, end with how many were left out."""
    if not lines:
        return "—"
    shown: list[str] = []
    for index, line in enumerate(lines):
        remaining = len(lines) - index
        tail = f"\n…and {remaining} more" if remaining > 1 else ""
        candidate = "\n".join([*shown, truncate(line, 300)])
        if len(candidate) + len(tail) > limit:
            shown.append(f"…and {remaining} more")
            break
        shown.append(truncate(line, 300))
    return truncate("\n".join(shown), limit)


def _track_label(track: str | None) -> str:
    return f"track: {track}" if track else "all tracks"
