"""What a member chose to hide, and the shape of their data export.

Kept apart from `bot.core.settings.MemberConfig` so the settings every command reads stay small;
only the features that show a member to others (leaderboards, /progress, /stats) ask for these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EXPORT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    hide_from_leaderboards: bool = False
    hide_progress: bool = False


def export_document(
    guild_id: int, user_id: int, now: datetime, tables: dict[str, list[dict[str, Any]]]
) -> bytes:
    """The export as UTF-8 JSON: a header saying whose data and when, then every table's rows.

    Tables with no rows are kept (as empty lists) so the member can see what was looked at.
    """
    document = {
        "format": EXPORT_FORMAT,
        "guild_id": str(guild_id),
        "user_id": str(user_id),
        "exported_at": now.isoformat(),
        "tables": tables,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode("utf-8")
