"""Export and import as JSON Lines: a header line, then one record per line, lossless, streamed both ways.

There is no limit on the file, only on each line: a record of at most `MAX_RECORD_BYTES` (docs/security.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson
from pydantic import ValidationError

from ..errors import CgcError, Problem, display_path
from ..loading.limits import Limits
from ..loading.parse import parse_json
from .records import StoredRecord

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
        return path.open("rb", buffering=1024 * 1024)
    except FileNotFoundError:
        raise CgcError(Problem("file not found", where)) from None
    except OSError as exc:
        raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", where)) from None


def _lines(fh: BinaryIO, where: str) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines, each read up to the record limit (a longer line is refused where it starts)."""
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
        yield number, raw


def _text(number: int, raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise CgcError(Problem(f"not UTF-8 text (byte {exc.start})", where, number, exc.start + 1)) from None


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
        number, raw = next(lines, None) or (1, b"")
        _header(number, _text(number, raw, where), where)
    except BaseException:
        fh.close()
        raise
    return _records(fh, lines, where)


_PAYLOAD, _AFTER = b',"payload":', b',"project_id":'
_SORTED = orjson.OPT_SORT_KEYS


def _own_line(raw: bytes) -> StoredRecord | None:
    """A line as `export_line` writes it (keys sorted, compact, no key twice), checked by writing it again with
    orjson; its payload is kept as the line gives it. None for any other line, which then goes through the strict
    reader with every input limit (a key given twice, spaces, a number past 64 bits: all read strictly)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or type(payload := data.get("payload")) is not dict:
        return None
    line = raw.rstrip(b"\r\n")
    start, end = line.find(_PAYLOAD), line.rfind(_AFTER)
    if start < 0 or end < start:
        return None
    body = line[start + len(_PAYLOAD) : end]
    head = {k: v for k, v in data.items() if k != "payload"}
    try:
        if orjson.dumps(payload, option=_SORTED) != body or orjson.dumps(head, option=_SORTED) != (
            line[:start] + line[end:]
        ):
            return None
    except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits, a lone surrogate
        return None
    try:
        return StoredRecord.model_validate(data, context={"payload_text": body.decode()})
    except (ValueError, RecursionError):  # ValidationError is a ValueError
        return None


def _strict(number: int, raw: bytes, where: str) -> StoredRecord:
    return StoredRecord.model_validate(parse_json(_text(number, raw, where), where, RECORD_LIMITS))


def _records(fh: BinaryIO, lines: Iterator[tuple[int, bytes]], where: str) -> Iterator[StoredRecord]:
    problems: list[Problem] = []
    with fh:
        for number, raw in lines:
            if not raw.strip():
                continue
            try:
                item = _own_line(raw) or _strict(number, raw, where)
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
