"""Three-valued applicability: known false wins, a pass that holds whatever is unknown stands, else missing data."""

from __future__ import annotations

import json

from rich.console import Console

PROJECT = {"id": "t", "name": "Transport", "municipality": "Amersfoort", "type": "sloop", "tender_date": "2025-06-01"}


def outcomes(cgc, write, transport, ref="emissievrij-transport", lang="en"):
    res = cgc(
        "evaluate", write({"project": PROJECT, "transport": transport}), "-r", ref, "--format", "json", "--lang", lang
    )
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.output)
    return res.exit_code, {f"{o['rule_id']}/{o['subject']}": o for o in data["outcomes"]}


def test_zero_emission_fleet_without_zone_data_is_compliant(cgc, write):
    fleet = [
        {
            "name": f"E-{i}",
            "vehicle_class": "N3",
            "zero_emission": True,
            "category": "vrachtauto",
            "first_registration": "2025-02-01",
            "used_until": "2026-06-30",
        }
        for i in range(3)
    ]
    code, out = outcomes(cgc, write, fleet)
    assert code == 0
    assert not [k for k, o in out.items() if o["status"] == "missing_data"]
    whatever = out["ze-zone-nieuw-voertuig/E-0"]
    assert whatever["status"] == "pass"
    assert "Whatever enters the zero-emission zone turns out to be" in whatever["explanation"]


def test_diesel_van_class_6_in_2028_passes_under_the_extension_only(cgc, write):
    van = [
        {
            "name": "Bus",
            "vehicle_class": "N1",
            "zero_emission": False,
            "category": "bestelauto",
            "euro_class": 6,
            "enters_ze_zone": True,
            "first_registration": "2021-05-01",
            "used_until": "2028-06-30",
        }
    ]
    assert (
        outcomes(cgc, write, van, "emissievrij-transport@2025.2")[1]["ze-zone-bestelauto-euro6/Bus"]["status"] == "pass"
    )
    assert (
        outcomes(cgc, write, van, "emissievrij-transport@2025.1")[1]["ze-zone-bestelauto-euro6/Bus"]["status"] == "fail"
    )


def test_unknown_category_and_zone_lack_data_only_where_they_could_break_a_rule(cgc, write):
    car = [
        {
            "name": "W",
            "vehicle_class": "N2",
            "zero_emission": False,
            "euro_class": 6,
            "first_registration": "2021-05-01",
            "used_until": "2029-06-30",
        }
    ]
    out = outcomes(cgc, write, car, "emissievrij-transport@2025.2")[1]
    missing = sorted(k for k, o in out.items() if o["status"] == "missing_data")
    assert missing == ["ze-zone-bestelauto-euro6/W"]
    assert (
        "not known: enters the zero-emission zone, vehicle category;"
        in out["ze-zone-bestelauto-euro6/W"]["explanation"]
    )
    assert out["ze-zone-vrachtauto-euro6/W"]["status"] == "pass"
    assert out["ze-zone-nieuw-voertuig/W"]["status"] == "not_applicable"


def test_rulesets_list_never_cuts_ids(cgc, monkeypatch):
    from cgc_rules.cli import options

    for width in (30, 80, 200):
        monkeypatch.setattr(options, "console", lambda width=width: Console(width=width))
        res = cgc("rulesets", "list")
        assert res.exit_code == 0
        assert res.output.count("convenant-toekomstbestendig-bouwen") == 1
        assert "2023.1" in res.output
    ids = {r["id"] for r in json.loads(cgc("rulesets", "list", "--format", "json").output)}
    assert {"convenant-toekomstbestendig-bouwen", "emissievrij-transport", "seb", "cgc-corridor"} <= ids


def test_per_item_reports_group_outcomes_and_fold_rules_that_do_not_apply(cgc, write, tmp_path):
    fleet = [
        {
            "name": "Kipper",
            "vehicle_class": "N3",
            "zero_emission": False,
            "category": "vrachtauto",
            "euro_class": 6,
            "enters_ze_zone": True,
            "first_registration": "2021-05-01",
            "used_until": "2026-07-31",
        },
        {
            "name": "E-bus",
            "vehicle_class": "N1",
            "zero_emission": True,
            "category": "bestelauto",
            "enters_ze_zone": True,
            "first_registration": "2025-05-01",
            "used_until": "2026-07-31",
        },
    ]
    sub = write({"project": PROJECT, "transport": fleet})
    table = cgc("evaluate", sub, "-r", "emissievrij-transport@2025.2", "--lang", "en").output
    assert "Kipper (vehicle)" in table
    assert "E-bus (vehicle)" in table
    flat = " ".join(table.split())
    assert "Does not apply to Kipper: ze-zone-nieuw-voertuig, ze-zone-bestelauto-euro5," in flat
    assert flat.count("ze-zone-trekker-euro6") == 2  # once per item, in its folded line only
    assert "(7 rules)" in flat
    html = tmp_path / "r.html"
    cgc("evaluate", sub, "-r", "emissievrij-transport@2025.2", "--format", "html", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert '<h2 class="item">Kipper (voertuig)</h2>' in page
    assert page.count('class="small folded"') == 2
    assert "Geldt niet voor E-bus:" in page
    assert page.count("ze-zone-trekker-euro6") == 2
