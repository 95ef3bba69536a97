"""What changed between two ruleset versions: rules added, removed and changed, field by field.

A diff is plain data (JSON-ready) plus readable texts in Dutch or English, so the same diff
serves `cgc rulesets diff` and the changelog of a template pack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText

from .explain import project_type_name
from .indicators import show as show_value
from .numbers import notation
from .operators import SYMBOL
from .ruleset import ByProjectType, ParameterRef, Rule, Ruleset

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "title": ("titel", "title"),
    "indicator": ("indicator", "indicator"),
    "level": ("niveau", "level"),
    "applies_when": ("van toepassing op", "applies to"),
    "threshold": ("grenswaarde", "threshold"),
    "unit": ("eenheid", "unit"),
    "source": ("bron", "source"),
    "explanation": ("toelichting", "explanation"),
    "effective_period": ("geldigheidsperiode", "effective period"),
    "parameter": ("parameter", "parameter"),
}
LEVEL_NAMES = {"requirement": ("eis", "requirement"), "ambition": ("ambitie", "ambition"),
               "measure": ("meten", "measure only")}
STATUS_NAMES = {ADDED: ("toegevoegd", "added"), REMOVED: ("vervallen", "removed"), CHANGED: ("gewijzigd", "changed")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "nl" else pair[1]


@dataclass(frozen=True)
class FieldChange:
    """One field of a rule (or of the ruleset) with its old and new value and their texts."""

    field: str
    old: Any
    new: Any
    old_text: str
    new_text: str
    scope: str | None = None  # the project type, for thresholds that differ per type

    def label(self, lang: str) -> str:
        name = _pick(FIELD_NAMES[self.field], lang)
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

    def to_dict(self) -> dict:
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
            return "- " + ("geen inhoudelijke wijzigingen" if lang == "nl" else "no changes in content") + "\n"
        lines = [f"- {c.label(lang)}: {c.old_text} → {c.new_text}" for c in self.ruleset_changes]
        for r in self.rules:
            head = f"- {_pick(STATUS_NAMES[r.status], lang)}: regel `{r.rule_id}` — {r.title}" if lang == "nl" else \
                f"- {_pick(STATUS_NAMES[r.status], lang)}: rule `{r.rule_id}` — {r.title}"
            lines.append(head)
            lines += [f"  - {c.label(lang)}: {c.old_text} → {c.new_text}" for c in r.changes]
        return "\n".join(lines) + "\n"


def threshold_text(rule: Rule, value: Any, lang: str) -> str:
    """`≥ 62,0 %` for one threshold value of a rule; `—` when the rule compares nothing."""
    if rule.comparator is None or value is None:
        return "—"
    sym = SYMBOL[rule.comparator]
    if isinstance(value, ParameterRef):
        return f"{sym} parameter {value.parameter}"
    return f"{sym} {show_value(value, rule.unit, notation(lang))}"


def _applies_text(rule: Rule, lang: str) -> str:
    types = rule.applies_when.project_type
    text = ", ".join(project_type_name(t.value, lang) for t in types) if types else ("alle" if lang == "nl" else "all")
    if rule.applies_when.conditions:
        word = " als " if lang == "nl" else " when "
        joiner = " en " if lang == "nl" else " and "
        conditions = rule.applies_when.conditions
        text += word + joiner.join(f"{c.indicator} {SYMBOL[c.comparator]} {c.value}" for c in conditions)
    return text


def _threshold_changes(old: Rule, new: Rule, lang: str) -> list[FieldChange]:
    """Per project type when both versions set thresholds per type, else one change."""
    to, tn = old.threshold, new.threshold
    if old.comparator == new.comparator and old.unit == new.unit and to == tn:
        return []
    if isinstance(to, ByProjectType) and isinstance(tn, ByProjectType) and old.comparator == new.comparator:
        out = []
        for ptype in sorted({*to.by_project_type, *tn.by_project_type}, key=lambda p: p.value):
            vo, vn = to.by_project_type.get(ptype), tn.by_project_type.get(ptype)
            if vo != vn:
                out.append(FieldChange("threshold", vo, vn, threshold_text(old, vo, lang),
                                       threshold_text(new, vn, lang), scope=ptype.value))
        return out
    return [FieldChange("threshold", _plain(old.comparator, to), _plain(new.comparator, tn),
                        _whole_threshold(old, lang), _whole_threshold(new, lang))]


def _whole_threshold(rule: Rule, lang: str) -> str:
    t = rule.threshold
    if isinstance(t, ByProjectType):
        return "; ".join(f"{project_type_name(k.value, lang)} {threshold_text(rule, v, lang)}"
                         for k, v in t.by_project_type.items())
    return threshold_text(rule, t, lang)


def _plain(comparator: Any, threshold: Any) -> Any:
    """A JSON-ready form of comparator and threshold."""
    value = threshold.model_dump(mode="json") if hasattr(threshold, "model_dump") else threshold
    return {"comparator": comparator.value if comparator is not None else None, "value": value}


def _rule_changes(old: Rule, new: Rule, old_rs: Ruleset, new_rs: Ruleset, lang: str) -> list[FieldChange]:
    out: list[FieldChange] = []

    def simple(name: str, vo: Any, vn: Any, to: str | None = None, tn: str | None = None) -> None:
        if vo != vn:
            out.append(FieldChange(name, vo, vn, to if to is not None else str(vo), tn if tn is not None else str(vn)))

    simple("title", old.title.get(lang), new.title.get(lang))
    simple("indicator", old.indicator, new.indicator)
    simple("level", old.level.value, new.level.value,
           _pick(LEVEL_NAMES[old.level.value], lang), _pick(LEVEL_NAMES[new.level.value], lang))
    aw_old, aw_new = old.applies_when.model_dump(mode="json"), new.applies_when.model_dump(mode="json")
    simple("applies_when", aw_old, aw_new, _applies_text(old, lang), _applies_text(new, lang))
    out += _threshold_changes(old, new, lang)
    simple("unit", old.unit, new.unit, old.unit or "—", new.unit or "—")
    cite_old, cite_new = old_rs.sources[old.source].citation(), new_rs.sources[new.source].citation()
    simple("source", cite_old, cite_new)
    simple("explanation", old.explanation.get(lang), new.explanation.get(lang))
    return out


def _ruleset_changes(old: Ruleset, new: Ruleset, lang: str) -> list[FieldChange]:
    out: list[FieldChange] = []
    if (old.effective_from, old.effective_until) != (new.effective_from, new.effective_until):
        out.append(FieldChange("effective_period", _period(old), _period(new), old.period(), new.period()))
    for name in sorted({*old.parameters, *new.parameters}):
        po, pn = old.parameters.get(name), new.parameters.get(name)
        vo = po.value if po else None
        vn = pn.value if pn else None
        if vo != vn:
            unit = (pn or po).unit if (pn or po) else None
            out.append(FieldChange("parameter", vo, vn, _param_text(vo, unit, lang), _param_text(vn, unit, lang),
                                   scope=name))
    return out


def _period(r: Ruleset) -> dict:
    return {"from": r.effective_from.isoformat(), "until": r.effective_until.isoformat() if r.effective_until else None}


def _param_text(value: Any, unit: str | None, lang: str) -> str:
    if value is None:
        return "niet ingesteld" if lang == "nl" else "not set"
    return show_value(value, unit, notation(lang))


def diff_rulesets(old: Ruleset, new: Ruleset, lang: str = "nl") -> RulesetDiff:
    """Rules added, removed and changed from `old` to `new`, in rule order of the new version."""
    old_rules = {r.id: r for r in old.rules}
    new_rules = {r.id: r for r in new.rules}
    rules: list[RuleChange] = []
    for rule in new.rules:
        if rule.id not in old_rules:
            rules.append(RuleChange(rule.id, ADDED, rule.title.get(lang)))
            continue
        changes = _rule_changes(old_rules[rule.id], rule, old, new, lang)
        if changes:
            rules.append(RuleChange(rule.id, CHANGED, rule.title.get(lang), changes))
    rules += [RuleChange(r.id, REMOVED, r.title.get(lang)) for r in old.rules if r.id not in new_rules]
    return RulesetDiff(old.ref, new.ref, lang, _ruleset_changes(old, new, lang), rules)


def render_table(d: RulesetDiff) -> Group:
    """A rich renderable: a heading with counts and one row per changed field."""
    lang = d.lang
    nl = lang == "nl"
    counts = ", ".join(f"{d.count(s)} {_pick(STATUS_NAMES[s], lang)}" for s in (ADDED, REMOVED, CHANGED))
    head = RichText.assemble((f"{d.old_ref} → {d.new_ref}", "bold"), f"   {'regels' if nl else 'rules'}: {counts}")
    if d.empty:
        return Group(head, RichText("geen inhoudelijke wijzigingen" if nl else "no changes in content"))
    table = Table("regel" if nl else "rule", "wijziging" if nl else "change", "veld" if nl else "field",
                  "oud" if nl else "old", "nieuw" if nl else "new")
    for c in d.ruleset_changes:
        table.add_row("(ruleset)", _pick(STATUS_NAMES[CHANGED], lang), c.label(lang), c.old_text, c.new_text)
    style = {ADDED: "green", REMOVED: "red", CHANGED: "yellow"}
    for r in d.rules:
        status = RichText(_pick(STATUS_NAMES[r.status], lang), style=style[r.status])
        if not r.changes:
            table.add_row(f"{r.rule_id}\n{r.title}", status, "", "", "")
        for i, c in enumerate(r.changes):
            first = i == 0
            table.add_row(f"{r.rule_id}\n{r.title}" if first else "", status if first else "", c.label(lang),
                          c.old_text, c.new_text)
    return Group(head, table)
