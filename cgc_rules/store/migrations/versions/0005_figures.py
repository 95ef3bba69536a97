"""The figures monitoring sums and counts in SQL (`summary.FIGURES`), filled here from each record's summary.

On SQLite the table is rebuilt with the payload as its last column: SQLite keeps a row's columns in order and a
large payload spills into overflow pages, so a column after it costs a walk through them; monitoring reads only
the columns before it. On PostgreSQL the payload is kept apart from the row anyway (TOAST); the columns are added
and filled with the append-only trigger lifted for this one fill (inside the migration's transaction).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from cgc_rules.store.summary import FIGURES, figures

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "cgc_records"
BATCH = 2000
INDEXED = ("kind", "input_sha256", "municipality", "region", "project_id", "project_type", "year", "role")
KEPT = (
    "id, kind, dedup_key, recorded_at, input_sha256, ruleset_id, ruleset_version, ruleset_sha256, municipality, "
    "region, project_id, project_type, day, year, role, summary, payload"
)


def _figure_columns() -> list[sa.Column[object]]:
    kinds: dict[str, sa.types.TypeEngine[Any]] = {"seb": sa.String(16), "rules": sa.Text()}
    return [sa.Column(name, kinds.get(name, sa.Float()), nullable=True) for name in FIGURES]


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


def _rebuild_sqlite(conn: sa.Connection) -> None:
    op.create_table(
        f"{TABLE}_new",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("dedup_key", sa.String(64), nullable=False, unique=True),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("ruleset_id", sa.String(200), nullable=False),
        sa.Column("ruleset_version", sa.String(100), nullable=False),
        sa.Column("ruleset_sha256", sa.String(64), nullable=False),
        sa.Column("municipality", sa.String(200), nullable=False),
        sa.Column("region", sa.String(200), nullable=True),
        sa.Column("project_id", sa.String(200), nullable=True),
        sa.Column("project_type", sa.String(40), nullable=True),
        sa.Column("day", sa.String(10), nullable=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("summary", sa.Text, nullable=True),
        *_figure_columns(),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.execute(f"INSERT INTO {TABLE}_new ({KEPT}) SELECT {KEPT} FROM {TABLE} ORDER BY id")  # noqa: S608 - constants
    op.execute(f"DROP TABLE {TABLE}")  # its indexes and triggers with it
    op.execute(f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}")
    _fill(conn)
    for column in INDEXED:
        op.create_index(f"ix_{TABLE}_{column}", TABLE, [column])
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
        )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        _rebuild_sqlite(conn)
        return
    for column in _figure_columns():
        op.add_column(TABLE, column)
    op.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
    _fill(conn)
    op.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")


def downgrade() -> None:
    for name in reversed(FIGURES):
        op.drop_column(TABLE, name)
