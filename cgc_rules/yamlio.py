"""The guarded entry for every YAML and JSON file cgc reads, with file:line:column for every error.

Reading is bounded before parsing (size, lines) and while parsing (depth, items per collection,
nodes, string length, number magnitude): a file that breaks a limit is refused with the limit named.
YAML is parsed as an event stream by libyaml and built into plain data here, so anchors, aliases,
merge keys and every tag the formats do not need are refused, and a scalar that does not fit its tag
(`!!int abc`, `2026-02-30`) is a located error, not a traceback. Positions are found only when
something is wrong: one more pass over the file locates every error of the document at once
(see `Document`), so the cost stays linear in the file however many errors it has.
"""

from __future__ import annotations

import hashlib
import json
import math
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from . import jsonplace
from .errors import CgcError, Problem, display_path


@dataclass(frozen=True)
class Limits:
    """What one input file may hold; documented in docs/security.md."""

    max_bytes: int = 64 * 1024 * 1024
    max_lines: int = 2_000_000
    max_depth: int = 64
    max_items: int = 1_000_000
    max_nodes: int = 8_000_000
    max_yaml_nodes: int = 3_000_000
    """YAML costs about a microsecond a value to parse here, and as much again to place an error near the end:
    below half the JSON limit, a YAML file with an error in its last line is still answered within 10 s."""
    max_string: int = 100_000
    max_number: float = 1e15


LIMITS = Limits()
MAX_BYTES = LIMITS.max_bytes

_Loc = tuple[str, ...]
_T = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _T + "str", _T + "map", _T + "seq"
_IMPLICIT = Resolver.yaml_implicit_resolvers
_SAFE = SafeConstructor()


