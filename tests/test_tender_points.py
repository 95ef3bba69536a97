"""A points tender from `cgc tender init` to the delivery check: every open field refused by name before
publication, then filled in, scored and verified; the figures worked out by hand."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import yaml

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"
D = Decimal


def _bid(folder: Path, tender: Path, name: str, price: int, origin: int) -> Path:
    """A bid with `origin` t of 100 t recycled, for the tender as it now stands."""
    t = yaml.safe_load(tender.read_text(encoding="utf-8"))
    sub = yaml.safe_load((EX / "inzending-alfa.yaml").read_text(encoding="utf-8"))
    sub["materials"] = [
        {"name": "Granulaat", "mass_t": origin, "origin": "gerecycled"},
        {"name": "Nieuw", "mass_t": 100 - origin, "origin": "primair"},
    ]
    bid = {
        "bidder": name,
        "price": price,
        "tender": {"id": t["id"], "sha256": hashlib.sha256(tender.read_bytes()).hexdigest()},
        "submission": sub,
    }
    path = folder / f"bod-{name.lower()}.yaml"
    path.write_text(yaml.safe_dump(bid, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fill(tender: Path, change) -> None:
    data = yaml.safe_load(tender.read_text(encoding="utf-8"))
    change(data)
    tender.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _officer(d: dict) -> None:
    """What the officer fills in: the numbers the method needs, all before publication."""
    d["fixed"]["area_m2"]["value"] = 1000
    d["fixed"]["lifetime_years"]["value"] = 50
    d["price"]["params"]["low"]["value"] = 80000
    d["price"]["params"]["high"]["value"] = 120000
    d["criteria"][0]["params"]["weight"]["value"] = 40
    d["price"]["params"]["weight"]["value"] = 60
    d["criteria"][0]["tolerance"]["value"] = 1
    d["rounding"]["places"] = 2
    d["sanction_factor"]["value"] = 1.5
    d["point_value"]["value"] = 500


def test_init_fill_in_score_and_verify_a_points_tender(cgc, tmp_path):
    tender = tmp_path / "tender.yaml"
    res = cgc("tender", "init", "--profile", "gmr-voorbeeld-profiel-3", "--type", "wegen", "--date", "2026-03-02")
    assert res.exit_code == 2  # -o is required
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
        tender,
    )
    assert res.exit_code == 0, res.output
    # as initialised: complete for its method (point_value is there), open values refused by name before any bid
    assert "point_value:" in tender.read_text(encoding="utf-8")
    bid = _bid(tmp_path, tender, "Alfa", 100000, 75)
    res = cgc("score", tender, bid, "--format", "json")
    assert res.exit_code == 2
    for field in ("fixed.area_m2", "price.params.low", "criteria[0].tolerance", "point_value"):
        assert f"{field}: nog niet ingevuld" in res.output, field
    assert "calculation_rules" not in res.output  # no MKI criterion: no calculation rules asked for
    # filled in, but herkomst is an award criterion without a knock-out: the officer must confirm that
    _fill(tender, _officer)
    bid = _bid(tmp_path, tender, "Alfa", 100000, 75)
    res = cgc("score", tender, bid, "--format", "json")
    assert res.exit_code == 2
    assert "criteria[0].accept_without_knockout: gunningscriterium herkomst-materiaal scoort regel" in res.output
    _fill(tender, lambda d: d["criteria"][0].update(accept_without_knockout=True))
    # published: bids name this sha256, and nothing is filled in afterwards
    bids = [_bid(tmp_path, tender, "Alfa", 100000, 75), _bid(tmp_path, tender, "Beta", 90000, 62)]
    res = cgc("score", tender, *bids, "--format", "json", "--date", "2026-04-01")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    alfa, beta = data["bids"]
    # Alfa: prijs 60 × (120.000 − 100.000) ÷ 40.000 = 30; herkomst 75 %: score 10 × 13 ÷ 18 = 7,2222 → 7,22,
    # punten 40 × 13 ÷ 18 = 28,8889 → 28,89 (not 7,22 ÷ 10 × 40 = 28,88); totaal 58,89
    # Beta: prijs 60 × 30.000 ÷ 40.000 = 45; herkomst 62 %: 0 punten; totaal 45
    assert (alfa["bidder"], alfa["price_points"], alfa["quality"], alfa["result"]) == (
        "Alfa",
        "30.00",
        "28.89",
        "58.89",
    )
    assert (beta["price_points"], beta["quality"], beta["result"]) == ("45.00", "0.00", "45.00")
    calc = alfa["criteria"][0]["calc"].replace("\u00a0", " ")
    assert "= 7,2222, afgerond 7,22;" in calc
    assert (
        "punten = score ÷ 10 × 40 punten = 40 punten × (75 % − 62 %) ÷ (80 % − 62 %) = 28,8889, afgerond 28,89" in calc
    )
    assert data["standstill"] == {
        "days": 20,
        "sent": "2026-04-01",
        "sent_text": "1 april 2026",
        "end": "2026-04-21",
        "end_text": "21 april 2026",
    }
    # delivered 70 %: score 10 × 8 ÷ 18 → points 40 × 8 ÷ 18 = 17,78; lost 28,89 − 17,78 = 11,11 points
    # × € 500 = € 5.555; sanction 1,5 × € 5.555 = € 8.332,50
    built = tmp_path / "oplevering.yaml"
    sub = yaml.safe_load(bids[0].read_text(encoding="utf-8"))["submission"]
    sub["materials"] = [
        {"name": "Granulaat", "mass_t": 70, "origin": "gerecycled"},
        {"name": "Nieuw", "mass_t": 30, "origin": "primair"},
    ]
    built.write_text(yaml.safe_dump(sub, allow_unicode=True), encoding="utf-8")
    res = cgc("verify", tender, bids[0], built, "--format", "json")
    assert res.exit_code == 1, res.output
    check = json.loads(res.output)["checks"][0]
    assert (D(check["shortfall"]), D(check["advantage_lost"]), D(check["sanction"])) == (D(5), D("11.11"), D("8332.50"))
    # delivered as promised: exit 0, no sanction
    res = cgc("verify", tender, bids[0], _bid(tmp_path, tender, "Alfa", 100000, 75), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["total_text"] == "Geen sanctie: elke belofte is nagekomen, binnen de tolerantie."


def test_a_points_tender_without_point_value_is_refused_by_name(cgc, tmp_path):
    tender = tmp_path / "tender.yaml"
    tender.write_text((EX / "punten" / "tender.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _fill(tender, lambda d: d.pop("point_value"))
    res = cgc("score", tender, *sorted((EX / "punten").glob("bod-*.yaml")))
    assert res.exit_code == 2
    assert "gewogen_factoren needs point_value" in res.output
