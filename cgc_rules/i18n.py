"""Message catalogues: every sentence a person reads, per language, under a stable key.

The catalogues are gettext `.po` files read through Babel, one per domain
(`data/locale/<lang>/LC_MESSAGES/<domain>.po`); a key's domain is the part before its first
dot (`common.status.pass` lives in `common.po`). Messages are Python format strings with named
fields (`{value}`), filled by the renderer with values already written in the language's
notation. Domain code returns keys and numbers, never prose; only renderers call `text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .resources import bundled

LANGUAGES = ("nl", "en")


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

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    path = catalogue_dir() / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        raise MessageMissing(f"no {lang} catalogue for domain {domain!r} ({path})")
    with path.open("rb") as fh:
        po = read_po(fh, locale=lang, domain=domain)
    return {str(m.id): str(m.string) for m in po if m.id and m.string}


def text(lang: str, key: str, /, **fields: object) -> str:
    """The message `key` in `lang`, its named fields filled in."""
    domain = key.partition(".")[0]
    try:
        template = catalogue(lang, domain)[key]
    except KeyError:
        raise MessageMissing(f"message {key!r} missing from the {lang} catalogue") from None
    return template.format(**fields) if fields else template


def has(lang: str, key: str) -> bool:
    """Whether `key` has a message in `lang` (for optional texts such as a level's note)."""
    try:
        return key in catalogue(lang, key.partition(".")[0])
    except MessageMissing:
        return False


class Messages:
    """`text` bound to one language, for renderers that write many sentences."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        self.lang = lang

    def __call__(self, key: str, /, **fields: object) -> str:
        return text(self.lang, key, **fields)


@dataclass(frozen=True)
class Qty:
    """A number with its unit key (`%`, `t`, `eur_per_m2_year`, …), written by the renderer."""

    value: Any
    unit: str | None = None


@dataclass(frozen=True)
class Msg:
    """A sentence as data: a catalogue key and its fields (numbers, `Qty`, nested `Msg`, lists)."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


def render(lang: str, msg: Msg) -> str:
    """`msg` in `lang`: each field written in the language's notation, then the message filled in."""
    return text(lang, msg.key, **{name: _field(lang, value) for name, value in msg.fields.items()})


def _field(lang: str, value: Any) -> str:
    from .units import show

    if isinstance(value, Msg):
        return render(lang, value)
    if isinstance(value, Qty):
        return show(value.value, value.unit, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_field(lang, v) for v in value)
    return show(value, None, lang)
