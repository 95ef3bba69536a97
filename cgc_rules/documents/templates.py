"""The Jinja2 sandbox the document templates render in: undefined names are errors, values are escaped."""

from __future__ import annotations

import hashlib
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import CgcError, Problem
from ..resources import bundled
from .kinds import kind as document_kind

TEMPLATES_DIR = bundled("templates")


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_hash(kind: str) -> str:
    """sha256 over the kind's template and the shared macros it may import."""
    digest = hashlib.sha256()
    for path in [TEMPLATES_DIR / document_kind(kind).template, *sorted(TEMPLATES_DIR.glob("_*.j2"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render(kind: str, context: dict[str, Any]) -> str:
    """The markup of one document; a template error names the template file and line."""
    name = document_kind(kind).template
    shown = f"templates/{name}"
    try:
        return environment().get_template(name).render(context)
    except TemplateSyntaxError as exc:
        raise CgcError(Problem(f"template syntax error: {exc.message}", exc.filename or shown, exc.lineno)) from None
    except TemplateError as exc:
        file, line = shown, None
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno
        raise CgcError(Problem(f"template error: {exc}", _short(file), line)) from None


def _short(file: str) -> str:
    try:
        return "templates/" + Path(file).resolve().relative_to(TEMPLATES_DIR).as_posix()
    except ValueError:
        return file
