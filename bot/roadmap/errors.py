"""The one error the roadmap package raises, and the problems it carries.

Why a list and not the first failure: a curriculum author fixing a 3,000-line YAML file wants
every mistake in one run (Red's trivia tests taught this), each one with the YAML path that
leads to it, so the fix is a search away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["FILE_PATH", "Problem", "RoadmapError"]

FILE_PATH = "(file)"
"""The path used for a problem that concerns the whole file (unreadable, not a mapping...)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a roadmap file.

    `path` is where to look: a YAML path such as `stages[2].topics[5].resources[0].url`,
    `line 12` for a YAML syntax error, or `(file)` for the file as a whole. `message` is
    plain English and says what was expected.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class RoadmapError(Exception):
    """A roadmap file could not be loaded; `problems` lists every reason at once.

    `str()` gives one problem a line, each prefixed by the file name, ready for a log or the
    `python -m bot check` output.
    """

    def __init__(self, problems: Iterable[Problem], source: str = "<string>") -> None:
        self.problems: list[Problem] = list(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return f"{self.source}: invalid roadmap"
        return "\n".join(f"{self.source}: {problem}" for problem in self.problems)

    def __str__(self) -> str:
        return self._render()

    @property
    def paths(self) -> list[str]:
        """The path of every problem, in order: handy in tests and summaries."""
        return [problem.path for problem in self.problems]
