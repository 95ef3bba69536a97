"""A mixed material line counts by mass: in the value, the derivation and the gap, in every format."""

from __future__ import annotations

import json

from .conftest import road

ASPHALT = {"name": "asfalt", "mass_t": 1800, "composition": {"gerecycled": 50, "primair": 50}}


def evaluate(cgc, write, data, *args):
    return cgc("evaluate", write(data), "-r", "hnn-gww", *args)


def test_half_recycled_asphalt_counts_half_its_mass(cgc, write):
    data = road(
        materials=[ASPHALT, {"name": "granulaat", "mass_t": 200, "origin": "gerecycled"}],
        impact={"mki_eur_per_m2_year": 0.1},
    )
    res = evaluate(cgc, write, data, "--format", "json", "--lang", "en")
    origin = json.loads(res.output.replace("\u00a0", " "))["outcomes"][0]
    assert origin["rule_id"] == "herkomst-materiaal"
    assert origin["value"] == 55.0  # (900 + 200) of 2,000 t
    assert origin["status"] == "fail"
    assert "900 t of 1,800 t asfalt (50.0% recycled, 50.0% primary)" in origin["explanation"]
    assert origin["gap"].startswith("62.0% needed, 55.0% reached: 140 t more")  # 0.62 × 2,000 − 1,100
    assert origin["terms"]["mixed"] == [
        {"name": "asfalt", "mass": 1800, "good": 900.0, "composition": {"gerecycled": 50.0, "primair": 50.0}}
    ]


def test_table_and_html_show_the_split(cgc, write, tmp_path):
    data = road(materials=[ASPHALT], impact={"mki_eur_per_m2_year": 0.1})
    table = evaluate(cgc, write, data).output.replace("\u00a0", " ")
    assert "900 t van 1.800 t" in " ".join(table.replace("│", " ").split())
    html = tmp_path / "r.html"
    evaluate(cgc, write, data, "--format", "html", "-o", str(html))
    assert "900\u00a0t van 1.800\u00a0t asfalt" in html.read_text(encoding="utf-8").replace("&nbsp;", "\u00a0")


def test_renewable_share_counts_the_parts_too(cgc, write):
    data = {
        "project": {
            "id": "w",
            "name": "W",
            "municipality": "Amersfoort",
            "type": "woningbouw",
            "tender_date": "2026-03-01",
        },
        "materials": [{"name": "beton", "mass_t": 100, "composition": {"gerecycled": 30, "primair": 70}}],
        "impact": {"mpg": 0.2},
        "hnn_indicators": ["a", "b", "c", "d", "e"],
    }
    res = cgc("evaluate", write(data), "-r", "convenant-toekomstbestendig-bouwen", "--format", "json")
    share = next(o for o in json.loads(res.output)["outcomes"] if o["rule_id"] == "goud-materiaal")
    assert share["value"] == 30.0


def test_composition_off_100_is_bad_input_naming_the_line(cgc, write):
    data = road(materials=[{"name": "asfalt", "mass_t": 10, "composition": {"gerecycled": 50, "primair": 49}}])
    res = evaluate(cgc, write, data)
    assert res.exit_code == 2
    assert "materials[0]" in res.output or "materials.0" in res.output or "asfalt" in res.output
    assert "Traceback" not in res.output
