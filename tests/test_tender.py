"""The tender definition: built from a profile, written and read back, refused while open, and equal to the
published award criteria (read back from the DOCX)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from cgc_rules import renderers
from cgc_rules.documents import build_document, generate
from cgc_rules.documents.printable import Printable
from cgc_rules.profile import load_profile, profile_path
from cgc_rules.registry import Registry
from cgc_rules.scoring.calc import score
from cgc_rules.tender import build_tender, load_tender, open_fields
from cgc_rules.tender.model import Criterion, Fixed, Method, Param, PriceScale, RoundingRule, Tender

from .docreading import docx_clauses

D = Decimal
DAY = date(2026, 3, 2)


def _tender(profile: str = "gmr-voorbeeld-profiel-1", ptype: str = "wegen"):
    return build_tender(load_profile(profile_path(profile)), ptype, DAY)


def test_build_takes_levels_from_the_rulesets_and_factors_from_the_profile():
    t = _tender()
    assert [k.rule for k in t.knockouts] == ["hnn-gww/herkomst-materiaal", "hnn-gww/mki", "hnn-gww/seb"]
    assert [(r.id, r.version) for r in t.rulesets] == [("hnn-gww", "2026.1")]
    mki, origin = t.criteria
    assert (mki.method, mki.params["ceiling"].value, mki.params["floor"].value, mki.params["factor"].value) == (
        Method.mki_bounds,
        D("0.17"),
        D("0.08"),
        D(1),
    )
    assert mki.params["ceiling"].source == "hnn-gww@2026.1, regel mki"
    assert (origin.method, origin.params["level"].value, origin.params["cap"].value) == (
        Method.origin_discount,
        D(62),
        D(90),
    )
    assert t.sanction_factor.value == D("1.5")
    assert t.sanction_factor.example
    # what no source gives stays open
    assert t.fixed.area_m2.value is None
    assert t.rounding.places is None
    assert t.tie_break is None


def test_init_writes_a_file_that_reads_back_the_same_and_names_every_open_parameter(cgc, tmp_path):
    out = tmp_path / "tender.yaml"
    res = cgc(
        "tender",
        "init",
        "--profile",
        "gmr-voorbeeld-profiel-3",
        "--type",
        "wegen",
        "--date",
        "2026-03-02",
        "-o",
        str(out),
    )
    assert res.exit_code == 0, res.output
    lt = load_tender(out)
    assert lt.tender == _tender("gmr-voorbeeld-profiel-3")
    assert lt.tender.method == "gewogen_factoren"
    assert lt.tender.price.method.value == "range"
    problems = [str(p) for p in open_fields(lt)]
    for field in (
        "fixed.area_m2",
        "fixed.lifetime_years",
        "price.params.low",
        "price.params.high",
        "rounding",
        "criteria[0].tolerance",
        "point_value",
    ):
        assert any(re.search(rf"tender\.yaml:\d+:\d+: {re.escape(field)}: parameter left open", p) for p in problems)
    # herkomst is an award criterion but not a knock-out in profile 3: the officer must confirm that choice
    assert lt.tender.criteria[0].accept_without_knockout is False
    assert any(
        re.search(r"criteria\[0\]\.accept_without_knockout: award criterion herkomst-materiaal scores rule", p)
        for p in problems
    )
    # no MKI criterion: no calculation rules asked for
    assert not any("calculation_rules" in p for p in problems)


def _emvi_text(tender: Tender | None = None, profile: str = "gmr-voorbeeld-profiel-1") -> str:
    """The award criteria (emvi) as published, read back from the DOCX: clause texts joined, spaces plain."""
    lp = load_profile(profile_path(profile))
    doc = build_document("emvi", lp, "wegen", Registry(), DAY, tender=tender)
    data = renderers.renderer("document", "docx").render(Printable(doc, lp))
    return " ".join(docx_clauses(data).values()).replace("\u00a0", " ")


def _number(text: str, pattern: str) -> Decimal:
    m = re.search(pattern, text)
    assert m, pattern
    return D(m[1].replace(".", "").replace(",", "."))


def test_published_award_criteria_state_the_parameters_and_formulas_scoring_uses():
    t = _tender()
    data = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["docx"], as_of=DAY)[0].data
    text = " ".join(docx_clauses(data).values()).replace("\u00a0", " ")
    assert _emvi_text() == text  # generate renders the tender build_tender makes

    def number(pattern: str) -> Decimal:
        return _number(text, pattern)

    mki, origin = {c.id: c for c in t.criteria}["mki"], {c.id: c for c in t.criteria}["herkomst-materiaal"]
    assert number(r"ten hoogste € ([\d,]+) MKI per m² per jaar") == mki.params["ceiling"].value
    assert number(r"ontwerplevensduur × € ([\d.,]+) fictieve korting per € MKI") == mki.params["factor"].value
    assert number(r"ondergrens van € ([\d,]+)") == mki.params["floor"].value
    assert number(r"ten minste (\d+) % van de totale materiaalmassa") == origin.params["level"].value
    assert number(r"procentpunten\) × € ([\d.]+) fictieve korting per procentpunt") == origin.params["factor"].value
    assert number(r"bovengrens van (\d+) %") == origin.params["cap"].value
    contract = generate("vraagspecificatie", "gmr-voorbeeld-profiel-1", "wegen", ["docx"], as_of=DAY)[0].data
    in_contract = " ".join(docx_clauses(contract).values()).replace("\u00a0", " ")  # the sanction is a contract term
    assert _number(in_contract, r"dan betaalt hij ([\d,]+) \(voorbeeldwaarde\) maal") == t.sanction_factor.value
    # the formulas: the published one and the one scoring writes out have the same terms in the same order
    assert "Fictieve korting = (plafond − aangeboden MKI) × oppervlakte × ontwerplevensduur ×" in text
    assert "Fictieve korting = (aangeboden aandeel − eisniveau, in procentpunten) ×" in text
    # what the tender leaves open is a fill-in named as the tender names it, never a number
    for open_ in (
        t.rounding.label,
        t.fixed.area_m2.label,
        t.fixed.lifetime_years.label,
        mki.tolerance.label,
        origin.tolerance.label,
        "beslisregel bij gelijke uitkomst",
    ):
        assert f"[in te vullen: {open_}]" in text, open_
    assert "rekenkundig: een 5 op de eerste weggelaten decimaal rondt naar boven af" in text  # mode half_up
    # and scoring the document's worked example (€ 1.250.000; 6.000 m², 30 jaar; MKI € 0,14; 70 %) with the
    # tender gives the document's own results: € 5.400,00 and € 20.000,00, fictive € 1.224.600,00
    worked = t.model_copy(
        update={
            "fixed": Fixed(
                area_m2=t.fixed.area_m2.model_copy(update={"value": D(6000)}),
                lifetime_years=t.fixed.lifetime_years.model_copy(update={"value": D(30)}),
            ),
            "rounding": RoundingRule(places=2),
        }
    )
    assert number(r"oppervlakte van ([\d.]+) m²") == 6000
    assert number(r"ontwerplevensduur van (\d+) jaar") == 30
    assert number(r"afgerond op (\d+) decimalen") == worked.rounding.places
    discounts = [score(mki, D("0.14"), D(1250000), worked).amount, score(origin, D(70), D(1250000), worked).amount]
    assert discounts == [D("5400.00"), D("20000.00")]
    assert "€ 5.400,00" in text
    assert "€ 20.000,00" in text
    assert f"€ {D(1250000) - sum(discounts):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in text


def _filled(t: Tender) -> Tender:
    """The officer's choices: every open value of the profile's tender filled in."""

    def set_(param: Param, value: str) -> Param:
        return param.model_copy(update={"value": D(value), "example": False})

    criteria = [
        c.model_copy(update={"tolerance": set_(c.tolerance, "0.01" if c.id == "mki" else "2")}) for c in t.criteria
    ]
    fixed = Fixed(
        area_m2=set_(t.fixed.area_m2, "6000"),
        lifetime_years=set_(t.fixed.lifetime_years, "30"),
        calculation_rules="DuboCalc 6.1 met de Nationale Milieudatabase 3.7",
    )
    return t.model_copy(
        update={
            "criteria": criteria,
            "fixed": fixed,
            "tie_break": "lowest_price",
            "rounding": RoundingRule(places=2, mode="half_even"),
            "sanction_factor": set_(t.sanction_factor, "2"),
        }
    )


def test_a_filled_in_tender_publishes_its_rounding_tie_break_tolerances_fixed_values_and_sanction():
    t = _filled(_tender())
    text = _emvi_text(t)
    assert "[in te vullen:" not in text
    assert (
        _number(
            text,
            r"afgerond op (\d+) decimalen, bij een 5 op de eerste weggelaten decimaal naar het "
            r"dichtstbijzijnde even getal",
        )
        == t.rounding.places
    )
    assert "Bij gelijke uitkomst beslist de laagste inschrijfsom." in text
    assert _number(text, r"vaste waarden: oppervlakte ([\d.]+) m²") == t.fixed.area_m2.value
    assert _number(text, r"ontwerplevensduur (\d+) jaar en als rekenregels") == t.fixed.lifetime_years.value
    assert "als rekenregels DuboCalc 6.1 met de Nationale Milieudatabase 3.7." in text
    assert _number(text, r"tekort van ten hoogste € ([\d,]+) ten opzichte") == t.criteria[0].tolerance.value
    assert _number(text, r"tekort van ten hoogste (\d+) % ten opzichte") == t.criteria[1].tolerance.value
    lp = load_profile(profile_path("gmr-voorbeeld-profiel-1"))  # the sanction is a contract term
    contract = build_document("vraagspecificatie", lp, "wegen", Registry(), DAY, tender=t)
    data = renderers.renderer("document", "docx").render(Printable(contract, lp))
    in_contract = " ".join(docx_clauses(data).values()).replace("\u00a0", " ")
    assert _number(in_contract, r"dan betaalt hij (\d+) maal") == t.sanction_factor.value


def test_award_criteria_state_every_method_the_tender_supports():
    base = _tender()
    p = lambda v, unit="num": Param(label=f"waarde {v}", value=D(str(v)), unit=unit)  # noqa: E731
    criteria = [
        Criterion(id="mki", method="mki_value", rule="hnn-gww/mki", params={"factor": p("0.5", "eur_per_eur_mki")}),
        Criterion(
            id="ze",
            method="emission_free_share",
            basis="power_kw",
            params={"level": p(20, "pct"), "factor": p(1000, "eur_per_pct"), "cap": p(40, "pct")},
        ),
        Criterion(id="ladder", method="co2_ladder", params={f"level_{i}": p(i, "pct") for i in range(1, 6)}),
    ]
    text = _emvi_text(base.model_copy(update={"criteria": criteria}))
    assert _number(text, r"Fictieve toeslag = € ([\d,]+) fictieve korting per € MKI × totale MKI") == D("0.5")
    assert "gewogen naar het vermogen in kW" in text
    assert _number(text, r"ten minste (\d+) % van het materieel") == 20
    assert _number(text, r"in procentpunten\) × € ([\d.]+) fictieve korting per procentpunt") == 1000
    assert _number(text, r"bovengrens van (\d+) %") == 40
    assert "Fictieve korting = inschrijfsom × het percentage van dat niveau: niveau 1 1 %, niveau 2 2 %," in text
    points = _tender("gmr-voorbeeld-profiel-3")
    for method, params, formula in (
        ("lowest", {"weight": p(70, "points")}, "Prijspunten = 70 punten × Plaagst ÷ P."),
        (
            "log",
            {"weight": p(70, "points"), "base": p(2)},
            "Prijspunten = 70 punten × (1 − ln(P ÷ Plaagst) ÷ ln 2), nooit minder dan nul",
        ),
    ):
        scale = PriceScale(method=method, params=params)
        text = _emvi_text(points.model_copy(update={"price": scale}), "gmr-voorbeeld-profiel-3")
        assert formula in text, method
    text = _emvi_text(points, "gmr-voorbeeld-profiel-3")
    assert "Prijspunten = 90 punten (voorbeeldwaarde) × (Pmax − P) ÷ (Pmax − Pmin)" in text
    assert "Kwaliteitspunten = score ÷ 10 × 10 punten (voorbeeldwaarde)" in text


def test_generate_writes_the_tender_definition_next_to_the_award_criteria(cgc, tmp_path):
    res = cgc(
        "generate",
        "emvi",
        "--profile",
        "gmr-voorbeeld-profiel-1",
        "--type",
        "wegen",
        "--as-of",
        "2026-03-02",
        "--format",
        "html",
        "-o",
        str(tmp_path),
    )
    assert res.exit_code == 0, res.output
    assert load_tender(tmp_path / "aanbesteding_gmr-voorbeeld-profiel-1_wegen.yaml").tender == _tender()
