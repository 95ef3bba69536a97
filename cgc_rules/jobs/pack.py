"""The pack jobs: build a versioned template pack from its definition, and verify a pack against its manifest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..registry import Registry

if TYPE_CHECKING:
    from ..pack.build import BuildResult
    from ..pack.definition import LoadedDefinition
    from ..pack.manifest import Verification


def build(
    definition: str | Path,
    dist: Path,
    registry: Registry,
    profiles_dir: Path | None = None,
    *,
    packs_dir: Path | None = None,
    jobs: int | None = None,
    previous: Path | None = None,
    start: Callable[[int], Callable[[int], None]] = lambda total: lambda n: None,
) -> BuildResult:
    """Build `dist/<name>-<version>.zip` from the pack definition (a file, or a name among the definitions in
    `packs_dir`); `start(total)` returns a progress callback.

    Documents are made in `jobs` worker processes (default: every core); with `previous`, the
    changelog lists what changed since that pack.
    """
    from ..pack.build import build_pack, default_jobs
    from ..pack.definition import definition_path, load_definition
    from ..pack.plan import Sources
    from ..profile import default_profiles_dir

    sources = Sources(registry, profiles_dir or default_profiles_dir())
    return build_pack(
        load_definition(definition_path(str(definition), packs_dir)),
        dist,
        sources,
        jobs=jobs or default_jobs(),
        previous=previous,
        start=start,
    )


def definitions(packs_dir: Path | None = None) -> dict[str, LoadedDefinition]:
    """The pack definitions in `packs_dir` (default: the bundled ones, or CGC_PACKS), each loaded and checked, by
    the name `build` takes (the file's name without `.yaml`)."""
    from ..pack.definition import all_definitions, load_definition

    return {path.stem: load_definition(path) for path in all_definitions(packs_dir)}


def kind_label(kind_id: str) -> str:
    """The catalogue key of a document kind's name (as the pack's index names it)."""
    from ..documents.kinds import kind

    return kind(kind_id).label


def verify(path: Path) -> Verification:
    """Every file of the pack at `path` against the sizes and sha256 sums in its manifest."""
    from ..pack.manifest import verify as verify_pack

    return verify_pack(path)
