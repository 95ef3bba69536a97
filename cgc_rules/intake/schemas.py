"""JSON Schemas of the files cgc reads, from the pydantic models, for tools that write or check them."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..corridor.model import CorridorFile, EventsFile, InventoryFile, ProjectsFile
from ..municipality import MunicipalityAssessment
from ..output import write_atomic
from ..profile import Profile
from ..ruleset import Ruleset
from ..submission import Submission

DIALECT = "https://json-schema.org/draft/2020-12/schema"

SCHEMAS: dict[str, type[BaseModel]] = {
    "submission": Submission,
    "ruleset": Ruleset,
    "profile": Profile,
    "assessment": MunicipalityAssessment,
    "corridor": CorridorFile,
    "corridor-projects": ProjectsFile,
    "corridor-inventory": InventoryFile,
    "corridor-events": EventsFile,
}


def schema(name: str) -> dict:
    """The JSON Schema of one kind of file (draft 2020-12)."""
    return {"$schema": DIALECT, **SCHEMAS[name].model_json_schema()}


def schema_text(name: str) -> str:
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"


def write_all(directory: Path) -> list[Path]:
    """Write `<name>.schema.json` for every kind into `directory`; returns the files."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name in SCHEMAS:
        path = directory / f"{name}.schema.json"
        write_atomic(path, schema_text(name))
        out.append(path)
    return out
