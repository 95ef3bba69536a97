"""The web app's shared state: server-side sessions, failed logins and kept results (cgc_rules.web.tables).

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cgc_web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_cgc_web_sessions_username", "cgc_web_sessions", ["username"])
    op.create_index("ix_cgc_web_sessions_expires", "cgc_web_sessions", ["expires"])
    op.create_table(
        "cgc_web_login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    for column in ("account", "address", "at"):
        op.create_index(f"ix_cgc_web_login_failures_{column}", "cgc_web_login_failures", [column])
    op.create_table(
        "cgc_web_results",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("municipality", sa.String(200), nullable=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_cgc_web_results_created", "cgc_web_results", ["created"])


def downgrade() -> None:
    for table in ("cgc_web_results", "cgc_web_login_failures", "cgc_web_sessions"):
        op.drop_table(table)
