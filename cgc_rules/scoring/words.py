"""Award messages written out through the one message renderer (`cgc_rules.i18n`): amounts in their unit."""

from __future__ import annotations

from typing import Any

from ..i18n import Msg, Qty, render, show
from .calc import Amount


def amount(a: Amount, lang: str) -> str:
    """`€ 14.400,00`, `€ 0,145`, `€ 0,13 per m² per jaar`, `73,68 %`, `0,68 procentpunt`, `8 punten`, `12.000 m²`."""
    return show(a.value, a.unit, lang)


def field(value: Any, lang: str) -> str:
    """One field of an award message: an `Amount` in its unit, anything else as the renderer writes it."""
    return show(_quantities(value), None, lang)


def say(msg: Msg, lang: str) -> str:
    """The message in `lang` with every field written out."""
    return render(lang, _quantities(msg))


def _quantities(value: Any) -> Any:
    """`value` with every `Amount` in it (nested messages and lists too) turned into the renderer's `Qty`."""
    if isinstance(value, Amount):
        return Qty(value.value, value.unit)
    if isinstance(value, Msg):
        return Msg(value.key, {k: _quantities(v) for k, v in value.fields.items()})
    if isinstance(value, (list, tuple)):
        return [_quantities(v) for v in value]
    return value
