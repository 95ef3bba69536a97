"""`manifest.json`: what made a pack (inputs with sha256) and what is in it (files with size, sha256)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CgcError, Problem
from .archive import is_safe

MANIFEST = "manifest.json"
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_list(entries: dict[str, bytes]) -> list[dict]:
    """Path, size and sha256 of every entry, sorted by path."""
    return [{"path": name, "size": len(entries[name]), "sha256": sha256(entries[name])} for name in sorted(entries)]


def dumps(manifest: dict) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, trailing newline."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(entries: dict[str, bytes], where: str) -> dict:
    """The manifest of a pack read into memory, parsed and checked as `cgc pack verify` does."""
    from .safezip import parse_manifest

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


def verify(path: Path) -> Verification:
    """Compare every file of the zip at `path` with size and sha256 in its manifest (streamed, see safezip)."""
    from .safezip import verify as verify_archive

    return verify_archive(path)


def check(entries: dict[str, bytes], manifest: dict, where: str) -> Verification:
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
