"""Read, parse and validate one file against a pydantic model, a large file never held twice."""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import display_path
from .document import Document
from .files import check_text, read_bytes
from .limits import LIMITS, Limits
from .parse import expect_mapping, parse


@dataclass(frozen=True)
class LoadedSubject:
    """A validated subject with the file it came from (as shown) and that file's hash."""

    subject: Any
    path: str
    sha256: str


def load_subject(path: str | Path, model: type[BaseModel]) -> LoadedSubject:
    """The subject in `path` validated as `model`: the loader of a subject kind without a loader of its own."""
    subject, _, sha256 = load_model(path, model)
    return LoadedSubject(subject, display_path(path), sha256)


def load_model(
    path: str | Path, model: type[BaseModel], limits: Limits = LIMITS, lang: str = "en"
) -> tuple[Any, Document, str]:
    """Read, parse and validate one file: (validated model, document, sha256 of the file's bytes); errors in `lang`.

    Long top-level lists are handed to the model item by item and released as they are validated, so a
    large file is never held as data and as models at once; the returned document keeps its text (to
    locate later problems; a large file is read again for that) but not its data.
    """
    raw = read_bytes(path, limits, lang)
    shown = display_path(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    check_text(raw, shown, limits, lang)
    doc = parse(raw, shown, limits, lang)
    if len(raw) > _KEEP_SOURCE:
        doc.source, doc.reread = None, (Path(path), sha256)
    del raw
    data = expect_mapping(doc)
    doc.data = None
    for key, value in data.items():
        if type(value) is list and len(value) > _DRAIN_FROM and _is_list_field(model, key):
            data[key] = _drain(value)
    return doc.validate(model, data), doc, sha256


_DRAIN_FROM = 1000
_KEEP_SOURCE = 4 * 1024 * 1024


def _is_list_field(model: type[BaseModel], key: str) -> bool:
    info = model.model_fields.get(key)
    if info is None:
        return False
    annotation = info.annotation
    options = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType)
        else (annotation,)
    )
    return any(typing.get_origin(o) is list for o in options) and all(
        typing.get_origin(o) is list or o is type(None) for o in options
    )


def _drain(items: list[Any]) -> Iterator[Any]:
    """Yield the items of a list, releasing each from the list as it goes."""
    items.reverse()
    while items:
        yield items.pop()
