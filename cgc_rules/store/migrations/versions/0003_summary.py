"""The `summary` column: what monitoring reads of each record, filled here for records kept before.

The append-only triggers are lifted for this one fill (inside the migration's transaction) and put back.
A payload that lacks what monitoring reads keeps an empty summary; `cgc monitor` then names that record.

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from cgc_rules.store.records import canonical
from cgc_rules.store.summary import summary

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "cgc_records"
BATCH = 2000


def _summary(kind: str, payload: str) -> str | None:
    try:
        return canonical(summary(kind, json.loads(payload)))
    except ValueError:
        return None


def _fill(conn: sa.Connection) -> None:
    table = sa.table(TABLE, sa.column("id"), sa.column("kind"), sa.column("payload"), sa.column("summary"))
    update = sa.update(table).where(table.c.id == sa.bindparam("rid")).values(summary=sa.bindparam("text"))
    last = 0
    while rows := conn.execute(
        sa.select(table.c.id, table.c.kind, table.c.payload).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
    ).all():
        conn.execute(update, [{"rid": r.id, "text": _summary(r.kind, r.payload)} for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("summary", sa.Text, nullable=True))
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
        _fill(conn)
        op.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")
        return
    op.execute(f"DROP TRIGGER {TABLE}_no_update")
    _fill(conn)
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
    )


def downgrade() -> None:
    op.drop_column(TABLE, "summary")
