"""The bid form's layout, derived from the submission model's JSON Schema so form and model cannot disagree.

Each part of a submission is one sheet. Single parts (project, impact, declarations) are record sheets:
one row per field. Lists (materials, demolition, equipment, transport) are table sheets: one header row,
one row per line. A material composition becomes one percentage column per origin.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..submission import Submission
from .bidsheet import BidSheet

NONE_WORD = "geen"  # in the first data cell of a table sheet, or a list cell: the list is empty (not missing)
PERCENT_PREFIX = "% "
ITEM_ROWS = 50_000
"""Most lines of a table sheet, each with the drop-down lists and number checks; the reader refuses more."""
BID_SHEET = "inschrijving"


@dataclass(frozen=True)
class Column:
    """One field on the form: where it goes in the submission and what a cell may hold."""

    path: tuple[str, ...]  # inside a line of a table sheet, or from the submission's root on a record sheet
    label: str
    kind: str  # text | number | integer | bool | date | choice | list
    description: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None

    @property
    def is_percent(self) -> bool:
        return self.label.startswith(PERCENT_PREFIX)

    @property
    def name(self) -> str:
        """The label without its unit, for messages: `massa (t)` → `massa`."""
        return self.label.split(" (")[0]


@dataclass(frozen=True)
class Sheet:
    """One sheet of the form: a record of fields or a table of lines (`list_field` set)."""

    title: str
    description: str
    columns: tuple[Column, ...]
    list_field: str | None = None

    @property
    def is_table(self) -> bool:
        return self.list_field is not None


RECORDS = {
    "project": ("project", "inventory", "hnn_indicators"),
    "impact": ("impact",),
    "verklaringen": ("declarations",),
}
TABLES = {"materialen": "materials", "sloop": "demolition", "materieel": "equipment", "transport": "transport"}
ORDER = ("project", "materialen", "impact", "sloop", "materieel", "transport", "verklaringen")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _unwrap(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null member of an optional field, with the field's own title and description."""
    inner = prop
    if "anyOf" in prop:
        inner = next(m for m in prop["anyOf"] if m.get("type") != "null")
    inner = _resolve(schema, inner)
    return {**inner, **{k: prop[k] for k in ("title", "description") if k in prop}}


def _column(
    schema: dict[str, Any], path: tuple[str, ...], prop: dict[str, Any], required: bool, label: str | None = None
) -> Column:
    p = _unwrap(schema, prop)
    if "enum" in p:
        kind = "choice"
    elif p.get("type") == "array":
        kind = "list"
    elif p.get("format") == "date":
        kind = "date"
    else:
        kind = {"string": "text", "number": "number", "integer": "integer", "boolean": "bool"}[p["type"]]
    return Column(
        path=path,
        label=label or p.get("title", path[-1]),
        kind=kind,
        description=p.get("description", ""),
        required=required,
        choices=tuple(p.get("enum", ())),
        minimum=p.get("minimum"),
        exclusive_minimum=p.get("exclusiveMinimum"),
        maximum=p.get("maximum"),
    )


def _columns(schema: dict[str, Any], model: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[Column]:
    out = []
    required = set(model.get("required", ()))
    for name, prop in model["properties"].items():
        p = _unwrap(schema, prop)
        if p.get("type") == "object" and "propertyNames" in p:  # a composition: one column per key
            keys = _resolve(schema, p["propertyNames"])["enum"]
            value = p["additionalProperties"]
            out += [_column(schema, (*prefix, name, k), value, False, f"{PERCENT_PREFIX}{k}") for k in keys]
        elif "properties" in p:
            out += _columns(schema, p, (*prefix, name))
        else:
            out.append(_column(schema, (*prefix, name), prop, name in required))
    return out


@lru_cache(maxsize=1)
def sheets() -> tuple[Sheet, ...]:
    """The form's sheets in order."""
    schema = Submission.model_json_schema()
    root = schema["properties"]
    built: dict[str, Sheet] = {}
    for title, fields in RECORDS.items():
        cols: list[Column] = []
        for f in fields:
            p = _unwrap(schema, root[f])
            cols += _columns(schema, p, (f,)) if "properties" in p else [_column(schema, (f,), root[f], False)]
        built[title] = Sheet(title, _unwrap(schema, root[fields[0]]).get("description", ""), tuple(cols))
    for title, f in TABLES.items():
        item = _resolve(schema, _unwrap(schema, root[f])["items"])
        built[title] = Sheet(
            title, _unwrap(schema, root[f]).get("description", ""), tuple(_columns(schema, item)), list_field=f
        )
    covered = {f for fs in RECORDS.values() for f in fs} | set(TABLES.values())
    if covered != set(root):
        raise RuntimeError(f"the form does not place these submission fields: {sorted(set(root) - covered)}")
    for s in built.values():
        labels = [c.label for c in s.columns]
        if len(labels) != len(set(labels)):
            raise RuntimeError(f"sheet {s.title}: two fields share a label")
    return tuple(built[t] for t in ORDER)


@lru_cache(maxsize=1)
def bid_sheet() -> Sheet:
    """The record sheet of what a bid adds to its submission: bidder, price, tender, declarations."""
    schema = BidSheet.model_json_schema()
    return Sheet(BID_SHEET, schema.get("description", ""), tuple(_columns(schema, schema)))


def sheet(title: str) -> Sheet:
    return next(s for s in sheets() if s.title == title)


def fingerprint() -> str:
    """A hash of everything the layout decides: the form's version, stored in each form and checked on reading.

    It changes by itself whenever the submission model changes the form, so a form made for another layout
    is refused instead of misread; nobody has to remember to raise a version number.
    """
    data = [
        [
            s.title,
            s.list_field,
            [
                [c.path, c.label, c.kind, c.choices, c.minimum, c.exclusive_minimum, c.maximum, c.required]
                for c in s.columns
            ],
        ]
        for s in (bid_sheet(), *sheets())
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def get_path(obj: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in a plain dict (a dumped submission or line), None when absent."""
    for part in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def set_path(obj: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj.setdefault(part, {})
    obj[path[-1]] = value
