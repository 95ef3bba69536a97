"""Award arithmetic against numbers worked out by hand."""

from decimal import Decimal

from cgc_rules.award import (
    Rounding,
    above_level,
    ladder_discount,
    linear_points,
    log_points,
    lowest_points,
    mki_bounds_discount,
    mki_value_surcharge,
    money,
    points_value,
    range_points,
    rounded,
    shortfall_sanction,
)

D = Decimal


def test_money_reads_the_shortest_decimal_form():
    assert money(0.17) == D("0.17")
    assert money(D("1.5")) == D("1.5")
    assert money(3) == D(3)


def test_rounding_rule_half_up_half_even_and_down():
    assert rounded(D("0.125"), 2, Rounding.half_up) == D("0.13")
    assert rounded(D("0.125"), 2, Rounding.half_even) == D("0.12")
    assert rounded(D("0.135"), 2, Rounding.half_even) == D("0.14")
    assert rounded(D("0.129"), 2, Rounding.down) == D("0.12")
    assert rounded(D("14400"), 0, Rounding.half_up) == D("14400")


def test_mki_bounds_between_ceiling_and_floor():
    # ceiling € 0,17, floor € 0,08, 12.000 m² × 40 jaar, factor 1
    # offer € 0,13: (0,17 − 0,13) × 12.000 × 40 × 1 = 0,04 × 480.000 = € 19.200
    assert mki_bounds_discount(D("0.13"), D("0.17"), D("0.08"), D(12000), D(40), D(1)) == (D("0.13"), D("19200.00"))
    # offer € 0,05 under the floor counts as € 0,08: 0,09 × 480.000 = € 43.200
    assert mki_bounds_discount(D("0.05"), D("0.17"), D("0.08"), D(12000), D(40), D(1)) == (D("0.08"), D("43200.00"))
    # offer exactly on the ceiling earns nothing; above it counts as the ceiling (no negative discount)
    assert mki_bounds_discount(D("0.17"), D("0.17"), D("0.08"), D(12000), D(40), D(1))[1] == 0
    assert mki_bounds_discount(D("0.20"), D("0.17"), None, D(12000), D(40), D(1)) == (D("0.17"), D("0.00"))


def test_mki_value_adds_factor_times_total_mki():
    # total MKI € 62.400, factor 0,5: fictive bid = price + € 31.200
    assert mki_value_surcharge(D("62400"), D("0.5")) == D("31200.0")


def test_share_above_the_level_up_to_the_cap():
    # level 62 %, cap 90 %: offer 73,68 % → 11,68 points; offer 95 % counts as 90 % → 28 points; 58 % → 0
    assert above_level(D("73.68"), D(62), D(90)) == (D("73.68"), D("11.68"))
    assert above_level(D(95), D(62), D(90)) == (D(90), D(28))
    assert above_level(D(58), D(62), None) == (D(58), D(0))
    # × € 2.500 per point: 11,68 × 2.500 = € 29.200
    assert above_level(D("73.68"), D(62), D(90))[1] * D(2500) == D("29200.00")


def test_co2_ladder_percentage_of_the_price():
    # level 3 at 4 % of € 2.380.000 = € 95.200
    assert ladder_discount(D(2380000), D(4)) == D(95200)


def test_linear_points_from_level_to_cap():
    # level 62, cap 80, scale 10, weight 10: offer 71 → score 10 × 9 ÷ 18 = 5 → points 5 ÷ 10 × 10 = 5
    assert linear_points(D(71), D(62), D(80), D(10), D(10)) == (D(5), D(5))
    # at and above the cap the full score; at and below the level nothing
    assert linear_points(D(85), D(62), D(80), D(10), D(10)) == (D(10), D(10))
    assert linear_points(D(60), D(62), D(80), D(10), D(10)) == (D(0), D(0))


def test_price_points_range_lowest_and_log():
    # range: Pmin 80.000, Pmax 120.000, weight 70: P 100.000 → 70 × 20.000 ÷ 40.000 = 35; below Pmin 70; above Pmax 0
    assert range_points(D(70), D(100000), D(80000), D(120000)) == D(35)
    assert range_points(D(70), D(70000), D(80000), D(120000)) == D(70)
    assert range_points(D(70), D(130000), D(80000), D(120000)) == D(0)
    # lowest: weight 60, Pbest 90.000, P 120.000 → 60 × 90.000 ÷ 120.000 = 45
    assert lowest_points(D(60), D(120000), D(90000)) == D(45)
    # log, A = 2: P = Pbest → full 60; P = 1,5 × Pbest → 60 × (1 − ln 1,5 ÷ ln 2) = 60 × (1 − 0,5849625) = 24,90225
    assert log_points(D(60), D(90000), D(90000), D(2)) == D(60)
    assert rounded(log_points(D(60), D(135000), D(90000), D(2)), 4, Rounding.half_up) == D("24.9022")
    # P = A × Pbest scores 0, and more than that never goes negative
    assert log_points(D(60), D(180000), D(90000), D(2)) == 0
    assert log_points(D(60), D(270000), D(90000), D(2)) == 0


def test_sanction_is_the_factor_times_the_value_lost_never_a_bonus():
    # promised € 19.200 discount, as built earns € 12.000: 1,5 × 7.200 = 10.800; doing better costs nothing
    assert shortfall_sanction(D("19200"), D("12000"), D("1.5")) == D("10800.0")
    assert shortfall_sanction(D("12000"), D("19200"), D("1.5")) == D("0")
    # 0,38 points lost at € 1.000 per point: € 380, and 1,5 × that is € 570
    assert shortfall_sanction(points_value(D("0.38"), D("1000")), D("0"), D("1.5")) == D("570.000")
