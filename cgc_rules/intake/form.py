"""Writing the bid form (XLSX): the whole bid, one sheet per part, laid out from the models.

The sheet `inschrijving` holds what a bid adds to its submission (bidder, price, tender, ladder level);
one sheet per part of the submission follows. Headers come from the models' titles, drop-down lists from
their enumerations, number checks (with help texts) from their bounds, on every row a sheet may hold.
Headers, explanations and the sheet `totalen` (formulas) are protected without a password; the cells a
bidder fills are not. The instruction sheet lists what the chosen rulesets check and which form fields
each rule reads. The same inputs give the same bytes: the workbook's dates and the zip entries' times are
fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..fields import MAX_NUMBER
from ..i18n import Messages
from ..profile import Profile
from ..ruleset import Ruleset
from ..submission import Submission
from ..xlsx import reproducible_bytes
from .layout import BID_SHEET, ITEM_ROWS, NONE_WORD, Column, Sheet, bid_sheet, fingerprint, get_path, sheet, sheets
from .needs import ITEM, rule_reads
from .xlsx import RULESETS_PROPERTY, VERSION_PROPERTY

_HEADER = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOOL = ("ja", "nee")
_OPEN = Protection(locked=False)
TOTALS_SHEET = "totalen"  # formulas only: the reader does not read it
_LAST = ITEM_ROWS + 1  # the last row of a table sheet the form prepares (the header is row 1)


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


def _bounds(col: Column) -> str:
    """Which help text a number column gets: between, at least, above, or none."""
    if col.maximum is not None and col.maximum < MAX_NUMBER:  # not the technical limit every number has
        return "between"
    if col.minimum is not None:
        return "min"
    return "above" if col.exclusive_minimum is not None else ""


def _validation(col: Column, m: Messages) -> DataValidation | None:
    """The cell check for a column: a drop-down list, a number range or a date, with its help text."""
    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": m("intake.form.check_title")}
    fields = {
        "field": col.name,
        "min": _num(col.minimum),
        "max": _num(col.maximum),
        "above": _num(col.exclusive_minimum),
    }
    if col.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', **common)
        key = "check_choice"
    elif col.kind == "bool":
        dv = DataValidation(type="list", formula1='"' + ",".join(_BOOL) + '"', **common)
        key = "check_bool"
    elif col.kind in ("number", "integer"):
        bounds = _bounds(col)
        if not bounds:
            return None
        kind = "decimal" if col.kind == "number" else "whole"
        if bounds == "between":
            low = col.minimum if col.minimum is not None else col.exclusive_minimum
            dv = DataValidation(type=kind, operator="between", formula1=_num(low), formula2=_num(col.maximum), **common)
        else:
            op = "greaterThan" if bounds == "above" else "greaterThanOrEqual"
            low = col.minimum if bounds == "min" else col.exclusive_minimum
            dv = DataValidation(type=kind, operator=op, formula1=_num(low), **common)
        key = f"check_{col.kind}_{bounds}"
    elif col.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", **common)
        key = "check_date"
    else:
        return None
    dv.error = m(f"intake.form.{key}", **fields)[:255]  # Excel's limits for a check's texts
    if col.description:
        dv.showInputMessage = True
        dv.promptTitle, dv.prompt = col.name[:32], col.description[:255]
    return dv


def _num(value: float | None) -> str:
    return "0" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def _protect(ws: Worksheet) -> None:
    """Lock the sheet without a password: locked cells (headers, labels, formulas) cannot be changed, the
    cells left open can; columns and rows may still be resized, and rows added or removed."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = p.insertRows = p.deleteRows = p.sort = p.autoFilter = False


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
        value.protection = _OPEN
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
    _protect(ws)


def _table_sheet(ws: Worksheet, sheet: Sheet, lines: list[dict[str, Any]] | None, m: Messages) -> None:
    _header(ws, [c.label for c in sheet.columns])
    if lines == []:
        ws.cell(2, 1, NONE_WORD).protection = _OPEN
    for r, line in enumerate(lines or (), start=2):
        for i, col in enumerate(sheet.columns, start=1):
            cell = ws.cell(r, i, _value(col, get_path(line, col.path)))
            cell.protection = _OPEN
            if col.kind == "date":
                cell.number_format = "yyyy-mm-dd"
    last = max(_LAST, len(lines or ()) + 1)
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = _width([col.label, *col.choices])
        dim.protection = _OPEN  # the empty cells below the header take the column's style
        if col.kind == "date":
            dim.number_format = "yyyy-mm-dd"
        dv = _validation(col, m)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    _protect(ws)


