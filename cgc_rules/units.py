"""Units of indicator values and how a value is written in each language (`62,0 %`, `€ 0,17`, `583 t`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .i18n import text
from .numbers import notation

UNITS = ("%", "eur_per_m2_year", "eur_per_m2_bvo_year", "kg_co2e_per_fu", "t", "kw", "weeks", "year", "count")


def label(unit: str, lang: str) -> str:
    """The unit's name as written after a number (`weken`, `kW`); not for unitless ones."""
    return text(lang, f"common.unit.{unit}")


def show(value: Any, unit: str | None, lang: str) -> str:
    """A value in its unit's notation, or plainly when it has none (`—` when absent)."""
    n = notation(lang)
    if unit in UNITS and isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit == "%":
            return n.pct(value)
        if unit.startswith("eur"):
            return n.eur(value)
        if unit == "t":
            return n.tonnes(value)
        if unit == "year":
            return str(int(value))
        if unit == "count":
            return n.num(value, 2)
        return f"{n.num(value, 2)} {label(unit, lang)}"
    if value is None:
        return "—"
    if isinstance(value, date):
        return n.date(value)
    if isinstance(value, bool):
        return text(lang, "common.yes" if value else "common.no")
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v, None, lang) for v in value)
    if isinstance(value, (int, float)):
        return n.num(value, 2)
    return str(value)
