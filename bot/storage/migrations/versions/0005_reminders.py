"""Reminders: streak nudges and study reminders, their send ledger, the reminders channel.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings") as batch:
        batch.add_column(sa.Column("reminders_channel_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "reminders",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("hours_before", sa.Integer(), nullable=True),
        sa.Column("at", sa.String(length=5), nullable=True),
        sa.Column("days", sa.String(length=40), nullable=True),
        sa.Column("next_due_at", UTCDateTime(), nullable=False),
        sa.Column("undeliverable", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", "kind", name=op.f("pk_reminders")),
    )
    op.create_index("ix_reminders_next_due_at", "reminders", ["next_due_at"])
    op.create_table(
        "reminder_sends",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "guild_id", "user_id", "kind", "local_date", name=op.f("pk_reminder_sends")
        ),
    )


def downgrade() -> None:
    op.drop_table("reminder_sends")
    op.drop_table("reminders")
    with op.batch_alter_table("guild_settings") as batch:
        batch.drop_column("reminders_channel_id")
