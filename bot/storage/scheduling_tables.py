"""Tables of the scheduler and challenges: schedules, posts (the exactly-once ledger), the
moderators' challenge pool and queue, and submissions. Same metadata as `bot.storage.tables`."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from bot.storage.tables import metadata
from bot.storage.types import UTCDateTime

schedules = Table(
    "schedules",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), primary_key=True),
    Column("channel_id", BigInteger, nullable=False),
    Column("days", String(40), nullable=False),
    Column("at", String(5), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(300), nullable=True),
    # Due times at or before this instant are never posted: a schedule saved (or resumed) at 10:00
    # must not fire for 09:00 that same morning.
    Column("active_since", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# One row per server, kind and period, claimed before sending: the UNIQUE key is what makes a post
# happen at most once, whatever restarts, retries or a second run_due do.
posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("period", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("item_id", String(80), nullable=True),
    Column("channel_id", BigInteger, nullable=True),
    Column("message_id", BigInteger, nullable=True),
    Column("nonce", String(25), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", String(300), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    UniqueConstraint("guild_id", "kind", "period", name="uq_posts_guild_kind_period"),
)

custom_challenges = Table(
    "custom_challenges",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("title", String(100), nullable=False),
    Column("brief", Text, nullable=False),
    Column("deliverable", String(500), nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("topics", String(400), nullable=False),
    Column("created_by", BigInteger, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("removed", Boolean, nullable=False, server_default=false()),
    Index("ix_custom_challenges_guild", "guild_id"),
)

challenge_queue = Table(
    "challenge_queue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("challenge_id", String(60), nullable=False),
    Column("week", String(10), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("guild_id", "challenge_id", name="uq_challenge_queue_guild_challenge"),
)

submissions = Table(
    "challenge_submissions",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("period", String(10), primary_key=True),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("challenge_id", String(60), nullable=False),
    Column("link", String(400), nullable=False),
    Column("note", String(300), nullable=True),
    Column("submitted_at", UTCDateTime(), nullable=False),
)
