"""Tenders, bids and delivery fenced (issue 18): numbers that broke the arithmetic, markup in the score table."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from cgc_rules import award
from cgc_rules.errors import CgcError
from cgc_rules.numbers import notation
from cgc_rules.tender import load_tender

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"


@pytest.fixture
def tender_dir(tmp_path: Path) -> Path:
    shutil.copytree(EX, tmp_path / "aanbesteding")
    return tmp_path / "aanbesteding"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("field", ["area_m2", "lifetime_years"])
def test_a_fixed_area_or_lifetime_of_zero_is_refused_where_it_stands(tender_dir, field):
    """A lifetime of 0 divided the MKI by zero when the bids were scored."""
    value = "value: 12000" if field == "area_m2" else "value: 40"
    _edit(tender_dir / "tender.yaml", value, "value: 0")
    with pytest.raises(CgcError) as info:
        load_tender(tender_dir / "tender.yaml")
    (problem,) = info.value.problems
    assert problem.field == f"fixed.{field}"
    assert problem.message == "must be more than 0 (the MKI is per m² per year)"


def test_a_tender_number_beyond_the_limit_is_refused_where_it_stands(tender_dir):
    """`level_3.value: "1e308"` broke the rounding (decimal.InvalidOperation)."""
    _edit(tender_dir / "tender.yaml", "value: 4\n", "value: '1e308'\n")  # text: read as a Decimal
    with pytest.raises(CgcError) as info:
        load_tender(tender_dir / "tender.yaml")
    (problem,) = info.value.problems
    assert problem.line == 116
    assert problem.field.endswith("level_3.value")
    assert "less than or equal to" in problem.message


def test_a_bid_price_beyond_the_limit_is_bad_input_and_the_others_are_scored(cgc, tender_dir):
    """`price: 1e308` broke the money formatting; now that bid is reported and the others still ranked."""
    _edit(tender_dir / "bod-beta.yaml", "price: 2200000", "price: '1e308'")  # text: read as a Decimal
    res = cgc("score", tender_dir / "tender.yaml", *sorted(tender_dir.glob("bod-*.yaml")))
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "bod-beta.yaml:3:" in res.output
    assert "price" in res.output
    assert "Epsilon Wegenbouw" in res.output


def test_markup_in_a_submission_is_shown_as_written_in_the_score_table(cgc, tender_dir):
    """`origin: '[/]'` behind a bid made the table raise rich's MarkupError."""
    _edit(tender_dir / "inzending-alfa.yaml", "origin: primair", "origin: '[/]'")
    res = cgc("score", tender_dir / "tender.yaml", *sorted(tender_dir.glob("bod-*.yaml")))
    assert res.exit_code == 2 and res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "'[/]'" in res.output


def test_rounding_and_writing_amounts_beyond_the_decimal_context():
    """Products of bounded numbers can pass 28 digits: rounded with the precision they need, written out."""
    big = Decimal(10) ** 40 + Decimal("0.125")
    assert award.rounded(big, 2, award.Rounding.half_up) == Decimal(10) ** 40 + Decimal("0.13")
    assert award.rounded(Decimal("2.675"), 2, award.Rounding.half_even) == Decimal("2.68")
    assert notation("nl").eur(Decimal("1e308")).startswith("€\u00a01")


def test_markup_in_a_bidder_name_is_shown_as_written_in_the_delivery_check(cgc, tender_dir):
    """Found by the fuzz: a bidder named with rich markup made `cgc verify`'s table raise MarkupError."""
    _edit(tender_dir / "bod-epsilon.yaml", "bidder: Epsilon Wegenbouw", "bidder: '[/bold] Epsilon Wegenbouw'")
    res = cgc(
        "verify", tender_dir / "tender.yaml", tender_dir / "bod-epsilon.yaml", tender_dir / "oplevering-epsilon.yaml"
    )
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code in (0, 1)
    assert "[/bold] Epsilon Wegenbouw" in res.output


def test_markup_in_a_ruleset_is_shown_as_written_by_rulesets_show(cgc, tmp_path):
    from cgc_rules.resources import bundled

    folder = tmp_path / "rulesets" / "hnn-gww"
    folder.mkdir(parents=True)
    text = (Path(str(bundled("rulesets"))) / "hnn-gww" / "2026.1.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Het Nieuwe", "title: '[/] Het Nieuwe", 1).replace("2026–2030\n", "2026–2030'\n", 1)
    text = text.replace("{nl: Herkomst materiaal,", "{nl: '[/bold] Herkomst',", 1)
    (folder / "2026.1.yaml").write_text(text, encoding="utf-8")
    res = cgc("rulesets", "show", "hnn-gww", "--rulesets-dir", tmp_path / "rulesets")
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "[/] Het Nieuwe Normaal" in res.output
    assert "[/bold] Herkomst" in res.output
