"""The whole schema: every table module registered on the one metadata Alembic compares with.

Features keep their tables in their own modules (tables.py, scheduling_tables.py, ...); anything
that needs all of them (migrations, the schema test) imports `metadata` from here.
"""

from bot.storage import reminders_tables, scheduling_tables
from bot.storage.tables import metadata

__all__ = ["metadata", "reminders_tables", "scheduling_tables"]
