"""JSON Schemas of the files cgc reads, from the pydantic models, for tools that write or check them.

The subject kinds (`cgc_rules.kinds`) name the files they read; the ruleset and the profile are read
by every kind and are listed here.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .. import kinds
from ..profile import Profile
from ..ruleset import Ruleset

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SHARED: dict[str, type[BaseModel]] = {"ruleset": Ruleset, "profile": Profile}

SCHEMAS: dict[str, type[BaseModel]] = {**kinds.schema_models(), **SHARED}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file (draft 2020-12)."""
    return {"$schema": DIALECT, **SCHEMAS[name].model_json_schema()}


def schema_text(name: str) -> str:
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"
