"""Writing the corridor's structured findings in any registered language (Dutch, `nl`, the default).

The findings carry catalogue messages (`Msg`: key and fields); the sentences live in the
`corridor` catalogue (`data/locale/<lang>/LC_MESSAGES/corridor.po`) and the message renderer
(`cgc_rules.i18n.render`) writes every field in the notation of the language: 1,9 km and
1 maart 2026 in Dutch. Only the views and the CLI call this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import Messages, render, show, text
from ..units import WRITTEN

if TYPE_CHECKING:
    from .allocate import Allocation
    from .findings import Alert, Refusal
    from .load import Parameter


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
    written = show(p.value, p.unit, lang)
    return written if p.unit in WRITTEN or p.unit is None else f"{written} {p.unit}"