class _Refused(Exception):
    """A limit or format rule broken at one place of the file (0-based line and column)."""

    def __init__(self, message: str, loc: Sequence[Any], line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.loc, self.line, self.column = message, list(loc), line, column


class _Bad(Exception):
    """A scalar that does not fit its tag or a limit; located by the builder that catches it."""


# ---------------------------------------------------------------- reading


def read_bytes(path: str | Path, limits: Limits = LIMITS) -> bytes:
    """The bytes of a file, refused with a clear message when missing, unreadable or too large."""
    p = Path(path)
    shown = display_path(p)
    try:
        if p.is_dir():
            raise CgcError(Problem("is a directory, expected a file", shown))
        with p.open("rb") as fh:
            data = fh.read(limits.max_bytes + 1)  # never more than the limit, also for devices and pipes
    except FileNotFoundError:
        raise CgcError(Problem("file not found", shown)) from None
    except OSError as exc:
        raise CgcError(Problem(f"cannot read file: {exc.strerror or exc}", shown)) from None
    if len(data) > limits.max_bytes:
        raise CgcError(Problem(f"file is larger than {limits.max_bytes // (1024 * 1024)} MiB", shown))
    return data


def decode(data: bytes, shown: str, limits: Limits = LIMITS) -> str:
    """UTF-8 text (a byte-order mark dropped) within the line limit."""
    check_text(data, shown, limits)
    return data.decode("utf-8-sig")


def check_text(data: bytes, shown: str, limits: Limits = LIMITS) -> None:
    """Refuse bytes that are not UTF-8 text or have too many lines."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CgcError(Problem(f"not UTF-8 text (byte {exc.start})", shown)) from None
    if data.count(b"\n") + 1 > limits.max_lines:
        raise CgcError(Problem(f"file has more than {limits.max_lines} lines", shown))


def read_text(path: str | Path, limits: Limits = LIMITS) -> str:
    """Text of a file, within the size and line limits."""
    return decode(read_bytes(path, limits), display_path(path), limits)


# ---------------------------------------------------------------- YAML scalars


def _resolve(value: str) -> str:
    resolvers = _IMPLICIT.get(value[0] if value else "", ())
    for tag, regexp in resolvers:
        if regexp.match(value):
            return str(tag)
    return _STR


def _number(value: float | int, limits: Limits) -> float | int:
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad(f"not a finite number (got {value!r})")
    if abs(value) > limits.max_number:
        raise _Bad(f"number is larger than the limit of {limits.max_number:g}")
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
                raise _Bad("number has too many digits")
            return _number(_SAFE.construct_yaml_int(yaml.ScalarNode(tag, value)), limits)
        if tag == _T + "float":
            if len(value) > 64:
                raise _Bad("number has too many digits")
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
        raise _Bad(f"not a boolean (got {value!r})") from None
    except (ValueError, TypeError, AttributeError, IndexError, OverflowError) as exc:
        what = {_T + "int": "an integer", _T + "float": "a number", _T + "timestamp": "a valid date"}[tag]
        detail = f": {exc}" if tag == _T + "timestamp" and isinstance(exc, ValueError) else ""
        raise _Bad(f"not {what} (got {value!r}){detail}") from None
    if tag == _T + "merge":
        raise _Bad("merge keys (<<) are not allowed in cgc input")
    raise _Bad(f"the YAML tag {_short_tag(tag)} is not allowed in cgc input")


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


def _yaml_data(text: str | bytes, limits: Limits) -> Any:
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

    def refuse(message: str, event: Any, extra: Sequence[Any] = ()) -> _Refused:
        return _Refused(message, [*where(), *extra], *_pos(event))

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
                    raise refuse(_too_many_yaml_values(max_nodes), event)
                if type(top) is dict:
                    key = keys[-1]
                    if key is not missing:
                        top[key] = value
                        keys[-1] = missing
                        continue
                    try:
                        duplicate = value in top
                    except TypeError:
                        raise refuse("a mapping key must be a plain value", event) from None
                    if duplicate:
                        raise refuse(f"duplicate key {value!r}", event, [value])
                    if len(top) >= max_items:
                        raise refuse(f"more than {max_items} keys in one mapping", event)
                    keys[-1] = value
                elif top is not None:
                    if len(top) >= max_items:
                        raise refuse(f"more than {max_items} items in one list", event)
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
                    raise refuse("anchors and aliases are not allowed in cgc input", event)
                allowed = _MAP if kind is mapping_start else _SEQ
                if event.tag not in (None, "!", allowed):
                    raise refuse(f"the YAML tag {_short_tag(event.tag)} is not allowed in cgc input", event)
                if len(stack) >= limits.max_depth:
                    raise refuse(f"nested deeper than {limits.max_depth} levels", event)
                nodes += 1
                if nodes > max_nodes:
                    raise refuse(_too_many_yaml_values(max_nodes), event)
                value = {} if kind is mapping_start else []
                if top is None:
                    root = value
                    path.append(None)
                elif type(top) is list:
                    if len(top) >= max_items:
                        raise refuse(f"more than {max_items} items in one list", event)
                    path.append(len(top))
                    top.append(value)
                elif keys[-1] is missing:
                    raise refuse("a mapping key must be a plain value", event)
                else:
                    path.append(keys[-1])
                    top[keys[-1]] = value
                    keys[-1] = missing
                stack.append(value)
                keys.append(missing)
                top = value
            elif kind is yaml.AliasEvent:
                raise refuse("anchors and aliases are not allowed in cgc input", event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused("expected a single document in the file", [], *_pos(event))
    finally:
        loader.dispose()
    return root


def _too_many_yaml_values(limit: int) -> str:
    return f"more than {limit} values in the file (YAML); a file this large can be given as JSON"


def _yaml_scalar(event: Any, limits: Limits, refuse: Any) -> Any:
    """One scalar event as a value: tag resolved, constructed, every rule checked."""
    raw = event.value
    if event.anchor is not None:
        raise refuse("anchors and aliases are not allowed in cgc input", event)
    if len(raw) > limits.max_string:
        raise refuse(f"text longer than {limits.max_string} characters", event)
    tag = event.tag
    if tag is None:
        tag = _resolve(raw) if event.implicit[0] else _STR
    elif tag == "!":
        tag = _STR
    try:
        return _scalar(tag, raw, limits)
    except _Bad as exc:
        raise refuse(str(exc), event) from None


def _pos(event: Any) -> tuple[int, int]:
    return event.start_mark.line, event.start_mark.column


def _yaml_marks(text: str | bytes, wanted: set[_Loc]) -> dict[_Loc, tuple[int, int]]:
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


# ---------------------------------------------------------------- JSON


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


def _json_data(text: str, path: str, limits: Limits) -> Any:
    strict = _strict(limits)
    try:
        data = strict.decode(text)
    except json.JSONDecodeError as exc:
        raise CgcError(Problem(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno)) from None
    except (_JsonValue, RecursionError):
        raise _json_refused(text, strict, limits) from None
    if not _within(data, limits):
        message, loc, at_value = _breach(data, limits)
        key = tuple(str(p) for p in loc)
        entry, value = jsonplace.places(text, {key[:i] for i in range(len(key) + 1)}).get(key, (0, 0))
        raise _refusal(text, message, loc, value if at_value else entry)
    return data


def _json_refused(text: str, strict: json.JSONDecoder, limits: Limits) -> _Refused:
    """Where and why the hooks (or the parser's own depth) refused a JSON text."""
    found = jsonplace.refused(text, strict, limits.max_depth)
    if found is None:
        return _Refused("invalid JSON", [])
    loc, (entry, value), exc, token = found
    if isinstance(exc, RecursionError) or text[value] == "[":
        return _refusal(text, f"nested deeper than {limits.max_depth} levels", loc, value)
    if text[value] == "{":
        twice = jsonplace.duplicate(text, value, loc)
        if twice is not None:
            return _refusal(text, f"duplicate key {twice[0][-1]!r}", twice[0], twice[1][0])
        return _refusal(text, f"nested deeper than {limits.max_depth} levels", loc, value)
    shown = token[:40]
    return _refusal(text, f"not a finite number within the limit of {limits.max_number:g} (got {shown!r})", loc, value)


def _refusal(text: str, message: str, loc: Sequence[Any], at: int) -> _Refused:
    line, column = jsonplace.line_columns(text, {0: at})[0]
    return _Refused(message, list(loc), line, column)


def _breach(data: Any, limits: Limits) -> tuple[str, tuple[Any, ...], bool]:
    """What `_within` found over a limit, its path, and whether to show it where its value starts (not its key).

    Walked level by level with each container's path; run only for a file that breaks a limit.
    """
    if type(data) is str:
        return f"text longer than {limits.max_string} characters", (), True
    level: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    nodes = 0
    for depth in range(1, limits.max_depth + 2):
        if not level:
            break
        for container, loc in level:
            if depth > limits.max_depth:
                return f"nested deeper than {limits.max_depth} levels", loc, True
            if len(container) > limits.max_items:
                what = "keys in one mapping" if type(container) is dict else "items in one list"
                return f"more than {limits.max_items} {what}", loc, False
        deeper = []
        for container, loc in level:
            for key, value in container.items() if type(container) is dict else enumerate(container):
                nodes += 1
                if nodes > limits.max_nodes:
                    return f"more than {limits.max_nodes} values in the file", (), True
                if (type(key) is str and len(key) > limits.max_string) or (
                    type(value) is str and len(value) > limits.max_string
                ):
                    return f"text longer than {limits.max_string} characters", (*loc, key), False
                if type(value) is dict or type(value) is list:
                    deeper.append((value, (*loc, key)))
        level = deeper
    return "the file breaks one of the input limits (docs/security.md)", (), True


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


# ---------------------------------------------------------------- the document


@dataclass
class Document:
    """Parsed content of one file and its source (text, or the UTF-8 bytes read), to locate errors later."""

    path: str
    data: Any
    source: str | bytes | None
    reread: tuple[Path, str] | None = None
    """Instead of `source`, the file and its sha256: a large file is read again only to locate a problem."""
    _pending: list[tuple[_Loc, Problem]] = field(default_factory=list, repr=False)

    def _source(self) -> str | bytes:
        if self.source is not None:
            return self.source
        if self.reread is not None:
            try:
                again = read_bytes(self.reread[0])
            except CgcError:
                return ""
            if hashlib.sha256(again).hexdigest() == self.reread[1]:
                return again
        return ""  # gone or changed since: the problems keep their field, without line and column

    @property
    def text(self) -> str:
        source = self._source()
        return source if isinstance(source, str) else source.decode("utf-8-sig")

    def _marks(self, wanted: set[_Loc]) -> dict[_Loc, tuple[int, int]]:
        source = self._source()
        if not source:
            return {}
        if self.path.lower().endswith(".json"):
            text = source if isinstance(source, str) else source.decode("utf-8-sig")
            entries = {loc: entry for loc, (entry, _) in jsonplace.places(text, wanted).items()}
            return jsonplace.line_columns(text, entries)
        return _yaml_marks(source, wanted)

    def locate_many(self, locs: Sequence[Sequence[str | int]]) -> list[tuple[int | None, int | None]]:
        """Line and column (1-based) of the deepest node each loc reaches; one pass for all of them."""
        keys = [tuple(str(p) for p in loc) for loc in locs]
        wanted = {key[:i] for key in keys for i in range(len(key) + 1)}
        found = self._marks(wanted)
        out: list[tuple[int | None, int | None]] = []
        for key in keys:
            for i in range(len(key), -1, -1):
                if key[:i] in found:
                    line, column = found[key[:i]]
                    out.append((line + 1, column + 1))
                    break
            else:
                out.append((None, None))
        return out

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node that `loc` reaches."""
        return self.locate_many([loc])[0]

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        """A problem at `loc`, located together with the document's other pending problems when first shown."""
        problem = Problem(message, self.path, None, None, field_path(loc) or None, locator=self)
        self._pending.append((tuple(str(p) for p in loc), problem))
        return problem

    def resolve_pending(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        for (_, problem), (line, column) in zip(pending, self.locate_many([loc for loc, _ in pending]), strict=True):
            problem.place(line, column)

    def validate(self, model: type[BaseModel], data: Any = None) -> Any:
        """Validate with pydantic; every error becomes a located Problem."""
        try:
            return model.model_validate(self.data if data is None else data)
        except ValidationError as exc:
            raise CgcError(self.validation_problems(exc)) from None

    def validation_problems(self, exc: ValidationError, prefix: Iterable[str | int] = ()) -> list[Problem]:
        problems = []
        for err in exc.errors(include_url=False):
            loc = [*prefix, *(p for p in err["loc"] if not _is_union_tag(p))]
            problems.append(self.problem(loc, _message(err)))
        self.resolve_pending()
        return problems


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the member type name of a union or a function validator into loc
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _message(err: Mapping[str, Any]) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")  # our validators' own messages say what is wrong
    if err["type"] in ("missing",):
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if "input" in err and err["type"] not in ("missing",) and not isinstance(err["input"], (dict, list)):
        shown = repr(err["input"])
        return f"{msg} (got {shown if len(shown) <= 80 else shown[:77] + '...'})"
    return msg


_FIELD_CHARS = 160


def field_path(loc: Sequence[str | int]) -> str:
    """`materials[3].mass_t` style path for messages; a very deep or long one keeps its start and end."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    if len(out) > _FIELD_CHARS:
        out = out[: _FIELD_CHARS // 2] + "…" + out[-_FIELD_CHARS // 2 :]
    return out


def parse(text: str | bytes, path: str, limits: Limits = LIMITS) -> Document:
    """Parse YAML or JSON (by extension) into a Document, every limit and tag rule checked.

    `text` is a str, or bytes already checked with `check_text` (parsed without a decoded copy).
    """
    try:
        if path.lower().endswith(".json"):
            data = _json_data(text if isinstance(text, str) else text.decode("utf-8-sig"), path, limits)
        else:
            try:
                data = _yaml_data(text, limits)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                what = exc.problem or exc.context or "invalid YAML"
                line = mark.line + 1 if mark else None
                col = mark.column + 1 if mark else None
                raise CgcError(Problem(f"invalid YAML: {what}", path, line, col)) from None
            except yaml.reader.ReaderError as exc:
                line, column = _offset_position(text, exc.position)
                what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
                raise CgcError(Problem(f"invalid YAML: character {what} is not allowed", path, line, column)) from None
            except yaml.YAMLError as exc:
                raise CgcError(Problem(f"invalid YAML: {exc}", path)) from None
    except _Refused as exc:
        at_line = exc.line + 1 if exc.line is not None else None
        at_column = exc.column + 1 if exc.column is not None else None
        raise CgcError(Problem(exc.message, path, at_line, at_column, field_path(exc.loc) or None)) from None
    return Document(path, data, text)


def parse_json(text: str, path: str, limits: Limits = LIMITS) -> Any:
    """One JSON text (a file, or one line of a JSON Lines file) as plain data, every limit and rule checked."""
    try:
        return _json_data(text, path, limits)
    except _Refused as exc:
        at_line = exc.line + 1 if exc.line is not None else None
        at_column = exc.column + 1 if exc.column is not None else None
        raise CgcError(Problem(exc.message, path, at_line, at_column, field_path(exc.loc) or None)) from None


def _offset_position(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (libyaml counts characters, also in bytes input)."""
    chars = text if isinstance(text, str) else text.decode("utf-8-sig", errors="replace")
    head = chars[:offset]
    return head.count("\n") + 1, offset - (head.rfind("\n") + 1) + 1


def load(path: str | Path, limits: Limits = LIMITS) -> Document:
    """Read and parse one YAML or JSON file."""
    return parse(read_text(path, limits), display_path(path), limits)


def expect_mapping(doc: Document) -> dict[Any, Any]:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        raise CgcError(Problem(f"expected a mapping at the top level, found {kind}", doc.path, 1, 1))
    return doc.data


def load_model(path: str | Path, model: type[BaseModel], limits: Limits = LIMITS) -> tuple[Any, Document, str]:
    """Read, parse and validate one file: (validated model, document, sha256 of the file's bytes).

    Long top-level lists are handed to the model item by item and released as they are validated, so a
    large file is never held as data and as models at once; the returned document keeps its text (to
    locate later problems; a large file is read again for that) but not its data.
    """
    raw = read_bytes(path, limits)
    shown = display_path(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    check_text(raw, shown, limits)
    doc = parse(raw, shown, limits)
    if len(raw) > _KEEP_SOURCE:
        doc.source, doc.reread = None, (Path(path), sha256)
    del raw
    data = expect_mapping(doc)
    doc.data = None
    for key, value in data.items():
        if type(value) is list and len(value) > _DRAIN_FROM and _is_list_field(model, key):
            data[key] = _drain(value)
    return doc.validate(model, data), doc, sha256


_DRAIN_FROM = 1000
_KEEP_SOURCE = 4 * 1024 * 1024


def _is_list_field(model: type[BaseModel], key: str) -> bool:
    info = model.model_fields.get(key)
    if info is None:
        return False
    annotation = info.annotation
    options = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType)
        else (annotation,)
    )
    return any(typing.get_origin(o) is list for o in options) and all(
        typing.get_origin(o) is list or o is type(None) for o in options
    )


def _drain(items: list[Any]) -> Iterator[Any]:
    """Yield the items of a list, releasing each from the list as it goes."""
    items.reverse()
    while items:
        yield items.pop()
