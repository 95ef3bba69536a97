"""The delivery check measured from what the award counted: at or within the floor, better than promised,
and a sanction left to the client; and the MKI offer worded by where it lies against floor and ceiling."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"
D = Decimal


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for f in EX.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _mki(path: Path, total: int) -> None:
    """Set the total MKI (€) of a bid's or an as-built file's submission."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["submission"]["impact"] = {"mki_eur_total": total}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _verify(cgc, copy: Path) -> tuple[int, dict]:
    res = cgc(
        "verify", copy / "tender.yaml", copy / "bod-epsilon.yaml", copy / "oplevering-epsilon.yaml", "--format", "json"
    )
    return res.exit_code, json.loads(res.output)


def test_a_delivery_at_or_within_the_floor_is_kept(cgc, copy):
    # offer € 24.000 ÷ 480.000 = € 0,05, counted at award as the floor € 0,08;
    # built € 38.400 ÷ 480.000 = € 0,08: no shortfall against what counted, exit 0, no sanction
    _mki(copy / "bod-epsilon.yaml", 24000)
    _mki(copy / "oplevering-epsilon.yaml", 38400)
    code, data = _verify(cgc, copy)
    mki = next(c for c in data["checks"] if c["criterion"] == "mki")
    assert code == 0  # herkomst 73,68 → 73 % is within its tolerance and the ladder is kept
    assert (D(mki["shortfall"]), mki["within_tolerance"], D(mki["sanction"])) == (D(0), True, D(0))
    calc = mki["calc"].replace("\u00a0", " ")
    assert "Beloofd € 0,05 per m² per jaar (bij gunning gerekend als € 0,08 per m² per jaar)" in calc
    assert "geen tekort" in calc
    assert "-" not in calc


def test_a_better_delivery_has_no_negative_shortfall_and_says_no_sanction(cgc, copy):
    # promised € 0,13, built € 57.600 ÷ 480.000 = € 0,12; herkomst and ladder as promised
    _mki(copy / "oplevering-epsilon.yaml", 57600)
    data = yaml.safe_load((copy / "oplevering-epsilon.yaml").read_text(encoding="utf-8"))
    data["submission"]["materials"] = [
        {"name": "Granulaat", "mass_t": 7368, "origin": "gerecycled"},
        {"name": "Nieuw", "mass_t": 2632, "origin": "primair"},
    ]
    (copy / "oplevering-epsilon.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = _verify(cgc, copy)
    assert code == 0
    assert all(D(c["shortfall"]) == 0 and D(c["sanction"]) == 0 for c in out["checks"])
    assert "tekort € -" not in json.dumps(out, ensure_ascii=False)
    assert out["total_text"] == "Geen sanctie: elke belofte is nagekomen, binnen de tolerantie."


def test_no_euro_total_where_the_client_decides(cgc, copy):
    # the as-built file has no ladder certificate: that promise cannot be checked; no "Sanctie totaal: € 0,00"
    data = yaml.safe_load((copy / "oplevering-epsilon.yaml").read_text(encoding="utf-8"))
    data["submission"]["impact"] = {"mki_eur_total": 62400}
    data.pop("statements")
    (copy / "oplevering-epsilon.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = _verify(cgc, copy)
    assert code == 1
    assert out["left_to_client"] == ["co2-prestatieladder"]
    assert (
        out["total_text"]
        == "Geen sanctie berekend. Voor co2-prestatieladder beslist de opdrachtgever over een sanctie."
    )
    res = cgc("verify", copy / "tender.yaml", copy / "bod-epsilon.yaml", copy / "oplevering-epsilon.yaml")
    assert "Sanctie totaal" not in res.output


def test_the_mki_offer_is_worded_by_where_it_lies(cgc, copy):
    # € 24.000 ÷ 480.000 = € 0,05: below the floor, counted as € 0,08: (0,17 − 0,08) × 480.000 × 1 = € 43.200
    _mki(copy / "bod-epsilon.yaml", 24000)
    res = cgc("score", copy / "tender.yaml", copy / "bod-epsilon.yaml", "--format", "json")
    assert res.exit_code == 0, res.output
    calc = json.loads(res.output)["bids"][0]["criteria"][0]["calc"].replace("\u00a0", " ")
    assert calc == (
        "MKI van het hele werk € 24.000,00 ÷ (12.000 m² × 40 jaar) = € 0,05 per m² per jaar, onder de ondergrens "
        "€ 0,08: gerekend als de ondergrens € 0,08; korting = (€ 0,17 − € 0,08) × 12.000 m² × 40 jaar × 1 = € 43.200,00"
    )
    # € 62.500 ÷ 480.000 = € 0,1302083…: written in the bid's own total, so the sum is exact
    _mki(copy / "bod-epsilon.yaml", 62500)
    res = cgc("score", copy / "tender.yaml", copy / "bod-epsilon.yaml", "--format", "json")
    calc = json.loads(res.output)["bids"][0]["criteria"][0]["calc"].replace("\u00a0", " ")
    assert "= afgerond € 0,1302 per m² per jaar, tussen de ondergrens € 0,08 en het plafond € 0,17" in calc
    assert calc.endswith("korting = (€ 0,17 × 12.000 m² × 40 jaar − € 62.500,00) × 1 = € 19.100,00")
