"""A blank, commented YAML submission for bidders, generated from the pydantic `Submission` model.

Each field gets a comment with its description, whether it is required and what kind of value
it takes (the choices of an enumeration, the bounds of a number), so the template follows the
model without a second copy of it.
"""

from __future__ import annotations

import types
import typing
from datetime import date
from enum import Enum

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..submission import Submission

HEADER = """\
# Inschrijving — sjabloon voor inschrijvers ({title}, versie {version})
#
# Vul per veld de waarde in achter de dubbele punt. Velden met 'optioneel' mag u leeg laten.
# Lijsten (materialen, materieel, ...) hebben één voorbeeldregel: herhaal het blok na '-' per regel.
# Controleer het ingevulde bestand met:  cgc evaluate inschrijving.yaml {rulesets}

"""


def _unwrap(info: FieldInfo) -> tuple[typing.Any, list[typing.Any]]:
    """The field's type without `| None` and `Annotated`, and all its constraints."""
    annotation, metadata = info.annotation, list(info.metadata)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for meta in extra:
            metadata += meta.metadata if isinstance(meta, FieldInfo) else [meta]
    return annotation, metadata


def _bounds(metadata: list[typing.Any]) -> str:
    """`≥ 0`, `≥ 1900 en ≤ 2100` from the constraints pydantic keeps as metadata (annotated-types)."""
    words = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
    parts = [
        f"{sym} {getattr(meta, attr):g}"
        for meta in metadata
        for attr, sym in words
        if isinstance(getattr(meta, attr, None), (int, float))
    ]
    return " en ".join(parts)


def _kind(annotation: typing.Any, metadata: list[typing.Any]) -> str:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "één van: " + " | ".join(m.value for m in annotation)
    if annotation is bool:
        return "true of false"
    if annotation is date:
        return "datum JJJJ-MM-DD"
    if annotation in (int, float):
        bounds = _bounds(metadata)
        word = "geheel getal" if annotation is int else "getal"
        return f"{word} {bounds}".rstrip()
    if typing.get_origin(annotation) is list:
        return "lijst van teksten, bijvoorbeeld [a, b]"
    if typing.get_origin(annotation) is dict:  # a composition: a number per origin
        keys = [m.value for m in typing.get_args(annotation)[0]]
        return f"per {' | '.join(keys)} een getal, bijvoorbeeld {{{keys[0]}: 50, {keys[-1]}: 50}}"
    return "tekst"


def _is_model(annotation: typing.Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _default(info: FieldInfo) -> str:
    """` false` for an optional field whose default is not None (blank would mean None)."""
    value = info.get_default()
    if info.is_required() or value is None:
        return ""
    return " " + yaml.safe_dump(value).removesuffix("\n...\n").strip()


def _comment(indent: str, info: FieldInfo, model: type[BaseModel] | None, *notes: str) -> str:
    text = (info.description or (model.__doc__ if model else "") or "").strip().rstrip(".")
    return f"{indent}# " + " · ".join(p for p in (text, *notes) if p)


def _fields(model: type[BaseModel], indent: str) -> list[str]:
    """YAML lines with a comment line before every field of `model`."""
    lines: list[str] = []
    for name, info in model.model_fields.items():
        annotation, metadata = _unwrap(info)
        inner = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None
        need = "verplicht" if info.is_required() else "optioneel"
        if _is_model(annotation):
            lines += [_comment(indent, info, annotation, need), f"{indent}{name}:"]
            lines += _fields(annotation, indent + "  ")
        elif inner is not None and _is_model(inner):
            lines += [_comment(indent, info, inner, need, "één blok per regel"), f"{indent}{name}:", f"{indent}  -"]
            lines += _fields(inner, indent + "    ")
        else:
            comment = _comment(indent, info, None, need, _kind(annotation, metadata))
            lines += [comment, f"{indent}{name}:{_default(info)}"]
    return lines


def submission_template(title: str, version: str, rulesets: list[str]) -> str:
    """The commented YAML text; values are blank except defaults that are not None."""
    flags = " ".join(f"-r {ref}" for ref in rulesets)
    return HEADER.format(title=title, version=version, rulesets=flags) + "\n".join(_fields(Submission, "")) + "\n"
