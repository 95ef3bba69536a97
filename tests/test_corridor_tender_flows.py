"""Corridor monitoring figures and pictures, checked by hand against the example corridor."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from cgc_rules.corridor.charts import alluvial, vector_map
from cgc_rules.corridor.flows import Flow, Flows
from cgc_rules.corridor.model import Place
from cgc_rules.jobs.corridor import directory, match
from cgc_rules.jobs.corridor_flows import corridor_flows
from cgc_rules.numbers import notation

NL = notation("nl")


def test_flows_of_the_example_corridor():
    r = corridor_flows(directory("amersfoort-voorbeeld"), date(2026, 3, 2))
    f = r.figures
    assert f.total_t == 115.0  # 80 t bricks + 35 t steel
    assert f.tonne_km == pytest.approx(152.0 + 434.0)  # 80 t × 1.9 km + 35 t × 12.4 km
    assert f.by_year == {2026: 115.0}
    assert f.by_partner == {"Gemeente Amersfoort": 35.0, "Voorbeeld Bouw (fictief)": 80.0}
    assert f.by_category == {"brick": 80.0, "steel-beams": 35.0}
    assert f.emission_free_share == 0.0  # no partner declares its transport
    assert [(n.supply, n.tonnes, n.reason) for n in f.not_taken] == [
        ("s-stadhuis-baksteen", 40.0, "left_over"),  # 120 t offered, 80 t needed
        ("s-stadhuis-staal", 5.0, "left_over"),  # 40 t offered, 35 t needed
        ("s-eem-dakpannen", 25.0, "needed_before_available"),
        ("s-utrecht-hout", 30.0, "too_far"),
    ]
    assert b"kop-van-isselt (80 t)" in r.chart.svg
    assert b"steel-beams (35 t)" in r.chart.svg
    assert r.map.svg.startswith(b"<?xml")
    assert r.map.png.startswith(b"\x89PNG")


def test_cli_flows_writes_json_and_pictures(cgc, tmp_path):
    res = cgc("flows", "amersfoort-voorbeeld", "--as-of", "2026-03-02", "-o", tmp_path)
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "flows.json").read_text(encoding="utf-8"))
    assert data["flows"] == [
        {"category": "brick", "project": "kop-van-isselt", "tonnes": 80.0},
        {"category": "steel-beams", "project": "bovenduist", "tonnes": 35.0},
    ]
    again = tmp_path / "again"
    cgc("flows", "amersfoort-voorbeeld", "--as-of", "2026-03-02", "-o", again)
    assert (again / "corridor-map.svg").read_bytes() == (tmp_path / "corridor-map.svg").read_bytes()  # reproducible


def test_yearly_report_has_a_corridor_chapter_with_chart_and_map(tmp_path):
    import yaml
    from click.testing import CliRunner

    from cgc_rules.cli import main
    from cgc_rules.documents.model import Figure, Table
    from cgc_rules.jobs import db as store_job
    from cgc_rules.jobs.report import yearly_report

    from .conftest import materials, road

    path = str(tmp_path / "s.sqlite")
    file = tmp_path / "p1.yaml"
    file.write_text(yaml.safe_dump(road(project={"id": "p1", "municipality": "A"}, materials=materials(900, 100))))
    res = CliRunner().invoke(main, ["evaluate", str(file), "-r", "hnn-gww@2026.1", "--record", "--db", path])
    assert res.exit_code in (0, 1), res.output
    doc = yearly_report(store_job.opened(path), "gmr-voorbeeld-profiel-1", corridor=directory("amersfoort-voorbeeld"))
    chapter = next(s for s in doc.doc.sections if s.title == "Materialen door de corridor (2026)")
    assert not chapter.annex
    assert doc.doc.sections[-1].annex
    figures = [b for b in chapter.blocks if isinstance(b, Figure)]
    assert [f.caption.split(" ")[0] for f in figures] == ["Stromen", "Projecten,"]
    tables = {b.caption: b for b in chapter.blocks if isinstance(b, Table)}
    # by the end of 2026 every line is known: the same two allocations, 80 t and 35 t
    by_category = [[c.runs[0].text for c in row] for row in tables["Toegewezen massa per materiaalcategorie"].rows]
    assert by_category == [["brick", "80 t"], ["steel-beams", "35 t"]]
    not_taken = tables["Aangeboden maar niet afgenomen"].rows
    assert [r[0].runs[0].text for r in not_taken] == [
        "s-stadhuis-baksteen",
        "s-stadhuis-staal",
        "s-eem-dakpannen",
        "s-utrecht-hout",
    ]
    assert not_taken[3][3].runs[0].text == "te ver: boven de afstandsgrens van de spelregels"


def _texts(svg: bytes) -> list[str]:
    """The texts of a chart: matplotlib writes each as a comment before its glyph paths."""
    return re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"))


def test_alluvial_of_a_large_corridor_names_the_largest_and_merges_the_rest():
    # category k sends 100·k t to project k (k = 1…30); cat-30 also sends 50 t to each of pr-31…pr-40
    flows = [Flow(f"cat-{k:02d}", f"pr-{k:02d}", 100.0 * k) for k in range(1, 31)]
    flows += [Flow("cat-30", f"pr-{p}", 50.0) for p in range(31, 41)]
    f = Flows(47_000.0, 0.0, 0.0, {}, {}, {}, sorted(flows, key=lambda x: (x.category, x.project)), [])
    svg = alluvial(f).svg
    texts = _texts(svg)
    # left: cat-30 (3,000 + 500 t), then cat-29 … cat-19; the rest is cat-01 … cat-18: 100 · (1 + … + 18) t
    assert texts[:13] == [
        "cat-30 (3.500 t)",
        *(f"cat-{k} ({NL.num(100.0 * k, 1)} t)" for k in range(29, 18, -1)),
        "overige 18 categorieën (17.100 t)",
    ]
    # right: pr-30 … pr-19; the rest is pr-01 … pr-18 (17,100 t) and pr-31 … pr-40 (10 × 50 t)
    assert texts[13:] == [
        *(f"pr-{k} ({NL.num(100.0 * k, 1)} t)" for k in range(30, 18, -1)),
        "overige 28 projecten (17.600 t)",
    ]
    # bands: cat-k → pr-k for k = 19…30, cat-30 → the rest, the rest → the rest; 13 + 13 blocks; the figure
    assert svg.count(b'id="patch_') == 14 + 26 + 1


def test_map_of_many_projects_names_the_hubs_only():
    view = match(directory("amersfoort-voorbeeld"), date(2026, 3, 2), "nl")
    c = view.corridor
    donor = c.projects["stadhuis"]
    extra = {
        f"extra-{i}": donor.model_copy(update={"id": f"extra-{i}", "place": Place(lat=52.1 + i / 100, lon=5.3)})
        for i in range(8)
    }
    many = replace(c, projects={**c.projects, **extra})  # 5 + 8 = 13 projects, one more than are named
    texts = _texts(vector_map(many, view.allocations).svg)
    assert texts == ["hub-hoevelaken", "5 km", "13 projecten (stippen), zonder naam: te veel om te lezen"]
    few = _texts(vector_map(c, view.allocations).svg)
    assert few == [*sorted([*c.projects, *c.hubs]), "5 km"]
