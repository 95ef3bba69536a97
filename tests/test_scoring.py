"""Scoring bids and checking delivery on examples/aanbesteding, held to the ranking its header documents."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cgc_rules import award
from cgc_rules.errors import CgcError
from cgc_rules.scoring.score import score_bids
from cgc_rules.tender import load_tender

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"
D = Decimal


def _bids() -> list[Path]:
    return sorted(EX.glob("bod-*.yaml"))


def _header() -> tuple[list[tuple[int, str, str]], list[str]]:
    """(rank, bidder, fictive price) and the excluded bidders, as the tender's header documents them."""
    ranked, excluded = [], []
    for line in (EX / "tender.yaml").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"# verwacht: (\d+) (.+?)\s+fictief (€ [\d.,]+)", line):
            ranked.append((int(m[1]), m[2].strip(), m[3]))
        elif m := re.match(r"# verwacht: uitgesloten (.+?)\s+\(", line):
            excluded.append(m[1].strip())
    return ranked, excluded


def test_example_ranking_is_the_documented_one(cgc):
    res = cgc("score", str(EX / "tender.yaml"), *map(str, _bids()), "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    ranked, excluded = _header()
    assert len(ranked) == 3
    assert len(excluded) == 2
    got = [(b["rank"], b["bidder"], b["result_text"].replace("\u00a0", " ")) for b in data["bids"] if b["rank"]]
    assert got == ranked
    assert sorted(b["bidder"] for b in data["bids"] if b["status"] == "excluded") == sorted(excluded)
    assert data["winner"] == "Epsilon Wegenbouw"


def test_example_numbers_worked_by_hand():
    award = score_bids(load_tender(EX / "tender.yaml"), _bids())
    by = {r.bid.bidder: r for r in award.results}
    eps = by["Epsilon Wegenbouw"]
    # MKI € 62.400 / (12.000 m² × 40 jaar) = € 0,13; (0,17 − 0,13) × 480.000 × 1 = € 19.200
    # herkomst 7.368 t / 10.000 t = 73,68 %; (73,68 − 62) × € 2.500 = € 29.200
    # ladder niveau 3: 4 % × € 2.380.000 = € 95.200; fictief 2.380.000 − 143.600 = 2.236.400
    assert [s.amount for s in eps.criteria] == [D("19200.00"), D("29200.00"), D("95200.00")]
    assert eps.result == D("2236400.00")
    assert eps.rank == 1
    delta = by["Delta Infra"]
    assert delta.result == eps.result
    assert delta.rank == 2
    assert delta.tie.key == "award.tie.highest_quality"
    assert by["Aannemer Alfa"].result == D("2269600.00")
    beta, gamma = by["Bouwcombinatie Beta"], by["Civiel Gamma"]
    assert [(k, o.status) for k, o in beta.excluded] == [("hnn-gww/herkomst-materiaal", "fail")]
    assert [(k, o.status) for k, o in gamma.excluded] == [("hnn-gww/mki", "missing_data")]


def test_excluded_bid_gives_the_rules_own_explanation(cgc):
    res = cgc("score", str(EX / "tender.yaml"), *map(str, _bids()), "--format", "json")
    texts = {
        b["bidder"]: [k["text"] for k in b["knockouts"] if k["status"] != "pass"]
        for b in json.loads(res.output)["bids"]
    }
    assert texts["Bouwcombinatie Beta"] == [
        "Aandeel massa met verantwoorde herkomst is 58,0\u00a0%; 5.800\u00a0t van "
        "10.000\u00a0t (2 materiaalregels) is hergebruikt (0\u00a0t), gerecycled "
        "(5.800\u00a0t) of biobased (0\u00a0t). Norm ≥ 62,0\u00a0% (wegen): "
        "voldoet niet."
    ]
    assert "impact.mki_eur_total" in texts["Civiel Gamma"][0]


def test_verify_reports_the_shortfall_and_sanction(cgc):
    res = cgc(
        "verify",
        str(EX / "tender.yaml"),
        str(EX / "bod-epsilon.yaml"),
        str(EX / "oplevering-epsilon.yaml"),
        "--format",
        "json",
    )
    assert res.exit_code == 1, res.output
    checks = {c["criterion"]: c for c in json.loads(res.output)["checks"]}
    # beloofd € 0,13, gebouwd € 69.600 / 480.000 = € 0,145: tekort 0,015 > tolerantie 0,005
    # voordeel (0,17 − 0,13) × 480.000 = 19.200, nu (0,17 − 0,145) × 480.000 = 12.000: verschil 7.200
    # sanctie 1,5 × 7.200 = 10.800
    mki = checks["mki"]
    assert (D(mki["shortfall"]), mki["within_tolerance"], D(mki["advantage_lost"]), D(mki["sanction"])) == (
        D("0.015"),
        False,
        D("7200"),
        D("10800"),
    )
    origin = checks["herkomst-materiaal"]  # 73,68 % → 73 %: 0,68 punt, binnen 1
    assert (D(origin["shortfall"]), origin["within_tolerance"], D(origin["sanction"])) == (D("0.68"), True, 0)
    assert D(json.loads(res.output)["total_sanction"]) == D("10800.00")


# ---------------------------------------------------------------- bad input


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for f in EX.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _edit(path: Path, change) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    data = yaml.safe_load("\n".join(body))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bad_bids_are_reported_and_the_others_still_scored(cgc, copy):
    _edit(copy / "bod-alfa.yaml", lambda d: d.pop("price"))
    _edit(copy / "bod-delta.yaml", lambda d: d["tender"].update(id="een-andere-aanbesteding"))
    _edit(copy / "bod-beta.yaml", lambda d: d["tender"].update(sha256="0" * 64))
    _edit(copy / "bod-gamma.yaml", lambda d: d.update(price="twee miljoen"))
    shutil.copy(copy / "bod-epsilon.yaml", copy / "bod-zeta.yaml")  # the same bidder twice
    out = copy / "advies.json"
    res = cgc(
        "score",
        str(copy / "tender.yaml"),
        *sorted(str(p) for p in copy.glob("bod-*.yaml")),
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert res.exit_code == 2
    err = res.output
    assert re.search(r"bod-alfa\.yaml:\d+:\d+: price: verplicht veld ontbreekt", err)
    assert re.search(r"bod-delta\.yaml:\d+:\d+: tender\.id: bid is for tender 'een-andere-aanbesteding'", err)
    assert re.search(r"bod-beta\.yaml:\d+:\d+: tender\.sha256: bid names another version", err)
    assert re.search(r"bod-gamma\.yaml:\d+:\d+: price: .*twee miljoen", err)
    assert re.search(r"bod-zeta\.yaml: bidder: bidder 'Epsilon Wegenbouw' already bid in .*bod-epsilon\.yaml", err)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [b["bidder"] for b in data["bids"]] == ["Epsilon Wegenbouw"]
    assert len(data["bad_input"]) == 5


def test_an_open_parameter_is_refused_by_name_and_nothing_written(cgc, copy):
    tender = _edit(copy / "tender.yaml", lambda d: d["criteria"][0]["params"]["factor"].pop("value"))
    out = copy / "advies.json"
    res = cgc("score", str(tender), str(copy / "bod-alfa.yaml"), "--format", "json", "-o", str(out))
    assert res.exit_code == 2
    assert re.search(
        r"tender\.yaml:\d+:\d+: criteria\[0\]\.params\.factor: nog niet ingevuld: fictieve korting", res.output
    )
    assert not out.exists()


def test_a_changed_ruleset_is_refused(copy):
    tender = _edit(copy / "tender.yaml", lambda d: d["rulesets"][0].update(sha256="1" * 64))
    with pytest.raises(CgcError, match=r"rulesets\[0\]\.sha256: ruleset hnn-gww@2026.1 changed"):
        score_bids(load_tender(tender), [])


def test_scoring_reads_the_tender_not_the_profile(copy):
    """The tender carries its own numbers: a different factor in the file changes the score, the profile does not."""
    tender = _edit(copy / "tender.yaml", lambda d: d["criteria"][1]["params"]["factor"].update(value=1000))
    award = score_bids(load_tender(tender), [copy / "bod-alfa.yaml"])
    # the bids name the published sha256, so an edited tender refuses them
    assert award.bad
    assert "another version" in str(award.bad[0].problems[0])


def test_award_advice_and_letters_carry_the_same_numbers(cgc, tmp_path):
    from .docreading import docx_clauses, docx_text

    advice, letters = tmp_path / "advies.docx", tmp_path / "brieven"
    res = cgc(
        "score",
        str(EX / "tender.yaml"),
        *map(str, _bids()),
        "--format",
        "docx",
        "-o",
        str(advice),
        "--letters",
        str(letters),
        "--date",
        "2026-04-01",
    )
    assert res.exit_code == 0, res.output
    text = docx_text(advice.read_bytes())
    for expected in (
        "Epsilon Wegenbouw",
        "€ 2.236.400,00",
        "€ 2.269.600,00",
        "afgerond op 2 decimalen",
        "hoogste kwaliteitswaarde",
        "hnn-gww@2026.1",
        load_tender(EX / "tender.yaml").sha256,
    ):
        assert expected in text
    ref = "gunningsbeslissing_voorbeeld-reconstructie-n-weg-2026"
    assert sorted(p.name for p in letters.iterdir()) == [
        f"{ref}_aannemer-alfa.docx",
        f"{ref}_bouwcombinatie-beta.docx",
        f"{ref}_civiel-gamma.docx",
        f"{ref}_delta-infra.docx",
        f"{ref}_epsilon-wegenbouw.docx",
    ]
    beta = " ".join(docx_clauses((letters / f"{ref}_bouwcombinatie-beta.docx").read_bytes()).values())
    assert "uitgesloten" in beta
    assert "Norm ≥ 62,0 % (wegen): voldoet niet" in beta
    # sent on 1 April 2026: 20 calendar days from the next day end on 21 April 2026
    assert "is 20 kalenderdagen" in beta
    assert "eindigt op 21 april 2026" in beta
    delta = " ".join(docx_clauses((letters / f"{ref}_delta-infra.docx").read_bytes()).values())
    assert "plaats 2" in delta
    assert "fictieve inschrijfsom € 2.236.400,00" in delta.replace("\u00a0", " ")


def test_verify_on_a_plain_submission_cannot_judge_the_certificate(cgc, copy):
    built = copy / "oplevering-epsilon.yaml"
    data = yaml.safe_load(built.read_text(encoding="utf-8"))
    built.write_text(yaml.safe_dump(data["submission"], allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = cgc("verify", str(copy / "tender.yaml"), str(copy / "bod-epsilon.yaml"), str(built), "--format", "json")
    assert res.exit_code == 1
    checks = {c["criterion"]: c for c in json.loads(res.output)["checks"]}
    assert checks["co2-prestatieladder"]["within_tolerance"] is None
    assert checks["co2-prestatieladder"]["calc"].startswith("Niet te toetsen")
    assert D(checks["mki"]["sanction"]) == D("10800")


def test_a_bid_for_another_project_type_or_with_a_bad_inline_value_is_located(cgc, copy):
    _edit(copy / "bod-delta.yaml", lambda d: d["submission"]["project"].update(type="sloop"))
    _edit(copy / "bod-epsilon.yaml", lambda d: d["submission"]["materials"][0].update(mass_t="veel"))
    res = cgc(
        "score",
        str(copy / "tender.yaml"),
        str(copy / "bod-delta.yaml"),
        str(copy / "bod-epsilon.yaml"),
        str(copy / "bod-alfa.yaml"),
        "--format",
        "json",
    )
    assert res.exit_code == 2
    assert re.search(
        r"bod-delta\.yaml:\d+:\d+: submission: project type sloop differs from the tender's wegen", res.output
    )
    assert re.search(r"bod-epsilon\.yaml:\d+:\d+: submission\.materials\[0\]\.mass_t: .*'veel'", res.output)


def test_a_newer_ruleset_or_a_changed_profile_does_not_change_the_award(cgc, tmp_path, monkeypatch):
    """The tender pins hnn-gww@2026.1 and carries its own numbers: a 2027.1 with 65 % and another profile are ignored."""
    root = tmp_path / "rulesets"
    shutil.copytree(ROOT / "cgc_rules/data/rulesets/hnn-gww", root / "hnn-gww")
    old = (root / "hnn-gww/2026.1.yaml").read_text(encoding="utf-8")
    (root / "hnn-gww/2027.1.yaml").write_text(
        old.replace('version: "2026.1"', 'version: "2027.1"')
        .replace("effective_from: 2026-01-01", "effective_from: 2026-02-01")
        .replace("wegen: 62,", "wegen: 65,"),
        encoding="utf-8",
    )
    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "cgc_rules/data/profiles", profiles)
    p1 = profiles / "gmr-voorbeeld-profiel-1.yaml"
    p1.write_text(p1.read_text(encoding="utf-8").replace("value: 2500", "value: 9999"), encoding="utf-8")
    monkeypatch.setenv("CGC_PROFILES", str(profiles))
    res = cgc("score", str(EX / "tender.yaml"), *map(str, _bids()), "--format", "json", "--rulesets-dir", str(root))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["rulesets"][0]["ref"] == "hnn-gww@2026.1"
    assert [(b["bidder"], b["result"]) for b in data["bids"] if b["rank"]] == [
        ("Epsilon Wegenbouw", "2236400.00"),
        ("Delta Infra", "2236400.00"),
        ("Aannemer Alfa", "2269600.00"),
    ]


def test_verify_values_points_at_the_tenders_euros_per_point(cgc, copy):
    def points(d: dict) -> None:
        origin = next(c for c in d["criteria"] if c["id"] == "herkomst-materiaal")
        origin["method"] = "origin_points"
        origin["params"] = {
            "level": origin["params"]["level"],
            "cap": {"label": "bovengrens", "value": 80, "unit": "pct"},
            "weight": {"label": "weging herkomst", "value": 10, "unit": "points"},
        }
        origin["tolerance"]["value"] = 0.5
        d.update(
            method="gewogen_factoren",
            criteria=[origin],
            point_value={"label": "euro per punt", "value": 1000, "unit": "eur"},
            price={
                "method": "range",
                "params": {
                    n: {"label": n, "value": v, "unit": u}
                    for n, v, u in (("weight", 90, "points"), ("low", 2000000, "eur"), ("high", 3000000, "eur"))
                },
            },
        )

    tender = _edit(copy / "tender.yaml", points)
    sha = hashlib.sha256(tender.read_bytes()).hexdigest()
    _edit(copy / "bod-epsilon.yaml", lambda d: d["tender"].update(sha256=sha))
    res = cgc(
        "verify", str(tender), str(copy / "bod-epsilon.yaml"), str(copy / "oplevering-epsilon.yaml"), "--format", "json"
    )
    assert res.exit_code == 1, res.output
    origin = json.loads(res.output)["checks"][0]
    # beloofd 73,68 %: score 10 × 11,68 ÷ 18 = 6,49 punten; gebouwd 73 %: 10 × 11 ÷ 18 = 6,11; verschil 0,38
    # punten × € 1.000 = € 380; sanctie 1,5 × € 380 = € 570 (award.shortfall_sanction, as for a discount)
    assert (origin["within_tolerance"], D(origin["advantage_lost"]), D(origin["sanction"])) == (
        False,
        D("0.38"),
        D("570.00"),
    )
    assert award.shortfall_sanction(
        award.points_value(D("6.49"), D(1000)), award.points_value(D("6.11"), D(1000)), D("1.5")
    ) == D("570.00")
