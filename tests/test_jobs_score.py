"""The score and verify jobs on the example tender: ranks, exclusions, letters and the delivery sanction."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cgc_rules.jobs.score import UnknownAttachment, letters, score
from cgc_rules.jobs.verify import verify
from cgc_rules.registry import Registry

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"
D = Decimal


def _bids() -> list[Path]:
    return sorted(EX.glob("bod-*.yaml"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry()


def test_score_ranks_the_admitted_bids_and_excludes_the_others(registry):
    scoring = score(EX / "tender.yaml", _bids(), registry, "en")
    by = {r.bid.bidder: r for r in scoring.report.award.results}
    # Epsilon: € 2,380,000 − (19,200 + 29,200 + 95,200) = € 2,236,400; Delta ties on price and loses on quality
    assert (by["Epsilon Wegenbouw"].result, by["Epsilon Wegenbouw"].rank) == (D("2236400.00"), 1)
    assert by["Delta Infra"].rank == 2
    assert by["Aannemer Alfa"].result == D("2269600.00")
    assert {name for name, r in by.items() if r.excluded} == {"Bouwcombinatie Beta", "Civiel Gamma"}
    assert scoring.bad == []
    assert scoring.report.data["winner"] == "Epsilon Wegenbouw"


def test_a_bad_bid_is_reported_and_the_others_scored(registry, tmp_path):
    broken = tmp_path / "bod-kapot.yaml"
    broken.write_text("bidder: [\n", encoding="utf-8")
    scoring = score(EX / "tender.yaml", [*_bids(), broken], registry)
    assert [b.path for b in scoring.bad] == [str(broken)]
    assert len(scoring.report.award.results) == 5


def test_a_bid_naming_a_submission_not_supplied_is_refused_before_scoring(registry):
    alfa = EX / "bod-alfa.yaml"  # names inzending-alfa.yaml
    with pytest.raises(UnknownAttachment) as info:
        score(EX / "tender.yaml", [alfa], registry, attachments=set())
    assert (info.value.bid, info.value.name) == (alfa, "inzending-alfa.yaml")
    assert score(EX / "tender.yaml", [alfa], registry, attachments={"inzending-alfa.yaml"}).bad == []


def test_letters_one_docx_per_bidder(registry):
    scoring = score(EX / "tender.yaml", _bids(), registry)
    made = letters(scoring.report)
    assert len(made) == 5
    assert all(name.endswith(".docx") and data[:2] == b"PK" for name, data in made)


def test_verify_finds_the_mki_shortfall_and_its_sanction(registry):
    v = verify(EX / "tender.yaml", EX / "bod-epsilon.yaml", EX / "oplevering-epsilon.yaml", registry, "en")
    checks = {c.criterion: c for c in v.report.delivery.checks}
    # promised € 0.13, built € 69,600 / 480,000 = € 0.145: short 0.015 > tolerance 0.005;
    # advantage (0.17 − 0.13) × 480,000 = 19,200, now (0.17 − 0.145) × 480,000 = 12,000: 7,200 × 1.5 = 10,800
    assert (checks["mki"].shortfall, checks["mki"].within, checks["mki"].sanction) == (D("0.015"), False, D("10800"))
    assert checks["herkomst-materiaal"].within is True  # 73.68 % promised, 73 % built: 0.68 within 1
    assert v.report.delivery.total_sanction == D("10800.00")
    assert v.kept is False
