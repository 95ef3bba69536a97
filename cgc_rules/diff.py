"""What changed between two ruleset versions: every field of the ruleset model, rule by rule and field by field.

The diff walks the fields of the model itself (`Ruleset`, `Rule`, `Parameter`), so a field added to the model
is compared without anyone listing it; a field left out is named in `IGNORED` with the reason. A diff is plain
data (JSON-ready) plus readable texts in Dutch or English from the catalogue, so the same diff serves
`cgc rulesets diff` and the changelog of a template pack.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText

from .explain import project_type_name, theme_name, threshold_words
from .i18n import has, show, text
from .languages import LANGUAGES
from .operators import SYMBOL
from .ruleset import ByProjectType, Parameter, Rule, Ruleset, Source, Text

if TYPE_CHECKING:
    from rich.console import Console

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

IGNORED: dict[str, str] = {  # model field (dotted path from Ruleset) → why the diff leaves it out
    "id": "the diff's heading names both rulesets (from → to)",
    "version": "the diff's heading names both versions (from → to)",
    "rules.id": "rules are matched by id: a changed id is one rule removed and one added",
}
MEMBERS: dict[str, type[BaseModel]] = {  # collections compared member by member, field by field
    "rules": Rule,
    "parameters": Parameter,
}
CHANGE_NAMES: dict[str, str] = {  # the change a field shows up as, where it is not the field's own name
    "effective_from": "effective_period",
    "effective_until": "effective_period",
    "sources": "source",
    "parameters.value": "parameter",
    "parameters.description": "parameter_description",
    "parameters.unit": "parameter_unit",
    "parameters.source": "parameter_source",
    "rules.comparator": "threshold",
}
TOGETHER = {"effective_until", "rules.comparator"}  # compared with the field of the same change name before them


def change_name(path: str) -> str:
    return CHANGE_NAMES.get(path, path.rpartition(".")[2])


def compared_fields() -> dict[str, str]:
    """Every field of the ruleset model the diff compares (dotted path → change name); the rest is `IGNORED`."""
    out: dict[str, str] = {}

    def visit(model: type[BaseModel], prefix: str) -> None:
        for name in model.model_fields:
            path = prefix + name
            if path in MEMBERS:
                visit(MEMBERS[path], path + ".")
            elif path not in IGNORED:
                out[path] = change_name(path)

    visit(Ruleset, "")
    return out


@dataclass(frozen=True)
class FieldChange:
    """One field of a rule (or of the ruleset) with its old and new value and their texts."""

    field: str
    old: Any
    new: Any
    old_text: str
    new_text: str
    scope: str | None = None  # the project type of a threshold per type; the name of a parameter or source

    def label(self, lang: str) -> str:
        key = f"diff.field.{self.field}"
        name = text(lang, key) if has(lang, key) else self.field
        if self.scope:
            name += f" ({project_type_name(self.scope, lang) if self.field == 'threshold' else self.scope})"
        return name


@dataclass(frozen=True)
class RuleChange:
    """A rule that was added, removed or changed."""

    rule_id: str
    status: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class RulesetDiff:
    """The difference between two ruleset versions, in the language its texts were written in."""

    old_ref: str
    new_ref: str
    lang: str
    ruleset_changes: list[FieldChange]
    rules: list[RuleChange]

    @property
    def empty(self) -> bool:
        return not self.ruleset_changes and not self.rules

    def count(self, status: str) -> int:
        return sum(1 for r in self.rules if r.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.old_ref,
            "to": self.new_ref,
            "lang": self.lang,
            "summary": {s: self.count(s) for s in (ADDED, REMOVED, CHANGED)},
            "ruleset_changes": [asdict(c) for c in self.ruleset_changes],
            "rules": [asdict(r) for r in self.rules],
        }

    def markdown(self) -> str:
        """Changelog lines for this diff (Markdown list), in the diff's language."""
        lang = self.lang
        if self.empty:
            return f"- {text(lang, 'diff.no_changes')}\n"
        lines = [f"- {c.label(lang)}: {c.old_text} → {c.new_text}" for c in self.ruleset_changes]
        for r in self.rules:
            lines.append(
                "- "
                + text(lang, "diff.rule", status=text(lang, f"diff.status.{r.status}"), rule=r.rule_id, title=r.title)
            )
            lines += [f"  - {c.label(lang)}: {c.old_text} → {c.new_text}" for c in r.changes]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Pair:
    """The two ruleset versions being compared and the language of the texts."""

    old: Ruleset
    new: Ruleset
    lang: str


Compare = Callable[[Any, Any, _Pair, str | None], list[FieldChange]]


def _value_text(value: Any, lang: str) -> str:
    """A field's value as written in a diff line (`—` for nothing)."""
    if value is None or value == []:
        return "—"
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, BaseModel):
        return str(value.model_dump(mode="json", exclude_defaults=True))
    return show(value, None, lang)


