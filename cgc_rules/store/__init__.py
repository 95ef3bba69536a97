"""The store: every audit record a command is asked to keep (`--record`), append-only, in SQLite or PostgreSQL.

`store.open_store` checks that a database is empty or ours before touching it; `Store` adds and reads
records. Nothing is imported here, so commands that do not record never load SQLAlchemy.
"""
