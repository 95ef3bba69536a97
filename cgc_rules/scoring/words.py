"""Award messages written out: `Amount`s in the language's notation, the rest through the catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..i18n import Msg, text
from ..numbers import notation
from .calc import Amount


def amount(a: Amount, lang: str) -> str:
    """`€ 14.400,00`, `€ 0,145`, `€ 0,13 per m² per jaar`, `73,68 %`, `0,68 procentpunt`, `8 punten`, `12.000 m²`."""
    n, v = notation(lang), a.value
    if a.unit == "eur":
        return n.eur(v, 2, 2)
    if a.unit == "eur4":
        return n.eur(v, 2, 4)
    if a.unit == "pct":
        return n.pct(v, 0, 4)
    plain = n.num(v, 4)
    if a.unit in ("mki",):
        return text(lang, "award.unit.mki", value=n.eur(v, 2, 4))
    if a.unit in ("pts", "pp", "m2", "years"):
        return text(lang, f"award.unit.{a.unit}", value=plain)
    return plain


def field(value: Any, lang: str) -> str:
    if isinstance(value, Amount):
        return amount(value, lang)
    if isinstance(value, Msg):
        return say(value, lang)
    if isinstance(value, Decimal):
        return notation(lang).num(value, 4)
    if isinstance(value, (list, tuple)):
        return ", ".join(field(v, lang) for v in value)
    return str(value)


def say(msg: Msg, lang: str) -> str:
    """The message in `lang` with every field written out."""
    return text(lang, msg.key, **{k: field(v, lang) for k, v in msg.fields.items()})