def _change(name: str, vo: Any, vn: Any, lang: str, scope: str | None = None) -> FieldChange:
    """A change of a plain field; a text changed only in another language shows every language."""
    if isinstance(vo, Text) and isinstance(vn, Text):
        if vo.get(lang) != vn.get(lang):
            return FieldChange(name, vo.get(lang), vn.get(lang), vo.get(lang), vn.get(lang), scope)
        both = [" / ".join(f"{code}: {t.get(code)}" for code in LANGUAGES) for t in (vo, vn)]
        return FieldChange(name, vo.model_dump(), vn.model_dump(), both[0], both[1], scope)
    return FieldChange(
        name, to_jsonable_python(vo), to_jsonable_python(vn), _value_text(vo, lang), _value_text(vn, lang), scope
    )


def _changes(
    model: type[BaseModel], old: Any, new: Any, prefix: str, pair: _Pair, scope: str | None = None
) -> list[FieldChange]:
    """Every field of `model` that differs between `old` and `new`, in the model's field order."""
    out: list[FieldChange] = []
    for name in model.model_fields:
        path = prefix + name
        if path in IGNORED or path in TOGETHER or path == "rules":
            continue
        compare = SPECIAL.get(path)
        if compare is not None:
            out += compare(old, new, pair, scope)
        elif getattr(old, name) != getattr(new, name):
            out.append(_change(change_name(path), getattr(old, name), getattr(new, name), pair.lang, scope))
    return out


# ---------------------------------------------------------------- ruleset fields


def _period(r: Ruleset) -> dict[str, str | None]:
    return {"from": r.effective_from.isoformat(), "until": r.effective_until.isoformat() if r.effective_until else None}


def _effective_period(old: Ruleset, new: Ruleset, pair: _Pair, scope: str | None) -> list[FieldChange]:
    if (old.effective_from, old.effective_until) == (new.effective_from, new.effective_until):
        return []
    return [FieldChange("effective_period", _period(old), _period(new), old.period(), new.period())]


def _source_text(source: Source | None, lang: str) -> str:
    if source is None:
        return text(lang, "diff.absent")
    citation = source.citation() + (f" — {source.note}" if source.note else "")
    return text(lang, "diff.secondary", citation=citation) if source.secondary else citation


def _sources(old: Ruleset, new: Ruleset, pair: _Pair, scope: str | None) -> list[FieldChange]:
    out = []
    for key in sorted({*old.sources, *new.sources}):
        so, sn = old.sources.get(key), new.sources.get(key)
        if so != sn:
            out.append(
                FieldChange(
                    "source",
                    to_jsonable_python(so),
                    to_jsonable_python(sn),
                    _source_text(so, pair.lang),
                    _source_text(sn, pair.lang),
                    scope=key,
                )
            )
    return out


def _parameters(old: Ruleset, new: Ruleset, pair: _Pair, scope: str | None) -> list[FieldChange]:
    """Per parameter: its value and definition; one that is added or removed shows as its value."""
    out: list[FieldChange] = []
    for name in sorted({*old.parameters, *new.parameters}):
        po, pn = old.parameters.get(name), new.parameters.get(name)
        if po is not None and pn is not None:
            out += _changes(Parameter, po, pn, "parameters.", pair, scope=name)
        else:
            texts = [_param_text(p.value, p.unit, pair.lang) if p else text(pair.lang, "diff.absent") for p in (po, pn)]
            out.append(FieldChange("parameter", po and po.value, pn and pn.value, texts[0], texts[1], scope=name))
    return out


def _param_text(value: Any, unit: str | None, lang: str) -> str:
    if value is None:
        return text(lang, "diff.not_set")
    return show(value, unit, lang)


def _parameter_value(old: Parameter, new: Parameter, pair: _Pair, scope: str | None) -> list[FieldChange]:
    if old.value == new.value:
        return []
    return [
        FieldChange(
            "parameter",
            old.value,
            new.value,
            _param_text(old.value, new.unit, pair.lang),
            _param_text(new.value, new.unit, pair.lang),
            scope=scope,
        )
    ]


# ---------------------------------------------------------------- rule fields


def _applies_text(rule: Rule, lang: str) -> str:
    aw = rule.applies_when
    types = aw.project_type
    out = ", ".join(project_type_name(t.value, lang) for t in types) if types else text(lang, "diff.applies.all")
    if aw.conditions:
        conditions = text(lang, "diff.applies.and").join(
            f"{c.indicator} {SYMBOL[c.comparator]} {c.value}" for c in aw.conditions
        )
        out = text(lang, "diff.applies.conditions", types=out, conditions=conditions)
    if aw.parameter:
        out = text(lang, "diff.applies.parameter", applies=out, name=aw.parameter)
    return out


def _applies_when(old: Rule, new: Rule, pair: _Pair, scope: str | None) -> list[FieldChange]:
    aw_old, aw_new = old.applies_when.model_dump(mode="json"), new.applies_when.model_dump(mode="json")
    if aw_old == aw_new:
        return []
    return [FieldChange("applies_when", aw_old, aw_new, _applies_text(old, pair.lang), _applies_text(new, pair.lang))]


