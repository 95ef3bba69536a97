"""Bids claim corridor lines: counted as reused with the allocation as evidence, checked, compared with delivery."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from cgc_rules.errors import CgcError
from cgc_rules.jobs.claims import check
from cgc_rules.kinds import find_indicator
from cgc_rules.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corridor"
CORRIDOR = ROOT / "cgc_rules" / "data" / "corridors" / "amersfoort-voorbeeld"
STEEL = "s-stadhuis-staal>hub-hoevelaken>d-bovenduist-staal"
BRICK = "s-stadhuis-baksteen>direct>d-kop-baksteen"


def bid(tmp_path: Path, *lines: dict) -> Path:
    data = yaml.safe_load((EXAMPLES / "bod-bovenduist.yaml").read_text(encoding="utf-8"))
    data["materials"] = [*lines, {"name": "Beton", "mass_t": 300, "origin": "primair"}]
    path = tmp_path / "bid.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def steel(mass: float = 35) -> dict:
    return {"name": "Liggers", "mass_t": mass, "origin": "hergebruikt", "corridor_line": STEEL}


def test_claimed_line_counts_as_reused_with_the_allocation_as_evidence():
    s = load_submission(EXAMPLES / "bod-bovenduist.yaml").submission
    indicator = find_indicator("responsible_origin_share")
    assert indicator is not None
    fact = indicator.compute(s)
    assert fact.value == pytest.approx(35 / 335 * 100)  # 35 t reused of 35 + 300 t
    assert fact.terms["corridor"] == [{"name": "Stalen liggers uit het stadhuis", "line": STEEL, "mass": 35.0}]
    result = check(EXAMPLES / "bod-bovenduist.yaml", "amersfoort-voorbeeld", date(2026, 10, 1))
    [claim] = result.claims
    assert (claim.line.id, claim.line.tonnes, claim.line.hub, claim.mass_t) == (STEEL, 35.0, "hub-hoevelaken", 35.0)


def test_a_claimed_line_must_be_reused(tmp_path):
    path = bid(tmp_path, {**steel(), "origin": "primair"})
    with pytest.raises(CgcError, match="corridor"):
        load_submission(path)


def test_another_projects_line_is_refused_with_the_line_named():
    with pytest.raises(CgcError) as exc:
        check(EXAMPLES / "bod-bovenduist-fout.yaml", "amersfoort-voorbeeld", date(2026, 10, 1))
    [problem] = exc.value.problems
    assert problem.field == "materials[1].corridor_line"
    assert f"corridor line {BRICK!r} is allocated to project 'kop-van-isselt', not to 'bovenduist'" in problem.message


def test_unknown_line_and_more_than_allocated_are_refused(tmp_path):
    unknown = "s-stadhuis-staal>direct>d-bovenduist-staal"
    path = bid(tmp_path, steel(30), steel(10), {**steel(), "corridor_line": unknown})
    with pytest.raises(CgcError) as exc:
        check(path, "amersfoort-voorbeeld", date(2026, 10, 1))
    messages = [p.message for p in exc.value.problems]
    assert any(f"holds no line {unknown!r}" in m for m in messages)
    assert f"corridor line {STEEL!r}: 40 t claimed, 35 t allocated" in messages  # 30 + 10 > 35


def corridor_with_departure(tmp_path: Path, tonnes: float, departed: str) -> Path:
    target = tmp_path / "corridor"
    shutil.copytree(CORRIDOR, target)
    shutil.copytree(CORRIDOR.parent / "rulesets", tmp_path / "rulesets")  # the rules of play sit beside it
    events = yaml.safe_load((target / "events.yaml").read_text(encoding="utf-8"))
    events["events"].append(
        {
            "type": "hub_arrival",
            "day": "2026-05-13",
            "id": "a-stadhuis-staal-2",
            "hub": "hub-hoevelaken",
            "supply": "s-stadhuis-staal",
            "tonnes": tonnes,
            "departed": departed,
        }
    )
    (target / "events.yaml").write_text(yaml.safe_dump(events), encoding="utf-8")
    return target


def test_claimed_against_delivered_from_hub_departures(tmp_path):
    where = corridor_with_departure(tmp_path, 30, "2026-08-05")
    before = check(EXAMPLES / "bod-bovenduist.yaml", str(where), date(2026, 8, 4))
    assert [(d.line, d.claimed, d.delivered, d.shortfall) for d in before.deliveries] == [(STEEL, 35.0, 0.0, 35.0)]
    after = check(EXAMPLES / "bod-bovenduist.yaml", str(where), date(2026, 8, 5))
    assert [(d.claimed, d.delivered, d.shortfall) for d in after.deliveries] == [(35.0, 30.0, 5.0)]  # 35 - 30


def test_cli_claims_table_and_exit_codes(cgc, tmp_path):
    where = corridor_with_departure(tmp_path, 40, "2026-08-05")  # 40 t left, capped at the 35 t of the line
    args = ("claims", EXAMPLES / "bod-bovenduist.yaml", "--corridor", where, "--as-of", "2026-09-01")
    res = cgc(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["deliveries"] == [
        {"line": STEEL, "hub": "hub-hoevelaken", "claimed_t": 35.0, "delivered_t": 35.0, "shortfall_t": 0.0}
    ]
    assert data["claims"][0]["origin"] == "hergebruikt"
    short = cgc(
        "claims", EXAMPLES / "bod-bovenduist.yaml", "--corridor", "amersfoort-voorbeeld", "--as-of", "2026-09-01"
    )
    assert short.exit_code == 1
    assert "claimed against delivered" in short.output
    bad = cgc("claims", EXAMPLES / "bod-bovenduist-fout.yaml", "--corridor", "amersfoort-voorbeeld")
    assert bad.exit_code == 2
    assert "materials[1].corridor_line" in bad.output


def test_verify_gives_the_claimed_against_delivered_table(cgc, tmp_path):
    for f in (ROOT / "examples" / "aanbesteding").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "bod-epsilon.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["submission"]["project"] |= {"id": "bovenduist", "tender_date": "2026-03-02"}
    data["submission"]["materials"].append(steel())
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    where = corridor_with_departure(tmp_path, 30, "2026-08-05")
    args = ["verify", tmp_path / "tender.yaml", path, tmp_path / "oplevering-epsilon.yaml", "--format", "json"]
    res = cgc(*args, "--corridor", where, "--as-of", "2026-09-01")
    assert res.exit_code == 1, res.output  # 5 t of the claimed steel did not leave the hub
    [row] = json.loads(res.output)["corridor"]
    assert (row["line"], row["claimed_t"], row["delivered_t"], row["shortfall_t"]) == (STEEL, 35.0, 30.0, 5.0)
    assert row["text"].startswith(f"Corridorregel {STEEL}: geclaimd 35 t,")
    assert "tekort 5 t" in row["text"]
    plain = cgc(*args)
    assert "corridor" not in json.loads(plain.output)  # without --corridor the report is as before
