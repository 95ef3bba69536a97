"""Text to a `Document`: YAML or JSON by the file's extension, every limit and rule checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from .document import Document, field_path
from .files import read_text
from .jsondata import json_data
from .limits import LIMITS, Limits, Refused
from .yamldata import yaml_data

_YAML_ERRORS = {
    "mapping values are not allowed here": "mapping_values",
    "mapping values are not allowed in this context": "mapping_values",
    "could not find expected ':'": "colon",
    "found character that cannot start any token": "token",
    "found undefined alias": "undefined_alias",
    "expected <block end>, but found '-'": "indent",
    "expected <block end>, but found '<block mapping start>'": "indent",
    "expected <block end>, but found '<scalar>'": "indent",
    "found unexpected end of stream": "end",
}
"""libyaml's errors that the catalogues explain (`loading.yaml.<name>`, libyaml's words in `{what}`); any other
is `loading.yaml.invalid`."""


def _yaml_error(exc: yaml.YAMLError, text: str | bytes) -> Refused:
    """A YAML syntax error as a refusal at its place (0-based line and column)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _offset_position(text, exc.position)
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return Refused(Msg("loading.yaml.character", {"what": what}), [], line - 1, column - 1)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        msg = Msg(f"loading.yaml.{_YAML_ERRORS.get(what, 'invalid')}", {"what": what})
        return Refused(msg, [], mark.line if mark else None, mark.column if mark else None)
    return Refused(Msg("loading.yaml.invalid", {"what": str(exc)}), [])


def _problem(exc: Refused, path: str, lang: str) -> CgcError:
    at_line = exc.line + 1 if exc.line is not None else None
    at_column = exc.column + 1 if exc.column is not None else None
    return CgcError(Problem(render(lang, exc.msg), path, at_line, at_column, field_path(exc.loc) or None))


def parse(text: str | bytes, path: str, limits: Limits = LIMITS, lang: str = "en") -> Document:
    """Parse YAML or JSON (by extension) into a Document, every limit and tag rule checked; errors in `lang`.

    `text` is a str, or bytes already checked with `check_text` (parsed without a decoded copy).
    """
    try:
        if path.lower().endswith(".json"):
            data = json_data(text if isinstance(text, str) else text.decode("utf-8-sig"), limits)
        else:
            try:
                data = yaml_data(text, limits)
            except yaml.YAMLError as exc:
                raise _yaml_error(exc, text) from None
    except Refused as exc:
        raise _problem(exc, path, lang) from None
    return Document(path, data, text, lang=lang)


def parse_json(text: str, path: str, limits: Limits = LIMITS) -> Any:
    """One JSON text (a file, or one line of a JSON Lines file) as plain data, every limit and rule checked."""
    try:
        return json_data(text, limits)
    except Refused as exc:
        raise _problem(exc, path, "en") from None


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
        kind = render(doc.lang, Msg("loading.kind.empty")) if doc.data is None else type(doc.data).__name__
        msg = Msg("loading.not_mapping", {"kind": kind})
        raise CgcError(Problem(render(doc.lang, msg), doc.path, 1, 1))
    return doc.data
