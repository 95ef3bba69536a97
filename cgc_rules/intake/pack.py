"""What a template pack ships from intake: the bid form per profile and project type, and the JSON Schemas."""

from __future__ import annotations

from pathlib import Path

from ..pack.definition import PackDefinition
from ..profile import load_profile, profile_path
from ..registry import Registry
from .form import build_form, profile_spec
from .schemas import SCHEMAS, schema_text

FORM_NAME = "inschrijfformulier.xlsx"


def pack_files(definition: PackDefinition, registry: Registry, profiles_dir: Path) -> dict[str, bytes]:
    """`formulieren/<profile>/<type>/inschrijfformulier.xlsx` with the pack's ruleset versions, and `schemas/`."""
    pinned = dict(ref.partition("@")[::2] for ref in definition.rulesets)
    out: dict[str, bytes] = {}
    for pid in definition.profiles:
        profile = load_profile(profile_path(pid, profiles_dir)).profile
        for ptype in definition.project_types:
            spec = profile_spec(
                profile, ptype.value, lambda rid: registry.get(rid, pinned[rid]).ruleset if rid in pinned else None
            )
            out[f"formulieren/{pid}/{ptype.value}/{FORM_NAME}"] = build_form(spec)
    for name in SCHEMAS:
        out[f"schemas/{name}.schema.json"] = schema_text(name).encode("utf-8")
    return out
