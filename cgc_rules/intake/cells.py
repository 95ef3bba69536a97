"""Reading one spreadsheet or CSV cell as the value its form column asks for.

Cells come typed (numbers, dates, booleans from XLSX) or as text (CSV, or text typed into a number
column). Dutch notation is read where it is unambiguous: `12,5`, `1.234,5`, `2-3-2026`, `ja`. A
number with one separator followed by exactly three digits (`1.234`, `1,234`) could be a thousands
group or a decimal fraction: it is refused, not guessed, unless the file itself says which mark is the
decimal one (a CSV separated by `;`, as Dutch Excel writes it, uses the decimal comma).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from ..fields import MAX_NUMBER
from ..i18n import Msg
from .layout import NONE_WORD, Column

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d+\.\d+$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DUTCH_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_ENGLISH_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_TRUE = {"ja", "j", "yes", "y", "waar", "true", "x", "1"}
_FALSE = {"nee", "n", "no", "onwaar", "false", "0"}


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; carries the message as data."""

    def __init__(self, msg: Msg):
        super().__init__(msg.key)
        self.msg = msg


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _found(raw: Any) -> str:
    return f'"{raw}"' if isinstance(raw, str) else str(raw)


def _ambiguous(text: str, t: str, col: Column) -> CellError:
    """The error for `1.234`: with both readings written so that each is accepted (`1234`, `1,234` is not)."""
    whole, fraction = re.split(r"[.,]", t.lstrip("+-"))
    sign = "-" if t.startswith("-") else ""
    decimal = fraction.rstrip("0") or "0"
    decimal = decimal + "0" if len(decimal) == 3 else decimal  # `1,2340`: three digits after a mark stay ambiguous
    return CellError(
        Msg(
            "intake.cell.ambiguous",
            {
                "field": col.name,
                "found": _found(text),
                "thousands": f"{sign}{whole}{fraction}",
                "decimal": f"{sign}{whole},{decimal}",
            },
        )
    )


def _number_text(text: str, col: Column, decimal_comma: bool) -> float:
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if col.is_percent:
        t = t.removesuffix("%")
    if _AMBIGUOUS.match(t):
        if not decimal_comma:
            raise _ambiguous(text, t, col)
        return float(t.replace(".", "").replace(",", "."))
    if _INTEGER.match(t) or _DECIMAL_POINT.match(t):
        return float(t)
    if _DECIMAL_COMMA.match(t):
        return float(t.replace(",", "."))
    if _DUTCH_GROUPED.match(t):
        return float(t.replace(".", "").replace(",", "."))
    if _ENGLISH_GROUPED.match(t):
        return float(t.replace(",", ""))
    raise CellError(_number_msg(col, text))


def _number_msg(col: Column, raw: Any) -> Msg:
    fields = {"field": col.name, "found": _found(raw)}
    if col.minimum is not None and col.maximum is not None:
        return Msg("intake.cell.number_between", {**fields, "min": col.minimum, "max": col.maximum})
    if col.minimum is not None:
        return Msg("intake.cell.number_min", {**fields, "min": col.minimum})
    if col.exclusive_minimum is not None:
        return Msg("intake.cell.number_above", {**fields, "min": col.exclusive_minimum})
    return Msg("intake.cell.number", fields)


def _number(raw: Any, col: Column, decimal_comma: bool = False) -> float | int:
    if isinstance(raw, (bool, datetime, date)):
        raise CellError(_number_msg(col, raw))
    value = raw if isinstance(raw, (int, float)) else _number_text(str(raw), col, decimal_comma)
    if abs(value) > MAX_NUMBER or not math.isfinite(value):  # the bound first: isfinite cannot take a huge int
        raise CellError(_number_msg(col, raw))
    too_low = (col.minimum is not None and value < col.minimum) or (
        col.exclusive_minimum is not None and value <= col.exclusive_minimum
    )
    if too_low or (col.maximum is not None and value > col.maximum):
        raise CellError(_number_msg(col, raw))
    if col.kind == "integer":
        if value != int(value):
            raise CellError(Msg("intake.cell.integer", {"field": col.name, "found": _found(raw)}))
        return int(value)
    return value


def _bool(raw: Any, col: Column) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(Msg("intake.cell.bool", {"field": col.name, "found": _found(raw)}))


def _date(raw: Any, col: Column) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        m = _DUTCH_DATE.match(text)
        return date(int(m[3]), int(m[2]), int(m[1])) if m else date.fromisoformat(text)
    except ValueError:
        raise CellError(Msg("intake.cell.date", {"field": col.name, "found": _found(raw)})) from None


def _choice(raw: Any, col: Column) -> str:
    word = str(raw).strip().lower()
    for choice in col.choices:
        if word == choice.lower():
            return choice
    raise CellError(
        Msg("intake.cell.choice", {"field": col.name, "found": _found(raw), "choices": ", ".join(col.choices)})
    )


def _text(raw: Any, col: Column) -> str:
    if isinstance(raw, float) and raw.is_integer():  # not inf or nan
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def _list(raw: Any, col: Column) -> list[str]:
    text = str(raw).strip()
    if text.lower() == NONE_WORD:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


_READERS = {
    "bool": _bool,
    "date": _date,
    "choice": _choice,
    "text": _text,
    "list": _list,
}


def read(raw: Any, col: Column, decimal_comma: bool = False) -> Any:
    """The cell's value for `col` (None when blank); raises CellError with a located-ready message.

    `decimal_comma`: the file is known to write the comma as its decimal mark, so `1.234` is 1234.
    """
    if is_blank(raw):
        return None
    if col.kind in ("number", "integer"):
        return _number(raw, col, decimal_comma)
    return _READERS[col.kind](raw, col)
