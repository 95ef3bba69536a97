"""The data shipped inside the package: rulesets, templates, profiles, house styles, example corridors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled(name: str) -> Path:
    """The bundled directory `name` (e.g. `rulesets`), read through importlib.resources."""
    return Path(str(files("cgc_rules").joinpath("data", name)))
