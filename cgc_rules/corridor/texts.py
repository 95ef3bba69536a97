"""Writing the corridor's structured findings in Dutch (`nl`, the default) or English (`en`).

The findings carry catalogue messages (`Msg`: key and fields); the sentences live in the
`corridor` catalogue (`data/locale/<lang>/LC_MESSAGES/corridor.po`) and every field is written
here in the notation of the language (`cgc_rules.numbers`): 1,9 km and 1 maart 2026 in Dutch.
Only the views and the CLI call this module.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import Messages, Msg, Qty, text
from ..numbers import notation
from .findings import Parts

if TYPE_CHECKING:
    from .allocate import Allocation
    from .findings import Alert, Refusal
    from .load import Parameter

NBSP = "\u00a0"


def render(lang: str, msg: Msg) -> str:
    """`msg` in `lang`, each field written in the language's notation."""
    return text(lang, msg.key, **{name: _field(lang, value) for name, value in msg.fields.items()})


def _field(lang: str, value: Any) -> str:
    n = notation(lang)
    if isinstance(value, Msg):
        return render(lang, value)
    if isinstance(value, Parts):
        return "".join(_field(lang, v) for v in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_field(lang, v) for v in value)
    if isinstance(value, Qty):
        return _quantity(lang, value)
    if isinstance(value, date):
        return n.date(value)
    return "" if value is None else str(value)


def _quantity(lang: str, q: Qty) -> str:
    """km and tkm with one decimal, tonnes rounded up to 0.1 t, plain counts (`whole`, `one` decimal)."""
    n = notation(lang)
    if q.unit in ("km", "tkm"):
        return f"{n.num(q.value, 1)}{NBSP}{q.unit}"
    if q.unit == "t":
        return n.tonnes(q.value)
    if q.unit == "whole":
        return n.num(q.value, 0)
    if q.unit == "one":
        return n.num(q.value, 1)
    return f"{n.num(q.value)} {text(lang, f'corridor.unit.{q.unit}')}" if q.unit else n.num(q.value)


class Labels:
    """Page and table labels of one language: `Labels("nl").calendar`, `Labels("en")["as_of"]`."""

    def __init__(self, lang: str):
        self._say = Messages(lang)

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._say(f"corridor.label.{name}")

    __getitem__ = __getattr__


def refusal_text(x: Refusal, lang: str) -> str:
    """Why a route is refused."""
    return render(lang, x.msg)


def alert_text(a: Alert, lang: str) -> str:
    """What an alert says about its subject."""
    return render(lang, a.msg)


def allocation_text(a: Allocation, lang: str) -> str:
    """How much goes where along which route, and whether other donors could have delivered."""
    return render(lang, a.msg)


def alert_kind(kind: str, lang: str) -> str:
    return text(lang, f"corridor.alert_kind.{kind}")


def reason(name: str, lang: str) -> str:
    return text(lang, f"corridor.reason.{name}")


def parameter_value(p: Parameter, lang: str) -> str:
    """A rules-of-play value with its unit: `ja`, `15 km`, `30 dagen`."""
    if isinstance(p.value, bool):
        return text(lang, "common.yes" if p.value else "common.no")
    unit = text(lang, f"corridor.unit.{p.unit}") if p.unit in ("days", "weeks") else p.unit or ""
    return f"{notation(lang).num(p.value)} {unit}".strip()
