"""Building a pack: documents in parallel, then templates, rulesets, changelog, index and manifest.

Documents are built over `jobs` processes; results are keyed by their path in the pack and the
zip is written in sorted order, so the bytes do not depend on `jobs` or on which process
finished first. The zip is written to a temporary file and moved into place at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from ..errors import CgcError, Problem
from ..intake.pack import pack_files
from ..registry import Registry
from .archive import build_time, check_path, write_pack, zip_bytes
from .changelog import changelog
from .definition import LoadedDefinition
from .index import DocumentEntry, render_index
from .manifest import FORMAT, MANIFEST, dumps, file_list, read_previous
from .plan import DocumentTask, Sources, plan
from .submission_template import submission_template

SUBMISSION_TEMPLATE = "inschrijving-sjabloon.yaml"
Builder = Callable[[DocumentTask], list[tuple[str, bytes]]]
Progress = Callable[[int], None]


def generate_documents(task: DocumentTask) -> list[tuple[str, bytes]]:
    """The real builder: `cgc_rules.documents.generate` for one task (runs in a worker process).

    A kind with nothing to say for this profile and type becomes one note saying why (`<kind>-niet-gemaakt.txt`).
    """
    from ..documents import generate
    from ..documents.kinds import NotGenerated

    try:
        files = generate(
            task.kind,
            task.profile,
            task.project_type,
            list(task.formats),
            registry=Registry(Path(task.rulesets_root)),
            as_of=task.as_of,
            profiles_dir=Path(task.profiles_dir),
            pinned=dict(task.pinned),
        )
    except NotGenerated as skipped:
        return [(f"{task.kind}-niet-gemaakt.txt", (skipped.problems[0].message + "\n").encode("utf-8"))]
    return [(f.name, f.data) for f in files]


@dataclass(frozen=True)
class BuildResult:
    path: Path
    files: int
    documents: int
    size: int


def _run(tasks: list[DocumentTask], builder: Builder, jobs: int, advance: Progress) -> list[list[tuple[str, bytes]]]:
    """Results in task order, built in this process (jobs=1) or over `jobs` worker processes (at most one a core)."""
    if jobs <= 1 or len(tasks) <= 1:
        out = []
        for task in tasks:
            out.append(builder(task))
            advance(1)
        return out
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks), default_jobs())) as pool:  # no more than the cores
        futures = [pool.submit(builder, task) for task in tasks]
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                exc = future.exception()
                if exc is not None:
                    for other in pending:
                        other.cancel()
                    raise exc
                advance(1)
        return [f.result() for f in futures]


def _public(inputs: dict[str, Any]) -> dict[str, Any]:
    """The manifest's `inputs`: without the copied ruleset bytes."""
    return {
        k: ([{f: v for f, v in item.items() if f != "data"} for item in val] if isinstance(val, list) else val)
        for k, val in inputs.items()
    }


def build_pack(
    loaded: LoadedDefinition,
    dist: Path,
    sources: Sources,
    *,
    jobs: int = 1,
    previous: Path | None = None,
    builder: Builder = generate_documents,
    start: Callable[[int], Progress] = lambda total: lambda n: None,
) -> BuildResult:
    """Build `dist/<name>-<version>.zip`; `start(total)` returns the progress callback for documents."""
    d = loaded.definition
    old = None if previous is None else read_previous(previous)
    tasks, inputs, names = plan(loaded, sources)
    try:
        dist.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CgcError(Problem(f"cannot create the output directory: {exc.strerror}", str(dist))) from None
    results = _run(tasks, builder, jobs, start(len(tasks)))

    entries: dict[str, bytes] = {}
    documents: list[DocumentEntry] = []
    for task, files in zip(tasks, results, strict=True):
        for name, data in files:
            path = check_path(f"{task.folder}/{name}")
            if path in entries:
                raise CgcError(f"document builder returned {name!r} twice for {task.folder}")
            entries[path] = data
            documents.append(
                DocumentEntry(
                    task.profile, task.project_type, task.kind, name.rpartition(".")[2].lower(), path, len(data)
                )
            )
    for r in inputs["rulesets"]:
        entries[r["path"]] = r["data"]
    entries[SUBMISSION_TEMPLATE] = submission_template(d.title, d.version, list(d.rulesets)).encode("utf-8")
    entries.update(pack_files(d, sources.registry, sources.profiles_dir))  # bid forms per profile and type, schemas
    public = _public(inputs)
    entries["CHANGELOG.md"] = changelog(d, public, entries, old).encode("utf-8")
    generator = package_version("cgc-rules")
    entries["index.html"] = render_index(
        d, names, documents, public["rulesets"], SUBMISSION_TEMPLATE, generator
    ).encode("utf-8")
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
