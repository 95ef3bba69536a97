"""The SEB table of the contract part: minimum engine stage per power class and period, from the ruleset in force.

The rows come from the `seb-basis` ruleset (the basic level of the public infrastructure managers' minimum
sustainability requirements): a row the source gives is shown as it reads; a row it does not give (a
parameter without a value) is a named fill-in field, unless the profile sets that parameter. Non-road
machinery only: vehicles and vessels are not under Regulation (EU) 2016/1628 and get their own clauses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..errors import CgcError
from ..numbers import notation
from ..profile import Profile
from ..registry import Registry
from ..ruleset import Comparator, LoadedRuleset, ParameterRef, Rule
from .terms import fill

N = notation("nl")

RULESET = "seb-basis"
POWER = "equipment.power_kw"
DAY = "execution_or_tender_date"
STAGES = {
    "ouder": "geen eis",
    "stage-iiia": "ten minste Stage IIIA",
    "stage-iiib": "ten minste Stage IIIB",
    "stage-iv": "ten minste Stage IV",
    "stage-v": "ten minste Stage V",
    "emissieloos": "100 % emissievrij",
}


@dataclass(frozen=True)
class SebTable:
    """Header (power class, then one column per period), rows of cells, and the source the rows come from."""

    periods: list[str]
    rows: list[tuple[str, list[Markup]]]
    source: str


def _bounds(rule: Rule, indicator: str) -> tuple[object, object]:
    low = high = None
    for c in rule.applies_when.conditions:
        if c.indicator == indicator and c.comparator in (Comparator.ge, Comparator.gt):
            low = c.value
        elif c.indicator == indicator and c.comparator in (Comparator.lt, Comparator.le):
            high = c.value
    return low, high


def _kw(value: object) -> str:
    assert isinstance(value, (int, float))
    return N.num(value, 0)


def _power(low: object, high: object) -> str:
    if low is None:
        return f"< {_kw(high)} kW"
    if high is None:
        return f"≥ {_kw(low)} kW"
    return f"{_kw(low)}–{_kw(high)} kW"


def _period(low: object, high: object) -> str:
    assert isinstance(low, date)
    if high is None:
        return f"vanaf {low.year}"
    assert isinstance(high, date)
    return f"{low.year}–{high.year - 1}"


def _cell(rule: Rule, power: str, period: str, params: Mapping[str, object]) -> Markup:
    t: object = rule.threshold
    if rule.comparator is None:
        return Markup("geen eis")
    if isinstance(t, ParameterRef):
        value = params.get(t.parameter)
        if value is None:
            return fill(f"minimale emissiefase materieel {power}, periode {period}, met de bron")
        t = value
    return Markup("{}").format(STAGES.get(str(t), str(t)))


def seb_table(profile: Profile, registry: Registry, day: date) -> SebTable | None:
    """The table of the ruleset version in force on `day`, with the profile's values for the rows it sets.

    None when no version is in force that day: the documents then show the table as named fill-in fields.
    """
    try:
        loaded: LoadedRuleset = registry.select(RULESET, as_of=day).loaded
    except CgcError:
        return None
    applied = next((a for a in profile.rulesets if a.id == RULESET), None)
    params = applied.parameters if applied else {}
    powers: dict[str, dict[str, Markup]] = {}
    periods: list[str] = []
    for rule in loaded.ruleset.rules:
        power = _power(*_bounds(rule, POWER))
        period = _period(*_bounds(rule, DAY))
        if period not in periods:
            periods.append(period)
        powers.setdefault(power, {})[period] = _cell(rule, power, period, params)
    rows = [(power, [cells.get(p, Markup("geen eis")) for p in periods]) for power, cells in powers.items()]
    sources = {r.source for r in loaded.ruleset.rules}
    source = "; ".join(loaded.ruleset.sources[s].document for s in sorted(sources))
    return SebTable(periods, rows, source)
