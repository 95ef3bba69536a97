"""Safe loading of YAML and JSON input, with file:line:column for every error.

Values are loaded with a safe loader that refuses anchors and aliases (no alias bombs) and
files over a size limit. Positions are only looked up when something is wrong: the text is
composed a second time and the field path of the error is followed through the node tree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml
from pydantic import BaseModel, ValidationError

from .errors import CgcError, Problem, display_path

MAX_BYTES = 64 * 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that rejects anchors and aliases, so no document can expand itself."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases are not allowed in cgc input", event.start_mark
            )
        return super().compose_node(parent, index)


_CLoader = getattr(yaml, "CSafeLoader", None)


def _load_yaml(text: str) -> Any:
    """Safe-load YAML with anchors and aliases refused; libyaml's C parser when present (about 4× faster)."""
    if _CLoader is None:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases are not allowed in cgc input", event.start_mark
            )
    return yaml.load(text, Loader=_CLoader)  # noqa: S506 - the C safe loader


@dataclass
class Document:
    """Parsed content of one file and the text it came from, to locate errors later."""

    path: str
    data: Any
    text: str

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node that `loc` reaches."""
        try:
            node = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return None, None
        mark = node.start_mark if node is not None else None
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(key):
                        node, mark = v, k.start_mark
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if 0 <= key < len(node.value):
                    node = node.value[key]
                    mark = node.start_mark
                else:
                    break
            else:
                break
        if mark is None:
            return None, None
        return mark.line + 1, mark.column + 1

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        line, column = self.locate(loc)
        return Problem(message, self.path, line, column, field_path(loc) or None)

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
        return problems


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the member type name of a union or a function validator into loc
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _message(err: dict) -> str:
    msg = err["msg"]
    if err["type"] in ("missing",):
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if "input" in err and err["type"] not in ("missing",) and not isinstance(err["input"], (dict, list)):
        return f"{msg} (got {err['input']!r})"
    return msg


def field_path(loc: Sequence[str | int]) -> str:
    """`materials[3].mass_t` style path for messages."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: str | Path) -> str:
    p = Path(path)
    shown = display_path(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise CgcError(Problem("file not found", shown)) from None
    except OSError as exc:
        raise CgcError(Problem(f"cannot read file: {exc.strerror}", shown)) from None
    if p.is_dir():
        raise CgcError(Problem("is a directory, expected a file", shown))
    if size > MAX_BYTES:
        raise CgcError(Problem(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", shown))
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CgcError(Problem(f"not UTF-8 text (byte {exc.start})", shown)) from None


def parse(text: str, path: str) -> Document:
    """Parse YAML or JSON text (by extension) into a Document."""
    if path.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CgcError(Problem(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno)) from None
    else:
        try:
            data = _load_yaml(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = exc.problem or exc.context or "invalid YAML"
            line = mark.line + 1 if mark else None
            col = mark.column + 1 if mark else None
            raise CgcError(Problem(f"invalid YAML: {what}", path, line, col)) from None
        except yaml.YAMLError as exc:
            raise CgcError(Problem(f"invalid YAML: {exc}", path)) from None
    return Document(path, data, text)


def load(path: str | Path) -> Document:
    """Read and parse one YAML or JSON file."""
    return parse(read_text(path), display_path(path))


def expect_mapping(doc: Document) -> dict:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        raise CgcError(Problem(f"expected a mapping at the top level, found {kind}", doc.path, 1, 1))
    return doc.data


def load_model(path: str | Path, model: type[BaseModel]) -> tuple[Any, Document, str]:
    """Read, parse and validate one file: (validated model, document, sha256 of the file's text)."""
    raw = read_text(path)
    doc = parse(raw, display_path(path))
    expect_mapping(doc)
    return doc.validate(model), doc, hashlib.sha256(raw.encode("utf-8")).hexdigest()
