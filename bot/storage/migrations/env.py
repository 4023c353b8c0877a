"""Alembic environment: always run with a connection handed in by `bot.storage.migrate`.

The bot applies migrations itself (at start and with `python -m bot migrate`), on the same engine
and pragmas it uses for everything else, so there is no alembic.ini or second URL to keep in sync.
"""

from __future__ import annotations

from alembic import context

from bot.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m bot migrate`, which provides the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
