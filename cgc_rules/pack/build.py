"""Building a pack: documents in parallel, then templates, rulesets, changelog, index and manifest.

Documents are built over `jobs` processes; results are keyed by their path in the pack and the
zip is written in sorted order, so the bytes do not depend on `jobs` or on which process
finished first. The zip is written to a temporary file and moved into place at the end.
"""

from __future__ import annotations

import os
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import date
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Callable

from ..documents.templates import TEMPLATES_DIR
from ..errors import CgcError
from ..profile import LoadedProfile, load_profile, profile_path
from ..registry import Registry
from .archive import build_time, check_path, read_entries, write_pack, zip_bytes
from .changelog import changelog
from .definition import LoadedDefinition, PackDefinition
from .index import DocumentEntry, render_index
from .manifest import FORMAT, MANIFEST, check, dumps, file_list, read_manifest, sha256
from .submission_template import submission_template

ROOT = Path(__file__).resolve().parent.parent.parent
SUBMISSION_TEMPLATE = "inschrijving-sjabloon.yaml"
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
        top = "checklists" if self.kind == "checklist" else "documents"
        return f"{top}/{self.profile}/{self.project_type}"


Builder = Callable[[DocumentTask], list[tuple[str, bytes]]]
Progress = Callable[[int], None]


def generate_documents(task: DocumentTask) -> list[tuple[str, bytes]]:
    """The real builder: `cgc_rules.documents.generate` for one task (runs in a worker process)."""
    from ..documents import generate

    files = generate(task.kind, task.profile, task.project_type, list(task.formats),
                     registry=Registry(Path(task.rulesets_root)), as_of=task.as_of,
                     profiles_dir=Path(task.profiles_dir), pinned=dict(task.pinned))
    return [(f.name, f.data) for f in files]


@dataclass(frozen=True)
class Sources:
    """Where the inputs of a build live."""

    registry: Registry
    profiles_dir: Path
    template_dirs: tuple[Path, ...] = TEMPLATE_DIRS


@dataclass(frozen=True)
class BuildResult:
    path: Path
    files: int
    documents: int
    size: int


def _run(tasks: list[DocumentTask], builder: Builder, jobs: int, advance: Progress) -> list[list[tuple[str, bytes]]]:
    """Results in task order, built in this process (jobs=1) or over `jobs` worker processes."""
    if jobs <= 1 or len(tasks) <= 1:
        out = []
        for task in tasks:
            out.append(builder(task))
            advance(1)
        return out
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        futures = [pool.submit(builder, task) for task in tasks]
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise future.exception()
                advance(1)
        return [f.result() for f in futures]


def _input(file: Path, **fields: str) -> dict:
    return {**fields, "sha256": sha256(file.read_bytes())}


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _profile_input(lp: LoadedProfile, base: Path) -> dict:
    """The profile file and its house style files (reference docx, css, logo) with their sha256."""
    hs = lp.profile.house_style
    assets = sorted({lp.asset(rel) for rel in (hs.reference_docx, hs.css, hs.logo) if rel})

    def shown(path: Path) -> str:
        try:
            return "profiles/" + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            return _relative(path)

    return {"id": lp.profile.id, "path": f"profiles/{lp.profile.id}.yaml", "sha256": sha256(lp.path.read_bytes()),
            "house_style": [_input(a, path=shown(a)) for a in assets]}


def _pinned(lp: LoadedProfile, definition: PackDefinition, where: str) -> tuple[tuple[str, str], ...]:
    """The pack's versions of the rulesets this profile applies; every one it applies must be listed."""
    listed = dict(ref.partition("@")[::2] for ref in definition.rulesets)
    types = {t.value for t in definition.project_types}
    pinned = []
    for applied in lp.profile.rulesets:
        used = applied.project_types is None or types & {t.value for t in applied.project_types}
        if applied.id in listed:
            pinned.append((applied.id, listed[applied.id]))
        elif used:
            raise CgcError(f"{where}: rulesets: profile {lp.profile.id!r} applies ruleset {applied.id!r}, "
                           "which the pack does not list")
    return tuple(pinned)


