"""Writing output files atomically and cleanly: a reader never sees a half-written file, a failed or
interrupted write leaves no temporary file behind, and every write error is a clear message (exit 2).

Only a regular file is replaced by rename, keeping its permissions; a device or pipe (and `-`, standard
output) is written directly; a symbolic link is refused (give the path it points to)."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from types import FrameType

from .errors import CgcError, Problem

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.EISDIR: "is a directory, expected a file name",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENOENT: "directory does not exist",
    errno.EEXIST: "a file with that name is in the way",
    errno.ELOOP: "too many symbolic links",
    errno.EMFILE: "too many open files",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
}

_pending: set[str] = set()
_lock = threading.Lock()
_installed = False


def write_error(target: str | Path, exc: OSError) -> CgcError:
    """A write failure as bad input or usage: the path and the reason in words."""
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return CgcError(Problem(f"cannot write: {reason}", str(target)))


def _cleanup() -> None:
    with _lock:
        names = list(_pending)
        _pending.clear()
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(name)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    _cleanup()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install() -> None:
    """Remove temporary files at interpreter exit and on SIGTERM/SIGHUP (SIGINT is KeyboardInterrupt)."""
    global _installed
    if _installed:
        return
    _installed = True
    atexit.register(_cleanup)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, _on_signal)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def make_dir(path: str | Path) -> Path:
    """Create an output directory (and its parents); a clear error when it cannot be made."""
    target = Path(path)
    try:
        if target.exists() and not target.is_dir():
            raise CgcError(Problem("not a directory", str(target)))
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(target, exc) from None
    except ValueError:
        raise CgcError(Problem("a file name cannot contain a NUL character", repr(str(target))[1:-1])) from None
    return target


def write_atomic(path: str | Path, data: bytes | str | Iterable[str], *, private: bool = False) -> None:
    """Write to a temporary file beside `path`, then move it into place (`data` may be streamed as text chunks).

    An existing file keeps its permissions; a new one gets the ordinary ones, or 0600 when `private`
    (audit records: store exports, award advice). `-` and devices or pipes are written directly.
    """
    payload = _chunks(data)
    if str(path) == "-":
        _write_stdout(payload)
        return
    target = Path(path)
    try:
        if target.is_symlink():
            raise CgcError(Problem("is a symbolic link; give the file it points to", str(target)))
        if target.is_dir():
            raise CgcError(Problem("is a directory, expected a file name", str(target)))
        if target.exists() and not target.is_file():
            _write_direct(target, payload)
            return
        if not target.parent.is_dir():
            what = "is not a directory" if target.parent.exists() else "does not exist"
            raise CgcError(Problem(f"directory {target.parent} {what}", str(target)))
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    except OSError as exc:
        raise write_error(target, exc) from None
    except ValueError:
        raise CgcError(Problem("a file name cannot contain a NUL character", repr(str(target))[1:-1])) from None
    if mode is None:
        mode = 0o600 if private else 0o666 & ~_umask()
    _replace(target, payload, mode)


def _chunks(data: bytes | str | Iterable[str]) -> Iterable[bytes]:
    """What to write, as bytes in one piece or a stream of encoded chunks."""
    if isinstance(data, bytes):
        return (data,)
    if isinstance(data, str):
        return (data.encode("utf-8"),)
    return (chunk.encode("utf-8") for chunk in data)


def _write_stdout(payload: Iterable[bytes]) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.writelines(payload)
    sys.stdout.buffer.flush()


def _write_direct(target: Path, payload: Iterable[bytes]) -> None:
    """A device or pipe: written in place, never replaced by a regular file."""
    try:
        with target.open("wb") as fh:
            fh.writelines(payload)
    except OSError as exc:
        raise write_error(target, exc) from None


def _replace(target: Path, payload: Iterable[bytes], mode: int) -> None:
    _install()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise write_error(target, exc) from None
    with _lock:
        _pending.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.writelines(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(target, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        with _lock:
            _pending.discard(tmp)
