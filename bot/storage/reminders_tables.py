"""Reminders: one row per member and kind with its next due time, and a ledger of sends."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String, Table, false

from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

reminders = Table(
    "reminders",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(8), primary_key=True),
    Column("hours_before", Integer, nullable=True),
    Column("at", String(5), nullable=True),
    Column("days", String(40), nullable=True),
    # When the next reminder is due, in UTC: the sweep's indexed query is "next_due_at <= now".
    Column("next_due_at", UTCDateTime(), nullable=False),
    Column("undeliverable", Boolean, nullable=False, server_default=false()),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_reminders_next_due_at", "next_due_at"),
)

# One row per member, kind and local date: claiming it before sending is what keeps a restart or
# a second sweep from sending twice.
reminder_sends = Table(
    "reminder_sends",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(8), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("via", String(8), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=False),
)
