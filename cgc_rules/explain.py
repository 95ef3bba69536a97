"""Explanation and gap texts for outcomes, written on demand in the report's language from the catalogues."""

from __future__ import annotations

from typing import Any

from . import kinds
from .evaluator import FAIL, MISSING_DATA, NOT_APPLICABLE, PASS, REPORTED, Outcome, Reason
from .i18n import has, render, show, text
from .operators import SYMBOL
from .ruleset import ByProjectType, Comparator, ParameterRef, Rule


def project_type_name(ptype: str, lang: str) -> str:
    key = f"common.project_type.{ptype}"
    return text(lang, key) if has(lang, key) else ptype


def status_word(status: str, lang: str) -> str:
    return text(lang, f"common.status.{status}")


def theme_name(theme: str, lang: str) -> str:
    """A rule's theme as a heading: its catalogue name, else the key written as words."""
    key = f"explain.theme.{theme}"
    if has(lang, key):
        return text(lang, key)
    words = theme.replace("-", " ")
    return words[:1].upper() + words[1:]


def threshold_words(rule: Rule, value: Any, lang: str) -> str:
    """A rule's threshold `value` in words: `≥ 62,0 %`; per project type joined with `; ` for a
    threshold by project type; `≥ parameter NAME` for an open parameter; `—` when nothing is compared.

    The one wording of a threshold: reports, `cgc rulesets show`, the rulesets pages and the diff use it.
    """
    if isinstance(value, ByProjectType):
        return "; ".join(
            f"{project_type_name(k.value, lang)} {threshold_words(rule, v, lang)}"
            for k, v in value.by_project_type.items()
        )
    if rule.comparator is None or value is None:
        return "—"
    symbol = SYMBOL[rule.comparator]
    if isinstance(value, ParameterRef):
        return text(lang, "diff.threshold_parameter", symbol=symbol, name=value.parameter)
    return f"{symbol} {show(value, rule.unit, lang)}"


def threshold_text(o: Outcome, lang: str) -> str | None:
    """`≥ 62,0 %` for a compared rule; None when nothing was compared."""
    if o.rule.comparator is None or o.threshold is None:
        return None
    return threshold_words(o.rule, o.threshold, lang)


def value_text(o: Outcome, lang: str) -> str:
    return show(o.value, o.rule.unit or o.compiled.indicator.unit, lang)


def _reason_fields(o: Outcome, reason: Reason, lang: str) -> dict[str, Any]:
    """The named fields of a reason's sentence, written in `lang`."""
    args = reason.args
    indicators = kinds.of(o.compiled.ruleset).indicators
    if reason.key == "project_type":
        types = ", ".join(project_type_name(t, lang) for t in sorted(o.compiled.project_types or ()))
        return {"types": types, "type": project_type_name(args[0], lang)}
    if reason.key == "no_threshold_for_type":
        return {"type": project_type_name(args[0], lang)}
    if reason.key == "condition_false":
        ind = indicators[args[0]]
        return {"indicator": render(lang, ind.label), "value": show(args[1], ind.unit, lang)}
    if reason.key in ("condition_missing", "whatever"):
        return {"name": ", ".join(render(lang, indicators[k].label) if k in indicators else k for k in args)}
    return {"name": args[0]}


def _reason(o: Outcome, lang: str) -> str:
    assert o.reason is not None
    return text(lang, f"explain.reason.{o.reason.key}", **_reason_fields(o, o.reason, lang))


def explanation(o: Outcome, lang: str = "nl") -> str:
    """One sentence (or two) that names value, threshold and derivation."""
    ind = o.compiled.indicator
    label = render(lang, ind.label)
    if o.status in (NOT_APPLICABLE,) or (o.status == MISSING_DATA and o.reason is not None):
        head = text(lang, f"explain.head.{o.status}")
        reason = _reason(o, lang)
        return f"{head}: {reason[:1].lower()}{reason[1:]}"
    if o.status == MISSING_DATA:
        return text(lang, "explain.missing", indicator=label, what=o.fact.missing if o.fact else ind.key)
    value = value_text(o, lang)
    described = ind.describe(o.fact) if o.fact is not None else None
    derivation = render(lang, described) if described else ""
    tail = f"; {derivation}" if derivation else ""
    if o.status == REPORTED:
        return text(lang, "explain.reported", indicator=label, value=value, derivation=tail)
    basis = f" ({project_type_name(o.basis, lang)})" if o.basis else ""
    compared = text(
        lang,
        "explain.compared",
        indicator=label[0].upper() + label[1:],
        value=value,
        derivation=tail,
        threshold=threshold_text(o, lang),
        basis=basis,
        verdict=text(lang, "explain.verdict.pass" if o.status == PASS else "explain.verdict.fail"),
    )
    if o.reason is not None and o.reason.key == "whatever":
        return f"{compared} {_reason(o, lang)}"
    return compared


def gap(o: Outcome, lang: str = "nl") -> str | None:
    """What would make a failing outcome pass, in the indicator's own terms."""
    if o.status != FAIL:
        return None
    ind = o.compiled.indicator
    comparator, fact = o.rule.comparator, o.fact
    if comparator is None or fact is None:  # a judged fail always has both
        return None
    if isinstance(o.threshold, (int, float)) and not isinstance(o.threshold, bool):
        own = ind.gap(fact, float(o.threshold), comparator.value)
        if own:
            return render(lang, own)
    return _plain_gap(o, comparator, lang)


def _plain_gap(o: Outcome, comparator: Comparator, lang: str) -> str:
    """The gap of an indicator without its own gap text: what is wanted against what was given."""
    ind = o.compiled.indicator
    unit = o.rule.unit or ind.unit
    want, got = show(o.threshold, unit, lang), show(o.value, unit, lang)
    if comparator in (Comparator.in_, Comparator.not_in):
        key = "explain.gap.allowed_not" if comparator is Comparator.not_in else "explain.gap.allowed"
        return text(lang, key, want=want, got=got)
    if ind.kind == "ordinal":
        return text(lang, "explain.gap.at_least", want=want, got=got)
    if isinstance(o.value, bool) or ind.kind != "number":
        return text(lang, "explain.gap.needed", want=want, got=got)
    amount = show(abs(float(o.threshold) - float(o.value)), unit, lang)
    key = "explain.gap.more" if comparator in (Comparator.ge, Comparator.gt) else "explain.gap.less"
    return text(lang, key, symbol=SYMBOL[comparator], want=want, got=got, amount=amount)


def warning(o: Outcome, lang: str = "nl") -> str | None:
    """A plausibility note on the input (never a fail), e.g. a stage V engine older than stage V."""
    if o.warning is None:
        return None
    key, args = o.warning.key, o.warning.args
    if key == "implausible_stage":
        return text(lang, "explain.warning.implausible_stage", year=args[0], since=args[1])
    if key == "step_above_gap":
        return text(lang, "explain.warning.step_above_gap", lower=", ".join(args))
    raise KeyError(key)
