"""Cross-reference checks: duplicate ids, dangling topic ids, prerequisite cycles.

Why separate from the models: these rules span the whole file, and the loader must run them
even when some items failed their own validation (a file with a missing field in one topic
and an unknown prerequisite in another reports both). So the checks work on `RoadmapParts`:
the ids and topic references gathered field by field, each with the YAML path it came from,
from a valid roadmap or salvaged from a broken document.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.roadmap.errors import Problem

if TYPE_CHECKING:
    from bot.roadmap.model import Challenge, Phase, Stage, Tip

__all__ = ["RoadmapParts", "reference_problems"]


@dataclass
class RoadmapParts:
    """The located ids and references of a (possibly partly invalid) roadmap.

    Only what the cross-checks need is kept, field by field, so a topic whose title is too
    long still has its prerequisites checked. Paths are YAML paths.

    - `*_ids`: (item path, id) for every item whose id is at least a string, valid or not:
      a reference to a topic that exists but has another error is not reported as unknown.
    - `prerequisites`: (topic path, topic id, [(index, referenced id)...]) per topic.
    - `references`: (path of the reference, referenced topic id) for phases, challenges, tips.
    """

    stage_ids: list[tuple[str, str]] = field(default_factory=list)
    topic_ids: list[tuple[str, str]] = field(default_factory=list)
    phase_ids: list[tuple[str, str]] = field(default_factory=list)
    challenge_ids: list[tuple[str, str]] = field(default_factory=list)
    tip_ids: list[tuple[str, str]] = field(default_factory=list)
    prerequisites: list[tuple[str, str, list[tuple[int, str]]]] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_items(
        cls,
        stages: Sequence[Stage],
        path: Sequence[Phase],
        challenges: Sequence[Challenge],
        tips: Sequence[Tip],
    ) -> RoadmapParts:
        """The parts of a roadmap whose every item is already valid."""
        parts = cls()
        for i, stage in enumerate(stages):
            parts.stage_ids.append((f"stages[{i}]", stage.id))
            for j, topic in enumerate(stage.topics):
                where = f"stages[{i}].topics[{j}]"
                parts.topic_ids.append((where, topic.id))
                parts.prerequisites.append((where, topic.id, list(enumerate(topic.prerequisites))))
        for i, phase in enumerate(path):
            parts.phase_ids.append((f"path[{i}]", phase.id))
            parts.references.extend(
                (f"path[{i}].topics[{k}]", ref) for k, ref in enumerate(phase.topics)
            )
        for i, challenge in enumerate(challenges):
            parts.challenge_ids.append((f"challenges[{i}]", challenge.id))
            parts.references.extend(
                (f"challenges[{i}].topics[{k}]", ref) for k, ref in enumerate(challenge.topics)
            )
        for i, tip in enumerate(tips):
            parts.tip_ids.append((f"tips[{i}]", tip.id))
            if tip.topic is not None:
                parts.references.append((f"tips[{i}].topic", tip.topic))
        return parts


def reference_problems(parts: RoadmapParts) -> list[Problem]:
    """Every cross-reference problem in `parts`: duplicate ids, then unknown or self
    prerequisites, then other unknown topic references, then cycles."""
    problems: list[Problem] = []
    for kind, ids in (
        ("stage", parts.stage_ids),
        ("topic", parts.topic_ids),
        ("phase", parts.phase_ids),
        ("challenge", parts.challenge_ids),
        ("tip", parts.tip_ids),
    ):
        problems.extend(_duplicates(kind, ids))

    known = {topic_id for _, topic_id in parts.topic_ids}
    for where, topic_id, prerequisites in parts.prerequisites:
        for k, prerequisite in prerequisites:
            ref = f"{where}.prerequisites[{k}]"
            if prerequisite == topic_id:
                problems.append(Problem(ref, "a topic cannot be its own prerequisite"))
            elif prerequisite not in known:
                problems.append(_unknown_topic(ref, prerequisite, known))
    for where, ref in parts.references:
        if ref not in known:
            problems.append(_unknown_topic(where, ref, known))
    problems.extend(_cycles(parts.prerequisites))
    return problems


def _duplicates(kind: str, ids: Iterable[tuple[str, str]]) -> list[Problem]:
    first_seen: dict[str, str] = {}
    problems: list[Problem] = []
    for where, item_id in ids:
        if item_id in first_seen:
            problems.append(
                Problem(
                    f"{where}.id",
                    f"duplicate {kind} id {item_id!r}: already used at {first_seen[item_id]}; "
                    f"{kind} ids must be unique",
                )
            )
        else:
            first_seen[item_id] = where
    return problems


def _unknown_topic(where: str, ref: str, known: set[str]) -> Problem:
    close = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return Problem(where, f"unknown topic id {ref!r}: no topic has this id{hint}")


def _cycles(prerequisites: Sequence[tuple[str, str, list[tuple[int, str]]]]) -> list[Problem]:
    """One problem per tangle of prerequisites (strongly connected component), naming the
    shortest cycle through its first topic in file order, e.g. `a -> b -> a`.

    Self-prerequisites are reported elsewhere and ignored here, as are references to unknown
    topics. With duplicate topic ids (reported elsewhere), the first topic wins.
    """
    order: dict[str, int] = {}
    where_of: dict[str, str] = {}
    edges: dict[str, list[tuple[int, str]]] = {}
    for where, topic_id, refs in prerequisites:
        if topic_id not in order:
            order[topic_id] = len(order)
            where_of[topic_id] = where
            edges[topic_id] = refs
    graph = {
        topic_id: [ref for _, ref in refs if ref in order and ref != topic_id]
        for topic_id, refs in edges.items()
    }
    found: list[tuple[int, Problem]] = []
    for component in _strongly_connected(list(order), graph):
        if len(component) < 2:
            continue
        start = min(component, key=order.__getitem__)
        cycle = _shortest_cycle(start, graph, set(component))
        step = next(k for k, ref in edges[start] if ref == cycle[1])
        problem = Problem(
            f"{where_of[start]}.prerequisites[{step}]",
            "prerequisites form a cycle: " + " -> ".join(cycle),
        )
        found.append((order[start], problem))
    found.sort(key=lambda pair: pair[0])
    return [problem for _, problem in found]


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so a long prerequisite chain cannot hit the recursion
    limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges[node]
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _shortest_cycle(start: str, edges: dict[str, list[str]], within: set[str]) -> list[str]:
    """Breadth-first search from `start` back to itself inside one component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in edges[node]:
                if nxt not in within:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    path.reverse()
                    return [*path, start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start, start]  # unreachable for a real component; keeps the type simple
