"""Every number a ruleset compares against is carried by a passage of the source register, and every rule cites
a source.

A wrong threshold in a tender is worse than a missing one. `docs/sources/register.yaml` quotes, per source,
the exact words that carry each number a bundled rule uses; a number found in no passage, or only as part of
another number or with another unit, fails. When the domain facts folder (`shared/domain`, beside the
checkout; CI has it) is present, each quote must also stand in the file it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from cgc_rules import kinds
from cgc_rules.registry import Registry
from cgc_rules.ruleset import ByProjectType, ParameterRef

from .conftest import ROOT

REGISTER = ROOT / "docs" / "sources" / "register.yaml"
FACTS = next(
    (d / "shared" / "domain" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared" / "domain").exists()),
    ROOT.parent / "shared" / "domain",
)  # beside the checkout, or beside the worktrees' directory
needs_facts = pytest.mark.skipif(
    not FACTS.is_dir(), reason=f"the domain facts folder is not at {FACTS} (shared/domain beside the checkout)"
)

FACTS_FILES = ("policy-facts.md", "seeds.md", "procurement-nl.md")
MONTHS = {
    "en": [
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
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}
WORDS = {  # small counts as sources write them
    "en": ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
    "nl": ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf"],
}
ROMAN = ["I", "II", "III", "IV", "V", "VI"]  # Euro I–VI
NUMBER_END = r"(?![\d]|[.,]\d)"
NUMBER_START = r"(?<![\d.,])"


@dataclass(frozen=True)
class Used:
    """One number a rule compares with: its threshold or a condition's value, with unit and comparator."""

    ref: str  # ruleset@version/rule
    value: Any
    unit: str | None
    comparator: str | None


def _numbers(value: Any) -> list[Any]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, (int, float, date)) and not isinstance(v, bool)]


def numbers_used() -> list[Used]:
    """Every number of every bundled ruleset's rules: thresholds (per project type, parameter values) and
    `applies_when` condition values."""
    out = []
    for root in kinds.ruleset_roots():
        for versions in Registry(root).by_id.values():
            for lr in versions:
                r = lr.ruleset
                indicators = kinds.of(r).indicators
                for rule in r.rules:
                    ref = f"{r.ref}/{rule.id}"
                    comparator = rule.comparator.value if rule.comparator else None
                    unit = rule.unit or indicators[rule.indicator].unit
                    t = rule.threshold
                    if isinstance(t, ByProjectType):
                        thresholds = list(t.by_project_type.values())
                    elif isinstance(t, ParameterRef):
                        thresholds = [r.parameters[t.parameter].value]
                    else:
                        thresholds = [t]
                    out += [Used(ref, v, unit, comparator) for t in thresholds for v in _numbers(t)]
                    for c in rule.applies_when.conditions:
                        cu = indicators[c.indicator].unit
                        out += [Used(ref, v, cu, c.comparator.value) for v in _numbers(c.value)]
    return out


def _dates(d: date, comparator: str | None) -> list[date]:
    """The day a date condition names, as a source may say it: "< 1 January 2025" is "until 31 December 2024"."""
    one = timedelta(days=1)
    if comparator == "<":
        return [d, d - one]
    if comparator in ("<=", ">"):
        return [d, d + one]
    return [d]


