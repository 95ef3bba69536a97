"""Submissions in the formats bidders use: the XLSX bid form, a CSV material list, YAML and JSON.

`load_any` picks the reader by the file's extension. Every reader reports all errors of a file at
once, each located: `materialen!C14` in a form, `line:column` in CSV, YAML and JSON.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..i18n import render
from ..submission import LoadedSubmission, load_submission

FORMATS = (".xlsx", ".csv", ".json", ".yaml", ".yml")


def load_any(path: str | Path, lang: str = "nl") -> LoadedSubmission:
    """Load and validate a submission from .xlsx, .csv or .json; YAML otherwise.

    JSON goes through the guarded loader like YAML (pydantic's own JSON parser would take the last of
    two equal keys where the YAML reader refuses them).
    """
    from ..loading.files import refuse_device

    refuse_device(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        from .xlsx import read_xlsx

        submission, shown = read_xlsx(path, lang)
        return LoadedSubmission(
            submission=submission, path=shown, sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest()
        )
    if suffix == ".csv":
        from .csv import read_csv

        submission, shown, sha256, read_as = read_csv(path, lang)
        return LoadedSubmission(submission=submission, path=shown, sha256=sha256, read_as=render(lang, read_as))
    return load_submission(path, lang)  # JSON, or YAML whatever the extension (as `cgc evaluate` always read it)
