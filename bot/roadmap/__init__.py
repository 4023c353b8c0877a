"""The roadmap: the curriculum file's model, loader/validator and in-memory search.

Discord-free by rule (DESIGN.md): nothing in this package imports `discord`, so the
curriculum can be checked in CI and by `python -m bot check` without a bot.
"""

from bot.roadmap.errors import Problem, RoadmapError
from bot.roadmap.loader import load_roadmap, parse_roadmap
from bot.roadmap.model import Challenge, Phase, Resource, Roadmap, Stage, Tip, Topic
from bot.roadmap.search import ChallengeIndex, TopicIndex

__all__ = [
    "Challenge",
    "ChallengeIndex",
    "Phase",
    "Problem",
    "Resource",
    "Roadmap",
    "RoadmapError",
    "Stage",
    "Tip",
    "Topic",
    "TopicIndex",
    "load_roadmap",
    "parse_roadmap",
]
