"""The schema as SQLAlchemy Core tables: the single description the repositories query and the
Alembic migrations are checked against. Later features add their tables here and a migration."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    false,
)

from bot.storage.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("timezone", String(64), nullable=True),
    Column("moderator_role_id", BigInteger, nullable=True),
    Column("streak_minimum", Integer, nullable=True),
    Column("groups_channel_id", BigInteger, nullable=True),
    Column("ping_role_id", BigInteger, nullable=True),
    Column("reminders_channel_id", BigInteger, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

member_settings = Table(
    "member_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("timezone", String(64), nullable=True),
    Column("track", String(16), nullable=True),
    Column("hide_from_leaderboards", Boolean, nullable=False, server_default=false()),
    Column("hide_progress", Boolean, nullable=False, server_default=false()),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# --- progress (study sessions, running totals, completions, streaks) ----------------------------

study_sessions = Table(
    "study_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("topic_id", String(60), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("note", String(300), nullable=True),
    Column("day", Date, nullable=False),
    Column("logged_at", UTCDateTime(), nullable=False),
    Index("ix_study_sessions_member_day", "guild_id", "user_id", "day"),
)

# One row per member per local day: streaks, heatmaps and leaderboards read these, never the
# raw sessions (DESIGN: totals tables are ~50x faster than GROUP BY over sessions).
daily_totals = Table(
    "daily_totals",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("day", Date, primary_key=True),
    Column("minutes", Integer, nullable=False),
    # Covers a period's leaderboard (sum per member over a server's days) without the table.
    Index("ix_daily_totals_guild_day", "guild_id", "day", "user_id", "minutes"),
)

topic_totals = Table(
    "topic_totals",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("topic_id", String(60), primary_key=True),
    Column("minutes", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
)

member_totals = Table(
    "member_totals",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("minutes", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
    # Covers the all-time leaderboard: top places and counts, read from the index alone.
    Index("ix_member_totals_guild_minutes", "guild_id", "minutes", "user_id"),
)

topic_completions = Table(
    "topic_completions",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("topic_id", String(60), primary_key=True),
    Column("completed_at", UTCDateTime(), nullable=False),
)

# The streak as of the end of `checkpoint_day` (the last day no new log can change). What is
# shown folds the few days after the checkpoint on top of it (bot.core.streaks).
streaks = Table(
    "streaks",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("checkpoint_day", Date, nullable=True),
    Column("current", Integer, nullable=False),
    Column("longest", Integer, nullable=False),
    Column("freezes", Integer, nullable=False),
    Column("frozen_days", Integer, nullable=False),
    Column("last_active", Date, nullable=True),
)

streak_pauses = Table(
    "streak_pauses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Index("ix_streak_pauses_member", "guild_id", "user_id", "start"),
)

streak_adjustments = Table(
    "streak_adjustments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("moderator_id", BigInteger, nullable=False),
    Column("day", Date, nullable=False),
    Column("value", Integer, nullable=False),
    Column("previous", Integer, nullable=False),
    Column("reason", String(300), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_streak_adjustments_member", "guild_id", "user_id", "day"),
)

# --- study groups (bot.core.groups) -------------------------------------------------------------

study_groups = Table(
    "study_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("name", String(40), nullable=False),
    # casefold(name): names are unique in a server without regard to case.
    Column("name_key", String(40), nullable=False),
    Column("topic_id", String(60), nullable=True),
    Column("description", String(200), nullable=True),
    Column("capacity", Integer, nullable=False),
    Column("is_open", Boolean, nullable=False),
    Column("quorum", Integer, nullable=True),  # None: half the members, rounded up
    Column("owner_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_study_groups_guild_name", "guild_id", "name_key", unique=True),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("guild_id", BigInteger, nullable=False),
    Column("joined_at", UTCDateTime(), nullable=False),
    Index("ix_group_members_member", "guild_id", "user_id"),
)

group_invites = Table(
    "group_invites",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("invited_by", BigInteger, nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

# A group day as last updated: the quorum it needed then (a snapshot, so joins and leaves never
# rewrite past days) and whether it was reached. Days with no study have no row.
group_days = Table(
    "group_days",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("day", Date, primary_key=True),
    Column("required", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
)

# Minutes each member logged in a group day while in the group: the quorum count's source.
group_member_days = Table(
    "group_member_days",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("day", Date, primary_key=True),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("minutes", Integer, nullable=False),
)

# The group streak as of the end of `checkpoint_day`, like `streaks` for a member.
group_streaks = Table(
    "group_streaks",
    metadata,
    Column("group_id", Integer, primary_key=True, autoincrement=False),
    Column("checkpoint_day", Date, nullable=True),
    Column("current", Integer, nullable=False),
    Column("longest", Integer, nullable=False),
    Column("freezes", Integer, nullable=False),
    Column("frozen_days", Integer, nullable=False),
    Column("last_active", Date, nullable=True),
)