def spelling(value: Any, unit: str | None, comparator: str | None) -> re.Pattern[str]:
    """How a passage may write `value` in `unit`: a date in ISO, English or Dutch; a number with the unit's sign
    ("62 %", "19 kW", "19–37 kW", "€ 0,17"), never as part of a longer number; a small count also in words."""
    if isinstance(value, date):
        forms = [
            f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}" for d in _dates(value, comparator) for lang in MONTHS
        ] + [d.isoformat() for d in _dates(value, comparator)]
        return re.compile(rf"(?<!\d)(?:{'|'.join(map(re.escape, forms))})(?!\d)")
    text = f"{value:g}"
    digits = {text, f"{value:.2f}"} if "." in text else {text}
    digits |= {d.replace(".", ",") for d in digits}
    number = rf"{NUMBER_START}(?:{'|'.join(map(re.escape, sorted(digits)))}){NUMBER_END}"
    if unit == "%":
        return re.compile(rf"{number}\s?%")
    if unit == "kw":
        return re.compile(rf"{number}(?:\s?[–-]\s?\d+)?\s?kW")
    if unit in ("eur_per_m2_year",):
        return re.compile(rf"€\s?{number}")
    forms = [number]
    if float(value).is_integer() and 1 <= value <= len(WORDS["en"]):
        forms += [rf"\b{WORDS[lang][int(value) - 1]}\b" for lang in WORDS]
        if value <= len(ROMAN):
            forms.append(rf"\bEuro {ROMAN[int(value) - 1]}\b")
    return re.compile("|".join(forms), re.IGNORECASE)


def carries(passage: str, value: Any, unit: str | None, comparator: str | None = None) -> bool:
    return spelling(value, unit, comparator).search(" ".join(passage.split())) is not None


def register() -> dict[str, Any]:
    return yaml.safe_load(REGISTER.read_text(encoding="utf-8"))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, date) or isinstance(b, date):
        return bool(a == b)
    return abs(float(a) - float(b)) < 1e-9


def test_every_number_a_rule_uses_is_carried_by_a_register_passage():
    reg = register()
    used = numbers_used()
    assert len(used) > 100
    unmatched, misquoted = [], []
    for u in used:
        defined = reg["definitions"].get(u.ref, {}).get("values", [])
        if any(_same(u.value, v) for v in defined):
            continue
        passages = [p for p in reg["passages"] if any(_same(u.value, v) for v in p["numbers"].get(u.ref, []))]
        if not passages:
            unmatched.append(f"{u.ref}: {u.value}")
        misquoted += [f"{u.ref}: {u.value} in {p['id']}" for p in passages if not carries(p["quote"], **_parts(u))]
    assert not unmatched, "numbers without a passage in docs/sources/register.yaml: " + "; ".join(unmatched)
    assert not misquoted, "passages that do not carry the number they are registered for: " + "; ".join(misquoted)


def _parts(u: Used) -> dict[str, Any]:
    return {"value": u.value, "unit": u.unit, "comparator": u.comparator}


def test_the_register_names_only_numbers_rules_use_and_says_where_each_passage_is():
    used = {(u.ref, u.value) for u in numbers_used()}
    reg = register()
    ids = [p["id"] for p in reg["passages"]]
    assert len(ids) == len(set(ids))
    stale = []
    for p in reg["passages"]:
        assert p["document"], p["id"]
        assert p["section"], p["id"]
        assert p["quote"], p["id"]
        assert p["file"], p["id"]
        assert p["file"] in FACTS_FILES or re.fullmatch(r"sources/[\w.]+\.txt", p["file"]), p["id"]
        assert p.get("address", "https://").startswith("https://"), p["id"]
        stale += [
            f"{p['id']}: {ref} {v}" for ref, values in p["numbers"].items() for v in values if (ref, v) not in used
        ]
    stale += [f"{ref} {v}" for ref, d in reg["definitions"].items() for v in d["values"] if (ref, v) not in used]
    assert not stale, "register entries no rule uses: " + "; ".join(stale)


