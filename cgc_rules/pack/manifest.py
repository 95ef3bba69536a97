"""`manifest.json`: what made a pack (inputs with sha256) and what is in it (files with size, sha256).

A manifest read from a pack must be exactly the documented format; `verify` streams every entry of the zip
(headers checked first, `loading.archive`) against it. Names that are absolute or climb out (`..`, also
directory entries) are reported as unsafe (exit 1).
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


def read_manifest(entries: dict[str, bytes], where: str) -> dict[str, Any]:
    """The manifest of a pack read into memory, parsed and checked as `cgc pack verify` does."""
    if MANIFEST not in entries:
        raise CgcError(Problem(f"no {MANIFEST} in the pack", where))
    return parse_manifest(entries[MANIFEST], f"{where}:{MANIFEST}")


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


def check(entries: dict[str, bytes], manifest: dict[str, Any], where: str) -> Verification:
    """Compare `entries` with the `files` of `manifest`."""
    result = Verification()
    listed = set()
    for item in manifest["files"]:
        name = item.get("path") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise CgcError(Problem(f"{MANIFEST} has a file entry without a path", where))
        listed.add(name)
        data = entries.get(name)
        if data is None:
            result.missing.append(name)
            continue
        result.checked += 1
        if len(data) != item.get("size") or sha256(data) != item.get("sha256"):
            result.mismatched.append(name)
    result.extra = sorted(set(entries) - listed - {MANIFEST})
    result.unsafe = sorted(name for name in set(entries) | listed if not is_safe(name))
    return result


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
        manifest = _archive_manifest(archive)
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
