"""Planning a pack build: check the definition against the inputs on disk, list the document tasks.

The inputs (definition, rulesets, profiles with their house style, templates) are recorded with
their sha256 for the manifest; every ruleset a profile applies must be one the pack lists, and
the documents are built with exactly those versions (`pinned`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..documents.kinds import kind as document_kind
from ..documents.templates import TEMPLATES_DIR
from ..errors import CgcError
from ..profile import LoadedProfile, load_profile, profile_path
from ..registry import Registry
from .definition import LoadedDefinition
from .manifest import sha256

TEMPLATE_DIRS = (TEMPLATES_DIR,)  # document templates, hashed into the manifest


@dataclass(frozen=True)
class DocumentTask:
    """One document kind for one profile and project type, in the pack's formats."""

    kind: str
    profile: str
    project_type: str
    formats: tuple[str, ...]
    as_of: date
    rulesets_root: str
    profiles_dir: str
    pinned: tuple[tuple[str, str], ...]  # (ruleset id, version) the profile applies

    @property
    def folder(self) -> str:
        return f"{document_kind(self.kind).pack_folder}/{self.profile}/{self.project_type}"


@dataclass(frozen=True)
class Sources:
    """Where the inputs of a build live."""

    registry: Registry
    profiles_dir: Path
    template_dirs: tuple[Path, ...] = TEMPLATE_DIRS


def _input(file: Path, **fields: str) -> dict[str, Any]:
    return {**fields, "sha256": sha256(file.read_bytes())}


def _label(path: Path, base: Path, prefix: str) -> str:
    """`prefix/<path relative to base>`: the same on every machine, whatever the checkout's location."""
    return f"{prefix}/" + Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _profile_input(lp: LoadedProfile, base: Path) -> dict[str, Any]:
    """The profile file and its house style files (reference docx, css, logo) with their sha256."""
    hs = lp.profile.house_style
    assets = sorted({lp.asset(rel) for rel in (hs.reference_docx, hs.css, hs.logo) if rel})
    return {
        "id": lp.profile.id,
        "path": f"profiles/{lp.profile.id}.yaml",
        "sha256": sha256(lp.path.read_bytes()),
        "house_style": [_input(a, path=_label(a, base, "profiles")) for a in assets],
    }


def _pinned(lp: LoadedProfile, loaded: LoadedDefinition) -> tuple[tuple[str, str], ...]:
    """The pack's versions of the rulesets this profile applies; every one it applies must be listed."""
    definition = loaded.definition
    listed = dict(ref.partition("@")[::2] for ref in definition.rulesets)
    types = {t.value for t in definition.project_types}
    pinned = []
    for applied in lp.profile.rulesets:
        used = applied.project_types is None or types & {t.value for t in applied.project_types}
        if applied.id in listed:
            pinned.append((applied.id, listed[applied.id]))
        elif used:
            missing = f"profile {lp.profile.id!r} applies ruleset {applied.id!r}, which the pack does not list"
            raise CgcError(loaded.document.problem(["rulesets"], missing))
    return tuple(pinned)


def plan(
    loaded: LoadedDefinition, sources: Sources
) -> tuple[list[DocumentTask], dict[str, Any], dict[str, tuple[str, str]]]:
    """Check the definition against the inputs on disk: the tasks, the manifest's `inputs`, profile names."""
    d = loaded.definition
    rulesets = []
    for i, ref in enumerate(d.rulesets):
        rid, _, version = ref.partition("@")
        lr = sources.registry.get(rid, version)
        if not lr.ruleset.in_force(d.released):
            raise CgcError(
                loaded.document.problem(
                    ["rulesets", i],
                    f"{ref} is not in force on the release date {d.released} (in force {lr.ruleset.period()})",
                )
            )
        data = Path(lr.path).read_bytes()
        rulesets.append({"ref": ref, "path": f"rulesets/{rid}/{version}.yaml", "sha256": sha256(data), "data": data})
    profiles, names, tasks = [], {}, []
    for pid in d.profiles:
        lp = load_profile(profile_path(pid, sources.profiles_dir))
        names[pid] = (lp.profile.name, lp.profile.region)
        profiles.append(_profile_input(lp, sources.profiles_dir))
        pinned = _pinned(lp, loaded)
        tasks += [
            DocumentTask(
                kind,
                pid,
                ptype.value,
                tuple(d.formats),
                d.released,
                str(sources.registry.root),
                str(sources.profiles_dir),
                pinned,
            )
            for ptype in d.project_types
            for kind in d.documents
        ]
    templates = [
        _input(p, path=_label(p, base, "templates"))
        for base in sources.template_dirs
        for p in sorted(base.rglob("*") if base.is_dir() else [])
        if p.is_file()
    ]
    inputs = {
        "definition": {"path": f"packs/{Path(loaded.path).name}", "sha256": sha256(loaded.raw)},
        "rulesets": rulesets,
        "profiles": profiles,
        "templates": templates,
    }
    return tasks, inputs, names
