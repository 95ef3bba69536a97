"""Municipalities by canonical id: `Arnhem`, `arnhem`, `ARNHEM` and `Gemeente Arnhem` are one municipality.

The registry holds the municipalities of the shipped real profiles (id = profile id) and those the domain
sources name (`data/municipalities.yaml`). Its ids are slugs, not CBS gemeentecodes: the sources give none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..errors import CgcError
from ..profile import all_profiles, load_profile

LISTED = Path(__file__).resolve().parent.parent / "data" / "municipalities.yaml"
_PREFIX = re.compile(r"^gemeente\s+", re.IGNORECASE)


def key(name: str) -> str:
    """The form two spellings of one municipality share: case, spaces and a leading `Gemeente` dropped."""
    return _PREFIX.sub("", " ".join(name.split())).casefold()


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str


class Municipalities:
    """Look-up by id or any spelling of the name."""

    def __init__(self, known: list[Municipality]):
        self.known = tuple(known)
        self._by_key = {key(k): m for m in known for k in (m.id, m.name)}

    def find(self, name: str | None) -> Municipality | None:
        return self._by_key.get(key(name)) if name else None

    def canonical(self, name: str) -> str:
        """The registry's name for a known municipality; an unknown name as typed, spaces tidied."""
        found = self.find(name)
        return found.name if found else " ".join(name.split())

    def require(self, name: str) -> Municipality:
        """The municipality `name` means; refuses a name the registry does not know."""
        found = self.find(name)
        if found is None:
            known = ", ".join(m.name for m in self.known)
            raise CgcError(f"unknown municipality {name!r} (known: {known})")
        return found

    def same(self, a: str | None, b: str | None) -> bool:
        """Whether two spellings name one municipality (both empty counts as the same)."""
        return self.identity(a) == self.identity(b)

    def identity(self, name: str | None) -> str:
        found = self.find(name)
        return found.id if found else key(name or "")


@cache
def registry(profiles_dir: Path | None = None) -> Municipalities:
    """The shipped registry: real profiles first, then the municipalities the sources name."""
    found: dict[str, Municipality] = {}
    for path in all_profiles(profiles_dir):
        profile = load_profile(path).profile
        if not profile.example:
            found[profile.id] = Municipality(profile.id, _PREFIX.sub("", profile.municipality))
    listed = yaml.safe_load(LISTED.read_text("utf-8"))
    for entry in listed:
        found.setdefault(entry["id"], Municipality(entry["id"], entry["name"]))
    return Municipalities(list(found.values()))
