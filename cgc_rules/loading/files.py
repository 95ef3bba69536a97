"""Reading an input file: a path confined to its folders, bytes within the size limit, UTF-8 text within the line limit."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path

from ..errors import CgcError, Problem, display_path
from ..i18n import Msg, render
from .limits import LIMITS, Limits


def _refuse(lang: str, shown: str, key: str, **fields: str) -> CgcError:
    return CgcError(Problem(render(lang, Msg(key, fields)), shown))


def refuse_device(path: str | Path, lang: str = "en") -> None:
    """Refuse a device (or a link to one) before anything reads it: it may never end."""
    try:
        mode = Path(path).stat().st_mode
    except (OSError, ValueError):
        return  # missing or unreadable: the reader says so in its own words
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise _refuse(lang, display_path(path), "loading.file.device")


def read_bytes(path: str | Path, limits: Limits = LIMITS, lang: str = "en") -> bytes:
    """The bytes of a file, refused with a clear message (in `lang`) when missing, a device, unreadable or too large."""
    p = Path(path)
    shown = display_path(p)
    refuse_device(p, lang)
    try:
        if p.is_dir():
            raise _refuse(lang, shown, "loading.file.directory")
        with p.open("rb") as fh:
            data = fh.read(limits.max_bytes + 1)  # never more than the limit, also for devices and pipes
    except FileNotFoundError:
        raise _refuse(lang, shown, "loading.file.not_found") from None
    except OSError as exc:
        raise _refuse(lang, shown, "loading.file.unreadable", reason=str(exc.strerror or exc)) from None
    if len(data) > limits.max_bytes:
        raise _refuse(lang, shown, "loading.file.too_large", limit=str(limits.max_bytes // (1024 * 1024)))
    return data


def decode(data: bytes, shown: str, limits: Limits = LIMITS) -> str:
    """UTF-8 text (a byte-order mark dropped) within the line limit."""
    check_text(data, shown, limits)
    return data.decode("utf-8-sig")


def check_text(data: bytes, shown: str, limits: Limits = LIMITS, lang: str = "en") -> None:
    """Refuse bytes that are not UTF-8 text or have too many lines."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(lang, shown, "loading.file.not_utf8", position=str(exc.start)) from None
    if data.count(b"\n") + 1 > limits.max_lines:
        raise _refuse(lang, shown, "loading.file.too_many_lines", limit=str(limits.max_lines))


def read_text(path: str | Path, limits: Limits = LIMITS) -> str:
    """Text of a file, within the size and line limits."""
    return decode(read_bytes(path, limits), display_path(path), limits)


def confined(base: Path, relative: str, roots: Sequence[Path]) -> Path | None:
    """`base/relative` with links followed, when it lies inside one of `roots`; None when it leaves them."""
    if not relative or "\0" in relative or Path(relative).is_absolute():
        return None
    try:
        target = (base / relative).resolve()
        inside = [root.resolve() for root in roots]
    except (OSError, RuntimeError, ValueError):
        return None
    return target if any(target.is_relative_to(root) for root in inside) else None
