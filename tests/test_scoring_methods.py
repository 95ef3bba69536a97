"""Each scoring method of a tender on a bid, with the numbers worked out by hand in the comments."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
import yaml

from cgc_rules.errors import CgcError
from cgc_rules.evaluator import Facts
from cgc_rules.scoring.bids import Statements
from cgc_rules.scoring.calc import offered, score
from cgc_rules.scoring.score import score_bids
from cgc_rules.submission import Submission
from cgc_rules.tender import load_tender
from cgc_rules.tender.io import dump_tender
from cgc_rules.tender.model import Criterion, Fixed, Param, PriceScale, RoundingRule, Tender

from .conftest import materials, road

D = Decimal
HNN = "951c6034c88d1d7b758a539937a0b08d828cf801af4820cee2f470e3f6ee328d"


def p(value, unit="num") -> Param:
    return Param(label="x", value=None if value is None else D(str(value)), unit=unit, source="test")


def tender(method="gunnen_op_waarde", criteria=(), price=None, places=2) -> Tender:
    return Tender(
        id="t",
        title="T",
        municipality="M",
        profile="gmr-voorbeeld-profiel-1",
        project_type="wegen",
        tender_date=date(2026, 3, 2),
        rulesets=[{"id": "hnn-gww", "version": "2026.1", "sha256": HNN}],
        fixed=Fixed(area_m2=p(1000), lifetime_years=p(50), calculation_rules="test"),
        knockouts=[],
        method=method,
        criteria=list(criteria),
        price=price,
        rounding=RoundingRule(places=places),
        sanction_factor=p(1.5),
        point_value=p(1000, "eur") if method == "gewogen_factoren" else None,
    )


def sub(**over) -> Submission:
    return Submission.model_validate(road(**over))


def test_mki_value_surcharge_on_the_total_mki():
    c = Criterion(id="mki", method="mki_value", params={"factor": p("0.5")})
    t = tender(criteria=[c])
    s = sub(impact={"mki_eur_total": 8500})  # € 8.500 of MKI: fictive bid + 0,5 × 8.500 = + € 4.250
    value = offered(c, s, Facts(s), Statements(), t)
    got = score(c, value, D(100000), t)
    assert (value, got.effect, got.amount) == (D(8500), "surcharge", D("4250.00"))
    # given per m² per year only: € 0,17 × 1.000 m² × 50 jaar = € 8.500 total
    s2 = sub(impact={"mki_eur_per_m2_year": 0.17})
    assert offered(c, s2, Facts(s2), Statements(), t) == D("8500.00")


def test_emission_free_share_by_count_and_by_power():
    equipment = [
        {"name": "a", "power_kw": 300, "emission_class": "stage-v", "year": 2022},
        {"name": "b", "power_kw": 100, "emission_class": "emissieloos", "year": 2024},
    ]
    s = sub(equipment=equipment)
    params = {"level": p(20, "pct"), "factor": p(1000, "eur_per_pct"), "cap": p(40, "pct")}
    by_count = Criterion(id="ze", method="emission_free_share", basis="count", params=params)
    by_power = Criterion(id="ze", method="emission_free_share", basis="power_kw", params=params)
    t = tender(criteria=[by_count])
    # by count 1 of 2 = 50 %, held at the cap 40 %: (40 − 20) × € 1.000 = € 20.000
    assert score(by_count, offered(by_count, s, Facts(s), Statements(), t), D(1), t).amount == D("20000.00")
    # by power 100 of 400 kW = 25 %: (25 − 20) × € 1.000 = € 5.000
    assert score(by_power, offered(by_power, s, Facts(s), Statements(), t), D(1), t).amount == D("5000.00")


def test_co2_ladder_level_percentages_and_no_certificate():
    steps = {f"level_{n}": p(v, "pct") for n, v in zip(range(1, 6), (1, 2, 4, 7, 10), strict=True)}
    c = Criterion(id="ladder", method="co2_ladder", params=steps)
    t = tender(criteria=[c])
    s = sub()
    # level 5: 10 % × € 1.234.567 = € 123.456,70; level 0: nothing; no statement: nothing, said so
    assert score(c, offered(c, s, Facts(s), Statements(co2_ladder_level=5), t), D(1234567), t).amount == D("123456.70")
    assert score(c, offered(c, s, Facts(s), Statements(co2_ladder_level=0), t), D(1234567), t).amount == 0
    missing = score(c, offered(c, s, Facts(s), Statements(), t), D(1234567), t)
    assert (missing.value, missing.amount, missing.calc.key) == (None, 0, "award.calc.missing")


def test_rounding_rule_applies_to_each_amount():
    c = Criterion(id="herkomst", method="origin_discount", params={"level": p(62, "pct"), "factor": p(3, "eur")})
    # 1 van 3 t verantwoord = 33,33…%; below the level → 0. 2 van 3 = 66,666…%: 4,666… × € 3 = € 13,999…
    s = sub(materials=materials(2, 1))
    for places, want in ((2, D("14.00")), (0, D("14")), (4, D("14.0000"))):
        t = tender(criteria=[c], places=places)
        assert score(c, offered(c, s, Facts(s), Statements(), t), D(1), t).amount == want


def _bids(tmp_path, t: Tender, prices_and_origin):
    path = tmp_path / "tender.yaml"
    path.write_text(dump_tender(t), encoding="utf-8")
    lt = load_tender(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    files = []
    for i, (price, good) in enumerate(prices_and_origin):
        bid = {
            "bidder": f"B{i}",
            "price": price,
            "tender": {"id": t.id, "sha256": sha},
            "submission": road(materials=materials(good, 100 - good), impact={"mki_eur_total": 5000}),
        }
        f = tmp_path / f"bid{i}.yaml"
        f.write_text(yaml.safe_dump(bid, sort_keys=False), encoding="utf-8")
        files.append(f)
    return lt, files


def test_gewogen_factoren_with_each_price_method(tmp_path):
    origin = Criterion(
        id="herkomst",
        method="origin_points",
        params={"level": p(62, "pct"), "cap": p(82, "pct"), "weight": p(30, "points")},
    )
    # herkomst 72 %: score 10 × (72 − 62) ÷ (82 − 62) = 5; punten 5 ÷ 10 × 30 = 15
    bids = [(100000, 72), (120000, 72)]
    cases = {
        # Pmin 90.000, Pmax 130.000, weging 70: 70 × 30.000 ÷ 40.000 = 52,5 and 70 × 10.000 ÷ 40.000 = 17,5
        "range": ({"weight": p(70), "low": p(90000), "high": p(130000)}, [D("52.50"), D("17.50")]),
        # 70 × 100.000 ÷ 100.000 = 70 and 70 × 100.000 ÷ 120.000 = 58,333… → 58,33
        "lowest": ({"weight": p(70)}, [D("70.00"), D("58.33")]),
        # A = 1,5: 70 and 70 × (1 − ln 1,2 ÷ ln 1,5) = 70 × (1 − 0,449660) = 38,52378… → 38,52
        "log": ({"weight": p(70), "base": p("1.5")}, [D("70.00"), D("38.52")]),
    }
    for method, (params, want) in cases.items():
        t = tender("gewogen_factoren", [origin], PriceScale(method=method, params=params))
        lt, files = _bids(tmp_path, t, bids)
        award = score_bids(lt, files)
        assert [r.price_points for r in award.results] == want, method
        assert [r.quality for r in award.results] == [D("15.00"), D("15.00")]
        assert [r.result for r in award.results] == [w + D(15) for w in want]
        assert [r.rank for r in award.results] == [1, 2]


def test_a_tie_without_a_rule_is_flagged_and_names_no_winner(tmp_path):
    origin = Criterion(id="herkomst", method="origin_discount", params={"level": p(62, "pct"), "factor": p(100)})
    lt, files = _bids(tmp_path, tender(criteria=[origin]), [(100000, 72), (100000, 72)])
    award = score_bids(lt, files)
    assert [r.rank for r in award.results] == [1, 1]
    assert all(r.tie.key == "award.tie.open" for r in award.results)
    assert award.winner is None


def test_a_price_range_without_width_is_refused_where_the_tender_says_it(tmp_path):
    # Pmax = Pmin would divide by zero in weight × (Pmax − P) ÷ (Pmax − Pmin)
    good = tender(
        "gewogen_factoren", [], PriceScale(method="range", params={"weight": p(70), "low": p(1), "high": p(2)})
    )
    text = dump_tender(good)
    assert text.count("value: 2\n") == 1
    path = tmp_path / "tender.yaml"
    path.write_text(text.replace("value: 2\n", "value: 1\n"), encoding="utf-8")
    with pytest.raises(CgcError) as caught:
        load_tender(path)
    message = str(caught.value)
    assert "Pmax" in message
    assert "tender.yaml" in message
