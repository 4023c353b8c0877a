"""Turn pydantic's validation errors into plain-English problems with YAML paths.

Why rewrite them: pydantic speaks about Python ("Input should be a valid string", a loc tuple);
the person fixing the file needs `stages[2].topics[5].title: is 97 characters long; the limit
is 80`, and for an unknown key, the key they probably meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Iterable
from typing import Any, Final, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from bot.roadmap.errors import FILE_PATH, Problem
from bot.roadmap.model import Roadmap

__all__ = ["format_path", "problems_from_errors"]

_PLAIN_KEY: Final = re.compile(r"^[^\s.\[\]'\"]+$")


def format_path(loc: tuple[int | str, ...]) -> str:
    """`("stages", 2, "topics", 5, "title")` -> `stages[2].topics[5].title`."""
    out = ""
    for segment in loc:
        if isinstance(segment, int):
            out += f"[{segment}]"
        elif _PLAIN_KEY.match(segment):
            out += f".{segment}" if out else segment
        else:
            out += f"[{segment!r}]"
    return out or FILE_PATH


def problems_from_errors(errors: Iterable[ErrorDetails]) -> list[Problem]:
    """pydantic's errors as `Problem`s a curriculum author can act on.

    Drops the echo pydantic adds when items of a list fail: it then counts only the valid
    items against the list's minimum length and reports "at least 1 item, not 0" for a list
    that has items. The items' own errors say what is wrong.
    """
    problems: list[Problem] = []
    for error in errors:
        loc = tuple(error["loc"])
        value = error.get("input")
        if error["type"] == "too_short" and isinstance(value, list | tuple):
            minimum = (error.get("ctx") or {}).get("min_length", 0)
            if len(value) >= minimum:
                continue
        problems.append(Problem(format_path(loc), _message(error, loc)))
    return problems


def _message(error: ErrorDetails, loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "missing":
        description = _field_description(loc)
        return "required, but missing" + (f"; expected {description}" if description else "")
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "string_type":
        return f"must be text, but found {_describe(value)}"
    if kind == "string_too_long":
        actual = len(value.strip()) if isinstance(value, str) else "?"
        return f"is {actual} characters long; the limit is {ctx.get('max_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number, but found {_describe(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, but found {_describe(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, but is {value}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, but is {value}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, but found {_describe(value)}"
    if kind == "too_short":
        return (
            f"must list at least {_items(ctx.get('min_length'))}, "
            f"but has {ctx.get('actual_length')}"
        )
    if kind == "too_long":
        return (
            f"must list at most {_items(ctx.get('max_length'))}, but has {ctx.get('actual_length')}"
        )
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list (lines starting with '- '), but found {_describe(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"must be a mapping (key: value lines), but found {_describe(value)}"
    if kind == "recursion_loop":
        return "refers to itself through a YAML alias"
    return str(error["msg"]).removeprefix("Value error, ")


def _length(value: object) -> object:
    return len(value) if isinstance(value, list | tuple | str | dict) else "?"


def _items(count: object) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _describe(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return (
            f"{str(value).lower()} (YAML reads yes/no/on/off/true/false as a boolean; "
            "put the text in quotes)"
        )
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()} (put it in quotes to make it text)"
    return f"a {type(value).__name__}"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    key = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return f"unknown key {key!r}"
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    return f"unknown key {key!r}; the allowed keys are {', '.join(allowed)}"


def _field_description(loc: tuple[int | str, ...]) -> str | None:
    if not loc or not isinstance(loc[-1], str):
        return None
    model = _model_at(loc[:-1])
    if model is None or loc[-1] not in model.model_fields:
        return None
    return model.model_fields[loc[-1]].description


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` (None if `loc` is not a model)."""
    current: Any = Roadmap
    for segment in loc:
        if isinstance(segment, int):
            current = _item_type(current)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(segment)
            if field is None:
                return None
            current = _strip(field.annotation)
        else:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _strip(annotation: Any) -> Any:
    """Unwrap `X | None` (pydantic has already removed `Annotated`)."""
    if get_origin(annotation) in {Union, types.UnionType}:
        members = [a for a in get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def _item_type(annotation: Any) -> Any:
    if get_origin(annotation) in {tuple, list}:
        args = get_args(annotation)
        if args:
            return _strip(_unannotate(args[0]))
    return None


def _unannotate(annotation: Any) -> Any:
    metadata = getattr(annotation, "__metadata__", None)
    return annotation.__origin__ if metadata is not None else annotation
