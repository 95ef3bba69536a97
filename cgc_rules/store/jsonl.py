"""Export and import as JSON Lines: a header line, then one record per line, lossless."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import CgcError, Problem, display_path
from .records import StoredRecord

FORMAT = "cgc-rules-store"
VERSION = 1


def export_lines(items: Iterable[StoredRecord]) -> Iterable[str]:
    yield json.dumps({"format": FORMAT, "version": VERSION}) + "\n"
    for item in items:
        yield item.export_line() + "\n"


def _problem(where: str, line: int, exc: ValidationError) -> list[Problem]:
    return [Problem(e["msg"], where, line, None, ".".join(str(p) for p in e["loc"]) or None) for e in exc.errors()]


def read_export(path: Path) -> list[StoredRecord]:
    """Every record of an export file, validated; any bad line refuses the whole file."""
    where = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CgcError(Problem(f"cannot read: {exc}", where)) from None
    problems: list[Problem] = []
    try:
        head = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise CgcError(Problem(f"not a cgc-rules store export (first line must name format {FORMAT!r})", where, 1))
    if head.get("version") != VERSION:
        raise CgcError(Problem(f"export version {head.get('version')!r} not supported (expected {VERSION})", where, 1))
    out: list[StoredRecord] = []
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            continue
        try:
            out.append(StoredRecord.model_validate_json(text))
        except ValidationError as exc:
            problems += _problem(where, number, exc)
        if len(problems) >= 20:
            break
    if problems:
        raise CgcError(problems)
    return out
