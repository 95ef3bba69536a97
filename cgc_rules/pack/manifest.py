"""`manifest.json`: what made a pack (inputs with sha256) and what is in it (files with size, sha256).

A manifest read from a pack must be exactly the documented format; `verify` streams every entry of the zip
(headers checked first, `loading.archive`) against it, one at a time. Names that are absolute or climb out
(`..`, also directory entries) are reported as unsafe (exit 1). A previous pack (`pack build --previous`) is
checked the same way before its rulesets' copies, all its changelog reads, are read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..errors import CgcError, Problem
from ..loading.archive import LIMITS, Archive, ZipLimits, open_archive, shown_name
from ..loading.files import check_text
from ..loading.limits import LIMITS as FILE_LIMITS
from ..loading.parse import parse
from .archive import is_safe

MANIFEST = "manifest.json"
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_list(entries: dict[str, bytes]) -> list[dict[str, Any]]:
    """Path, size and sha256 of every entry, sorted by path."""
    return [{"path": name, "size": len(entries[name]), "sha256": sha256(entries[name])} for name in sorted(entries)]


def dumps(manifest: dict[str, Any]) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, trailing newline."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass
class Verification:
    """The result of checking a pack against its manifest."""

    checked: int = 0
    mismatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.mismatched or self.missing or self.extra or self.unsafe)

    def lines(self) -> list[str]:
        return (
            [f"checksum mismatch: {p}" for p in self.mismatched]
            + [f"missing: {p}" for p in self.missing]
            + [f"not in manifest: {p}" for p in self.extra]
            + [f"unsafe path: {p!r}" for p in self.unsafe]
        )


Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
EntryPath = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ManifestFile(_Strict):
    path: EntryPath
    size: Annotated[int, Field(ge=0)]
    sha256: Hex64


class Manifest(_Strict):
    """The parts of `manifest.json` that verify relies on, strictly typed (`format: true` is not 1)."""

    format: Annotated[int, Field(ge=1, le=1)]  # strict: true and 1.0 are not 1
    pack: dict[str, Any]
    generator: dict[str, Any]
    inputs: dict[str, Any]
    documents: list[Any]
    files: list[ManifestFile]


class RulesetInput(BaseModel):
    """A ruleset the pack copied: the changelog compares the copies of two packs."""

    model_config = ConfigDict(strict=True, frozen=True)

    ref: Annotated[str, StringConstraints(pattern=r"^[^@]+@[^@]+$", max_length=200)]
    path: EntryPath
    sha256: Hex64


class Keyed(BaseModel):
    """A profile (by `id`) or template (by `path`) the pack was made from; its other fields are compared whole."""

    model_config = ConfigDict(strict=True, frozen=True, extra="allow")


class ProfileInput(Keyed):
    id: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TemplateInput(Keyed):
    path: EntryPath


class Inputs(BaseModel):
    """The manifest's `inputs` as a changelog reads them."""

    model_config = ConfigDict(strict=True, frozen=True, extra="allow")

    rulesets: list[RulesetInput] = []
    profiles: list[ProfileInput] = []
    templates: list[TemplateInput] = []


def _archive_manifest(archive: Archive) -> dict[str, Any]:
    """The manifest, read within its size limit, parsed with the guarded JSON loader, checked strictly."""
    where = f"{archive.where}:{MANIFEST}"
    info = next((i for i in archive.files() if i.filename == MANIFEST), None)
    if info is None:
        raise CgcError(Problem(f"no {MANIFEST} in the pack", archive.where))
    return parse_manifest(archive.read(info, archive.limits.max_manifest_bytes), where)


def parse_manifest(raw: bytes, where: str) -> dict[str, Any]:
    """Manifest bytes parsed with the guarded JSON loader (depth, numbers, duplicate keys) and checked strictly."""
    check_text(raw, where)
    doc = parse(raw, where if where.endswith(".json") else f"{where}.json")
    try:
        Manifest.model_validate(doc.data)
    except ValidationError as exc:
        problems = doc.validation_problems(exc)
        raise CgcError(
            [
                Problem(f"not a cgc pack manifest (format 1): {p.message}", p.file, p.line, p.column, p.field)
                for p in problems
            ]
        ) from None
    data: dict[str, Any] = doc.data
    return data


def verify(path: Path, limits: ZipLimits = LIMITS) -> Verification:
    """Compare every file of the pack at `path` with size and sha256 in its manifest, streaming each entry."""
    archive = open_archive(path, limits)
    with archive.zf:
        return _compare(archive, _archive_manifest(archive))


def _compare(archive: Archive, manifest: dict[str, Any]) -> Verification:
    """Every entry streamed, one at a time, against size and sha256 in the manifest."""
    listed: dict[str, dict[str, Any]] = {}
    for item in manifest["files"]:
        if item["path"] in listed:
            raise CgcError(Problem(f"{MANIFEST} lists {shown_name(item['path'])!r} twice", archive.where))
        listed[item["path"]] = item
    result = Verification()
    present = set()
    for info in archive.files():
        name = info.filename
        present.add(name)
        if name == MANIFEST:
            continue
        item = listed.get(name)
        if item is None:
            result.extra.append(name)
            continue
        result.checked += 1
        if info.file_size != item["size"] or archive.digest(info) != (item["size"], item["sha256"]):
            result.mismatched.append(name)
    result.extra.sort()
    result.missing = [name for name in listed if name not in present]
    names = {i.filename.rstrip("/") if i.is_dir() else i.filename for i in archive.infos} | set(listed)
    result.unsafe = sorted(name for name in names if not is_safe(name))
    return result


@dataclass(frozen=True)
class Previous:
    """A previous pack as a changelog compares it: its manifest, its inputs, and its rulesets' copies by path."""

    manifest: dict[str, Any]
    inputs: Inputs
    rulesets: dict[str, bytes]
    where: str


def read_previous(path: Path, limits: ZipLimits = LIMITS) -> Previous:
    """The previous pack of `pack build --previous`: its manifest read and checked first (a bad one is refused
    before any other entry is read), then every entry streamed against it one at a time; of the entries only the
    rulesets' copies are kept (each within the input file limit). A pack that does not match is refused."""
    archive = open_archive(path, limits)
    with archive.zf:
        manifest = _archive_manifest(archive)
        inputs = _inputs(manifest, f"{archive.where}:{MANIFEST}")
        checked = _compare(archive, manifest)
        if not checked.ok:
            why = "; ".join(checked.lines())
            raise CgcError(Problem(f"the previous pack does not match its manifest ({why})", archive.where))
        copies = {r.path for r in inputs.rulesets}
        rulesets = {
            info.filename: archive.read(info, FILE_LIMITS.max_bytes)
            for info in archive.files()
            if info.filename in copies
        }
    return Previous(manifest, inputs, rulesets, archive.where)


def _inputs(manifest: dict[str, Any], where: str) -> Inputs:
    try:
        return Inputs.model_validate(manifest["inputs"])
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        at = ".".join(str(p) for p in ("inputs", *err["loc"]))
        raise CgcError(Problem(f"not a cgc pack manifest (format 1): {at}: {err['msg']}", where)) from None
