"""Places in a JSON text: where a path is, and which value a strict decoder refuses.

The standard library's C scanner skips every value that is off the way (to its end, in C), so a place
costs one pass over the siblings on the way to it, each a C call, instead of a Python loop over every
token of the file: a problem in the last line of a 60 MB file is found in about a second.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.scanner import make_scanner
from typing import Any, TypeVar

Loc = tuple[str | int, ...]  # keys, and array positions (as text in the paths `places` is asked for)
Place = tuple[int, int]  # where a value's entry starts (a mapping entry: its key) and where the value starts
K = TypeVar("K")

_SPACE = re.compile(r"[ \t\n\r]*")
_NEXT = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*")  # after a member: to the next one, or to the closing bracket
Scan = Callable[[str, int], tuple[Any, int]]  # the C scanner: the value at an offset and where it ends


def _scanner(decoder: json.JSONDecoder) -> Scan:
    return make_scanner(decoder)  # type: ignore[arg-type]  # typeshed types it as a class


_PLAIN = _scanner(json.JSONDecoder())
_TOKEN = re.compile(r'[^ \t\n\r,\]}"]*')
_BROKEN = (ValueError, IndexError, RecursionError, StopIteration)


class _Stop(Exception):
    """Found what was looked for: stop walking."""


def _space(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i


def _end(scan: Scan, text: str, at: int) -> int:
    return int(scan(text, at)[1])


def _members(text: str, at: int, loc: Loc, visit: Callable[[Loc, int, int], int]) -> int:
    """Walk the object or array at `at`: `visit(child, entry, value)` returns where that value ends."""
    is_object = text[at] == "{"
    close = "}" if is_object else "]"
    i = _space(text, at + 1)
    index = 0
    while text[i] != close:
        if is_object:
            key, after = _PLAIN(text, i)
            entry, value, child = i, _space(text, _space(text, after) + 1), (*loc, str(key))  # past the colon
        else:
            entry = value = i
            child = (*loc, index)
            index += 1
        i = _NEXT.match(text, visit(child, entry, value)).end()  # type: ignore[union-attr]  # _NEXT matches the empty string too
    return i + 1


def places(text: str, wanted: set[tuple[str, ...]]) -> dict[tuple[str, ...], Place]:
    """Where each wanted path is (`wanted` holds every prefix of the paths asked for, all parts as text)."""
    kids: dict[tuple[str, ...], set[str]] = {}
    for loc in wanted:
        if loc:
            kids.setdefault(loc[:-1], set()).add(loc[-1])
    found: dict[tuple[str, ...], Place] = {}

    def walk(loc: tuple[str, ...], at: int) -> int:
        """The value of `loc` at `at`, its wanted members recorded (and walked); returns its end."""
        want = kids.get(loc)
        if not want or text[at] not in "{[":
            return _end(_PLAIN, text, at)
        is_object = text[at] == "{"
        close = "}" if is_object else "]"
        numbers = set() if is_object else {int(k) for k in want if k.isdigit()}
        i = _space(text, at + 1)
        index = 0
        while text[i] != close:
            if is_object:
                key, after = _PLAIN(text, i)
                entry, value, hit = i, _space(text, _space(text, after) + 1), key in want
                name = key
            else:
                entry = value = i
                hit, name = index in numbers, str(index)
                index += 1
            if hit:
                child = (*loc, name)
                found.setdefault(child, (entry, value))
                if len(found) == len(wanted):
                    raise _Stop
                end = walk(child, value)
            else:
                end = _end(_PLAIN, text, value)
            i = _NEXT.match(text, end).end()  # type: ignore[union-attr]  # _NEXT matches the empty string too
        return i + 1

    start = _space(text, 0)
    if () in wanted:
        found[()] = (start, start)
    try:
        if len(found) < len(wanted):
            walk((), start)
    except (_Stop, *_BROKEN):
        pass  # all found, or the text is broken past what was found
    return found


def refused(text: str, strict: json.JSONDecoder, max_depth: int) -> tuple[Loc, Place, BaseException, str] | None:
    """The innermost value `strict` refuses: its path, place, the error and its token (scalars), or None.

    A container whose members all pass is itself the refused value (a key given twice); one nested
    deeper than `max_depth` is refused where it opens.
    """
    scan = _scanner(strict)

    def failure(at: int) -> tuple[BaseException | None, int]:
        try:
            return None, _end(scan, text, at)
        except StopIteration:
            raise ValueError("broken JSON") from None
        except (ValueError, RecursionError) as exc:
            return exc, at

    class Found(Exception):
        def __init__(self, loc: Loc, entry: int, value: int, exc: BaseException):
            super().__init__()
            self.found = (loc, entry, value, exc)

    def visit(loc: Loc, entry: int, value: int) -> int:
        exc, end = failure(value)
        if exc is not None:
            raise Found(loc, entry, value, exc)
        return end

    start = _space(text, 0)
    try:
        exc, _ = failure(start)
        if exc is None:
            return None
        loc: Loc = ()
        entry = value = start
        for level in range(1, max_depth + 2):
            if text[value] not in "{[" or level > max_depth:
                break
            try:
                _members(text, value, loc, visit)
            except Found as found:
                loc, entry, value, exc = found.found
                continue
            break
    except _BROKEN:
        return None  # broken before the refused value: no place to give
    token = _TOKEN.match(text, value)
    return loc, (entry, value), exc, token.group(0) if token else ""


def duplicate(text: str, at: int, loc: Loc) -> tuple[Loc, Place] | None:
    """The second entry of a key given twice in the object at `at`."""
    seen: set[str | int] = set()

    def visit(child: Loc, entry: int, value: int) -> int:
        if child[-1] in seen:
            raise _Stop((child, (entry, value)))
        seen.add(child[-1])
        return _end(_PLAIN, text, value)

    try:
        _members(text, at, loc, visit)
    except _Stop as stop:
        child, place = stop.args[0]
        return child, place
    except _BROKEN:
        pass
    return None


def line_columns(text: str, offsets: dict[K, int]) -> dict[K, tuple[int, int]]:
    """0-based line and column of each offset, in one pass over the text."""
    out: dict[K, tuple[int, int]] = {}
    line = last = line_start = 0
    for key, at in sorted(offsets.items(), key=lambda item: item[1]):
        line += text.count("\n", last, at)
        if (newline := text.rfind("\n", last, at)) >= 0:
            line_start = newline + 1
        last = at
        out[key] = (line, at - line_start)
    return out
