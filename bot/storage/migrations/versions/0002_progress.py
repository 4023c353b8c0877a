"""Progress: study sessions, running totals, completions, streaks, pauses, adjustments, privacy.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _member_key() -> list[sa.Column[int]]:
    return [
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("member_settings") as batch:
        batch.add_column(
            sa.Column(
                "hide_from_leaderboards", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch.add_column(
            sa.Column("hide_progress", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "study_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_member_key(),
        sa.Column("topic_id", sa.String(length=60), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("logged_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_sessions")),
    )
    op.create_index(
        "ix_study_sessions_member_day", "study_sessions", ["guild_id", "user_id", "day"]
    )
    op.create_table(
        "daily_totals",
        *_member_key(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "day", name=op.f("pk_daily_totals")),
    )
    op.create_index("ix_daily_totals_guild_day", "daily_totals", ["guild_id", "day"])
    op.create_table(
        "topic_totals",
        *_member_key(),
        sa.Column("topic_id", sa.String(length=60), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "topic_id", name=op.f("pk_topic_totals")),
    )
    op.create_table(
        "member_totals",
        *_member_key(),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_member_totals")),
    )
    op.create_index("ix_member_totals_guild_minutes", "member_totals", ["guild_id", "minutes"])
    op.create_table(
        "topic_completions",
        *_member_key(),
        sa.Column("topic_id", sa.String(length=60), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "guild_id", "user_id", "topic_id", name=op.f("pk_topic_completions")
        ),
    )
    op.create_table(
        "streaks",
        *_member_key(),
        sa.Column("checkpoint_day", sa.Date(), nullable=True),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("longest", sa.Integer(), nullable=False),
        sa.Column("freezes", sa.Integer(), nullable=False),
        sa.Column("frozen_days", sa.Integer(), nullable=False),
        sa.Column("last_active", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name=op.f("pk_streaks")),
    )
    op.create_table(
        "streak_pauses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_member_key(),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streak_pauses")),
    )
    op.create_index("ix_streak_pauses_member", "streak_pauses", ["guild_id", "user_id", "start"])
    op.create_table(
        "streak_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_member_key(),
        sa.Column("moderator_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("previous", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streak_adjustments")),
    )
    op.create_index(
        "ix_streak_adjustments_member", "streak_adjustments", ["guild_id", "user_id", "day"]
    )


def downgrade() -> None:
    for table in (
        "streak_adjustments",
        "streak_pauses",
        "streaks",
        "topic_completions",
        "member_totals",
        "topic_totals",
        "daily_totals",
        "study_sessions",
    ):
        op.drop_table(table)
    with op.batch_alter_table("member_settings") as batch:
        batch.drop_column("hide_progress")
        batch.drop_column("hide_from_leaderboards")
