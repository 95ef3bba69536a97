"""YAML to plain data from libyaml's event stream, every limit and tag rule checked; and where paths are.

Anchors, aliases, merge keys and every tag the formats do not need are refused; a scalar that does not fit
its tag is refused at its place (`Refused`), never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..i18n import Msg
from .limits import Limits, Refused

_Loc = tuple[str, ...]
_T = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _T + "str", _T + "map", _T + "seq"
_IMPLICIT = Resolver.yaml_implicit_resolvers
_SAFE = SafeConstructor()


class _Bad(Exception):
    """A scalar that does not fit its tag or a limit; located by the builder that catches it."""

    def __init__(self, key: str, **fields: str):
        super().__init__(key)
        self.msg = Msg(key, fields)


# ---------------------------------------------------------------- YAML scalars


def _resolve(value: str) -> str:
    resolvers = _IMPLICIT.get(value[0] if value else "", ())
    for tag, regexp in resolvers:
        if regexp.match(value):
            return str(tag)
    return _STR


def _number(value: float | int, limits: Limits) -> float | int:
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad("loading.value.not_finite", got=repr(value))
    if abs(value) > limits.max_number:
        raise _Bad("loading.value.too_large", limit=f"{limits.max_number:g}")
    return value


def _scalar(tag: str, value: str, limits: Limits) -> Any:
    """Construct one scalar of an allowed tag, or raise _Bad with what is wrong."""
    if tag == _STR:
        return value
    try:
        if tag == _T + "int":
            if value.isdigit() and len(value) < 16 and (value[0] != "0" or value == "0"):
                return _number(int(value), limits)
            if len(value.replace("_", "")) > 64:
                raise _Bad("loading.value.too_many_digits")
            return _number(_SAFE.construct_yaml_int(yaml.ScalarNode(tag, value)), limits)
        if tag == _T + "float":
            if len(value) > 64:
                raise _Bad("loading.value.too_many_digits")
            if "_" not in value and ":" not in value and "n" not in value.lower():
                return _number(float(value), limits)  # plain decimal (not sexagesimal, .inf or .nan): as PyYAML
            return _number(_SAFE.construct_yaml_float(yaml.ScalarNode(tag, value)), limits)
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            return _SAFE.bool_values[value.lower()]
        if tag == _T + "timestamp":
            return _SAFE.construct_yaml_timestamp(yaml.ScalarNode(tag, value))
    except _Bad:
        raise
    except KeyError:
        raise _Bad("loading.value.not_bool", got=repr(value)) from None
    except (ValueError, TypeError, AttributeError, IndexError, OverflowError) as exc:
        what = {_T + "int": "int", _T + "float": "float", _T + "timestamp": "date"}[tag]
        detail = f": {exc}" if tag == _T + "timestamp" and isinstance(exc, ValueError) else ""
        raise _Bad(f"loading.value.not_{what}", got=repr(value), detail=detail) from None
    if tag == _T + "merge":
        raise _Bad("loading.yaml.merge")
    raise _Bad("loading.yaml.tag", tag=_short_tag(tag))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


# ---------------------------------------------------------------- YAML: events to data


def _loader(text: str | bytes) -> Any:
    """libyaml's parser (the C one when present)."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def _events(text: str | bytes) -> Iterable[Any]:
    """libyaml's events, one by one."""
    loader = _loader(text)
    get = loader.get_event
    try:
        while True:
            event = get()
            if type(event) is yaml.StreamEndEvent:
                return
            yield event
    finally:
        loader.dispose()


_NOKEY = object()
_MEMO_LEN = 32
_MEMO_SIZE = 50_000


