"""A member's privacy flags, and everything about one member in one server: export and erase.

The member tables are `progress_repo.MEMBER_TABLES` plus `member_settings`; a feature that adds a
table holding per-member rows adds it to MEMBER_TABLES, and export and erase follow.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.privacy import PrivacySettings
from bot.storage.progress_repo import MEMBER_TABLES
from bot.storage.scheduling_tables import submissions
from bot.storage.tables import (
    group_invites,
    group_member_days,
    group_members,
    member_settings,
    study_groups,
)

ALL_MEMBER_TABLES: tuple[Table, ...] = (*MEMBER_TABLES, submissions, group_members, member_settings)
# Rows about the member keyed by group rather than server: found through the server's groups.
GROUP_SCOPED_TABLES: tuple[Table, ...] = (group_invites, group_member_days)


class PrivacyRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def settings(self, guild_id: int, user_id: int) -> PrivacySettings:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        member_settings.c.hide_from_leaderboards, member_settings.c.hide_progress
                    ).where(_member(member_settings, guild_id, user_id))
                )
            ).first()
        if row is None:
            return PrivacySettings()
        return PrivacySettings(
            hide_from_leaderboards=bool(row.hide_from_leaderboards),
            hide_progress=bool(row.hide_progress),
        )

    async def hides_progress(self, guild_id: int, user_id: int) -> bool:
        """For /progress and /stats about someone else: whether they asked to stay private."""
        return (await self.settings(guild_id, user_id)).hide_progress

    async def hidden_from_leaderboards(self, guild_id: int) -> set[int]:
        """Members of this server who asked to be left off leaderboards."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(member_settings.c.user_id).where(
                    member_settings.c.guild_id == guild_id,
                    member_settings.c.hide_from_leaderboards.is_(True),
                )
            )
            return set(rows.scalars())

    async def export(self, guild_id: int, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the member in this server, table by table, as plain JSON values.

        One connection (and so one snapshot on SQLite) for all tables, so totals and sessions in
        the file agree with each other.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        async with self._engine.connect() as conn:
            for table in ALL_MEMBER_TABLES:
                rows = await conn.execute(
                    select(table).where(_member(table, guild_id, user_id)).order_by(*table.c)
                )
                out[table.name] = [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]
            for table in GROUP_SCOPED_TABLES:
                rows = await conn.execute(
                    select(table).where(_in_groups(table, guild_id, user_id)).order_by(*table.c)
                )
                out[table.name] = [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]
        return out

    async def erase(self, guild_id: int, user_id: int) -> int:
        """Delete every row about the member in this server in one transaction; rows removed.

        One transaction: a failure half-way leaves everything as it was, never totals without the
        sessions they count (or the reverse).
        """
        removed = 0
        async with self._engine.begin() as conn:
            for table in ALL_MEMBER_TABLES:
                result = await conn.execute(delete(table).where(_member(table, guild_id, user_id)))
                removed += max(result.rowcount or 0, 0)
            for table in GROUP_SCOPED_TABLES:
                result = await conn.execute(
                    delete(table).where(_in_groups(table, guild_id, user_id))
                )
                removed += max(result.rowcount or 0, 0)
        return removed


def _member(table: Table, guild_id: int, user_id: int) -> Any:
    return and_(table.c.guild_id == guild_id, table.c.user_id == user_id)


def _in_groups(table: Table, guild_id: int, user_id: int) -> Any:
    groups = select(study_groups.c.id).where(study_groups.c.guild_id == guild_id)
    return and_(table.c.user_id == user_id, table.c.group_id.in_(groups))


def _plain(value: Any) -> Any:
    """JSON-ready: dates and datetimes as ISO 8601 strings (UTC-aware ones keep their offset)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
