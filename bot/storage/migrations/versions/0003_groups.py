"""Study groups: groups, members, invites, per-day quorum state, group streaks; groups channel.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

GROUP_TABLES = (
    "group_streaks",
    "group_member_days",
    "group_days",
    "group_invites",
    "group_members",
    "study_groups",
)


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(sa.Column("groups_channel_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "study_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("topic_id", sa.String(length=60), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_groups")),
    )
    op.create_index(
        "ix_study_groups_guild_name", "study_groups", ["guild_id", "name_key"], unique=True
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_members")),
    )
    op.create_index("ix_group_members_member", "group_members", ["guild_id", "user_id"])
    op.create_table(
        "group_invites",
        sa.Column("group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("invited_by", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_invites")),
    )
    op.create_table(
        "group_days",
        sa.Column("group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day", name=op.f("pk_group_days")),
    )
    op.create_table(
        "group_member_days",
        sa.Column("group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day", "user_id", name=op.f("pk_group_member_days")),
    )
    op.create_table(
        "group_streaks",
        sa.Column("group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("checkpoint_day", sa.Date(), nullable=True),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("longest", sa.Integer(), nullable=False),
        sa.Column("freezes", sa.Integer(), nullable=False),
        sa.Column("frozen_days", sa.Integer(), nullable=False),
        sa.Column("last_active", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_group_streaks")),
    )


def downgrade() -> None:
    for table in GROUP_TABLES:
        op.drop_table(table)
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("groups_channel_id")
