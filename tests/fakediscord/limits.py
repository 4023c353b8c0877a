"""Discord's documented limits, checked on every body the bot sends.

Real Discord answers a breach with ``400 Invalid Form Body``, often only in production when a
member finally types a long name.  The fake records each breach as a readable string instead
(``"POST /channels/{id}/messages: embeds[0].title is 300 characters (max 256)"``), so one test
assertion (``assert discord.violations == []``) catches them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

EMBED_TOTAL_MAX = 6000
MENTION_RE = re.compile(r"<@(!?|&)(\d+)>")
COMPONENTS_V2_FLAG = 1 << 15


class Checker:
    """Collects violations for one request; ``where`` prefixes every message."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.problems.append(
            f"{self.where}: {path} {problem}" if path else f"{self.where}: {problem}"
        )

    def text(self, path: str, value: Any, *, max_len: int, min_len: int = 0) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add(path, f"is {type(value).__name__}, expected a string")
            return
        if len(value) > max_len:
            self.add(path, f"is {len(value)} characters (max {max_len})")
        elif len(value) < min_len:
            self.add(path, f"is {len(value)} characters (min {min_len})")

    def count(self, path: str, items: Any, *, max_items: int, min_items: int = 0) -> list[Any]:
        if items is None:
            return []
        if not isinstance(items, list):
            self.add(path, "is not a list")
            return []
        if len(items) > max_items:
            self.add(path, f"has {len(items)} items (max {max_items})")
        elif len(items) < min_items:
            self.add(path, f"has {len(items)} items (min {min_items})")
        return items


# -- messages -------------------------------------------------------------------------------------


def check_message(
    c: Checker, body: dict[str, Any], *, prefix: str = "", permitted_pings: Iterable[int] = ()
) -> None:
    """Content, embeds, components and mentions of a message create/edit body."""
    c.text(f"{prefix}content", body.get("content"), max_len=2000)
    embeds = c.count(f"{prefix}embeds", body.get("embeds"), max_items=10)
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(c, f"{prefix}embeds[{i}]", embed)
    if total > EMBED_TOTAL_MAX:
        c.add(f"{prefix}embeds", f"hold {total} characters in all (max {EMBED_TOTAL_MAX})")
    flags = body.get("flags") or 0
    check_components(
        c, body.get("components"), prefix=prefix, v2=bool(int(flags) & COMPONENTS_V2_FLAG)
    )
    _check_mentions(c, body, prefix=prefix, permitted=set(permitted_pings))


def _check_embed(c: Checker, path: str, embed: Any) -> int:
    if not isinstance(embed, dict):
        c.add(path, "is not an object")
        return 0
    total = 0
    for key, max_len in (("title", 256), ("description", 4096)):
        value = embed.get(key)
        c.text(f"{path}.{key}", value, max_len=max_len)
        total += len(value) if isinstance(value, str) else 0
    fields = c.count(f"{path}.fields", embed.get("fields"), max_items=25)
    for j, fld in enumerate(fields):
        name, value = fld.get("name"), fld.get("value")
        c.text(f"{path}.fields[{j}].name", name, max_len=256, min_len=1)
        c.text(f"{path}.fields[{j}].value", value, max_len=1024, min_len=1)
        total += len(name or "") + len(value or "")
    footer = (embed.get("footer") or {}).get("text")
    c.text(f"{path}.footer.text", footer, max_len=2048)
    author = (embed.get("author") or {}).get("name")
    c.text(f"{path}.author.name", author, max_len=256)
    return total + len(footer or "") + len(author or "")


def _check_mentions(c: Checker, body: dict[str, Any], *, prefix: str, permitted: set[int]) -> None:
    """A ping must be explicitly allowed (DESIGN: ping nobody unless opted in)."""
    content = body.get("content")
    if not isinstance(content, str):
        return
    am = body.get("allowed_mentions")
    parse = set(am.get("parse", [])) if isinstance(am, dict) else {"everyone", "users", "roles"}
    users = {int(u) for u in am.get("users", [])} if isinstance(am, dict) else set()
    roles = {int(r) for r in am.get("roles", [])} if isinstance(am, dict) else set()
    why = "without allowed_mentions" if am is None else "and allowed_mentions allows it"
    for word in ("@everyone", "@here"):
        if word in content and "everyone" in parse:
            c.add(f"{prefix}content", f"would ping {word} {why}")
    for match in MENTION_RE.finditer(content):
        target = int(match.group(2))
        if target in permitted:
            continue
        is_role = match.group(1) == "&"
        allowed = (
            ("roles" in parse or target in roles)
            if is_role
            else ("users" in parse or target in users)
        )
        if allowed:
            c.add(f"{prefix}content", f"would ping {match.group(0)} {why}")


