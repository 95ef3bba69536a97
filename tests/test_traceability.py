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

FACTS = next(
    (d / "shared" / "domain" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared" / "domain").exists()),
    ROOT.parent / "shared" / "domain",
)  # beside the checkout, or beside the worktrees' directory
NOT_POLICY = {0}
pytestmark = pytest.mark.skipif(
    not FACTS.exists(), reason="shared/domain is not beside this checkout"
)  # "more than 0 t released" only says that something is demolished

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def facts_lines() -> list[str]:
    return [
        line
        for name in ("policy-facts.md", "seeds.md")
        for line in (FACTS / name).read_text(encoding="utf-8").splitlines()
    ]


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
                values += [
                    v
                    for c in rule.applies_when.conditions
                    for v in (c.value if isinstance(c.value, list) else [c.value])
                ]
                for v in values:
                    if isinstance(v, (int, float, date)) and not isinstance(v, bool) and v not in NOT_POLICY:
                        out.append((r.ref, rule.id, v, source))
    return out


def spellings(v: object) -> list[str]:
    if isinstance(v, date):
        day_after = v + timedelta(days=1)  # "allowed until 1 January 2030" = last day 31 December 2029
        return [f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in (v, day_after)] + [v.isoformat()]
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


# ---------------------------------------------------------------- each new number, by the rule it belongs to


def section(number: int) -> str:
    """The text of one numbered section of policy-facts.md (`## 3. …` up to the next `## `)."""
    text = (FACTS / "policy-facts.md").read_text(encoding="utf-8")
    return re.search(rf"^## {number}\. .*?(?=^## |\Z)", text, re.S | re.M).group(0)


def ruleset(rid: str, version: str):
    return Registry().get(rid, version).ruleset


FORMS = ("grondgebonden-woning", "gestapelde-woning", "kantoor")  # the columns of policy-facts §3, in order
HNN_ROWS = {
    "mpg": "MPG",
    "co2": "Materiaalgebonden CO2-uitstoot",
    "herkomst": "Herkomst materialen",
    "losmaakbaarheid": "Losmaakbaarheid",
}


def hnn_gebouw_levels() -> dict[tuple[str, str], float | None]:
    """(theme, building form) -> the level in the §3 table; None where it shows "—"."""
    out = {}
    for line in section(3).splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        theme = next((k for k, name in HNN_ROWS.items() if cells[0] == name), None)
        if theme is None:
            continue
        for form, cell in zip(FORMS, cells[2].split("/"), strict=True):
            m = re.search(r"(\d+(?:\.\d+)?)", cell)
            out[(theme, form)] = float(m.group(1)) if m else None
    return out


def test_hnn_gebouw_levels_are_the_section_3_table_by_rule():
    levels = hnn_gebouw_levels()
    assert len(levels) == 12
    r = ruleset("hnn-gebouw", "2026.1")
    seen = set()
    for rule in r.rules:
        if rule.theme not in HNN_ROWS:
            continue
        form = rule.applies_when.conditions[0].value
        want = levels[(rule.theme, form)]
        if want is None:
            assert rule.threshold.parameter and r.parameters[rule.threshold.parameter].value is None, rule.id
        else:
            assert float(rule.threshold) == want, f"{rule.id}: {rule.threshold} is not §3's {want}"
        assert rule.comparator.value == ("<=" if rule.theme in ("mpg", "co2") else ">="), rule.id
        seen.add((rule.theme, form))
    assert seen == set(levels)
    office = next(x for x in r.rules if x.id == "adaptief-vermogen-kantoor")
    adaptive = next(line for line in section(3).splitlines() if line.startswith("| Adaptief vermogen"))
    assert "≥ 40 %" in adaptive and "≥ 40 %" in office.explanation.get("nl") and office.level.value == "measure"


def seb_table() -> tuple[dict[str, tuple[date, date | None]], dict[str, list[str]]]:
    """The periods and the rows read of the infrastructure managers' basis table (policy-facts §9)."""
    text = " ".join(section(9).split())
    periods = {}
    for m in re.finditer(r"P(\d) (\d{4}-\d\d-\d\d)(?: – (\d{4}-\d\d-\d\d)| from (\d{4}-\d\d-\d\d))?", text):
        first = date.fromisoformat(m.group(2) or m.group(4))
        periods[f"p{m.group(1)}"] = (first, date.fromisoformat(m.group(3)) if m.group(3) else None)
    if "p4" not in periods:
        periods["p4"] = (date.fromisoformat(re.search(r"P4 from (\d{4}-\d\d-\d\d)", text).group(1)), None)
    rows_text = re.search(r"Rows read so far: (.*?)\. The other", text).group(1)
    rows = {}
    for part in rows_text.split(";"):
        label, cells = part.split("—")
        rows[label.replace("light equipment", "").strip()] = [c.strip() for c in cells.split(",")]
    return periods, rows


CELL = {"no requirement": None, "Stage IIIA": "stage-iiia", "100 % emission-free": "emissieloos"}
ROW = {"onder-19kw": "< 19 kW", "19-37kw": "19–37 kW"}


def test_seb_basis_rows_and_periods_are_the_section_9_table_by_rule():
    periods, rows = seb_table()
    assert sorted(periods) == ["p1", "p2", "p3", "p4"] and sorted(rows) == sorted(ROW.values())
    r = ruleset("seb-basis", "2023.1")
    assert "duurzame-infra.nl" in r.sources["infra-basisniveau"].address
    checked = 0
    for rule in r.rules:
        m = re.fullmatch(r"basis-(.+)-(p\d)", rule.id)
        if not m:
            continue
        row, period = m.groups()
        assert rule.source == "infra-basisniveau", rule.id
        conds = {(c.indicator, c.comparator.value): c.value for c in rule.applies_when.conditions}
        first, last = periods[period]
        assert conds[("execution_or_tender_date", ">=")] == first, rule.id
        assert conds.get(("execution_or_tender_date", "<")) == (last + timedelta(days=1) if last else None), rule.id
        if row == "vanaf-37kw":  # the rows from 37 kW were not read: a parameter without a value
            assert conds[("equipment.power_kw", ">=")] == 37 and "37–" in section(9)
            assert r.parameters[rule.threshold.parameter].value is None
            continue
        label = ROW[row]
        bounds = [float(x) for x in re.findall(r"\d+", label)]
        assert conds.get(("equipment.power_kw", "<")) == bounds[-1], rule.id
        if len(bounds) == 2:
            assert conds[("equipment.power_kw", ">=")] == bounds[0], rule.id
        want = CELL[rows[label][int(period[1]) - 1]]
        if want is None:
            assert rule.level.value == "measure" and rule.threshold is None, rule.id
        else:
            assert (rule.level.value, rule.comparator.value, rule.threshold) == ("requirement", ">=", want), rule.id
        checked += 1
    assert checked == 8
