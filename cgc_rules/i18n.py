"""Messages: every sentence a person reads, per language, under a stable key, and the one renderer.

The catalogues are gettext `.po` files read through Babel, one per domain
(`data/locale/<lang>/LC_MESSAGES/<domain>.po`); a key's domain is the part before its first
dot (`common.status.pass` lives in `common.po`). Messages are Python format strings with named
fields (`{value}`). Domain code returns keys and numbers (`Msg`, `Qty`), never prose; `render`
and `show` write them in a registered language (`cgc_rules.languages`), numbers in its
notation (`cgc_rules.numbers`) and quantities in their unit (`cgc_rules.units`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .languages import language
from .numbers import notation
from .resources import bundled
from .units import WRITTEN


class MessageMissing(KeyError):
    """A key that a catalogue lacks: a defect in the code or the catalogue, not bad input."""


def catalogue_dir() -> Path:
    return bundled("locale")


def domains(lang: str) -> list[str]:
    """The catalogue domains shipped for `lang`."""
    return sorted(p.stem for p in (catalogue_dir() / lang / "LC_MESSAGES").glob("*.po"))


@cache
def catalogue(lang: str, domain: str) -> dict[str, str]:
    """All messages of one domain in one language, key → format string."""
    from babel.messages.pofile import read_po

    language(lang)  # a ValueError naming the registered languages for any other
    path = catalogue_dir() / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        raise MessageMissing(f"no {lang} catalogue for domain {domain!r} ({path})")
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang, domain=domain)
    return {str(m.id): str(m.string) for m in po if m.id and m.string}


def text(lang: str, key: str, /, **fields: object) -> str:
    """The message `key` in `lang`, its named fields filled in."""
    template = _template(lang, key)
    return template.format_map(fields) if fields else template


@cache
def _template(lang: str, key: str) -> str:
    try:
        return catalogue(lang, key.partition(".")[0])[key]
    except KeyError:
        raise MessageMissing(f"message {key!r} missing from the {lang} catalogue") from None


def has(lang: str, key: str) -> bool:
    """Whether `key` has a message in `lang` (for optional texts such as a level's note)."""
    try:
        return key in catalogue(lang, key.partition(".")[0])
    except MessageMissing:
        return False


class Messages:
    """`text` bound to one language, for renderers that write many sentences."""

    def __init__(self, lang: str):
        self.lang = language(lang).code

    def __call__(self, key: str, /, **fields: object) -> str:
        return text(self.lang, key, **fields)


@dataclass(frozen=True)
class Qty:
    """A number with its unit key (`%`, `t`, `km`, `pts`, … : `cgc_rules.units`), written by the renderer."""

    value: Any
    unit: str | None = None


@dataclass(frozen=True)
class Msg:
    """A sentence as data: a catalogue key and its fields (numbers, `Qty`, nested `Msg`, lists, `Parts`)."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


class Parts(tuple[Any, ...]):
    """Fields written one after another without a separator (each carries its own lead, e.g. `; `)."""


def render(lang: str, msg: Msg) -> str:
    """`msg` in `lang`: each field written in the language's notation, then the message filled in."""
    template = _template(lang, msg.key)
    if not msg.fields:
        return template
    return template.format_map({name: show(value, None, lang) for name, value in msg.fields.items()})


def show(value: Any, unit: str | None, lang: str) -> str:
    """A value as a reader sees it in `lang`: a quantity in its unit's notation, a message rendered.

    A number without a unit keeps up to two decimals (an exact `Decimal` of the award arithmetic
    up to four); `None` is `—`; a list is written comma-separated, `Parts` run together.
    """
    kind = type(value)  # the common exact types first: an explanation shows dozens of values
    if (kind is float or kind is int) and value:  # zero uncached: -0.0 equals 0.0 but may be written apart
        return _plain(lang, kind is float, value, unit if unit in WRITTEN else None)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is Qty:
        number, unit = value.value, value.unit
        kind = type(number)
        if (kind is float or kind is int) and number:
            return _plain(lang, kind is float, number, unit if unit in WRITTEN else None)
        return show(number, unit, lang)
    if isinstance(value, Msg):
        return render(lang, value)
    if isinstance(value, Parts):
        return "".join([show(v, None, lang) for v in value]) if value else ""
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v, None, lang) for v in value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return text(lang, "common.yes" if value else "common.no")
    if isinstance(value, (int, float, Decimal)):
        if unit in WRITTEN:
            return _quantity(lang, value, unit)
        return notation(lang).num(value, 4 if isinstance(value, Decimal) else 2)
    if isinstance(value, date):
        return notation(lang).date(value)
    return str(value)


@lru_cache(maxsize=1 << 16)
def _plain(lang: str, is_float: bool, value: float, unit: str | None) -> str:
    """A float or an int (`is_float` keeps 1 and 1.0 apart) in its unit, or with up to two decimals: kept, as
    long texts repeat their numbers."""
    return _quantity(lang, value, unit) if unit else notation(lang).num(value, 2)


def _quantity(lang: str, value: int | float | Decimal, unit: str) -> str:
    spec, n = WRITTEN[unit], notation(lang)
    if spec.digits == "pct":
        digits = n.pct(value, spec.least, spec.most)
    elif spec.digits == "eur":
        digits = n.eur(value, spec.least, spec.most)
    elif spec.digits == "tonnes":
        digits = n.tonnes(float(value))
    elif spec.digits == "year":
        digits = str(int(value))
    else:
        digits = n.num(value, spec.most)
    return text(lang, spec.message, value=digits) if spec.message else digits
