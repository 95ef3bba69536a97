"""Writing a submission as the bid form (XLSX), YAML or JSON; reading it back gives an equal model."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..submission import Submission

OUTPUT_FORMATS = (".xlsx", ".yaml", ".yml", ".json")


def plain(submission: Submission) -> dict[str, Any]:
    """The submission as plain data; absent optional fields are left out (they read back as absent)."""
    return submission.model_dump(mode="json", exclude_none=True)


def dump(submission: Submission, suffix: str) -> bytes | str:
    """The submission in the format of a file extension (`.xlsx`, `.yaml`, `.yml`, `.json`)."""
    if suffix == ".xlsx":
        from .form import FormSpec, build_form

        return build_form(FormSpec(), submission)
    if suffix == ".json":
        return json.dumps(plain(submission), ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(plain(submission), allow_unicode=True, sort_keys=False, width=120)
