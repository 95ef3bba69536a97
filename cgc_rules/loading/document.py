"""A parsed file kept with its source, to locate problems (file:line:column) in one pass when shown."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import CgcError, Problem
from ..i18n import Msg, has, render
from . import jsonplace
from .files import read_bytes
from .yamldata import yaml_marks

_Loc = tuple[str, ...]


@dataclass
class Document:
    """Parsed content of one file and its source (text, or the UTF-8 bytes read), to locate errors later."""

    path: str
    data: Any
    source: str | bytes | None
    reread: tuple[Path, str] | None = None
    """Instead of `source`, the file and its sha256: a large file is read again only to locate a problem."""
    lang: str = "en"
    """The language of the problems found in the file's content."""
    _pending: list[tuple[_Loc, Problem]] = field(default_factory=list, repr=False)

    def _source(self) -> str | bytes:
        if self.source is not None:
            return self.source
        if self.reread is not None:
            try:
                again = read_bytes(self.reread[0])
            except CgcError:
                return ""
            if hashlib.sha256(again).hexdigest() == self.reread[1]:
                return again
        return ""  # gone or changed since: the problems keep their field, without line and column

    @property
    def text(self) -> str:
        source = self._source()
        return source if isinstance(source, str) else source.decode("utf-8-sig")

    def _marks(self, wanted: set[_Loc]) -> dict[_Loc, tuple[int, int]]:
        source = self._source()
        if not source:
            return {}
        if self.path.lower().endswith(".json"):
            text = source if isinstance(source, str) else source.decode("utf-8-sig")
            entries = {loc: entry for loc, (entry, _) in jsonplace.places(text, wanted).items()}
            return jsonplace.line_columns(text, entries)
        return yaml_marks(source, wanted)

    def locate_many(self, locs: Sequence[Sequence[str | int]]) -> list[tuple[int | None, int | None]]:
        """Line and column (1-based) of the deepest node each loc reaches; one pass for all of them."""
        keys = [tuple(str(p) for p in loc) for loc in locs]
        wanted = {key[:i] for key in keys for i in range(len(key) + 1)}
        found = self._marks(wanted)
        out: list[tuple[int | None, int | None]] = []
        for key in keys:
            for i in range(len(key), -1, -1):
                if key[:i] in found:
                    line, column = found[key[:i]]
                    out.append((line + 1, column + 1))
                    break
            else:
                out.append((None, None))
        return out

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node that `loc` reaches."""
        return self.locate_many([loc])[0]

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        """A problem at `loc`, located together with the document's other pending problems when first shown."""
        problem = Problem(message, self.path, None, None, field_path(loc) or None, locator=self)
        self._pending.append((tuple(str(p) for p in loc), problem))
        return problem

    def resolve_pending(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        for (_, problem), (line, column) in zip(pending, self.locate_many([loc for loc, _ in pending]), strict=True):
            problem.place(line, column)

    def validate(self, model: type[BaseModel], data: Any = None) -> Any:
        """Validate with pydantic; every error becomes a located Problem."""
        try:
            return model.model_validate(self.data if data is None else data)
        except ValidationError as exc:
            raise CgcError(self.validation_problems(exc)) from None

    def validation_problems(self, exc: ValidationError, prefix: Iterable[str | int] = ()) -> list[Problem]:
        problems = []
        for err in exc.errors(include_url=False):
            loc = [*prefix, *(p for p in err["loc"] if not _is_union_tag(p))]
            problems.append(self.problem(loc, _message(err, self.lang)))
        self.resolve_pending()
        return problems


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the member type name of a union or a function validator into loc
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _message(err: Mapping[str, Any], lang: str) -> str:
    """pydantic's error in `lang`: the catalogues word the common types (`loading.model.<type>`, in English as
    pydantic does); any other as pydantic (or our own validator) says it."""
    if err["type"] in ("missing", "extra_forbidden"):
        return render(lang, Msg(f"loading.model.{err['type']}"))
    key = f"loading.model.{err['type']}"
    ctx = {k: v if isinstance(v, (int, float, str)) else str(v) for k, v in (err.get("ctx") or {}).items()}
    if isinstance(ctx.get("expected"), str):  # pydantic's list of choices ends in an English "or"
        ctx["expected"] = str(ctx["expected"]).replace("' or '", "', '")
    # our validators' own messages say what is wrong
    msg = render(lang, Msg(key, ctx)) if has(lang, key) else str(err["msg"]).removeprefix("Value error, ")
    if "input" in err and not isinstance(err["input"], (dict, list)):
        shown = repr(err["input"])
        return render(
            lang, Msg("loading.model.got", {"message": msg, "got": shown if len(shown) <= 80 else shown[:77] + "..."})
        )
    return msg


_FIELD_CHARS = 160


def field_path(loc: Sequence[str | int]) -> str:
    """`materials[3].mass_t` style path for messages; a very deep or long one keeps its start and end."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    if len(out) > _FIELD_CHARS:
        out = out[: _FIELD_CHARS // 2] + "…" + out[-_FIELD_CHARS // 2 :]
    return out
