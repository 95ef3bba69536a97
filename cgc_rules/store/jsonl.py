"""Export and import as JSON Lines: a header line, then one record per line, lossless."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import CgcError, Problem, display_path
from ..loading.files import decode, read_bytes
from ..loading.limits import Limits
from ..loading.parse import parse_json
from .records import StoredRecord

RECORD_LIMITS = Limits(max_number=1e300)
"""A record's numbers are the program's own results (sums may pass the input limit of 10^15); finite still."""
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
    lines = decode(read_bytes(path), where).splitlines()  # size and line limits, UTF-8
    problems: list[Problem] = []
    try:
        head = json.loads(lines[0]) if lines else None
    except (ValueError, RecursionError):
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
            out.append(StoredRecord.model_validate(parse_json(text, where, RECORD_LIMITS)))
        except CgcError as exc:
            problems += [Problem(p.message, where, number, p.column, p.field) for p in exc.problems]
        except ValidationError as exc:
            problems += _problem(where, number, exc)
        if len(problems) >= 20:
            break
    if problems:
        raise CgcError(problems)
    return out
