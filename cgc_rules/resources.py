"""The data shipped inside the package: rulesets, templates, profiles, house styles, example corridors."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

CASES_SUFFIX = ".cases.yaml"
"""A ruleset's test cases sit beside it as `<ruleset>.cases.yaml`: not a ruleset file."""


def bundled(name: str) -> Path:
    """The bundled directory `name` (e.g. `rulesets`), read through importlib.resources."""
    return Path(str(files("cgc_rules").joinpath("data", name)))


def default_root() -> Path:
    """The bundled rulesets, or the directory named by CGC_RULESETS."""
    env = os.environ.get("CGC_RULESETS")
    return Path(env) if env else bundled("rulesets")
