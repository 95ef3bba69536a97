"""The one table of the store: a `kind`, indexed columns to select on, and the whole record as JSON."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

records = Table(
    "cgc_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False, index=True),  # evaluation | assessment (later: award, delivery_check)
    Column("dedup_key", String(64), nullable=False, unique=True),  # sha256 of kind, input, ruleset and role
    Column("recorded_at", String(32), nullable=False),  # ISO 8601, UTC
    Column("input_sha256", String(64), nullable=False, index=True),
    Column("ruleset_id", String(200), nullable=False),
    Column("ruleset_version", String(100), nullable=False),
    Column("ruleset_sha256", String(64), nullable=False),
    Column("municipality", String(200), nullable=False, index=True),
    Column("region", String(200), nullable=True, index=True),
    Column("project_id", String(200), nullable=True, index=True),
    Column("project_type", String(40), nullable=True, index=True),
    Column("day", String(10), nullable=True),  # tender date, or the date of the self-assessment
    Column("year", Integer, nullable=True, index=True),
    Column("role", String(16), nullable=True, index=True),  # bid | awarded | design | as-built (evaluations)
    Column("summary", Text, nullable=True),  # what monitoring reads of it, compact JSON (`summary.py`)
    Column("origin_good", Float, nullable=True),  # responsible tonnes (`summary.figures`), evaluations only
    Column("origin_total", Float, nullable=True),  # all tonnes of that outcome
    Column("mki", Float, nullable=True),  # MKI per m² per year, when given
    Column("mki_level", Float, nullable=True),  # the MKI threshold it was judged against
    Column("seb", String(16), nullable=True),  # the SEB declaration's statuses combined
    Column("rules", Text, nullable=True),  # each rule's status and level, a line each (`summary.figures`)
    Column("payload", Text, nullable=False),  # the audit record, canonical JSON; last, so SQLite reads the others
    # without walking its overflow pages (migration 0005 puts it there)
)

COLUMNS: tuple[str, ...] = tuple(c.name for c in records.columns if c.name != "id")
