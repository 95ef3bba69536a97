"""Alembic environment: runs on the connection `cgc db upgrade` hands over (no alembic.ini, no logging set-up)."""

from __future__ import annotations

from alembic import context

from cgc_rules.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
