"""Writing output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import CgcError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then move it into place."""
    target = Path(path)
    if target.is_dir():
        raise CgcError(f"{target}: is a directory, expected a file name")
    if not target.parent.exists():
        raise CgcError(f"{target}: directory {target.parent} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the file ordinary permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
