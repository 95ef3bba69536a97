"""The file jobs: a submission converted between the formats bidders use, and the JSON Schemas of every input file."""

from __future__ import annotations

from pathlib import Path

from .. import kinds
from ..errors import CgcError
from ..intake.write import OUTPUT_FORMATS, dump
from ..ruleset import Kind


def convert(source: Path, target: Path) -> bytes | str:
    """The submission in `source` (.xlsx, .csv, .yaml, .json) as the content of `target` (.xlsx, .yaml, .json)."""
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise CgcError(f"{target}: write .xlsx, .yaml, .yml or .json")
    return dump(kinds.get(Kind.project).load(source, "nl").submission, suffix)


def schema_names() -> tuple[str, ...]:
    """The name of every input file's schema: each subject kind's files, then the ruleset and the profile."""
    from ..intake.schemas import SCHEMAS  # imports every kind's models: only for `cgc schema`

    return tuple(SCHEMAS)


def schemas(names: tuple[str, ...] | None = None) -> dict[str, str]:
    """The JSON Schema (draft 2020-12) of each named file (default: all), as text by name."""
    from ..intake.schemas import SCHEMAS, schema_text

    return {name: schema_text(name) for name in (names or tuple(SCHEMAS))}
