"""In-memory topic and challenge search, for autocomplete and /topic lookups.

Why in memory and precomputed: Discord gives autocomplete 3 seconds and a member types fast,
so every keystroke is answered from fields normalised once at start (casefolded, accents
stripped, split into words), with no database and no per-query preparation.

Ranking, best first (within a rank, roadmap order; fuzzy matches by similarity):

1. exact: the query is the title, the id or a tag;
2. prefix of the title or id;
3. prefix of a tag;
4. word prefix: every query word starts some word of the title (or id);
5. substring of the title, id or a tag;
6. substring of the summary (kept last of the exact-text ranks: summaries mention many things);
7. close misspellings (`postgress`, `kubernets`, `dokcer`), scored by rapidfuzz with a cutoff
   high enough that junk (`zzqqxx`) finds nothing rather than random topics.

Titles and ids are also compared with spaces and punctuation removed, so `nodejs` finds
"Node.js" and `ci cd` finds "CI/CD".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from rapidfuzz import fuzz

from bot.roadmap.model import Challenge, Roadmap, Topic

__all__ = ["FUZZY_CUTOFF", "FUZZY_MIN_LENGTH", "ChallengeIndex", "TopicIndex", "normalize"]

FUZZY_CUTOFF: Final = 80.0
"""Minimum rapidfuzz similarity (0-100) for a misspelling to count. At 80, one typo in a
five-letter word or a swapped pair in a longer one passes (`dokcer` 83, `postgress` 89 against
"postgresq...", `kubernets` 95) while unrelated words of similar length stay out."""

FUZZY_MIN_LENGTH: Final = 4
"""Queries shorter than this are not fuzzy-matched: with three letters almost anything is
one typo away from something."""

ANSWERS_KEPT: Final = 4096
"""Searches whose answers TopicIndex keeps (oldest dropped first): a few hundred kilobytes."""

_EXACT, _PREFIX, _TAG_PREFIX, _WORD_PREFIX, _SUBSTRING, _SUMMARY, _FUZZY = range(7)
_WORD = re.compile(r"[^\W_]+")

T = TypeVar("T")


def normalize(text: str) -> str:
    """Casefolded, accents stripped, runs of whitespace collapsed: `Café  API` -> `cafe api`."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _words(normalized: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalized))


def _compact(normalized: str) -> str:
    return "".join(_WORD.findall(normalized))


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    """One searchable item with every field prepared at construction."""

    item: T
    order: int
    title: str
    id: str
    tags: tuple[str, ...]
    summary: str
    title_compact: str
    id_compact: str
    tags_compact: tuple[str, ...]
    words: tuple[str, ...]  # title words, then id words
    fuzzy_words: tuple[str, ...]  # words, plus tags, without repeats

    @classmethod
    def build(
        cls, item: T, order: int, title: str, id_: str, tags: Iterable[str], summary: str
    ) -> _Entry[T]:
        n_title, n_id = normalize(title), normalize(id_)
        n_tags = tuple(normalize(tag) for tag in tags)
        words = _words(n_title) + _words(n_id)
        return cls(
            item=item,
            order=order,
            title=n_title,
            id=n_id,
            tags=n_tags,
            summary=normalize(summary),
            title_compact=_compact(n_title),
            id_compact=_compact(n_id),
            tags_compact=tuple(_compact(tag) for tag in n_tags),
            words=words,
            fuzzy_words=tuple(dict.fromkeys(words + n_tags)),
        )


@dataclass(frozen=True, slots=True)
class _Query:
    text: str
    compact: str
    words: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> _Query:
        text = normalize(query)
        return cls(text=text, compact=_compact(text), words=_words(text))


def _rank(entry: _Entry[T], q: _Query) -> tuple[int, float] | None:
    """(rank, -similarity) of `entry` for `q`, or None when it does not match at all."""
    text, compact = q.text, q.compact
    if (
        text in (entry.title, entry.id)
        or text in entry.tags
        or (compact and compact in (entry.title_compact, entry.id_compact))
    ):
        return (_EXACT, 0.0)
    if (
        entry.title.startswith(text)
        or entry.id.startswith(text)
        or (
            compact
            and (entry.title_compact.startswith(compact) or entry.id_compact.startswith(compact))
        )
    ):
        return (_PREFIX, 0.0)
    if any(tag.startswith(text) for tag in entry.tags) or (
        compact and any(tag.startswith(compact) for tag in entry.tags_compact)
    ):
        return (_TAG_PREFIX, 0.0)
    if q.words and all(any(w.startswith(qw) for w in entry.words) for qw in q.words):
        return (_WORD_PREFIX, 0.0)
    if (
        text in entry.title
        or text in entry.id
        or any(text in tag for tag in entry.tags)
        or (compact and (compact in entry.title_compact or compact in entry.id_compact))
    ):
        return (_SUBSTRING, 0.0)
    if text in entry.summary:
        return (_SUMMARY, 0.0)
    score = _fuzzy(entry, q)
    return (_FUZZY, -score) if score is not None else None


