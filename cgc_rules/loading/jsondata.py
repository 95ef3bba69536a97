"""JSON to plain data with the standard library's decoder, every limit checked; refusals placed in the text."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from itertools import chain
from typing import Any

from ..i18n import Msg
from . import jsonplace
from .limits import Limits, Refused


class _JsonValue(ValueError):
    """A JSON value the hooks refuse; `jsonplace.refused` finds where it is."""


def _json_refuse(_: str) -> Any:
    raise _JsonValue


def _json_int(value: str, limit: float) -> int:
    if len(value) > 20 or abs(number := int(value)) > limit:
        raise _JsonValue
    return number


def _json_float(value: str, limit: float) -> float:
    if len(value) > 64 or not math.isfinite(number := float(value)) or abs(number) > limit:
        raise _JsonValue
    return number


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _JsonValue
    return out


def _strict(limits: Limits) -> json.JSONDecoder:
    """The standard library's decoder with the hooks that refuse what cgc input may not hold."""
    return json.JSONDecoder(
        object_pairs_hook=_json_object,
        parse_constant=_json_refuse,
        parse_int=lambda value: _json_int(value, limits.max_number),
        parse_float=lambda value: _json_float(value, limits.max_number),
    )


def json_data(text: str, limits: Limits) -> Any:
    strict = _strict(limits)
    try:
        data = strict.decode(text)
    except json.JSONDecodeError as exc:
        known = _JSON_ERRORS.get(exc.msg, "invalid")
        raise Refused(Msg(f"loading.json.{known}", {"what": exc.msg}), [], exc.lineno - 1, exc.colno - 1) from None
    except (_JsonValue, RecursionError):
        raise _json_refused(text, strict, limits) from None
    if not _within(data, limits):
        msg, loc, at_value = _breach(data, limits)
        key = tuple(str(p) for p in loc)
        entry, value = jsonplace.places(text, {key[:i] for i in range(len(key) + 1)}).get(key, (0, 0))
        raise _refusal(text, msg, loc, value if at_value else entry)
    return data


_JSON_ERRORS = {
    "Expecting value": "value",
    "Expecting ',' delimiter": "comma",
    "Expecting ':' delimiter": "colon",
    "Expecting property name enclosed in double quotes": "key",
    "Unterminated string starting at": "unterminated",
    "Extra data": "extra",
    "Invalid control character at": "control",
}
"""The standard library's JSON errors that the catalogues explain (`loading.json.<name>`, the library's words in
`{what}`); any other is `loading.json.invalid`."""


def _json_refused(text: str, strict: json.JSONDecoder, limits: Limits) -> Refused:
    """Where and why the hooks (or the parser's own depth) refused a JSON text."""
    found = jsonplace.refused(text, strict, limits.max_depth)
    if found is None:
        return Refused(Msg("loading.json.invalid_plain"), [])
    loc, (entry, value), exc, token = found
    deep = Msg("loading.too_deep", {"limit": str(limits.max_depth)})
    if isinstance(exc, RecursionError) or text[value] == "[":
        return _refusal(text, deep, loc, value)
    if text[value] == "{":
        twice = jsonplace.duplicate(text, value, loc)
        if twice is not None:
            return _refusal(text, Msg("loading.duplicate_key", {"key": repr(twice[0][-1])}), twice[0], twice[1][0])
        return _refusal(text, deep, loc, value)
    fields = {"limit": f"{limits.max_number:g}", "got": repr(token[:40])}
    return _refusal(text, Msg("loading.json.number", fields), loc, value)


def _refusal(text: str, msg: Msg, loc: Sequence[Any], at: int) -> Refused:
    line, column = jsonplace.line_columns(text, {0: at})[0]
    return Refused(msg, list(loc), line, column)


def _breach(data: Any, limits: Limits) -> tuple[Msg, tuple[Any, ...], bool]:
    """What `_within` found over a limit, its path, and whether to show it where its value starts (not its key).

    Walked level by level with each container's path; run only for a file that breaks a limit.
    """
    long = Msg("loading.too_long", {"limit": str(limits.max_string)})
    if type(data) is str:
        return long, (), True
    level: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    nodes = 0
    for depth in range(1, limits.max_depth + 2):
        if not level:
            break
        for container, loc in level:
            if depth > limits.max_depth:
                return Msg("loading.too_deep", {"limit": str(limits.max_depth)}), loc, True
            if len(container) > limits.max_items:
                what = "loading.too_many_keys" if type(container) is dict else "loading.too_many_items"
                return Msg(what, {"limit": str(limits.max_items)}), loc, False
        deeper = []
        for container, loc in level:
            for key, value in container.items() if type(container) is dict else enumerate(container):
                nodes += 1
                if nodes > limits.max_nodes:
                    return Msg("loading.json.too_many_values", {"limit": str(limits.max_nodes)}), (), True
                if (type(key) is str and len(key) > limits.max_string) or (
                    type(value) is str and len(value) > limits.max_string
                ):
                    return long, (*loc, key), False
                if type(value) is dict or type(value) is list:
                    deeper.append((value, (*loc, key)))
        level = deeper
    return Msg("loading.json.limits"), (), True


def _within(data: Any, limits: Limits) -> bool:
    """Depth, items, values and string length of parsed JSON, walked level by level (numbers: the parse hooks).

    Each level's values are gathered and sorted by kind in comprehensions, which costs far less than a
    Python loop over every value of a large file.
    """
    if type(data) is str:
        return len(data) <= limits.max_string
    level = [data] if type(data) is dict or type(data) is list else []
    depth = nodes = 0
    while level:
        depth += 1
        if depth > limits.max_depth or max(map(len, level)) > limits.max_items:
            return False
        mappings = [c for c in level if type(c) is dict]
        if mappings and max(map(len, chain.from_iterable(mappings)), default=0) > limits.max_string:
            return False
        values = list(chain.from_iterable(c.values() if type(c) is dict else c for c in level))
        nodes += len(values)
        if nodes > limits.max_nodes:
            return False
        if max((len(v) for v in values if type(v) is str), default=0) > limits.max_string:
            return False
        level = [v for v in values if type(v) is dict or type(v) is list]
    return True
