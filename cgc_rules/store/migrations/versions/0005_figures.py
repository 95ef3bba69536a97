"""The figures monitoring sums and counts in SQL (`summary.FIGURES`), filled here from each record's summary.

The append-only triggers are lifted for this one fill (inside the migration's transaction) and put back. A record
without a summary keeps them empty; `cgc monitor` names it.

Revision ID: 0005
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from cgc_rules.store.summary import FIGURES, figures

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "cgc_records"
BATCH = 2000
TYPES = {"origin_good": sa.Float, "origin_total": sa.Float, "mki": sa.Float, "mki_level": sa.Float}


def _figures(kind: str, summary: str) -> dict[str, object]:
    try:
        return figures(kind, json.loads(summary))
    except (ValueError, TypeError, KeyError, AttributeError):  # a summary that is not the shape written: left empty
        return dict.fromkeys(FIGURES)


def _fill(conn: sa.Connection) -> None:
    table = sa.table(TABLE, sa.column("id"), sa.column("kind"), sa.column("summary"), *map(sa.column, FIGURES))
    update = sa.update(table).where(table.c.id == sa.bindparam("rid")).values({n: sa.bindparam(n) for n in FIGURES})
    last = 0
    query = sa.select(table.c.id, table.c.kind, table.c.summary).where(table.c.summary.is_not(None))
    while rows := conn.execute(query.where(table.c.id > last).order_by(table.c.id).limit(BATCH)).all():
        conn.execute(update, [{"rid": r.id, **_figures(r.kind, r.summary)} for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    for name in FIGURES:
        op.add_column(TABLE, sa.Column(name, TYPES.get(name, sa.String(16)), nullable=True))
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
    for name in reversed(FIGURES):
        op.drop_column(TABLE, name)