def _fuzzy(entry: _Entry[T], q: _Query) -> float | None:
    """The weakest query word's best similarity to a word of the entry, if all pass."""
    if len(q.compact) < FUZZY_MIN_LENGTH or not q.words:
        return None
    weakest = 100.0
    for qw in q.words:
        if len(qw) < 3:  # short words ("a", "of", "go") must be spelled right
            if not any(w.startswith(qw) for w in entry.words):
                return None
            continue
        best = max((_similarity(qw, w) for w in entry.fuzzy_words), default=0.0)
        if best < FUZZY_CUTOFF:
            whole = fuzz.ratio(q.compact, entry.title_compact, score_cutoff=FUZZY_CUTOFF)
            return whole or None  # a misspelled multi-word title typed without spaces
        weakest = min(weakest, best)
    return weakest


def _similarity(query_word: str, word: str) -> float:
    """Similarity of a query word to a word, also against the word's start, so a misspelled
    beginning (`posgre`) still finds the longer word while the member is typing."""
    score = fuzz.ratio(query_word, word)
    for length in (len(query_word), len(query_word) + 1):
        if len(word) > length:
            score = max(score, fuzz.ratio(query_word, word[:length]))
    return score


class _Index(Generic[T]):
    """Shared ranking over prepared entries; subclasses decide what an entry is made of."""

    def __init__(self, entries: list[_Entry[T]]) -> None:
        self._entries = entries

    def _search(self, query: str, limit: int, keep: Callable[[T], bool]) -> list[T]:
        if limit <= 0:
            return []
        candidates = [entry for entry in self._entries if keep(entry.item)]
        q = _Query.parse(query)
        if not q.text:
            return [entry.item for entry in candidates[:limit]]
        ranked: list[tuple[int, float, int, T]] = []
        for entry in candidates:
            rank = _rank(entry, q)
            if rank is not None:
                ranked.append((rank[0], rank[1], entry.order, entry.item))
        ranked.sort(key=lambda row: row[:3])
        return [row[3] for row in ranked[:limit]]


class TopicIndex(_Index[Topic]):
    """Search the roadmap's topics by title, id, tags and summary (see the module doc)."""

    def __init__(self, roadmap: Roadmap) -> None:
        super().__init__(
            [
                _Entry.build(topic, n, topic.title, topic.id, topic.tags, topic.summary)
                for n, topic in enumerate(roadmap.topics)
            ]
        )
        self._answers: dict[tuple[str, str | None, int], list[Topic]] = {}

    def search(self, query: str, *, track: str | None = None, limit: int = 25) -> list[Topic]:
        """Up to `limit` topics visible on `track`, best match first; an empty query lists
        the first visible topics in roadmap order.

        Answers are remembered (the roadmap never changes while the bot runs): members type
        the same few letters all day, and a ranking costs about a millisecond of Python.
        """
        key = (query, track, limit)
        found = self._answers.get(key)
        if found is None:
            found = self._search(query, limit, lambda topic: topic.visible_to(track))
            if len(self._answers) >= ANSWERS_KEPT:
                self._answers.pop(next(iter(self._answers)))  # the oldest
            self._answers[key] = found
        return list(found)


class ChallengeIndex(_Index[Challenge]):
    """Search the roadmap's challenges by title and id, on the same ranking as topics."""

    def __init__(self, roadmap: Roadmap) -> None:
        super().__init__(
            [
                _Entry.build(challenge, n, challenge.title, challenge.id, (), "")
                for n, challenge in enumerate(roadmap.challenges)
            ]
        )

    def search(self, query: str, *, limit: int = 25) -> list[Challenge]:
        """Up to `limit` challenges, best match first; an empty query lists the first ones."""
        return self._search(query, limit, lambda _challenge: True)
