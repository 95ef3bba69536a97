"""The JSON format of a report: its data record as written, nothing else (no jinja2 or rich to import)."""

from __future__ import annotations

import json

from .build import Report


def to_json(report: Report) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def to_jsonl(report: Report) -> str:
    """One compact line per report, as `cgc evaluate --format jsonl` writes for each submission."""
    return json.dumps(report.data, ensure_ascii=False, separators=(",", ":")) + "\n"
