"""Small text helpers shared by every reply, each keeping text inside Discord's limits."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def progress_bar(done: float, total: float, width: int = 10) -> str:
    """`▰▰▰▱▱▱▱▱▱▱ 30%`: a bar that renders the same on every client (no custom emoji)."""
    fraction = 0.0 if total <= 0 else min(max(done / total, 0.0), 1.0)
    filled = math.floor(fraction * width + 1e-9)
    return f"{'▰' * filled}{'▱' * (width - filled)} {round(fraction * 100)}%"


def timestamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp: every member sees it in their own timezone and locale."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def duration(span: timedelta) -> str:
    """`3d 4h`, `5h 12m`, `42s`: the two largest units."""
    seconds = max(int(span.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    shown = [f"{n}{unit}" for n, unit in parts if n][:2]
    return " ".join(shown) or "0s"


def minutes_text(minutes: int) -> str:
    """`45 min`, `2 h 05 min`."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
