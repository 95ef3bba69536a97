"""Text to a `Document`: YAML or JSON by the file's extension, every limit and rule checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import CgcError, Problem, display_path
from .document import Document, field_path
from .files import read_text
from .jsondata import json_data
from .limits import LIMITS, Limits, Refused
from .yamldata import yaml_data


def parse(text: str | bytes, path: str, limits: Limits = LIMITS) -> Document:
    """Parse YAML or JSON (by extension) into a Document, every limit and tag rule checked.

    `text` is a str, or bytes already checked with `check_text` (parsed without a decoded copy).
    """
    try:
        if path.lower().endswith(".json"):
            data = json_data(text if isinstance(text, str) else text.decode("utf-8-sig"), path, limits)
        else:
            try:
                data = yaml_data(text, limits)
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
    except Refused as exc:
        at_line = exc.line + 1 if exc.line is not None else None
        at_column = exc.column + 1 if exc.column is not None else None
        raise CgcError(Problem(exc.message, path, at_line, at_column, field_path(exc.loc) or None)) from None
    return Document(path, data, text)


def parse_json(text: str, path: str, limits: Limits = LIMITS) -> Any:
    """One JSON text (a file, or one line of a JSON Lines file) as plain data, every limit and rule checked."""
    try:
        return json_data(text, path, limits)
    except Refused as exc:
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
