"""The tender definition: built from a profile, written and read back, refused while open, and equal to the
published award criteria (read back from the DOCX)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from cgc_rules.documents import generate
from cgc_rules.profile import load_profile, profile_path
from cgc_rules.scoring.calc import score
from cgc_rules.tender import build_tender, load_tender, open_fields
from cgc_rules.tender.model import Fixed, Method, RoundingRule

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
        Method.mki_bounds, D("0.17"), D("0.08"), D(1))
    assert mki.params["ceiling"].source == "hnn-gww@2026.1, regel mki"
    assert (origin.method, origin.params["level"].value, origin.params["cap"].value) == (
        Method.origin_discount, D(62), D(90))
    assert t.sanction_factor.value == D("1.5") and t.sanction_factor.example
    # what no source gives stays open
    assert t.fixed.area_m2.value is None and t.rounding.places is None and t.tie_break is None


def test_init_writes_a_file_that_reads_back_the_same_and_names_every_open_parameter(cgc, tmp_path):
    out = tmp_path / "tender.yaml"
    res = cgc("tender", "init", "--profile", "gmr-voorbeeld-profiel-3", "--type", "wegen", "--date", "2026-03-02",
              "-o", str(out))
    assert res.exit_code == 0, res.output
    lt = load_tender(out)
    assert lt.tender == _tender("gmr-voorbeeld-profiel-3")
    assert lt.tender.method == "gewogen_factoren" and lt.tender.price.method.value == "range"
    problems = [str(p) for p in open_fields(lt)]
    for field in ("fixed.area_m2", "fixed.lifetime_years", "price.params.low", "price.params.high", "rounding"):
        assert any(re.search(rf"tender\.yaml:\d+:\d+: {re.escape(field)}: parameter left open", p) for p in problems)
    assert any("calculation_rules" in p for p in problems)


def test_published_award_criteria_state_the_parameters_and_formulas_scoring_uses():
    t = _tender()
    data = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["docx"], as_of=DAY)[0].data
    clauses = docx_clauses(data)
    text = " ".join(clauses.values())

    def number(pattern: str) -> Decimal:
        m = re.search(pattern, text)
        assert m, pattern
        return D(m[1].replace(".", "").replace(",", "."))

    mki, origin = {c.id: c for c in t.criteria}["mki"], {c.id: c for c in t.criteria}["herkomst-materiaal"]
    assert number(r"ten hoogste € ([\d,]+) MKI per m² per jaar") == mki.params["ceiling"].value
    assert number(r"ontwerplevensduur × € ([\d.,]+) fictieve korting per € MKI") == mki.params["factor"].value
    assert number(r"ondergrens van € ([\d,]+)") == mki.params["floor"].value
    assert number(r"ten minste (\d+) % van de totale materiaalmassa") == origin.params["level"].value
    assert number(r"procentpunten\) × € ([\d.]+) fictieve korting per procentpunt") == origin.params["factor"].value
    assert number(r"bovengrens van (\d+) %") == origin.params["cap"].value
    assert number(r"betaalt de opdrachtnemer ([\d,]+) ") == t.sanction_factor.value
    # the formulas: the published one and the one scoring writes out have the same terms in the same order
    assert "Fictieve korting = (plafond − aangeboden MKI) × oppervlakte × ontwerplevensduur ×" in text
    assert "Fictieve korting = (aangeboden aandeel − eisniveau, in procentpunten) ×" in text
    # and scoring the document's worked example (€ 1.250.000; 6.000 m², 30 jaar; MKI € 0,14; 70 %) with the
    # tender gives the document's own results: € 5.400,00 and € 20.000,00, fictive € 1.224.600,00
    worked = t.model_copy(update={"fixed": Fixed(area_m2=t.fixed.area_m2.model_copy(update={"value": D(6000)}),
                                                 lifetime_years=t.fixed.lifetime_years.model_copy(
                                                     update={"value": D(30)})),
                                  "rounding": RoundingRule(places=2)})
    discounts = [score(mki, D("0.14"), D(1250000), worked).amount, score(origin, D(70), D(1250000), worked).amount]
    assert discounts == [D("5400.00"), D("20000.00")]
    assert "€ 5.400,00" in text.replace("\u00a0", " ") and "€ 20.000,00" in text.replace("\u00a0", " ")
    assert f"€ {D(1250000) - sum(discounts):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in \
        text.replace("\u00a0", " ")


def test_generate_writes_the_tender_definition_next_to_the_award_criteria(cgc, tmp_path):
    res = cgc("generate", "emvi", "--profile", "gmr-voorbeeld-profiel-1", "--type", "wegen", "--as-of", "2026-03-02",
              "--format", "html", "-o", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert load_tender(tmp_path / "aanbesteding_gmr-voorbeeld-profiel-1_wegen.yaml").tender == _tender()