def yaml_data(text: str | bytes, limits: Limits) -> Any:
    """Build plain data from the event stream, every rule checked on the way; one pass, no recursion.

    Short plain scalars are constructed once per distinct text (keys and enum values repeat on every line),
    which also shares their objects. Scalars, most of the events, take the shortest path.
    """
    root: Any = None
    stack: list[Any] = []  # open collections
    keys: list[Any] = []  # per open collection: its pending key (mappings) or _NOKEY
    path: list[Any] = []  # the key or index by which each open collection was reached
    memo: dict[str, Any] = {}
    nodes = 0
    documents = 0
    top: Any = None
    max_items = limits.max_items
    max_nodes = min(limits.max_nodes, limits.max_yaml_nodes)
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    end_events = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    missing = _NOKEY

    def where() -> list[Any]:
        here = path[1:]
        if stack:
            here = [*here, len(top) if type(top) is list else keys[-1]]
        return [p for p in here if p is not _NOKEY]

    def refuse(msg_key: str, event: Any, extra: Sequence[Any] = (), **fields: str) -> Refused:
        return Refused(Msg(msg_key, fields), [*where(), *extra], *_pos(event))

    loader = _loader(text)
    get, stream_end = loader.get_event, yaml.StreamEndEvent
    try:
        while (kind := type(event := get())) is not stream_end:
            if kind is scalar_event:
                raw = event.value
                plain = event.tag is None and event.implicit[0] and event.anchor is None
                value = memo.get(raw, missing) if plain and len(raw) <= _MEMO_LEN else missing
                if value is missing:
                    value = _yaml_scalar(event, limits, refuse)
                    if plain and len(raw) <= _MEMO_LEN and len(memo) < _MEMO_SIZE:
                        memo[raw] = value
                nodes += 1
                if nodes > max_nodes:
                    raise refuse("loading.yaml.too_many_values", event, limit=str(max_nodes))
                if type(top) is dict:
                    key = keys[-1]
                    if key is not missing:
                        top[key] = value
                        keys[-1] = missing
                        continue
                    try:
                        duplicate = value in top
                    except TypeError:
                        raise refuse("loading.yaml.plain_key", event) from None
                    if duplicate:
                        raise refuse("loading.duplicate_key", event, [value], key=repr(value))
                    if len(top) >= max_items:
                        raise refuse("loading.too_many_keys", event, limit=str(max_items))
                    keys[-1] = value
                elif top is not None:
                    if len(top) >= max_items:
                        raise refuse("loading.too_many_items", event, limit=str(max_items))
                    top.append(value)
                else:
                    root = value
                continue
            if kind in end_events:
                stack.pop()
                keys.pop()
                path.pop()
                top = stack[-1] if stack else None
                continue
            if kind is mapping_start or kind is sequence_start:
                if event.anchor is not None:
                    raise refuse("loading.yaml.alias", event)
                allowed = _MAP if kind is mapping_start else _SEQ
                if event.tag not in (None, "!", allowed):
                    raise refuse("loading.yaml.tag", event, tag=_short_tag(event.tag))
                if len(stack) >= limits.max_depth:
                    raise refuse("loading.too_deep", event, limit=str(limits.max_depth))
                nodes += 1
                if nodes > max_nodes:
                    raise refuse("loading.yaml.too_many_values", event, limit=str(max_nodes))
                value = {} if kind is mapping_start else []
                if top is None:
                    root = value
                    path.append(None)
                elif type(top) is list:
                    if len(top) >= max_items:
                        raise refuse("loading.too_many_items", event, limit=str(max_items))
                    path.append(len(top))
                    top.append(value)
                elif keys[-1] is missing:
                    raise refuse("loading.yaml.plain_key", event)
                else:
                    path.append(keys[-1])
                    top[keys[-1]] = value
                    keys[-1] = missing
                stack.append(value)
                keys.append(missing)
                top = value
            elif kind is yaml.AliasEvent:
                raise refuse("loading.yaml.alias", event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Refused(Msg("loading.yaml.documents"), [], *_pos(event))
    finally:
        loader.dispose()
    return root


def _yaml_scalar(event: Any, limits: Limits, refuse: Any) -> Any:
    """One scalar event as a value: tag resolved, constructed, every rule checked."""
    raw = event.value
    if event.anchor is not None:
        raise refuse("loading.yaml.alias", event)
    if len(raw) > limits.max_string:
        raise refuse("loading.too_long", event, limit=str(limits.max_string))
    tag = event.tag
    if tag is None:
        tag = _resolve(raw) if event.implicit[0] else _STR
    elif tag == "!":
        tag = _STR
    try:
        return _scalar(tag, raw, limits)
    except _Bad as exc:
        raise refuse(exc.msg.key, event, **exc.msg.fields) from None


def _pos(event: Any) -> tuple[int, int]:
    return event.start_mark.line, event.start_mark.column


def yaml_marks(text: str | bytes, wanted: set[_Loc]) -> dict[_Loc, tuple[int, int]]:
    """Line and column (0-based) of every wanted path: a mapping entry at its key, a list item at its start."""
    found: dict[_Loc, tuple[int, int]] = {}
    if () in wanted:
        found[()] = (0, 0)
    stack: list[list[Any]] = []  # per open collection: [is_mapping, path, pending key or None, next index]
    try:
        for event in _events(text):
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            if kind not in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent):
                continue
            here: _Loc | None = None
            if stack:
                top = stack[-1]
                if top[0]:
                    if top[2] is None:  # a key
                        top[2] = event.value if kind is yaml.ScalarEvent else "?"
                        key = top[1] + (top[2],)
                        if key in wanted and key not in found:
                            found[key] = _pos(event)
                        continue
                    here = top[1] + (top[2],)
                    top[2] = None
                else:
                    here = top[1] + (str(top[3]),)
                    top[3] += 1
                    if here in wanted and here not in found:
                        found[here] = _pos(event)
            else:
                here = ()
                found.setdefault((), _pos(event))
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                stack.append([kind is yaml.MappingStartEvent, here, None, 0])
            if len(found) == len(wanted):
                break
    except yaml.YAMLError:
        pass
    return found
