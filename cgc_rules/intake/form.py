"""Writing the bid form (XLSX): one sheet per part of a submission, laid out from the model.

Headers come from the model's titles, drop-down lists from its enumerations, number checks from its
bounds. The instruction sheet lists what the chosen rulesets check and which form fields each rule
reads. The same inputs give the same bytes: the workbook's dates and the zip entries' times are fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Messages
from ..profile import Profile
from ..ruleset import Ruleset
from ..submission import Submission
from ..xlsx import reproducible_bytes
from .layout import ITEM_ROWS, NONE_WORD, Column, Sheet, fingerprint, get_path, sheets
from .needs import ITEM, rule_reads
from .xlsx import RULESETS_PROPERTY, VERSION_PROPERTY

_HEADER = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOOL = ("ja", "nee")


@dataclass(frozen=True)
class FormSpec:
    """What a form is made for: the rulesets it explains, and optionally a project type and municipality."""

    rulesets: tuple[Ruleset, ...] = ()
    project_type: str | None = None
    municipality: str | None = None


def profile_spec(profile: Profile, project_type: str | None, ruleset_of: Callable[[str], Ruleset | None]) -> FormSpec:
    """The form for a municipality's profile: the rulesets it applies to the type (only the rules it uses).

    `ruleset_of(id)` chooses the version (in force on a day, or pinned by a pack); None leaves it out.
    """
    rulesets = []
    for applied in profile.rulesets:
        if project_type and applied.project_types and project_type not in {t.value for t in applied.project_types}:
            continue
        ruleset = ruleset_of(applied.id)
        if ruleset is None:
            continue
        if applied.rules:
            ruleset = ruleset.model_copy(update={"rules": [r for r in ruleset.rules if r.id in applied.rules]})
        rulesets.append(ruleset)
    return FormSpec(tuple(rulesets), project_type, profile.municipality)


def _width(texts: list[str]) -> int:
    return min(60, max(10, *(len(t) for t in texts)) + 2)


def _validation(col: Column, m: Messages) -> DataValidation | None:
    """The cell check for a column: a drop-down list, a number range or a date."""
    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": m("intake.form.check_title")}
    if col.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', **common)
    elif col.kind == "bool":
        dv = DataValidation(type="list", formula1='"' + ",".join(_BOOL) + '"', **common)
    elif col.kind in ("number", "integer"):
        kind = "decimal" if col.kind == "number" else "whole"
        low = col.minimum if col.minimum is not None else col.exclusive_minimum
        if low is None and col.maximum is None:
            return None
        if col.maximum is not None:
            dv = DataValidation(
                type=kind, operator="between", formula1=_num(low or 0), formula2=_num(col.maximum), **common
            )
        else:
            op = "greaterThan" if col.minimum is None else "greaterThanOrEqual"
            dv = DataValidation(type=kind, operator=op, formula1=_num(low), **common)
    elif col.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", **common)
    else:
        return None
    dv.error = m(f"intake.form.check_{col.kind}", field=col.name)
    return dv


def _num(value: float | None) -> str:
    return "0" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def _value(col: Column, value: Any) -> Any:
    """A model value as a cell holds it: enums as their word, booleans as ja/nee, lists joined."""
    if value is None:
        return None
    if col.kind == "bool":
        return _BOOL[0] if value else _BOOL[1]
    if col.kind == "list":
        return ", ".join(value) if value else NONE_WORD
    if hasattr(value, "value"):
        return value.value
    return value


def _header(ws: Worksheet, labels: list[str]) -> None:
    for i, label in enumerate(labels, start=1):
        cell = ws.cell(1, i, label)
        cell.font, cell.fill = _HEADER, _HEADER_FILL
    ws.freeze_panes = "A2"


def _record_sheet(ws: Worksheet, sheet: Sheet, data: dict[str, Any], m: Messages) -> None:
    _header(ws, [m("intake.form.field"), m("intake.form.value"), m("intake.form.explanation")])
    for r, col in enumerate(sheet.columns, start=2):
        ws.cell(r, 1, col.label).font = _HEADER if col.required else Font()
        value = ws.cell(r, 2, _value(col, get_path(data, col.path)))
        if col.kind == "date":
            value.number_format = "yyyy-mm-dd"
        ws.cell(r, 3, col.description + (f" ({m('intake.form.required')})" if col.required else "")).alignment = _WRAP
        dv = _validation(col, m)
        if dv is not None:
            dv.add(f"B{r}")
            ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = _width([c.label for c in sheet.columns])
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 80


def _table_sheet(ws: Worksheet, sheet: Sheet, lines: list[dict[str, Any]] | None, m: Messages) -> None:
    _header(ws, [c.label for c in sheet.columns])
    if lines == []:
        ws.cell(2, 1, NONE_WORD)
    for r, line in enumerate(lines or (), start=2):
        for i, col in enumerate(sheet.columns, start=1):
            cell = ws.cell(r, i, _value(col, get_path(line, col.path)))
            if col.kind == "date":
                cell.number_format = "yyyy-mm-dd"
    last = max(ITEM_ROWS, len(lines or ()) + 1)
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = _width([col.label, *col.choices])
        dv = _validation(col, m)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
        if col.kind == "date":
            for r in range(2, last + 1):
                ws.cell(r, i).number_format = "yyyy-mm-dd"


def _where(path: tuple[str, ...]) -> str:
    """A field path that a rule reads, as the form names it: `materialen: massa (t)`."""
    for s in sheets():
        if s.is_table and path[0] == s.list_field:
            rest = path[2:] if len(path) > 1 and path[1] == ITEM else ()
            cols = [c.label for c in s.columns if c.path[: len(rest)] == rest] if rest else []
            return f"{s.title}: {', '.join(cols)}" if cols else s.title
        cols = [c.label for c in s.columns if c.path[: len(path)] == path]
        if cols:
            return f"{s.title}: {', '.join(cols)}"
    return ".".join(path)


def _instructions(ws: Worksheet, spec: FormSpec, m: Messages) -> None:
    ws.cell(1, 1, m("intake.form.title")).font = Font(bold=True, size=14)
    rows: list[tuple[str, str]] = [
        (m("intake.form.rulesets"), ", ".join(f"{r.id}@{r.version}" for r in spec.rulesets) or "—"),
    ]
    if spec.project_type:
        rows.append((m("intake.form.project_type"), spec.project_type))
    if spec.municipality:
        rows.append((m("intake.form.municipality"), spec.municipality))
    r = 3
    for label, value in rows:
        ws.cell(r, 1, label).font = _HEADER
        ws.cell(r, 2, value)
        r += 1
    r += 1
    for key in ("how_lists", "how_none", "how_composition", "how_numbers", "how_code"):
        ws.cell(r, 1, m(f"intake.form.{key}", none=NONE_WORD)).alignment = _WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.row_dimensions[r].height = 30
        r += 1
    r += 1
    ws.cell(r, 1, m("intake.form.sheets")).font = _HEADER
    r += 1
    for s in sheets():
        ws.cell(r, 1, s.title)
        ws.cell(r, 2, s.description)
        r += 1
    r += 1
    ws.cell(r, 1, m("intake.form.rules")).font = _HEADER
    r += 1
    for i, label in enumerate(("ruleset", "rule", "rule_title", "level", "reads"), start=1):
        cell = ws.cell(r, i, m(f"intake.form.col_{label}"))
        cell.font, cell.fill = _HEADER, _HEADER_FILL
    r += 1
    for ruleset in spec.rulesets:
        for rule in ruleset.rules:
            types = rule.applies_when.project_type
            if spec.project_type and types and spec.project_type not in {t.value for t in types}:
                continue
            ws.cell(r, 1, f"{ruleset.id}@{ruleset.version}")
            ws.cell(r, 2, rule.id)
            ws.cell(r, 3, rule.title.get(m.lang)).alignment = _WRAP
            ws.cell(r, 4, m(f"intake.form.level_{rule.level.value}"))
            ws.cell(r, 5, "; ".join(dict.fromkeys(_where(p) for p in rule_reads(rule)))).alignment = _WRAP
            r += 1
    for letter, width in zip("ABCDE", (26, 22, 50, 12, 60), strict=True):
        ws.column_dimensions[letter].width = width


def build_form(spec: FormSpec, submission: Submission | None = None, lang: str = "nl") -> bytes:
    """The bid form as XLSX bytes; filled in with `submission` when given (for `cgc convert`)."""
    m = Messages(lang)
    data: dict[str, Any] = submission.model_dump(mode="json", exclude_none=False) if submission else {}
    if submission is None and (spec.project_type or spec.municipality):
        data = {"project": {"type": spec.project_type, "municipality": spec.municipality}}
    wb = Workbook()
    _instructions(wb.active, spec, m)
    wb.active.title = m("intake.form.instructions_sheet")
    for sheet in sheets():
        ws = wb.create_sheet(sheet.title)
        if sheet.list_field is not None:
            _table_sheet(ws, sheet, data.get(sheet.list_field), m)
        else:
            _record_sheet(ws, sheet, data, m)
    props = wb.properties
    props.creator = props.lastModifiedBy = "cgc-rules"
    props.title = m("intake.form.title")
    wb.custom_doc_props.append(StringProperty(name=VERSION_PROPERTY, value=fingerprint()))
    refs = ", ".join(f"{r.id}@{r.version}" for r in spec.rulesets)
    if refs:
        wb.custom_doc_props.append(StringProperty(name=RULESETS_PROPERTY, value=refs))
    return reproducible_bytes(wb)
