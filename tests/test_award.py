"""Award arithmetic against numbers worked out by hand."""

from decimal import Decimal

import pytest

from cgc_rules.award import fictive_price, mki_offer, money, origin_offer, origin_points, price_points

D = Decimal


def test_money_reads_the_shortest_decimal_form():
    assert money(0.17) == D("0.17")
    assert money(D("1.5")) == D("1.5")
    assert money(3) == D(3)


def test_mki_offer_below_the_level_earns_its_difference_over_area_and_lifetime():
    # level € 0,17, offer € 0,12: € 0,05 better × 1.000 m² × 50 years = € 2.500; × factor 2 = € 5.000
    got = mki_offer(D("0.17"), D("0.12"), area_m2=1000, lifetime_years=50, factor=D("2"))
    assert (got.counted, got.better, got.total, got.discount) == (D("0.12"), D("0.05"), D("2500"), D("5000"))


def test_mki_offer_under_the_floor_counts_as_the_floor():
    # floor € 0,14: the offer of € 0,12 counts as € 0,14, so € 0,03 × 1.000 × 50 = € 1.500
    got = mki_offer(D("0.17"), D("0.12"), area_m2=1000, lifetime_years=50, floor=D("0.14"), factor=D("1"))
    assert (got.offered, got.counted, got.better, got.total, got.discount) == (
        D("0.12"), D("0.14"), D("0.03"), D("1500"), D("1500"))


def test_mki_offer_above_the_level_earns_nothing_and_without_factor_no_discount():
    got = mki_offer(D("0.17"), D("0.20"), area_m2=1000, lifetime_years=50)
    assert (got.better, got.total, got.discount) == (D("0"), D("0"), None)


def test_origin_offer_counts_up_to_the_cap():
    # level 50 %, offer 70 %, cap 65 %: 15 points above; × € 1.000 per point = € 15.000
    got = origin_offer(50.0, 70.0, cap=65.0, factor=D("1000"))
    assert (got.counted, got.above, got.discount) == (65.0, 15.0, D("15000"))
    below = origin_offer(50.0, 40.0, factor=D("1000"))
    assert (below.counted, below.above, below.discount) == (40.0, 0.0, D("0"))


def test_origin_points_linear_from_level_to_cap():
    # scale 10, weight 30: at the cap 10 → 30 points; 6 of 15 points above → score 4 → 12 points
    top = origin_points(50.0, origin_offer(50.0, 70.0, cap=65.0), cap=65.0, weight=30.0, scale=10)
    assert top is not None and (top.score, top.points) == (10.0, 30.0)
    part = origin_points(50.0, origin_offer(50.0, 56.0, cap=65.0), cap=65.0, weight=30.0, scale=10)
    assert part is not None and (part.score, part.points) == pytest.approx((4.0, 12.0))
    low = origin_points(50.0, origin_offer(50.0, 45.0, cap=65.0), cap=65.0, weight=30.0, scale=10)
    assert low is not None and (low.score, low.points) == (0.0, 0.0)
    assert origin_points(50.0, origin_offer(50.0, 70.0), cap=50.0, weight=30.0, scale=10) is None


def test_price_points_full_weight_at_the_lowest_price_none_at_the_highest():
    # Pmin € 80.000, Pmax € 120.000, weight 70: a bid of € 100.000 lies halfway → 35 points
    assert price_points(70.0, D("100000"), D("80000"), D("120000")) == 35.0
    assert price_points(70.0, D("70000"), D("80000"), D("120000")) == 70.0
    assert price_points(70.0, D("130000"), D("80000"), D("120000")) == 0.0
    assert price_points(70.0, D("100000"), D("120000"), D("120000")) is None


def test_fictive_price_is_the_bid_less_every_discount():
    assert fictive_price(D("1000000"), [D("5000"), D("15000")]) == D("980000")
    assert fictive_price(D("1000000"), []) == D("1000000")
