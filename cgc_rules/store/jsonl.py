"""Export and import as JSON Lines: a header line, then one record per line, lossless, streamed both ways.

There is no limit on the file, only on each line: a record of at most `MAX_RECORD_BYTES` (docs/security.md).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from pydantic import ValidationError

from ..errors import CgcError, Problem, display_path
from ..loading.limits import Limits
from ..loading.parse import parse_json
from .parallel import ordered, spare_cores
from .records import StoredRecord, plain_export_line, plain_row
from .store import Stored, Unreadable, readable

MAX_RECORD_BYTES = 16 * 1024 * 1024
RECORD_LIMITS = Limits(max_bytes=MAX_RECORD_BYTES, max_number=1e300)
"""A record's numbers are the program's own results (sums may pass the input limit of 10^15); finite still."""
MAX_PROBLEMS = 20
CHUNK = 1000
"""Rows a worker exports at a time, or lines this process validates at a time."""
SPAN = 4 * 1024 * 1024
"""Bytes of an export file a worker validates at a time (about 800 records of the product's own)."""
SMALL_FILE, SMALL_STORE = 4 * 1024 * 1024, 5000
"""An export file smaller than this, or a store with fewer records, is read in this process (starting workers
would cost more than it saves)."""
FORMAT = "cgc-rules-store"
VERSION = 1


HEADER = json.dumps({"format": FORMAT, "version": VERSION}) + "\n"


def export_chunk(rows: list[Stored]) -> tuple[list[str], list[Unreadable]]:
    """The export lines of stored rows, re-validated; and the rows that cannot be read."""
    lines: list[str] = []
    skipped: list[Unreadable] = []
    for row in rows:
        line = plain_export_line(row)
        if line is not None:
            lines.append(line + "\n")
            continue
        item = readable(row)
        if isinstance(item, Unreadable):
            skipped.append(item)
        else:
            lines.append(item.export_line() + "\n")
    return lines, skipped


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


def _lines(fh: BinaryIO, where: str, number: int = 0, size: int | None = None) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines (the first numbered `number + 1`), each read up to the record limit (a longer line is
    refused where it starts); with `size`, the lines that start within that many bytes."""
    while size is None or size > 0:
        try:
            raw = fh.readline(MAX_RECORD_BYTES + 2)
        except OSError as exc:
            raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", where, number + 1)) from None
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES + 1:
            raise CgcError(Problem(f"a record longer than {MAX_RECORD_BYTES // (1024 * 1024)} MiB", where, number))
        if size is not None:
            size -= len(raw)
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


def read_export(path: Path, workers: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The store rows (`StoredRecord.row`, a payload as the line gives it perhaps as UTF-8 bytes) of an export
    file's records, in file order, each line validated as it is read, in `workers` worker processes (default: one
    per core idle besides the caller's, which writes the rows meanwhile; a small file or 0: this process, `CHUNK`
    lines at a time). The header is checked before this returns.

    Once a line is bad nothing more is yielded; the file is still checked up to `MAX_PROBLEMS` problems, which
    are then raised together, so a caller adding the records in one transaction keeps none of them.
    """
    where = display_path(path)
    fh = _open(path, where)
    try:
        lines = _lines(fh, where)
        number, raw = next(lines, None) or (1, b"")
        _header(number, _text(number, raw, where), where)
        if workers is None:
            workers = 0 if _size(fh) < SMALL_FILE else spare_cores()
    except BaseException:
        fh.close()
        raise
    return _rows(fh, lines, where, workers)


_PAYLOAD, _AFTER = b',"payload":', b',"project_id":'
_SORTED = orjson.OPT_SORT_KEYS


def _own_line(raw: bytes) -> tuple[Any, ...] | None:
    """The store row of a line as `export_line` writes it (keys sorted, compact, no key twice), checked by writing
    it again with orjson; its payload is kept as the line gives it, as UTF-8 bytes (`Store.add_rows` stores them as
    text). None for any other line, which then goes through the strict reader with every input limit (a key given
    twice, spaces, a number past 64 bits: all read strictly)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or type(payload := data.pop("payload", None)) is not dict:
        return None
    line = raw.rstrip(b"\r\n")
    start, end = line.find(_PAYLOAD), line.rfind(_AFTER)
    if start < 0 or end < start:
        return None
    body = line[start + len(_PAYLOAD) : end]
    try:
        if orjson.dumps(payload, option=_SORTED) != body or orjson.dumps(data, option=_SORTED) != (
            line[:start] + line[end:]
        ):
            return None
    except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits, a lone surrogate
        return None
    if row := plain_row(data, payload, body):
        return row
    data["payload"] = payload
    try:
        return StoredRecord.model_validate(data, context={"payload_text": body.decode()}).row()
    except (ValueError, RecursionError):  # ValidationError is a ValueError
        return None


def _strict(number: int, raw: bytes, where: str) -> tuple[Any, ...]:
    return StoredRecord.model_validate(parse_json(_text(number, raw, where), where, RECORD_LIMITS)).row()


Located = tuple[str, int, int | None, str | None]
"""A problem of one line, as a worker sends it: message, line, column, field."""


def _row_chunk(where: str, chunk: list[tuple[int, bytes]]) -> tuple[list[tuple[Any, ...]], list[Located]]:
    """The store rows of the chunk's lines, or (from the first bad line on) only their problems."""
    rows: list[tuple[Any, ...]] = []
    problems: list[Located] = []
    for number, raw in chunk:
        if raw.isspace():  # (never empty; stops at the first other byte where strip would copy the line)
            continue
        try:
            row = _own_line(raw) or _strict(number, raw, where)
        except CgcError as exc:
            problems += [(p.message, number, p.column, p.field) for p in exc.problems]
        except ValidationError as exc:
            problems += [(p.message, number, p.column, p.field) for p in _problem(where, number, exc)]
        else:
            if not problems:
                rows.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    return rows, problems


def _chunks(lines: Iterator[tuple[int, bytes]]) -> Iterator[list[tuple[int, bytes]]]:
    while chunk := list(islice(lines, CHUNK)):
        yield chunk


Span = tuple[int, int, int]
"""Whole lines of a file: the number of the first, the offset it starts at and the number of bytes."""


def _spans(fh: BinaryIO) -> Iterator[Span]:
    """The rest of the file (from a line's start) as spans of about `SPAN` bytes, read but not sent anywhere: a
    worker reads its span itself."""
    number, start = 2, fh.tell()
    while block := fh.read(SPAN):
        size, count, last = len(block), block.count(b"\n"), block
        while not last.endswith(b"\n") and (last := fh.readline(SPAN)):  # the rest of the last line
            size, count = size + len(last), count + last.count(b"\n")
        yield number, start, size
        number, start = number + count, start + size


def _span_chunk(path: str, where: str, span: Span) -> tuple[list[tuple[Any, ...]], list[Located]]:
    """`_row_chunk` of the lines of a span of the file at `path`, read here."""
    number, start, size = span
    chunk: list[tuple[int, bytes]] = []
    try:
        with open(path, "rb", buffering=1024 * 1024) as fh:
            fh.seek(start)
            chunk.extend(_lines(fh, where, number - 1, size))
    except CgcError as exc:  # a line over the record limit, or the file cannot be read further
        rows, problems = _row_chunk(where, chunk)
        return rows, problems + [(p.message, p.line or number, p.column, p.field) for p in exc.problems]
    except OSError as exc:
        return [], [(f"cannot read file: {exc.strerror or exc}", number, None, None)]
    return _row_chunk(where, chunk)


def _regular(fh: BinaryIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except OSError:
        return False


def _size(fh: BinaryIO) -> int:
    try:
        return os.fstat(fh.fileno()).st_size
    except OSError:
        return 0


def _rows(fh: BinaryIO, lines: Iterator[tuple[int, bytes]], where: str, workers: int) -> Iterator[tuple[Any, ...]]:
    """The rows, each worker reading its own span of the file (a file that is not a regular one, or none: this
    process, line by line)."""
    problems: list[Problem] = []
    with fh:
        results = (
            ordered(_spans(fh), partial(_span_chunk, fh.name, where), workers)
            if workers > 0 and _regular(fh)
            else ordered(_chunks(lines), partial(_row_chunk, where), 0)
        )
        for rows, located in results:
            if not problems:
                yield from rows
            problems += [Problem(message, where, line, column, name) for message, line, column, name in located]
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise CgcError(problems[:MAX_PROBLEMS])
