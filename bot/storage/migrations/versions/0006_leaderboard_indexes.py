"""Leaderboard indexes that cover the ranking queries: the user id (and, per day, the minutes)
join the server's totals indexes, so a board is read from the index alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.drop_index("ix_daily_totals_guild_day", table_name="daily_totals")
    op.create_index(
        "ix_daily_totals_guild_day", "daily_totals", ["guild_id", "day", "user_id", "minutes"]
    )
    op.drop_index("ix_member_totals_guild_minutes", table_name="member_totals")
    op.create_index(
        "ix_member_totals_guild_minutes", "member_totals", ["guild_id", "minutes", "user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_member_totals_guild_minutes", table_name="member_totals")
    op.create_index("ix_member_totals_guild_minutes", "member_totals", ["guild_id", "minutes"])
    op.drop_index("ix_daily_totals_guild_day", table_name="daily_totals")
    op.create_index("ix_daily_totals_guild_day", "daily_totals", ["guild_id", "day"])
