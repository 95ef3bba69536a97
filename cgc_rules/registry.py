"""Finding rulesets on disk and choosing the version that applies.

A version is chosen explicitly (`hnn-gww@2026.1`), or as the one in force on a date
(`--as-of`), or else as the one in force on the project's tender date. The choice is
recorded with its reason, like an audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from .errors import CgcError
from .i18n import Msg, render
from .lint import load_checked
from .resources import CASES_SUFFIX, default_root
from .ruleset import LoadedRuleset, load_ruleset, version_key
from .today import today_nl


@dataclass(frozen=True)
class Selection:
    """A chosen ruleset version and why it was chosen."""

    loaded: LoadedRuleset
    how: str  # explicit | as_of | tender_date | assessed_on | today | newest
    day: date | None = None

    def reason(self) -> Msg:
        """Why this version was chosen, as a catalogue message (`registry.selected.<how>`)."""
        fields: dict[str, str] = {"version": self.loaded.ruleset.version}
        if self.how not in ("explicit", "today", "newest"):
            fields["day"] = str(self.day)
        return Msg(f"registry.selected.{self.how}", fields)


class NotInForce(CgcError):
    """No version of a ruleset is in force on the day asked for: the day (a date field) is the cause."""

    def __init__(self, message: str, rid: str, day: date):
        super().__init__(message)
        self.rid, self.day = rid, day


class NoDate(CgcError):
    """No version named and no day to choose one by: the submission's tender date or a reference date is missing."""


def _refused(lang: str, key: str, **fields: object) -> str:
    return render(lang, Msg(f"registry.error.{key}", fields))


def each_once(selections: list[Selection], lang: str = "en") -> list[Selection]:
    """The selections; a ruleset version chosen twice (`-r x -r x`, or `x` and `x@1.0`) is refused: it would be
    evaluated, and cost, as often as it is named."""
    first: dict[str, int] = {}
    for n, selection in enumerate(selections, start=1):
        ref = selection.loaded.ruleset.ref
        if ref in first:
            raise CgcError(_refused(lang, "twice", ref=ref, first=first[ref], second=n))
        first[ref] = n
    return selections


def parse_ref(ref: str, lang: str = "en") -> tuple[str, str | None]:
    """`id` or `id@version`."""
    rid, _, version = ref.partition("@")
    if not rid or (_ and not version):
        raise CgcError(_refused(lang, "reference", ref=ref))
    return rid, version or None


class Registry:
    """All ruleset files under one directory, loaded on first use; its errors in `lang`."""

    def __init__(self, root: Path | None = None, checked: bool = True, lang: str = "en"):
        self.root = Path(root) if root else default_root()
        self.checked = checked  # rules checked as evaluation needs (lint.load_checked); off only to compare files
        self.lang = lang

    def files(self) -> list[Path]:
        if not self.root.is_dir():
            raise CgcError(_refused(self.lang, "directory", root=str(self.root)))
        return sorted(p for p in self.root.glob("*/*.yaml") if not p.name.endswith(CASES_SUFFIX))

    @cached_property
    def by_id(self) -> dict[str, list[LoadedRuleset]]:
        load = load_checked if self.checked else load_ruleset
        out: dict[str, list[LoadedRuleset]] = {}
        for path in self.files():
            loaded = load(path)
            out.setdefault(loaded.ruleset.id, []).append(loaded)
        for versions in out.values():
            versions.sort(key=lambda lr: version_key(lr.ruleset.version))
        return dict(sorted(out.items()))

    def versions(self, rid: str) -> list[LoadedRuleset]:
        if rid not in self.by_id:
            known = ", ".join(self.by_id) or "—"
            raise CgcError(_refused(self.lang, "unknown", rid=rid, known=known))
        return self.by_id[rid]

    def get(self, rid: str, version: str) -> LoadedRuleset:
        for lr in self.versions(rid):
            if lr.ruleset.version == version:
                return lr
        known = ", ".join(lr.ruleset.version for lr in self.versions(rid))
        raise CgcError(_refused(self.lang, "unknown_version", rid=rid, version=version, known=known))

    def in_force(self, rid: str, day: date) -> LoadedRuleset:
        matches = [lr for lr in self.versions(rid) if lr.ruleset.in_force(day)]
        if not matches:
            periods = "; ".join(f"{lr.ruleset.version}: {lr.ruleset.period()}" for lr in self.versions(rid))
            raise NotInForce(
                _refused(self.lang, "not_in_force", rid=rid, day=day.isoformat(), periods=periods), rid, day
            )
        return matches[-1]

    def current(self, rid: str) -> Selection:
        """The version in force today, else the newest one."""
        today = today_nl()
        versions = self.versions(rid)
        in_force = [lr for lr in versions if lr.ruleset.in_force(today)]
        return Selection((in_force or versions)[-1], "today" if in_force else "newest", today)

    def select(self, ref: str, as_of: date | None = None, tender_date: date | None = None) -> Selection:
        """The version named in `ref`, else the one in force on `as_of`, else on `tender_date`."""
        rid, version = parse_ref(ref, self.lang)
        if version:
            return Selection(self.get(rid, version), "explicit")
        if as_of:
            return Selection(self.in_force(rid, as_of), "as_of", as_of)
        if tender_date:
            return Selection(self.in_force(rid, tender_date), "tender_date", tender_date)
        raise NoDate(_refused(self.lang, "no_choice", rid=rid))
