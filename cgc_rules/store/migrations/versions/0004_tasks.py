"""The web app's long tasks (set zip, yearly report, batches): state, progress and result (cgc_rules.web.tables).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cgc_web_tasks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("step", sa.String(300), nullable=False),
        sa.Column("replica", sa.String(32), nullable=False),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("finished", sa.Float, nullable=True),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("result", sa.LargeBinary, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
    )
    op.create_index("ix_cgc_web_tasks_owner", "cgc_web_tasks", ["owner"])
    op.create_index("ix_cgc_web_tasks_created", "cgc_web_tasks", ["created"])


def downgrade() -> None:
    op.drop_table("cgc_web_tasks")