def plan(loaded: LoadedDefinition, sources: Sources) -> tuple[list[DocumentTask], dict, dict[str, str]]:
    """Check the definition against the inputs on disk: the tasks, the manifest's `inputs`, profile names."""
    d = loaded.definition
    rulesets = []
    for ref in d.rulesets:
        rid, _, version = ref.partition("@")
        lr = sources.registry.get(rid, version)
        if not lr.ruleset.in_force(d.released):
            raise CgcError(f"{loaded.path}: rulesets: {ref} is not in force on the release date {d.released} "
                           f"(in force {lr.ruleset.period()})")
        rulesets.append({"ref": ref, "path": f"rulesets/{rid}/{version}.yaml", "sha256": lr.sha256,
                         "source": Path(lr.path)})
    profiles, names, tasks = [], {}, []
    for pid in d.profiles:
        lp = load_profile(profile_path(pid, sources.profiles_dir))
        names[pid] = lp.profile.name
        profiles.append(_profile_input(lp, sources.profiles_dir))
        pinned = _pinned(lp, d, loaded.path)
        tasks += [DocumentTask(kind, pid, ptype.value, tuple(d.formats), d.released, str(sources.registry.root),
                               str(sources.profiles_dir), pinned)
                  for ptype in d.project_types for kind in d.documents]
    templates = [_input(p, path=_relative(p)) for base in sources.template_dirs
                 for p in sorted(base.rglob("*") if base.is_dir() else []) if p.is_file()]
    inputs = {"definition": {"path": _relative(Path(loaded.path)), "sha256": sha256(loaded.raw)},
              "rulesets": rulesets, "profiles": profiles, "templates": templates}
    return tasks, inputs, names


def _public(inputs: dict) -> dict:
    """The manifest's `inputs`: without the local source paths."""
    return {k: ([{f: v for f, v in item.items() if f != "source"} for item in val] if isinstance(val, list) else val)
            for k, val in inputs.items()}


def build_pack(loaded: LoadedDefinition, dist: Path, sources: Sources, *, jobs: int = 1,
               previous: Path | None = None, builder: Builder = generate_documents,
               start: Callable[[int], Progress] = lambda total: (lambda n: None)) -> BuildResult:
    """Build `dist/<name>-<version>.zip`; `start(total)` returns the progress callback for documents."""
    d = loaded.definition
    old = None
    if previous is not None:
        old_entries = read_entries(previous)
        old_manifest = read_manifest(old_entries, str(previous))
        checked = check(old_entries, old_manifest, str(previous))
        if not checked.ok:
            raise CgcError(f"{previous}: the previous pack does not match its manifest ({'; '.join(checked.lines())})")
        old = (old_manifest, old_entries, str(previous))
    tasks, inputs, names = plan(loaded, sources)
    results = _run(tasks, builder, jobs, start(len(tasks)))

    entries: dict[str, bytes] = {}
    documents: list[DocumentEntry] = []
    for task, files in zip(tasks, results):
        for name, data in files:
            path = check_path(f"{task.folder}/{name}")
            if path in entries:
                raise CgcError(f"document builder returned {name!r} twice for {task.folder}")
            entries[path] = data
            documents.append(DocumentEntry(task.profile, task.project_type, task.kind,
                                           name.rpartition(".")[2].lower(), path, len(data)))
    for r in inputs["rulesets"]:
        entries[r["path"]] = r["source"].read_bytes()
    entries[SUBMISSION_TEMPLATE] = submission_template(d.title, d.version, list(d.rulesets)).encode("utf-8")
    public = _public(inputs)
    entries["CHANGELOG.md"] = changelog(d, public, entries, old).encode("utf-8")
    generator = package_version("cgc-rules")
    entries["index.html"] = render_index(d, names, documents, public["rulesets"], SUBMISSION_TEMPLATE,
                                         generator).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "pack": {"name": d.name, "version": d.version, "title": d.title, "released": d.released.isoformat()},
        "generator": {"name": "cgc-rules", "version": generator},
        "inputs": public,
        "documents": [asdict(doc) for doc in sorted(documents, key=lambda e: e.path)],
        "files": file_list(entries),
    }
    entries[MANIFEST] = dumps(manifest)
    data = zip_bytes(entries, build_time(d.released))
    target = dist / d.filename
    write_pack(target, data)
    return BuildResult(target, len(entries), len(documents), len(data))


def default_jobs() -> int:
    return os.cpu_count() or 1