def _range(s: Sheet, path: tuple[str, ...]) -> str:
    """The cells of a table column below its header, for a formula: `materialen!C2:C50001`."""
    i = next(i for i, c in enumerate(s.columns, start=1) if c.path == path)
    letter = get_column_letter(i)
    return f"{s.title}!{letter}2:{letter}{_LAST}"


def _totals(ws: Worksheet, m: Messages) -> None:
    """The sheet `totalen`: what the lines add up to, as formulas the spreadsheet computes while the bidder types."""
    materials, demolition = sheet("materialen"), sheet("sloop")
    mass = _range(materials, ("mass_t",))
    origins = next(c.choices for c in materials.columns if c.path == ("origin",))
    _header(ws, [m("intake.form.total"), m("intake.form.value"), m("intake.form.explanation")])
    rows: list[tuple[str, str, str, str]] = [
        (
            m("intake.form.total_lines"),
            f"=COUNTA({_range(materials, ('name',))})",
            "0",
            m("intake.form.total_lines_how"),
        ),
        (m("intake.form.total_mass"), f"=SUM({mass})", "#,##0.0", m("intake.form.total_mass_how")),
    ]
    for origin in origins:
        row = len(rows) + 2
        share = f"{m('intake.form.total_share', origin=origin)}"
        composed = _range(materials, ("composition", origin))
        rows.append(
            (
                m("intake.form.total_origin", origin=origin),
                f'=SUMIF({_range(materials, ("origin",))},"{origin}",{mass})+SUMPRODUCT({mass},{composed})/100',
                "#,##0.0",
                m("intake.form.total_origin_how", origin=origin),
            )
        )
        rows.append((share, f'=IF(B3=0,"",B{row}/B3)', "0.0%", m("intake.form.total_share_how", origin=origin)))
    rows.append(
        (
            m("intake.form.total_demolition"),
            f"=SUM({_range(demolition, ('mass_t',))})",
            "#,##0.0",
            m("intake.form.total_demolition_how"),
        )
    )
    for r, (label, formula, number_format, how) in enumerate(rows, start=2):
        ws.cell(r, 1, label).font = _HEADER
        cell = ws.cell(r, 2, formula)
        cell.number_format = number_format
        ws.cell(r, 3, how).alignment = _WRAP
    ws.column_dimensions["A"].width = _width([r[0] for r in rows])
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 70
    _protect(ws)


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
    for key in ("how_bid", "how_lists", "how_none", "how_composition", "how_numbers", "how_code", "how_protected"):
        ws.cell(r, 1, m(f"intake.form.{key}", none=NONE_WORD)).alignment = _WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.row_dimensions[r].height = 30
        r += 1
    r += 1
    ws.cell(r, 1, m("intake.form.sheets")).font = _HEADER
    r += 1
    for s in (bid_sheet(), *sheets()):
        ws.cell(r, 1, s.title)
        ws.cell(r, 2, s.description)
        r += 1
    ws.cell(r, 1, TOTALS_SHEET)
    ws.cell(r, 2, m("intake.form.totals_sheet"))
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
    _protect(ws)


def build_form(spec: FormSpec, submission: Submission | None = None, lang: str = "nl") -> bytes:
    """The bid form as XLSX bytes; filled in with `submission` when given (for `cgc convert`)."""
    m = Messages(lang)
    data: dict[str, Any] = submission.model_dump(mode="json", exclude_none=False) if submission else {}
    if submission is None and (spec.project_type or spec.municipality):
        data = {"project": {"type": spec.project_type, "municipality": spec.municipality}}
    wb = Workbook()
    _instructions(wb.active, spec, m)
    wb.active.title = m("intake.form.instructions_sheet")
    _record_sheet(wb.create_sheet(BID_SHEET), bid_sheet(), {}, m)
    for part in sheets():
        ws = wb.create_sheet(part.title)
        if part.list_field is not None:
            _table_sheet(ws, part, data.get(part.list_field), m)
        else:
            _record_sheet(ws, part, data, m)
    _totals(wb.create_sheet(TOTALS_SHEET), m)
    props = wb.properties
    props.creator = props.lastModifiedBy = "cgc-rules"
    props.title = m("intake.form.title")
    wb.custom_doc_props.append(StringProperty(name=VERSION_PROPERTY, value=fingerprint()))
    refs = ", ".join(f"{r.id}@{r.version}" for r in spec.rulesets)
    if refs:
        wb.custom_doc_props.append(StringProperty(name=RULESETS_PROPERTY, value=refs))
    return reproducible_bytes(wb)
