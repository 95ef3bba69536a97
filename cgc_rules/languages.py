"""The languages of the product: one entry each, the first the source language every text is written in.

A language is its message catalogues (`data/locale/<code>/LC_MESSAGES/*.po`) plus one `Language`
entry here. Separators, month names and the place of `€` and `%` come from Babel's locale data;
an entry only overrides what the house style writes differently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language: its code (the catalogue folder), its Babel locale and any house-style overrides."""

    code: str
    locale: str
    percent: str | None = None  # a Babel number pattern for percentages, where the house style departs from CLDR


REGISTRY: tuple[Language, ...] = (
    Language("nl", "nl_NL", percent="#,##0\u00a0%"),  # Dutch house style: 62,0 % (CLDR writes 62,0%)
    Language("en", "en_GB"),
)

SOURCE = REGISTRY[0].code  # rulesets must give their texts in this language; the others fall back to it
LANGUAGES: tuple[str, ...] = tuple(lang.code for lang in REGISTRY)


def language(code: str) -> Language:
    """The registered language `code`; a ValueError naming the registered ones otherwise."""
    for lang in REGISTRY:
        if lang.code == code:
            return lang
    raise ValueError(f"unknown language {code!r}; use one of {', '.join(LANGUAGES)}")