# -- components -----------------------------------------------------------------------------------


def check_components(c: Checker, components: Any, *, prefix: str = "", v2: bool = False) -> None:
    """Action rows of buttons/selects (classic) or a components-v2 tree (count only)."""
    path = f"{prefix}components"
    if components is None:
        return
    if v2:
        total = _count_tree(components)
        if total > 40:
            c.add(path, f"hold {total} components (max 40)")
        for i, comp in enumerate(components):
            _walk_v2(c, f"{path}[{i}]", comp)
        return
    rows = c.count(path, components, max_items=5)
    for i, row in enumerate(rows):
        rpath = f"{path}[{i}]"
        if not isinstance(row, dict) or row.get("type") != 1:
            c.add(rpath, "is not an action row (type 1)")
            continue
        _check_row(c, rpath, row)


def _check_row(c: Checker, rpath: str, row: dict[str, Any]) -> None:
    children = c.count(f"{rpath}.components", row.get("components"), max_items=5, min_items=1)
    kinds = {child.get("type") for child in children if isinstance(child, dict)}
    if kinds - {2} and len(children) > 1:
        c.add(f"{rpath}.components", "mix a select with other components (a select fills a row)")
    for j, child in enumerate(children):
        _check_interactive(c, f"{rpath}.components[{j}]", child)


def _check_interactive(c: Checker, path: str, comp: Any) -> None:
    if not isinstance(comp, dict):
        c.add(path, "is not an object")
        return
    kind = comp.get("type")
    if kind == 2:
        c.text(f"{path}.label", comp.get("label"), max_len=80)
        if comp.get("style") not in (5, 6):
            c.text(f"{path}.custom_id", comp.get("custom_id") or "", max_len=100, min_len=1)
    elif kind in (3, 5, 6, 7, 8):
        c.text(f"{path}.custom_id", comp.get("custom_id") or "", max_len=100, min_len=1)
        c.text(f"{path}.placeholder", comp.get("placeholder"), max_len=150)
        if kind == 3:
            options = c.count(f"{path}.options", comp.get("options"), max_items=25, min_items=1)
            for k, opt in enumerate(options):
                for key in ("label", "value", "description"):
                    min_len = 0 if key == "description" else 1
                    c.text(f"{path}.options[{k}].{key}", opt.get(key), max_len=100, min_len=min_len)
        for key in ("min_values", "max_values"):
            value = comp.get(key)
            if value is not None and not 0 <= int(value) <= 25:
                c.add(f"{path}.{key}", f"is {value} (must be 0-25)")
    elif kind == 4:
        c.text(f"{path}.custom_id", comp.get("custom_id") or "", max_len=100, min_len=1)
        c.text(f"{path}.label", comp.get("label"), max_len=45)
        c.text(f"{path}.value", comp.get("value"), max_len=4000)
        c.text(f"{path}.placeholder", comp.get("placeholder"), max_len=100)
        for key in ("min_length", "max_length"):
            value = comp.get(key)
            if value is not None and not 0 <= int(value) <= 4000:
                c.add(f"{path}.{key}", f"is {value} (must be 0-4000)")


def _walk_v2(c: Checker, path: str, comp: Any) -> None:
    if not isinstance(comp, dict):
        return
    if comp.get("type") == 1:
        _check_row(c, path, comp)
    elif comp.get("type") in (2, 3, 4, 5, 6, 7, 8):
        _check_interactive(c, path, comp)
    for j, child in enumerate(comp.get("components") or []):
        _walk_v2(c, f"{path}.components[{j}]", child)
    if isinstance(comp.get("accessory"), dict):
        _walk_v2(c, f"{path}.accessory", comp["accessory"])


def _count_tree(components: Any) -> int:
    total = 0
    for comp in components if isinstance(components, list) else []:
        if isinstance(comp, dict):
            total += 1 + _count_tree(comp.get("components"))
            total += 1 if isinstance(comp.get("accessory"), dict) else 0
            total += (
                _count_tree([comp["component"]]) if isinstance(comp.get("component"), dict) else 0
            )
    return total


# -- modals and autocomplete ----------------------------------------------------------------------


