"""Scheduling and challenges: schedules, the posts ledger, custom challenges, the queue,
submissions, and the server's opt-in challenge ping role.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(sa.Column("ping_role_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "schedules",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("days", sa.String(length=40), nullable=False),
        sa.Column("at", sa.String(length=5), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("active_since", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "kind", name=op.f("pk_schedules")),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("item_id", sa.String(length=80), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("nonce", sa.String(length=25), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("guild_id", "kind", "period", name="uq_posts_guild_kind_period"),
    )
    op.create_table(
        "custom_challenges",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("brief", sa.Text(), nullable=False),
        sa.Column("deliverable", sa.String(length=500), nullable=False),
        sa.Column("difficulty", sa.String(length=16), nullable=False),
        sa.Column("topics", sa.String(length=400), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("removed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_challenges")),
    )
    op.create_index("ix_custom_challenges_guild", "custom_challenges", ["guild_id"])
    op.create_table(
        "challenge_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("challenge_id", sa.String(length=60), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_queue")),
        sa.UniqueConstraint("guild_id", "challenge_id", name="uq_challenge_queue_guild_challenge"),
    )
    op.create_table(
        "challenge_submissions",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("challenge_id", sa.String(length=60), nullable=False),
        sa.Column("link", sa.String(length=400), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "guild_id", "period", "user_id", name=op.f("pk_challenge_submissions")
        ),
    )


def downgrade() -> None:
    for table in (
        "challenge_submissions",
        "challenge_queue",
        "custom_challenges",
        "posts",
        "schedules",
    ):
        op.drop_table(table)
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("ping_role_id")
