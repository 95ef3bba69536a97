"""`cgc monitor` and the yearly report: figures recomputed by hand from the stored records."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import statistics
import zipfile

import pytest

from cgc_rules.jobs import db as store_job
from cgc_rules.jobs import monitor as monitor_job

from .conftest import materials, road
from .region import generator

HNN = ("-r", "hnn-gww@2026.1")


def evaluate(cgc, write, db: str, name: str, data: dict, role: str = "design") -> None:
    res = cgc("evaluate", write(data, name), *HNN, "--record", "--role", role, "--db", db)
    assert res.exit_code in (0, 1), res.output


def test_origin_share_is_weighted_by_mass_and_each_project_counts_once(cgc, write, tmp_path):
    db = str(tmp_path / "s.sqlite")
    p1 = {"project": {"id": "p1", "municipality": "A"}, "impact": {"mki_eur_total": 7000, "co2_kg_per_fu": 12.5}}
    evaluate(cgc, write, db, "p1-bid.yaml", road(**p1, materials=materials(100, 900)), role="bid")
    evaluate(cgc, write, db, "p1.yaml", road(**p1, materials=materials(900, 100)), role="awarded")
    evaluate(
        cgc,
        write,
        db,
        "p2.yaml",
        road(
            project={"id": "p2", "municipality": "B"},
            materials=materials(10, 90),
            impact={"mki_eur_total": 10000},
            declarations={"seb_compliant": False},
        ),
    )
    evaluate(
        cgc,
        write,
        db,
        "p3.yaml",
        road(
            project={"id": "p3", "municipality": "A", "type": "openbare_ruimte"},
            materials=materials(300, 700),
            impact={"mki_eur_total": 5000},
            declarations={"seb_compliant": None},
        ),
    )
    res = cgc("monitor", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rows = {(r["municipality"], r["project_type"]): r for r in data["rows"] if r["year"] == 2026}
    everything = rows[(None, None)]
    assert everything["projects"] == 3  # p1 once, in its awarded role; its bid (10 %) is not counted
    # (900 + 10 + 300) t of (1000 + 100 + 1000) t = 57,62 %; the average of the shares would be 43,3 %
    assert everything["origin"]["responsible_t"] == 1210
    assert everything["origin"]["total_t"] == 2100
    assert everything["origin"]["share"] == pytest.approx(1210 / 2100 * 100)
    assert rows[("A", None)]["origin"]["share"] == pytest.approx(1200 / 2000 * 100)
    # MKI per m² per year over 1000 m² and 50 years: 0,14 (road), 0,20 (road), 0,10 (public space)
    mki = everything["mki"]
    assert (mki["q1"], mki["median"], mki["q3"]) == pytest.approx((0.12, 0.14, 0.17))
    assert (mki["judged"], mki["within_level"]) == (3, 2)  # 0,14 ≤ 0,17 and 0,10 ≤ 0,12; 0,20 > 0,17
    assert rows[(None, "wegen")]["mki"]["levels"] == [0.17]
    assert everything["seb"] == {"projects": 3, "pass": 1, "rate": pytest.approx(100 / 3)}  # p3 declared nothing
    rules = {r["rule"]: r for r in everything["rules"]}
    assert (rules["hnn-gww/herkomst-materiaal"]["pass"], rules["hnn-gww/herkomst-materiaal"]["fail"]) == (1, 2)
    measured = {r["rule"]: r for r in everything["measure_only"]}
    assert (measured["hnn-gww/co2"]["reported"], measured["hnn-gww/co2"]["applicable"]) == (1, 3)
    assert data["trend"] == [
        {
            "year": 2026,
            "region": None,
            "projects": 3,
            "origin_share": pytest.approx(57.619, abs=1e-3),
            "mki_median": pytest.approx(0.14),
            "seb_rate": pytest.approx(100 / 3),
        }
    ]
    table = cgc("monitor", "--db", db)
    assert "57,6\u00a0%" in table.output
    assert "€\u00a00,14" in table.output
    assert "Traceback" not in table.output


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> str:
    """The synthetic region (seed 2026, as in `make demo`) recorded into a SQLite store."""
    base = tmp_path_factory.mktemp("region")
    gen = generator()
    subs, assessments = gen.generate(base / "files", seed=2026)
    db = str(base / "store.sqlite")
    gen.record(db, subs, assessments)
    return db


def _stored(db: str, year: int) -> list[dict]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT payload FROM cgc_records WHERE kind = 'evaluation' AND year = ?", (year,)).fetchall()
    con.close()
    return [json.loads(r[0]) for r in rows]


def r_origin(record: dict) -> dict:
    """The responsible-origin terms (good and total tonnes) of one stored evaluation record."""
    return next(o for o in record["outcomes"] if o["indicator"] == "responsible_origin_share")["terms"]


def _nl(x: float, decimals: int) -> str:
    """A number in Dutch notation, written here independently of cgc_rules.numbers: 37.778 and 55,7."""
    return f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def test_choices_offer_the_year_a_project_counts_in(cgc, write, tmp_path):
    db = str(tmp_path / "s.sqlite")
    p1 = {"id": "p1", "municipality": "zeist"}
    evaluate(cgc, write, db, "p1-bid.yaml", road(project={**p1, "tender_date": "2025-03-01"}), role="bid")
    evaluate(cgc, write, db, "p1.yaml", road(project={**p1, "tender_date": "2026-03-01"}), role="awarded")
    evaluate(cgc, write, db, "p2.yaml", road(project={"id": "p2", "municipality": "Amersfoort"}))
    store = store_job.opened(db)
    # p1 counts in 2026, in its awarded role: no project counts in 2025, though its bid was recorded for 2025
    assert monitor_job.choices(store) == (["Amersfoort", "zeist"], [2026])
    assert [t["year"] for t in monitor_job.figures(store, "nl").data["trend"]] == [2026]


def test_monitor_figures_match_a_recount_from_the_stored_records(cgc, region):
    res = cgc("monitor", "--db", region, "--year", "2026", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    row = next(r for r in data["rows"] if r["municipality"] is None and r["project_type"] is None)
    records = _stored(region, 2026)
    assert len({r["project"]["id"] for r in records}) == len(records) == row["projects"]  # one record per project
    good = total = 0.0
    shares, mki, seb = [], [], []
    for r in records:
        outcome = {o["indicator"]: o for o in r["outcomes"]}
        origin = outcome["responsible_origin_share"]
        good += origin["terms"]["good"]
        total += origin["terms"]["total"]
        shares.append(origin["terms"]["good"] / origin["terms"]["total"] * 100)
        if outcome["mki_eur_per_m2_year"]["value"] is not None:
            mki.append(outcome["mki_eur_per_m2_year"]["value"])
        seb.append(outcome["seb_compliance_declared"]["status"])
    assert row["origin"]["share"] == pytest.approx(good / total * 100)
    assert abs(row["origin"]["share"] - statistics.mean(shares)) > 0.01  # not the average of project shares
    assert row["mki"]["median"] == pytest.approx(statistics.median(mki))
    assert row["seb"]["rate"] == pytest.approx(seb.count("pass") / len(seb) * 100)
    assert [t["year"] for t in data["trend"]] == [2024, 2025, 2026]
    assert len({m["name"] for m in data["municipalities"]}) == 6


def test_csv_and_xlsx_carry_the_same_figures(cgc, region, tmp_path):
    data = json.loads(cgc("monitor", "--db", region, "--format", "json").output)
    text = cgc("monitor", "--db", region, "--format", "csv").output
    assert text.startswith("\ufeffyear;region;")  # what Dutch Excel opens by a double click: BOM, `;`
    lines = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(lines) == len(data["rows"])
    share = lines[0]["origin_share_pct"]
    assert "," in share
    assert "." not in share
    assert float(share.replace(",", ".")) == pytest.approx(data["rows"][0]["origin"]["share"])
    from openpyxl import load_workbook

    out = tmp_path / "monitor.xlsx"
    assert cgc("monitor", "--db", region, "--format", "xlsx", "-o", out).exit_code == 0
    first = out.read_bytes()
    assert cgc("monitor", "--db", region, "--format", "xlsx", "-o", out).exit_code == 0
    assert out.read_bytes() == first
    wb = load_workbook(out)
    assert wb.sheetnames == ["overzicht", "regels", "meten", "trend", "gemeenten"]
    assert wb["overzicht"].cell(2, 9).value == pytest.approx(data["rows"][0]["origin"]["share"])


def test_report_renders_with_charts_and_the_same_bytes_twice(cgc, region, tmp_path):
    made = {}
    for fmt in ("html", "docx", "pdf"):
        for n in (1, 2):
            path = tmp_path / f"rapport{n}.{fmt}"
            res = cgc("monitor", "report", "--db", region, "--year", "2026", "--format", fmt, "-o", path)
            assert res.exit_code == 0, res.output
        assert (tmp_path / f"rapport1.{fmt}").read_bytes() == (tmp_path / f"rapport2.{fmt}").read_bytes(), fmt
        made[fmt] = tmp_path / f"rapport1.{fmt}"
    html = made["html"].read_text(encoding="utf-8")
    # trend, MKI, rules, and per municipality a spinnenweb and a growth chart
    assert html.count("data:image/svg+xml;base64,") == 3 + 2 * 6
    assert "Jaarevaluatie circulaire GWW 2026" in html
    # the 2026 origin share recounted from the stored records: responsible mass over all mass, per project once
    records = _stored(region, 2026)
    good = sum(r_origin(r)["good"] for r in records)
    total = sum(r_origin(r)["total"] for r in records)
    share, t = f"{_nl(good / total * 100, 1)}\u00a0%", "\u00a0t"
    assert (
        f"In 2026 zijn {len(records)} projecten gemeten. Het aandeel verantwoorde herkomst over alle gemeten "
        f"GWW-projecten is {share} ({_nl(good, 0)}{t} van {_nl(total, 0)}{t})"
    ) in html
    row = f"<tr><td>2026</td><td>{len(records)}</td><td>{_nl(good, 0)}{t}</td><td>{_nl(total, 0)}{t}</td>"
    assert f"{row}<td>{share}</td></tr>" in html  # the trend table's 2026 row
    with zipfile.ZipFile(made["docx"]) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]) >= 3 + 2 * 6
    from pypdf import PdfReader

    pdf = PdfReader(made["pdf"])
    assert len(pdf.pages) >= 6
    assert "Samenvatting 2026" in "".join(page.extract_text() for page in pdf.pages)


def test_a_municipality_sees_itself_by_name_and_others_by_profile(cgc, region, tmp_path):
    out = tmp_path / "aabeek.html"
    res = cgc(
        "monitor",
        "report",
        "--db",
        region,
        "--year",
        "2026",
        "--municipality",
        "Gemeente Aabeek (synthetisch)",
        "--format",
        "html",
        "-o",
        out,
    )
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Gemeente Aabeek (synthetisch)" in html
    for other in ("Beekdorp", "Dijkhuizen", "Eemvaart", "Heuvelstad", "Rivierenoord"):
        assert other not in html
    assert "Gemeente A (profiel" in html
    assert "Gemeente E (profiel" in html
    bad = cgc("monitor", "report", "--db", region, "--year", "2026", "--municipality", "Nergenshuizen", "-o", out)
    assert bad.exit_code == 2
    assert "Nergenshuizen" in bad.output
