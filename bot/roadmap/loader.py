"""Read a roadmap YAML file and report every problem in it at once.

Why this shape: the bot refuses to start on a bad roadmap, so the report must be complete and
readable by someone who has never seen a traceback. The steps:

1. YAML is parsed with a loader that also notices duplicate keys (PyYAML would silently keep
   the last one). A syntax error is one problem, located by line.
2. The whole document is validated by pydantic once, which collects every schema error (missing
   fields, wrong types, unknown keys, bad enums and slugs, texts over their limit...). Each
   error is rewritten in plain English with its YAML path.
3. The cross-reference checks (duplicate ids, unknown topic ids, prerequisite cycles) run on
   the items that validated on their own, so a broken topic does not hide a dangling
   reference somewhere else.

Nothing here raises anything but `RoadmapError`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml
from pydantic import ValidationError

from bot.roadmap.checks import RoadmapParts, reference_problems
from bot.roadmap.errors import FILE_PATH, Problem, RoadmapError
from bot.roadmap.limits import ID_PATTERN
from bot.roadmap.messages import problems_from_errors
from bot.roadmap.model import SKIP_REFERENCE_CHECKS, Roadmap

__all__ = ["load_roadmap", "parse_roadmap"]

MAX_VALUES: Final = 250_000
"""How many values (after YAML aliases are expanded) a roadmap may hold. The shipped file
(134 topics) has under 8,000; the cap stops an alias that refers to itself, or aliases nested
inside each other ("billion laughs"), from hanging the validator."""

_SLUG_RE: Final = re.compile(ID_PATTERN)

if TYPE_CHECKING or yaml.__with_libyaml__:  # libyaml parses ~10x faster than pure Python
    from yaml import CSafeLoader as _BaseLoader
else:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
    """A safe loader that records duplicate keys and turns every key into text.

    Keys such as `1:` or `yes:` would otherwise reach the validator as numbers or booleans;
    as text they are reported as unknown keys like any other typo.
    """

    duplicates: list[Problem]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                key_node, yaml.ScalarNode
            ):
                continue
            if key_node.value in seen:
                self.duplicates.append(
                    Problem(
                        f"line {key_node.start_mark.line + 1}",
                        f"the key {key_node.value!r} appears twice in the same mapping; "
                        "YAML would silently keep only the last one",
                    )
                )
            seen.add(key_node.value)
        mapping = super().construct_mapping(node, deep=deep)
        return {_key_text(key): value for key, value in mapping.items()}


def _key_text(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def load_roadmap(path: Path) -> Roadmap:
    """Load and validate the roadmap file at `path`; `RoadmapError` lists every problem."""
    source = str(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoadmapError(
            [Problem(FILE_PATH, f"is not UTF-8 text (bad byte at offset {exc.start})")], source
        ) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise RoadmapError(
            [Problem(FILE_PATH, f"cannot read the file: {reason}")], source
        ) from None
    return parse_roadmap(content, source)


def parse_roadmap(text: str, source: str = "<string>") -> Roadmap:
    """Validate roadmap YAML `text`; `source` names it in error messages (a file name)."""
    data, problems = _parse_yaml(text)
    if data is None:
        raise RoadmapError(problems, source)

    roadmap: Roadmap | None = None
    try:
        roadmap = Roadmap.model_validate(data, context={SKIP_REFERENCE_CHECKS: True})
    except ValidationError as exc:
        problems.extend(problems_from_errors(exc.errors()))
    parts = (
        RoadmapParts.from_items(roadmap.stages, roadmap.path, roadmap.challenges, roadmap.tips)
        if roadmap is not None
        else _salvage(data)
    )
    problems.extend(reference_problems(parts))
    if problems or roadmap is None:
        raise RoadmapError(problems or [Problem(FILE_PATH, "invalid roadmap")], source)
    return roadmap


def _parse_yaml(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The top-level mapping (None when unusable) and the problems found while parsing."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else FILE_PATH
        what = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        return None, [Problem(where, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(FILE_PATH, f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(FILE_PATH, "the YAML is nested too deeply to read")]
    finally:
        loader.dispose()
    if data is None:
        return None, [Problem(FILE_PATH, _EXPECTED_TOP + ", but the file is empty")]
    if not isinstance(data, dict):
        return None, [Problem(FILE_PATH, f"{_EXPECTED_TOP}, but found {_kind(data)}")]
    if _too_many_values(data):
        return None, [
            Problem(
                FILE_PATH,
                f"the file expands to more than {MAX_VALUES:,} values; a YAML alias (*name) "
                "probably refers to itself, or aliases are nested inside each other",
            )
        ]
    return data, loader.duplicates


_EXPECTED_TOP: Final = "expected a mapping with the keys name, description and stages at the top"


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "plain text"
    return f"a single value ({type(value).__name__})"


def _too_many_values(data: object) -> bool:
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _salvage(data: dict[str, Any]) -> RoadmapParts:
    """The ids and topic references of a document that failed validation, for the
    cross-checks, gathered field by field.

    Any text id counts as an id (so a reference to a topic that has other errors is not
    called unknown); only references that are well-formed slugs are checked (a malformed one
    is already reported as such).
    """
    parts = RoadmapParts()
    for i, stage in _mappings(data.get("stages")):
        where = f"stages[{i}]"
        _collect_id(where, stage, parts.stage_ids)
        for j, topic in _mappings(stage.get("topics")):
            topic_where = f"{where}.topics[{j}]"
            topic_id = _collect_id(topic_where, topic, parts.topic_ids)
            if topic_id is not None:
                refs = _slugs(topic.get("prerequisites"))
                parts.prerequisites.append((topic_where, topic_id, refs))
    for kind, ids in (
        ("path", parts.phase_ids),
        ("challenges", parts.challenge_ids),
    ):
        for i, item in _mappings(data.get(kind)):
            _collect_id(f"{kind}[{i}]", item, ids)
            parts.references.extend(
                (f"{kind}[{i}].topics[{k}]", ref) for k, ref in _slugs(item.get("topics"))
            )
    for i, tip in _mappings(data.get("tips")):
        _collect_id(f"tips[{i}]", tip, parts.tip_ids)
        ref = tip.get("topic")
        if isinstance(ref, str) and _SLUG_RE.match(ref):
            parts.references.append((f"tips[{i}].topic", ref))
    return parts


def _mappings(value: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _slugs(value: object) -> list[tuple[int, str]]:
    if not isinstance(value, list):
        return []
    return [(k, v) for k, v in enumerate(value) if isinstance(v, str) and _SLUG_RE.match(v)]


def _collect_id(where: str, item: dict[str, Any], ids: list[tuple[str, str]]) -> str | None:
    item_id = item.get("id")
    if not isinstance(item_id, str):
        return None
    ids.append((where, item_id))
    return item_id