@pytest.mark.parametrize(
    ("passage", "value", "unit", "comparator", "carried"),
    [
        ("wegen ≥ 62 %; openbare ruimte ≥ 57 %", 62, "%", ">=", True),
        ("Wegen: ≥ 62%", 62.0, "%", ">=", True),
        ("Wegen: ≥ 62%", 63, "%", ">=", False),  # an invented number
        ("62 kW, 62 t, 1962 %, 0.62 % and 62.5 %", 62, "%", ">=", False),  # 62, but not as a share
        ("Wegen: ≤ €0,17", 0.17, "eur_per_m2_year", "<=", True),
        ("roads 0.17 m", 0.17, "eur_per_m2_year", "<=", False),
        ("| MPG | Standaard | ≤ 0.45 / ≤ 0.50 / ≤ 0.70 |", 0.5, "eur_per_m2_bvo_year", "<=", True),
        ("≤ 0.455", 0.45, "eur_per_m2_bvo_year", "<=", False),
        ("19–37 kW — Stage IIIA", 19, "kw", ">=", True),
        ("19–37 kW — Stage IIIA", 37, "kw", "<", True),
        ("19 t and 37 % and 2019", 19, "kw", ">=", False),
        ("er zijn vijf elementen nodig", 5, "count", ">=", True),
        ("tractor units Euro VI from 1 January 2017", 6, "count", "==", True),
        ("tractor units Euro VI from 1 January 2017", date(2017, 1, 1), None, ">=", True),
        ("allowed until 1 January 2030", date(2029, 12, 31), None, "<=", True),  # ≤ 31 Dec is < 1 Jan
        ("allowed until 1 January 2030", date(2029, 12, 31), None, ">=", False),
        ("P1 2023-01-01 – 2024-12-31", date(2025, 1, 1), None, "<", True),  # < 1 Jan 2025 ends on 31 Dec 2024
        ("in 12025-01-01", date(2025, 1, 1), None, ">=", False),
    ],
)
def test_a_number_is_carried_only_as_the_quantity_it_is(passage, value, unit, comparator, carried):
    assert carries(passage, value, unit, comparator) is carried


@needs_facts
def test_each_passage_stands_in_the_file_it_names():
    missing = []
    for p in register()["passages"]:
        text = " ".join((FACTS / p["file"]).read_text(encoding="utf-8").split())
        if " ".join(p["quote"].split()) not in text:
            missing.append(f"{p['id']} ({p['file']})")
    assert not missing, "quotes not found word for word in their source file: " + ", ".join(missing)


def test_every_rule_cites_a_known_source():
    checked = 0
    for root in kinds.ruleset_roots():
        for versions in Registry(root).by_id.values():
            for lr in versions:
                for rule in lr.ruleset.rules:
                    assert rule.source in lr.ruleset.sources, f"{lr.ruleset.ref} {rule.id}"
                    assert lr.ruleset.sources[rule.source].document
                    checked += 1
    assert checked > 50


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


@needs_facts
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
            assert rule.threshold.parameter, rule.id
            assert r.parameters[rule.threshold.parameter].value is None, rule.id
        else:
            assert float(rule.threshold) == want, f"{rule.id}: {rule.threshold} is not §3's {want}"
        assert rule.comparator.value == ("<=" if rule.theme in ("mpg", "co2") else ">="), rule.id
        seen.add((rule.theme, form))
    assert seen == set(levels)
    office = next(x for x in r.rules if x.id == "adaptief-vermogen-kantoor")
    adaptive = next(line for line in section(3).splitlines() if line.startswith("| Adaptief vermogen"))
    assert "≥ 40 %" in adaptive
    assert "≥ 40 %" in office.explanation.get("nl")
    assert office.level.value == "measure"


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


@needs_facts
def test_seb_basis_rows_and_periods_are_the_section_9_table_by_rule():
    periods, rows = seb_table()
    assert sorted(periods) == ["p1", "p2", "p3", "p4"]
    assert sorted(rows) == sorted(ROW.values())
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
            assert conds[("equipment.power_kw", ">=")] == 37
            assert "37–" in section(9)
            assert r.parameters[rule.threshold.parameter].value is None
            continue
        label = ROW[row]
        bounds = [float(x) for x in re.findall(r"\d+", label)]
        assert conds.get(("equipment.power_kw", "<")) == bounds[-1], rule.id
        if len(bounds) == 2:
            assert conds[("equipment.power_kw", ">=")] == bounds[0], rule.id
        want = CELL[rows[label][int(period[1]) - 1]]
        if want is None:
            assert rule.level.value == "measure", rule.id
            assert rule.threshold is None, rule.id
        else:
            assert (rule.level.value, rule.comparator.value, rule.threshold) == ("requirement", ">=", want), rule.id
        checked += 1
    assert checked == 8
