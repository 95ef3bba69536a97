"""Export and import as JSON Lines: a header line, then one record per line, lossless, streamed both ways.

There is no limit on the file, only on each line: a record of at most `MAX_RECORD_BYTES` (docs/security.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from ..errors import CgcError, Problem, display_path
from ..loading.limits import Limits
from ..loading.parse import parse_json
from .records import StoredRecord, canonical

MAX_RECORD_BYTES = 16 * 1024 * 1024
RECORD_LIMITS = Limits(max_bytes=MAX_RECORD_BYTES, max_number=1e300)
"""A record's numbers are the program's own results (sums may pass the input limit of 10^15); finite still."""
MAX_PROBLEMS = 20
FORMAT = "cgc-rules-store"
VERSION = 1


def export_lines(items: Iterable[StoredRecord]) -> Iterator[str]:
    yield json.dumps({"format": FORMAT, "version": VERSION}) + "\n"
    for item in items:
        yield item.export_line() + "\n"


def _problem(where: str, line: int, exc: ValidationError) -> list[Problem]:
    return [Problem(e["msg"], where, line, None, ".".join(str(p) for p in e["loc"]) or None) for e in exc.errors()]


def _open(path: Path, where: str) -> BinaryIO:
    try:
        if path.is_dir():
            raise CgcError(Problem("is a directory, expected a file", where))
        return path.open("rb")
    except FileNotFoundError:
        raise CgcError(Problem("file not found", where)) from None
    except OSError as exc:
        raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", where)) from None


def _lines(fh: BinaryIO, where: str) -> Iterator[tuple[int, str]]:
    """Numbered text lines, each read up to the record limit (a longer line is refused where it starts)."""
    number = 0
    while True:
        try:
            raw = fh.readline(MAX_RECORD_BYTES + 2)
        except OSError as exc:
            raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", where, number + 1)) from None
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES + 1:
            raise CgcError(Problem(f"a record longer than {MAX_RECORD_BYTES // (1024 * 1024)} MiB", where, number))
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise CgcError(Problem(f"not UTF-8 text (byte {exc.start})", where, number, exc.start + 1)) from None
        yield number, text


def _header(number: int, text: str, where: str) -> None:
    try:
        head = json.loads(text)
    except (ValueError, RecursionError):
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise CgcError(Problem(f"not a cgc-rules store export (first line must name format {FORMAT!r})", where, number))
    if head.get("version") != VERSION:
        raise CgcError(Problem(f"export version {head.get('version')!r} not supported (expected {VERSION})", where, 1))


def read_export(path: Path) -> Iterator[StoredRecord]:
    """The records of an export file, validated as they are read (the header is checked before this returns).

    Once a line is bad nothing more is yielded; the file is still checked up to `MAX_PROBLEMS` problems, which
    are then raised together, so a caller adding the records in one transaction keeps none of them.
    """
    where = display_path(path)
    fh = _open(path, where)
    try:
        lines = _lines(fh, where)
        _header(*(next(lines, None) or (1, "")), where)
    except BaseException:
        fh.close()
        raise
    return _records(fh, lines, where)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _own_line(text: str) -> StoredRecord | None:
    """A line exactly as `export_line` writes it, read by the C decoder and checked by writing it again;
    None for any other line, which then goes through the strict reader with every input limit."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
        if type(data) is not dict or type(data.get("payload")) is not dict:
            return None
        item = StoredRecord.model_validate(data, context={"payload_text": canonical(data["payload"])})
    except (ValueError, RecursionError):  # ValidationError is a ValueError
        return None
    return item if item.export_line() == text.rstrip("\r\n") else None


def _records(fh: BinaryIO, lines: Iterator[tuple[int, str]], where: str) -> Iterator[StoredRecord]:
    problems: list[Problem] = []
    with fh:
        for number, text in lines:
            if not text.strip():
                continue
            try:
                item = _own_line(text) or StoredRecord.model_validate(parse_json(text, where, RECORD_LIMITS))
            except CgcError as exc:
                problems += [Problem(p.message, where, number, p.column, p.field) for p in exc.problems]
            except ValidationError as exc:
                problems += _problem(where, number, exc)
            else:
                if not problems:
                    yield item
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise CgcError(problems)
