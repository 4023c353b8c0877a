"""Reusable, strict field types for the roadmap models, each with an error message for people.

Why custom validators instead of bare regex patterns: pydantic's own message for a failed
pattern ("String should match pattern '^[a-z]...'") tells a curriculum author nothing; these
raise `PydanticCustomError`s whose text says what a good value looks like.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from bot.roadmap import limits as L

__all__ = [
    "HttpsUrl",
    "Slug",
    "SlugList",
    "StrictBool",
    "Tag",
    "bounded",
    "check_months",
    "check_unique",
]

_ID_RE = re.compile(L.ID_PATTERN)
_TAG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def bounded(max_length: int) -> StringConstraints:
    """Constraints for a non-blank, strict string of at most `max_length` characters.

    Surrounding spaces, and the trailing newline a YAML `>` block leaves, are dropped before
    counting, so the limit is about what a member will actually see.
    """
    return StringConstraints(
        strict=True, strip_whitespace=True, min_length=1, max_length=max_length
    )


def check_slug(value: str) -> str:
    """An id: lowercase letters, digits and single hyphens, starting with a letter."""
    if len(value) > L.ID_MAX:
        raise PydanticCustomError(
            "slug_too_long",
            "ids are at most {limit} characters; this one has {actual}",
            {"limit": L.ID_MAX, "actual": len(value)},
        )
    if not _ID_RE.match(value):
        raise PydanticCustomError(
            "slug",
            "{value} is not a valid id: use lowercase letters, digits and single hyphens, "
            "starting with a letter (like 'http-basics')",
            {"value": repr(value)},
        )
    return value


def check_tag(value: str) -> str:
    """A tag: a lowercase word or slug; a leading digit is fine ('12-factor')."""
    if not _TAG_RE.match(value):
        raise PydanticCustomError(
            "tag",
            "{value} is not a valid tag: use a lowercase word or slug (like 'web' or 'ci-cd')",
            {"value": repr(value)},
        )
    return value


def check_https(value: str) -> str:
    """Links must be https: members click them from Discord, and http is a downgrade risk."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
        raise PydanticCustomError(
            "https_url",
            "must be a full https:// address without spaces (got {value})",
            {"value": repr(value[:80])},
        )
    return value


def check_unique(values: tuple[str, ...]) -> tuple[str, ...]:
    """A list of ids or tags that names the same thing twice is a copy-paste slip."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate_item", "lists {value} more than once", {"value": repr(value)}
            )
        seen.add(value)
    return values


def check_months(value: object) -> tuple[int, int]:
    """`months: [first, last]`, checked by hand so the messages talk about months."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise PydanticCustomError(
            "months", "must be a pair [first, last] of month numbers, like [1, 3]"
        )
    first, last = value
    for month in (first, last):
        if isinstance(month, bool) or not isinstance(month, int):
            raise PydanticCustomError(
                "months",
                "months must be whole numbers, like [1, 3] (got {value})",
                {"value": repr(month)},
            )
        if not L.MONTH_MIN <= month <= L.MONTH_MAX:
            raise PydanticCustomError(
                "months",
                "months must be between {low} and {high} (got {value})",
                {"low": L.MONTH_MIN, "high": L.MONTH_MAX, "value": month},
            )
    if first > last:
        raise PydanticCustomError(
            "months_reversed",
            "the range is reversed: first month {first} comes after last month {last}; "
            "write [first, last]",
            {"first": first, "last": last},
        )
    return (first, last)


Slug = Annotated[str, Strict(), AfterValidator(check_slug)]
Tag = Annotated[
    str, StringConstraints(strict=True, max_length=L.TAG_MAX), AfterValidator(check_tag)
]
HttpsUrl = Annotated[
    str,
    StringConstraints(strict=True, strip_whitespace=True, max_length=L.URL_MAX),
    AfterValidator(check_https),
]
SlugList = Annotated[tuple[Slug, ...], AfterValidator(check_unique)]
StrictBool = Annotated[bool, Strict()]