def _threshold(old: Rule, new: Rule, pair: _Pair, scope: str | None) -> list[FieldChange]:
    """Comparator and threshold: per project type when both versions set thresholds per type, else one change."""
    lang = pair.lang
    to, tn = old.threshold, new.threshold
    if old.comparator == new.comparator and old.unit == new.unit and to == tn:
        return []
    if isinstance(to, ByProjectType) and isinstance(tn, ByProjectType) and old.comparator == new.comparator:
        out = []
        for ptype in sorted({*to.by_project_type, *tn.by_project_type}, key=lambda p: p.value):
            vo, vn = to.by_project_type.get(ptype), tn.by_project_type.get(ptype)
            if vo != vn:
                out.append(
                    FieldChange(
                        "threshold",
                        vo,
                        vn,
                        threshold_words(old, vo, lang),
                        threshold_words(new, vn, lang),
                        scope=ptype.value,
                    )
                )
        return out
    return [
        FieldChange(
            "threshold",
            _plain(old.comparator, to),
            _plain(new.comparator, tn),
            threshold_words(old, to, lang),
            threshold_words(new, tn, lang),
        )
    ]


def _plain(comparator: Any, threshold: Any) -> Any:
    """A JSON-ready form of comparator and threshold."""
    value = threshold.model_dump(mode="json") if hasattr(threshold, "model_dump") else threshold
    return {"comparator": comparator.value if comparator is not None else None, "value": value}


def _level(old: Rule, new: Rule, pair: _Pair, scope: str | None) -> list[FieldChange]:
    if old.level == new.level:
        return []
    return [
        FieldChange(
            "level",
            old.level.value,
            new.level.value,
            text(pair.lang, f"diff.level.{old.level.value}"),
            text(pair.lang, f"diff.level.{new.level.value}"),
        )
    ]


def _theme(old: Rule, new: Rule, pair: _Pair, scope: str | None) -> list[FieldChange]:
    if old.theme == new.theme:
        return []
    return [
        FieldChange("theme", old.theme, new.theme, theme_name(old.theme, pair.lang), theme_name(new.theme, pair.lang))
    ]


def _rule_source(old: Rule, new: Rule, pair: _Pair, scope: str | None) -> list[FieldChange]:
    cite_old, cite_new = pair.old.sources[old.source].citation(), pair.new.sources[new.source].citation()
    return [] if cite_old == cite_new else [FieldChange("source", cite_old, cite_new, cite_old, cite_new)]


SPECIAL: dict[str, Compare] = {  # fields whose change needs more than its value written plainly
    "effective_from": _effective_period,
    "sources": _sources,
    "parameters": _parameters,
    "parameters.value": _parameter_value,
    "rules.level": _level,
    "rules.theme": _theme,
    "rules.applies_when": _applies_when,
    "rules.threshold": _threshold,
    "rules.source": _rule_source,
}


def diff_rulesets(old: Ruleset, new: Ruleset, lang: str = "nl") -> RulesetDiff:
    """Rules added, removed and changed from `old` to `new`, in rule order of the new version."""
    pair = _Pair(old, new, lang)
    old_rules = {r.id: r for r in old.rules}
    new_rules = {r.id: r for r in new.rules}
    rules: list[RuleChange] = []
    for rule in new.rules:
        if rule.id not in old_rules:
            rules.append(RuleChange(rule.id, ADDED, rule.title.get(lang)))
            continue
        changes = _changes(Rule, old_rules[rule.id], rule, "rules.", pair)
        if changes:
            rules.append(RuleChange(rule.id, CHANGED, rule.title.get(lang), changes))
    rules += [RuleChange(r.id, REMOVED, r.title.get(lang)) for r in old.rules if r.id not in new_rules]
    return RulesetDiff(old.ref, new.ref, lang, _changes(Ruleset, old, new, "", pair), rules)


def render_table(d: RulesetDiff) -> Group:
    """A rich renderable: a heading with counts and one row per changed field."""
    lang = d.lang

    def status(s: str) -> str:
        return text(lang, f"diff.status.{s}")

    counts = ", ".join(f"{d.count(s)} {status(s)}" for s in (ADDED, REMOVED, CHANGED))
    head = RichText.assemble((f"{d.old_ref} → {d.new_ref}", "bold"), f"   {text(lang, 'diff.table.rules')}: {counts}")
    if d.empty:
        return Group(head, RichText(text(lang, "diff.no_changes")))
    table = Table(*(text(lang, f"diff.table.{c}") for c in ("rule", "change", "field", "old", "new")))
    for c in d.ruleset_changes:
        table.add_row("(ruleset)", status(CHANGED), c.label(lang), c.old_text, c.new_text)
    style = {ADDED: "green", REMOVED: "red", CHANGED: "yellow"}
    for r in d.rules:
        word = RichText(status(r.status), style=style[r.status])
        if not r.changes:
            table.add_row(f"{r.rule_id}\n{r.title}", word, "", "", "")
        for i, c in enumerate(r.changes):
            first = i == 0
            table.add_row(
                f"{r.rule_id}\n{r.title}" if first else "", word if first else "", c.label(lang), c.old_text, c.new_text
            )
    return Group(head, table)


def print_table(d: RulesetDiff, console: Console) -> None:
    console.print(render_table(d))


def to_json(d: RulesetDiff) -> str:
    return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
