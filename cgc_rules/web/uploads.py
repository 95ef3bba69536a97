"""Uploaded files: size-limited, type-checked by their bytes, stored under a name we choose.

The user's file name only tells which reader is wanted (its extension, from a fixed list); the file
itself is written as `inzending<ext>` in a fresh private temporary directory that is removed after use.
An XLSX must be a real Office Open XML zip whose members stay small when unpacked (no zip bomb).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from ..i18n import Msg

SUFFIXES = (".xlsx", ".csv", ".json", ".yaml", ".yml")
MAX_UNPACKED = 50 * 1024 * 1024  # all members of an XLSX together
MAX_RATIO = 100  # unpacked / packed size of one member
MAX_MEMBERS = 2000
XLSX_NEEDS = ("[Content_Types].xml", "xl/workbook.xml")


class Refused(Exception):
    """An upload we do not read; `msg` says why (a message key of the web domain)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.key)
        self.msg = msg


def suffix_of(filename: str | None) -> str:
    """The reader the user asks for, from the name's extension; nothing else of the name is used."""
    name = PurePath((filename or "").replace("\\", "/")).name
    suffix = PurePath(name).suffix.lower()
    if not name or suffix not in SUFFIXES:
        raise Refused(Msg("web.upload.type", {"allowed": ", ".join(SUFFIXES)}))
    return suffix


def check_xlsx(data: bytes) -> None:
    """A zip with the parts of a workbook, small enough when unpacked."""
    if not data.startswith(b"PK\x03\x04"):
        raise Refused(Msg("web.upload.not_xlsx"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            names = {m.filename for m in members}
            if len(members) > MAX_MEMBERS or any(n not in names for n in XLSX_NEEDS):
                raise Refused(Msg("web.upload.not_xlsx"))
            total = sum(m.file_size for m in members)
            worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
            if total > MAX_UNPACKED or worst > MAX_RATIO:
                raise Refused(Msg("web.upload.zip_bomb"))
    except (zipfile.BadZipFile, ValueError):
        raise Refused(Msg("web.upload.not_xlsx")) from None


def check_text(data: bytes) -> None:
    """CSV, JSON and YAML: UTF-8 text without control bytes a text file never has."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(Msg("web.upload.not_text")) from None
    if "\x00" in text:
        raise Refused(Msg("web.upload.not_text"))


def check(filename: str | None, data: bytes, limit: int) -> str:
    """The suffix to store the upload under, after checking its size and bytes; raises Refused."""
    if len(data) > limit:
        raise Refused(Msg("web.upload.too_large", {"limit_mb": limit // (1024 * 1024)}))
    if not data:
        raise Refused(Msg("web.upload.empty"))
    suffix = suffix_of(filename)
    (check_xlsx if suffix == ".xlsx" else check_text)(data)
    return suffix


@contextmanager
def stored(data: bytes, suffix: str) -> Iterator[Path]:
    """The upload as a file `inzending<suffix>` in a private temporary directory, removed afterwards."""
    if suffix not in SUFFIXES:
        raise ValueError(suffix)
    directory = Path(tempfile.mkdtemp(prefix="cgc-web-"))
    try:
        path = directory / f"inzending{suffix}"
        path.write_bytes(data)
        yield path
    finally:
        shutil.rmtree(directory, ignore_errors=True)