def check_modal(c: Checker, data: dict[str, Any], *, prefix: str = "data.") -> None:
    c.text(f"{prefix}title", data.get("title") or "", max_len=45, min_len=1)
    c.text(f"{prefix}custom_id", data.get("custom_id") or "", max_len=100, min_len=1)
    comps = c.count(f"{prefix}components", data.get("components"), max_items=5, min_items=1)
    inputs = 0
    for i, comp in enumerate(comps):
        path = f"{prefix}components[{i}]"
        if comp.get("type") == 1:
            children = comp.get("components") or []
            if len(children) != 1:
                c.add(f"{path}.components", f"has {len(children)} items (a modal row holds 1)")
            for j, child in enumerate(children):
                inputs += 1
                _check_interactive(c, f"{path}.components[{j}]", child)
        elif comp.get("type") == 18:
            c.text(f"{path}.label", comp.get("label") or "", max_len=45, min_len=1)
            c.text(f"{path}.description", comp.get("description"), max_len=100)
            inputs += 1
            _check_interactive(c, f"{path}.component", comp.get("component"))
    if comps and inputs == 0:
        c.add(f"{prefix}components", "hold no inputs")


def check_choices(c: Checker, choices: Any, *, prefix: str = "data.") -> None:
    items = c.count(f"{prefix}choices", choices, max_items=25)
    for i, choice in enumerate(items):
        c.text(f"{prefix}choices[{i}].name", choice.get("name"), max_len=100, min_len=1)
        value = choice.get("value")
        if isinstance(value, str):
            c.text(f"{prefix}choices[{i}].value", value, max_len=100)


# -- application commands -------------------------------------------------------------------------


def valid_command_name(name: Any) -> bool:
    """Approximates ``^[-_'\\p{L}\\p{N}]{1,32}$`` plus "lowercase where a case exists"."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return False
    return all((ch.isalnum() or ch in "-_'") and ch == ch.lower() for ch in name)


def check_commands(c: Checker, commands: Any, *, is_global: bool) -> None:
    """A bulk overwrite: per-command limits plus per-scope counts and unique names."""
    if not isinstance(commands, list):
        c.add("", "body is not a list of commands")
        return
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for i, cmd in enumerate(commands):
        kind = int(cmd.get("type", 1))
        counts[kind] = counts.get(kind, 0) + 1
        key = (kind, str(cmd.get("name")))
        if key in seen:
            c.add(f"[{i}].name", f"{cmd.get('name')!r} is a duplicate")
        seen.add(key)
        check_command(c, cmd, prefix=f"[{i}].")
    if counts.get(1, 0) > 100:
        scope = "global" if is_global else "guild"
        c.add("", f"has {counts[1]} {scope} chat-input commands (max 100)")
    for kind in (2, 3):
        if counts.get(kind, 0) > 5:
            c.add("", f"has {counts[kind]} context-menu commands of type {kind} (max 5)")


def check_command(c: Checker, cmd: dict[str, Any], *, prefix: str = "") -> None:
    kind = int(cmd.get("type", 1))
    name = cmd.get("name")
    if kind == 1 and not valid_command_name(name):
        c.add(
            f"{prefix}name",
            f"{name!r} is not a valid command name (1-32 lowercase letters, digits, -_')",
        )
    elif kind != 1:
        c.text(f"{prefix}name", name, max_len=32, min_len=1)
    if kind == 1:
        c.text(f"{prefix}description", cmd.get("description") or "", max_len=100, min_len=1)
    total = len(name or "") + len(cmd.get("description") or "")
    total += _check_options(c, cmd.get("options"), prefix=f"{prefix}options")
    if total > 8000:
        c.add(prefix.rstrip(".") or "command", f"holds {total} characters in all (max 8000)")


def _check_options(c: Checker, options: Any, *, prefix: str) -> int:
    items = c.count(prefix, options, max_items=25)
    total = 0
    seen_optional = False
    for i, opt in enumerate(items):
        path = f"{prefix}[{i}]"
        name = opt.get("name")
        if not valid_command_name(name):
            c.add(f"{path}.name", f"{name!r} is not a valid option name")
        c.text(f"{path}.description", opt.get("description") or "", max_len=100, min_len=1)
        total += len(name or "") + len(opt.get("description") or "")
        if opt.get("type") in (1, 2):
            total += _check_options(c, opt.get("options"), prefix=f"{path}.options")
            continue
        if opt.get("required"):
            if seen_optional:
                c.add(f"{path}.required", "a required option follows an optional one")
        else:
            seen_optional = True
        choices = c.count(f"{path}.choices", opt.get("choices"), max_items=25)
        if choices and opt.get("autocomplete"):
            c.add(f"{path}", "has both choices and autocomplete")
        for k, choice in enumerate(choices):
            c.text(f"{path}.choices[{k}].name", choice.get("name"), max_len=100, min_len=1)
            value = choice.get("value")
            if isinstance(value, str):
                c.text(f"{path}.choices[{k}].value", value, max_len=100)
            total += len(choice.get("name") or "") + len(str(value))
    return total
