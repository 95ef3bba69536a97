"""Reading zip archives defensively (packs, XLSX forms): headers checked before any byte is inflated.

Refused as bad input (exit 2), naming the entry: encrypted entries, compression methods other than
stored and deflate, symbolic links and other special files, duplicate names, more entries than the limit,
an entry or a total whose expanded size or compression ratio is over the limit (also when the header
lies: the stream is counted). What the entries must hold is the reader's business (`pack.manifest`).
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import CgcError, Problem
from ..terminal import plain
from .files import refuse_device

SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What a zip archive may hold; documented in docs/security.md."""

    max_archive_bytes: int = 1024 * 1024 * 1024
    max_entries: int = 100_000
    max_entry_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_ratio: int = 200
    ratio_from_bytes: int = 1024 * 1024
    max_manifest_bytes: int = 16 * 1024 * 1024


LIMITS = ZipLimits()


def _refuse(message: str, where: str) -> CgcError:
    return CgcError(Problem(message, where))


def _kind(info: zipfile.ZipInfo) -> str | None:
    """'link', 'special' or None for a regular file or directory (by the Unix mode when one is recorded)."""
    mode = info.external_attr >> 16
    if info.create_system != 3 or not mode:
        return None
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special"
    return None


def check_headers(infos: list[zipfile.ZipInfo], where: str, limits: ZipLimits = LIMITS) -> None:
    """Refuse what no pack or bid form holds, from the central directory alone (nothing inflated yet)."""
    if len(infos) > limits.max_entries:
        raise _refuse(f"more than {limits.max_entries} entries", where)
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        shown = f"{where}:{shown_name(name)}"
        if not name:
            raise _refuse("an entry without a name", where)
        if name in seen:
            raise _refuse("duplicate entry name (an extractor would take one copy, the check another)", shown)
        seen.add(name)
        if info.flag_bits & 0x41:  # bit 0 encrypted, bit 6 strong encryption
            raise _refuse("encrypted entry", shown)
        if info.flag_bits & 0x20:  # zipfile cannot read it (NotImplementedError)
            raise _refuse("compressed patched data (zip flag bit 5)", shown)
        if info.compress_type not in SUPPORTED_METHODS:
            raise _refuse(f"unsupported compression method {info.compress_type}", shown)
        if kind := _kind(info):
            raise _refuse(f"a {'symbolic link' if kind == 'link' else 'special file'} entry", shown)
        if info.file_size > limits.max_entry_bytes:
            raise _refuse(f"expands to {info.file_size} bytes, over the limit of {limits.max_entry_bytes}", shown)
        if info.file_size > limits.ratio_from_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _refuse(f"compression ratio over {limits.max_ratio}:1 (zip bomb?)", shown)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _refuse(f"the content expands to more than {limits.max_total_bytes} bytes (zip bomb?)", where)


def shown_name(name: str) -> str:
    """An entry name as shown in messages (control characters replaced, long names shortened)."""
    return plain(name, 200)


@dataclass
class Archive:
    """An open zip archive whose headers passed `check_headers`."""

    zf: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    where: str
    limits: ZipLimits

    def files(self) -> list[zipfile.ZipInfo]:
        return [i for i in self.infos if not i.is_dir()]

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The entry's bytes in chunks, never more than its header declares (zipfile checks the CRC at the end)."""
        shown = f"{self.where}:{shown_name(info.filename)}"
        count = 0
        try:
            with self.zf.open(info) as fh:
                while chunk := _read(fh):
                    count += len(chunk)
                    if count > info.file_size:
                        raise _refuse("holds more bytes than its header declares", shown)
                    yield chunk
        except CgcError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            ValueError,
            RuntimeError,
            NotImplementedError,
            OSError,
        ) as exc:
            raise _refuse(f"entry cannot be read ({_why(exc)})", shown) from None

    def digest(self, info: zipfile.ZipInfo) -> tuple[int, str]:
        """Size and sha256 of an entry, streamed."""
        h = hashlib.sha256()
        size = 0
        for chunk in self.chunks(info):
            h.update(chunk)
            size += len(chunk)
        return size, h.hexdigest()

    def read(self, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
        """An entry's bytes (for the manifest and the rulesets a changelog compares), within `limit`."""
        if limit is not None and info.file_size > limit:
            raise _refuse(f"larger than {limit} bytes", f"{self.where}:{shown_name(info.filename)}")
        return b"".join(self.chunks(info))


def _read(fh: IO[bytes]) -> bytes:
    return fh.read(CHUNK)


def _why(exc: BaseException) -> str:
    return shown_name(str(exc) or type(exc).__name__)


def open_archive(path: Path, limits: ZipLimits = LIMITS) -> Archive:
    """Open a zip and check its headers; every failure is bad input naming the file."""
    where = str(path)
    refuse_device(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise _refuse("file not found", where) from None
    except OSError as exc:
        raise _refuse(f"cannot read file: {exc.strerror or exc}", where) from None
    if path.is_dir():
        raise _refuse("is a directory, expected a zip file", where)
    if size > limits.max_archive_bytes:
        raise _refuse(f"larger than {limits.max_archive_bytes} bytes", where)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError, OSError) as exc:
        raise _refuse(f"not a readable zip file ({_why(exc)})", where) from None
    try:
        check_headers(infos, where, limits)
    except BaseException:
        zf.close()
        raise
    return Archive(zf, infos, where, limits)


XLSX_LIMITS = ZipLimits(
    max_archive_bytes=64 * 1024 * 1024,
    max_entries=10_000,
    max_entry_bytes=256 * 1024 * 1024,
    max_total_bytes=512 * 1024 * 1024,
)
