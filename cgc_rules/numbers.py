"""Number, money and date notation per language (Dutch: 62,0 %, € 0,17, 1 maart 2026).

Separators and date names come from Babel's locale data; digits are laid out with Python's
own formatter, which is fast enough for the evaluator's explanation texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date


@dataclass(frozen=True)
class Convention:
    """How one language writes numbers beyond Babel's symbols: its locale and the space around % and €."""

    locale: str
    pct_space: str  # between a number and %
    eur_space: str  # between € and a number


LOCALES = {"nl": Convention("nl_NL", "\u00a0", "\u00a0"), "en": Convention("en_GB", "", "")}


class Notation:
    """Formats numbers for one language."""

    def __init__(self, lang: str):
        if lang not in LOCALES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LOCALES)}")
        self.lang = lang
        convention = LOCALES[lang]
        self.locale = Locale.parse(convention.locale)
        symbols = self.locale.number_symbols["latn"]
        self._table = str.maketrans({",": symbols["group"], ".": symbols["decimal"]})
        self._pct_sep = convention.pct_space
        self._eur_sep = convention.eur_space

    def num(self, value: float, decimals: int = 2, *, fixed: bool = False) -> str:
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

    def between(self, value: float, least: int, most: int) -> str:
        """At least `least` decimals, more (up to `most`) only where the value needs them."""
        approx = float(value)  # a Decimal too large for its context cannot be rounded; the float decides
        for decimals in range(least, most + 1):
            if round(approx, decimals) == round(approx, most):
                break
        return self.num(value, decimals, fixed=True)

    def pct(self, value: float, least: int = 1, most: int = 2) -> str:
        return f"{self.between(value, least, most)}{self._pct_sep}%"

    def eur(self, value: float, least: int = 2, most: int = 4) -> str:
        return f"€{self._eur_sep}{self.between(value, least, most)}"

    def tonnes(self, value: float) -> str:
        """Mass in tonnes, rounded up to 0.1 t so that a gap is never understated."""
        return f"{self.num(math.ceil(value * 10 - 1e-9) / 10, 1)}\u00a0t"

    def date(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)


@cache
def notation(lang: str) -> Notation:
    return Notation(lang)
