"""Number, money and date notation per language (Dutch: 62,0 %, € 0,17, 1 maart 2026).

Separators, date names and the place of `€` and `%` come from Babel's locale data of the
language's registry entry (`cgc_rules.languages`); digits are laid out with Python's own
formatter, which is fast enough for the evaluator's explanation texts.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern

from .languages import language

Number = float | Decimal


def _affixes(pattern: str, currency: str = "") -> tuple[str, str]:
    """What a Babel number pattern writes before and after the digits of a positive number (`¤` → `currency`)."""
    parsed = parse_pattern(pattern)
    return parsed.prefix[0].replace("¤", currency), parsed.suffix[0].replace("¤", currency)


class Notation:
    """Formats numbers for one registered language."""

    def __init__(self, lang: str):
        entry = language(lang)
        self.lang = lang
        self.locale = Locale.parse(entry.locale)
        symbols = self.locale.number_symbols["latn"]
        self._table = str.maketrans({",": symbols["group"], ".": symbols["decimal"]})
        self._pct = _affixes(entry.percent or self.locale.percent_formats[None].pattern)
        self._eur = _affixes(self.locale.currency_formats["standard"].pattern, "€")

    def num(self, value: Number, decimals: int = 2, *, fixed: bool = False) -> str:
        """`value` with at most `decimals` decimals (exactly that many when `fixed`)."""
        if isinstance(value, int):  # exactly, also beyond what a float holds (a header cell of 10^30)
            text = f"{value:,}" + (f".{'0' * decimals}" if fixed and decimals else "")
        else:
            text = f"{value:,.{decimals}f}"
        if not fixed and "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", "-0.0"):
            text = text[1:]
        return text.translate(self._table)

    def between(self, value: Number, least: int, most: int) -> str:
        """At least `least` decimals, more (up to `most`) only where the value needs them."""
        approx = float(value)  # a Decimal too large for its context cannot be rounded; the float decides
        for decimals in range(least, most + 1):
            if round(approx, decimals) == round(approx, most):
                break
        return self.num(value, decimals, fixed=True)

    def pct(self, value: Number, least: int = 1, most: int = 2) -> str:
        before, after = self._pct
        return f"{before}{self.between(value, least, most)}{after}"

    def eur(self, value: Number, least: int = 2, most: int = 4) -> str:
        before, after = self._eur
        return f"{before}{self.between(value, least, most)}{after}"

    def tonnes(self, value: float) -> str:
        """Mass in tonnes, rounded up to 0.1 t so that a gap is never understated."""
        return f"{self.num(math.ceil(value * 10 - 1e-9) / 10, 1)}\u00a0t"

    def date(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)


@cache
def notation(lang: str) -> Notation:
    return Notation(lang)
