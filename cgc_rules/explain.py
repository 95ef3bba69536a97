"""Explanation and gap texts for outcomes, in Dutch or English, written on demand."""

from __future__ import annotations

from .evaluator import FAIL, MISSING_DATA, NOT_APPLICABLE, PASS, REPORTED, Outcome
from .i18n import render
from .indicators import INDICATORS, show
from .numbers import notation
from .operators import SYMBOL
from .ruleset import Comparator

PROJECT_TYPES = {
    "wegen": ("wegen", "roads"),
    "openbare_ruimte": ("openbare ruimte", "public space"),
    "kunstwerk": ("kunstwerk", "civil structure"),
    "waterbouw": ("waterbouw", "hydraulic works"),
    "woningbouw": ("woningbouw", "housing"),
    "utiliteitsbouw": ("utiliteitsbouw", "non-residential building"),
    "sloop": ("sloop", "demolition"),
}

STATUS_WORDS = {
    PASS: ("voldoet", "pass"),
    FAIL: ("voldoet niet", "fail"),
    NOT_APPLICABLE: ("niet van toepassing", "not applicable"),
    MISSING_DATA: ("gegevens ontbreken", "missing data"),
    REPORTED: ("gerapporteerd", "reported"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "nl" else pair[1]


def project_type_name(ptype: str, lang: str) -> str:
    return _pick(PROJECT_TYPES.get(ptype, (ptype, ptype)), lang)


def status_word(status: str, lang: str) -> str:
    return _pick(STATUS_WORDS[status], lang)


def threshold_text(o: Outcome, lang: str) -> str | None:
    """`≥ 62,0 %` for a compared rule; None when nothing was compared."""
    comparator = o.rule.comparator
    if comparator is None or o.threshold is None:
        return None
    n = notation(lang)
    return f"{SYMBOL[comparator]} {show(o.threshold, o.rule.unit, n)}"


def value_text(o: Outcome, lang: str) -> str:
    return show(o.value, o.rule.unit or o.compiled.indicator.unit, notation(lang))


def _reason(o: Outcome, lang: str) -> str:
    key, args = o.reason.key, o.reason.args
    nl = lang == "nl"
    if key == "project_type":
        types = ", ".join(project_type_name(t, lang) for t in sorted(o.compiled.project_types or ()))
        return (
            f"De regel geldt voor {types}; dit project is {project_type_name(args[0], lang)}."
            if nl
            else f"The rule applies to {types}; this project is {project_type_name(args[0], lang)}."
        )
    if key == "parameter_unset":
        return (
            f"Parameter niet ingesteld: '{args[0]}' heeft geen waarde in de bronnen; een profiel of rulesetversie moet die vastleggen."
            if nl
            else f"Parameter not set: '{args[0]}' has no value in the sources; a profile or ruleset version must set it."
        )
    if key == "parameter_off":
        return (
            f"Niet gevraagd: parameter '{args[0]}' staat op nee."
            if nl
            else f"Not asked for: parameter '{args[0]}' is set to no."
        )
    if key == "no_threshold_for_type":
        return (
            f"De bron geeft geen grenswaarde voor {project_type_name(args[0], lang)}."
            if nl
            else f"The source gives no threshold for {project_type_name(args[0], lang)}."
        )
    if key == "list_absent":
        return (f"De lijst '{args[0]}' ontbreekt in de inzending." if nl
                else f"The list '{args[0]}' is absent from the submission.")
    if key == "list_empty":
        return (f"De lijst '{args[0]}' is leeg: er is niets te toetsen." if nl
                else f"The list '{args[0]}' is empty: there is nothing to check.")
    if key == "condition_missing":
        return (f"'{args[0]}' ontbreekt, dus de toepasbaarheid is niet vast te stellen." if nl
                else f"'{args[0]}' is missing, so whether the rule applies cannot be told.")
    if key == "condition_false":
        ind = INDICATORS[args[0]]
        value = show(args[1], ind.unit, notation(lang))
        return (f"De regel geldt hier niet: {ind.label.nl} is {value}." if nl
                else f"The rule does not apply here: {ind.label.en} is {value}.")
    raise KeyError(key)


def _for_type(o: Outcome, lang: str) -> str:
    return f" ({project_type_name(o.basis, lang)})" if o.basis else ""


def explanation(o: Outcome, lang: str = "nl") -> str:
    """One sentence (or two) that names value, threshold and derivation."""
    nl = lang == "nl"
    ind = o.compiled.indicator
    label = ind.label.get(lang)
    label = label[0].upper() + label[1:]
    if o.status in (NOT_APPLICABLE,) or (o.status == MISSING_DATA and o.reason is not None):
        head = "Niet van toepassing" if o.status == NOT_APPLICABLE else "Gegevens ontbreken"
        if not nl:
            head = "Not applicable" if o.status == NOT_APPLICABLE else "Missing data"
        reason = _reason(o, lang)
        return f"{head}: {reason[:1].lower()}{reason[1:]}"
    if o.status == MISSING_DATA:
        what = o.fact.missing if o.fact else ind.key
        return (f"Gegevens ontbreken: {ind.label.nl} is niet te bepalen, want {what} ontbreekt in de inzending."
                if nl else f"Missing data: {ind.label.en} cannot be determined because {what} is absent from the submission.")
    value = value_text(o, lang)
    described = ind.describe(o.fact)
    derivation = render(lang, described) if described else ""
    tail = f"; {derivation}" if derivation else ""
    if o.status == REPORTED:
        return (f"Gemeten en gerapporteerd: {ind.label.nl} is {value}{tail}. Voor deze indicator geldt nog geen grenswaarde."
                if nl else f"Measured and reported: {ind.label.en} is {value}{tail}. This indicator has no threshold yet.")
    verdict = ("voldoet" if o.status == PASS else "voldoet niet") if nl else ("met" if o.status == PASS else "not met")
    threshold = threshold_text(o, lang)
    norm = "Norm" if nl else "Threshold"
    return f"{label} is {value}{tail}. {norm} {threshold}{_for_type(o, lang)}: {verdict}."


def gap(o: Outcome, lang: str = "nl") -> str | None:
    """What would make a failing outcome pass, in the indicator's own terms."""
    if o.status != FAIL:
        return None
    n = notation(lang)
    nl = lang == "nl"
    ind = o.compiled.indicator
    comparator = o.rule.comparator
    if isinstance(o.threshold, (int, float)) and not isinstance(o.threshold, bool):
        own = ind.gap(o.fact, float(o.threshold), comparator.value)
        if own:
            return render(lang, own)
    unit = o.rule.unit or ind.unit
    want = show(o.threshold, unit, n)
    got = show(o.value, unit, n)
    if comparator in (Comparator.in_, Comparator.not_in):
        return (f"toegestaan: {'niet ' if comparator is Comparator.not_in else ''}{want}; opgegeven: {got}" if nl
                else f"allowed: {'not ' if comparator is Comparator.not_in else ''}{want}; given: {got}")
    if ind.kind == "ordinal":
        return (f"minimaal {want} nodig, {got} opgegeven" if nl else f"at least {want} needed, {got} given")
    if isinstance(o.value, bool) or ind.kind != "number":
        return (f"{want} nodig, {got} opgegeven" if nl else f"{want} needed, {got} given")
    diff = abs(float(o.threshold) - float(o.value))
    more = comparator in (Comparator.ge, Comparator.gt)
    amount = show(diff, unit, n)
    if nl:
        return f"{SYMBOL[comparator]} {want} nodig, {got} bereikt: {amount} {'meer' if more else 'minder'}"
    return f"{SYMBOL[comparator]} {want} needed, {got} reached: {amount} {'more' if more else 'less'}"


def warning(o: Outcome, lang: str = "nl") -> str | None:
    """A plausibility note on the input (never a fail), e.g. a stage V engine older than stage V."""
    if o.warning is None:
        return None
    key, args = o.warning.key, o.warning.args
    if key == "implausible_stage":
        return (f"Let op: bouwjaar {args[0]} met emissieklasse stage-v is onwaarschijnlijk; stage V bestaat voor dit "
                f"vermogen pas vanaf {args[1]}. Vraag het typegoedkeuringsdocument op."
                if lang == "nl" else
                f"Note: year {args[0]} with emission class stage-v is implausible; stage V exists for this power only "
                f"from {args[1]}. Ask for the type-approval document.")
    if key == "step_above_gap":
        lower = ", ".join(args)
        return (f"Let op: ja op deze trede, maar nog geen ja op een lagere trede ({lower}); deze trede telt pas mee "
                f"als de treden eronder ook gezet zijn."
                if lang == "nl" else
                f"Note: yes on this step, but not yet yes on a lower step ({lower}); this step only counts once the "
                f"steps below it are taken.")
    raise KeyError(key)
