"""Reproducible zip files: sorted entries, one fixed timestamp, fixed permissions, atomic write."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from ..errors import CgcError
from ..output import write_atomic

ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def build_time(released: date) -> datetime:
    """SOURCE_DATE_EPOCH when set, else midnight UTC of the release date (never before 1980)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise CgcError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    else:
        moment = datetime(released.year, released.month, released.day, tzinfo=UTC)
    return max(moment, ZIP_EPOCH)


def is_safe(name: str) -> bool:
    """A relative path of plain segments (no `..`, no absolute path, no odd characters)."""
    return bool(SAFE_PATH.match(name)) and not any(part in (".", "..") for part in name.split("/"))


def check_path(name: str) -> str:
    if not is_safe(name):
        raise CgcError(f"unsafe file name in pack: {name!r}")
    return name


def zip_bytes(entries: dict[str, bytes], moment: datetime) -> bytes:
    """A zip of `entries` in sorted order, every entry with the same time and mode 0644."""
    buf = io.BytesIO()
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(check_path(name), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644 & 0xFFFF) << 16
            zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def write_pack(target: Path, data: bytes) -> None:
    """Move the finished zip into place atomically (mode 0644); a failure leaves no partial file."""
    write_atomic(target, data)
    target.chmod(0o644)
