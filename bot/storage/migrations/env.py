"""Alembic environment: migrations run on a connection handed over by bot.storage.migrate."""

from __future__ import annotations

from alembic import context

from bot.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `techpath db upgrade`, which supplies the connection")
# Batch mode lets SQLite alter tables by copying them, as it has no ALTER COLUMN.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
