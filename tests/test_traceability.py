"""Every number a ruleset compares against traces to a line of the domain facts files, and every rule to a source.

A wrong threshold in a tender is worse than a missing one: a number that is not in
`policy-facts.md` or `seeds.md` must be a parameter without a value, not a threshold.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from cgc_rules.registry import Registry
from cgc_rules.ruleset import ByProjectType

from .conftest import ROOT

FACTS = ROOT.parent / "shared" / "domain"
NOT_POLICY = {0}
pytestmark = pytest.mark.skipif(not FACTS.exists(), reason="shared/domain is not beside this checkout")  # "more than 0 t released" only says that something is demolished

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def facts_lines() -> list[str]:
    return [line for name in ("policy-facts.md", "seeds.md")
            for line in (FACTS / name).read_text(encoding="utf-8").splitlines()]


def numbers_used() -> list[tuple[str, str, object, str]]:
    """(ruleset@version, rule id, value, source citation) for every threshold and condition value."""
    out = []
    for versions in Registry().by_id.values():
        for lr in versions:
            r = lr.ruleset
            for rule in r.rules:
                source = r.sources[rule.source].citation()
                t = rule.threshold
                values = list(t.by_project_type.values()) if isinstance(t, ByProjectType) else [t]
                values += [v for c in rule.applies_when.conditions for v in (c.value if isinstance(c.value, list) else [c.value])]
                for v in values:
                    if isinstance(v, (int, float, date)) and not isinstance(v, bool) and v not in NOT_POLICY:
                        out.append((r.ref, rule.id, v, source))
    return out


def spellings(v: object) -> list[str]:
    if isinstance(v, date):
        day_after = v + timedelta(days=1)  # "allowed until 1 January 2030" = last day 31 December 2029
        return [f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in (v, day_after)]
    text = f"{v:g}"
    forms = {text}
    if "." in text:
        forms.add(f"{v:.2f}")
    return sorted(forms)


def found_in_facts(v: object, lines: list[str]) -> str | None:
    for form in spellings(v):
        pattern = re.compile(rf"(?<![\d.]){re.escape(form)}(?![\d])")
        for line in lines:
            if pattern.search(line):
                return line.strip()
    return None


def test_every_number_is_in_the_facts_files():
    lines = facts_lines()
    used = numbers_used()
    assert len(used) > 20
    report, missing = [], []
    for ref, rule, v, source in used:
        line = found_in_facts(v, lines)
        report.append(f"{ref:<45} {rule:<40} {v!s:<12} {source[:60]}")
        if line is None:
            missing.append(f"{ref} {rule}: {v}")
    print("\n".join(report))
    assert not missing, "numbers without a line in policy-facts.md or seeds.md: " + "; ".join(missing)


def test_every_rule_cites_a_known_source():
    for versions in Registry().by_id.values():
        for lr in versions:
            for rule in lr.ruleset.rules:
                assert rule.source in lr.ruleset.sources, f"{lr.ruleset.ref} {rule.id}"
                assert lr.ruleset.sources[rule.source].document


def test_an_invented_number_is_caught():
    assert found_in_facts(63, facts_lines()) is None
    assert found_in_facts(62, facts_lines()) is not None
    assert found_in_facts(date(2029, 12, 31), facts_lines()) is not None
