"""Submissions in the formats bidders use: the XLSX bid form, a CSV material list, YAML and JSON.

`load_any` picks the reader by the file's extension. Every reader reports all errors of a file at
once, each located: `materialen!C14` in a form, `line:column` in CSV, YAML and JSON.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from .. import yamlio
from ..errors import display_path
from ..submission import LoadedSubmission, Submission, load_submission

FORMATS = (".xlsx", ".csv", ".json", ".yaml", ".yml")


def _json(path: str | Path) -> LoadedSubmission:
    """JSON straight through pydantic's parser; on any error, the located path through yamlio."""
    raw = yamlio.read_bytes(path)
    yamlio.check_text(raw, display_path(path))
    try:
        submission = Submission.model_validate_json(raw)
    except (ValidationError, ValueError, RecursionError):
        return load_submission(path)  # the guarded loader: every limit, every error located
    return LoadedSubmission(submission=submission, path=display_path(path), sha256=hashlib.sha256(raw).hexdigest())


def load_any(path: str | Path, lang: str = "nl") -> LoadedSubmission:
    """Load and validate a submission from .xlsx, .csv or .json; YAML otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        from .xlsx import read_xlsx

        submission, shown = read_xlsx(path, lang)
        return LoadedSubmission(
            submission=submission, path=shown, sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest()
        )
    if suffix == ".csv":
        from .csv import read_csv

        submission, shown, sha256 = read_csv(path, lang)
        return LoadedSubmission(submission=submission, path=shown, sha256=sha256)
    if suffix == ".json":
        return _json(path)
    return load_submission(path)  # YAML, whatever the extension (as `cgc evaluate` always read it)
