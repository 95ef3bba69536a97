"""The web app's own tables (sessions, failed logins, kept results, long tasks), beside the store's records.

They live in the store's database so that every `cgc serve` process behind one address shares them;
Alembic revision 0002 creates the first three, 0004 the tasks. Unlike the records, rows here are changed and deleted.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

sessions = Table(
    "cgc_web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # HMAC of the cookie's token: the table alone opens no session
    Column("username", String(64), nullable=True, index=True),
    Column("created", Float, nullable=False),
    Column("expires", Float, nullable=False, index=True),
    Column("data", Text, nullable=False),  # JSON: the user, the CSRF token, the OpenID Connect state
)

login_failures = Table(
    "cgc_web_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(64), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False, index=True),
)

results = Table(
    "cgc_web_results",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("municipality", String(200), nullable=True),
    Column("owner", String(64), nullable=False),
    Column("created", Float, nullable=False, index=True),
    Column("payload", LargeBinary, nullable=False),  # the kept report, signed with the app's secret key
)

tasks = Table(
    "cgc_web_tasks",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", String(200), nullable=False),
    Column("state", String(16), nullable=False),  # wacht, bezig, klaar, mislukt, onderbroken
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("step", String(300), nullable=False),
    Column("replica", String(32), nullable=False),  # the process that runs it, and keeps its heartbeat
    Column("heartbeat", Float, nullable=False),
    Column("created", Float, nullable=False, index=True),
    Column("finished", Float, nullable=True),
    Column("filename", String(200), nullable=True),
    Column("media_type", String(100), nullable=True),
    Column("result", LargeBinary, nullable=True),
    Column("error", Text, nullable=True),  # the Dutch message, when it failed or was interrupted
)
