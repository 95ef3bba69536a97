"""Issue 29: items judged one by one (machines, vehicles, demolition lines) are limited per submission, so a small
file cannot amplify into tens of thousands of outcomes; the real `cgc` in a subprocess, refused within 10 s."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cgc_rules.cli import main
from cgc_rules.loading.limits import LIMITS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "weg-voldoet.yaml"  # 3 demolition lines, 2 machines, 1 vehicle: 6 items
SECONDS = 10


def cgc(*args: object) -> subprocess.CompletedProcess:
    """`cgc ARGS` in a fresh interpreter; fails when it takes more than SECONDS of processor time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['cgc'] + sys.argv[1:]; from cgc_rules.cli import run; run()"]
        + [str(a) for a in args],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert spent < SECONDS, f"took {spent:.1f} s"
    assert "Traceback" not in res.stderr, res.stderr[-800:]
    return res


def _example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _vehicles(n: int) -> list[dict]:
    return [{"name": f"Kipper {i}", "vehicle_class": "N3", "zero_emission": True} for i in range(n)]


def test_the_limit_is_a_thousand_items():
    assert LIMITS.max_judged_items == 1_000


def test_twenty_thousand_vehicles_are_refused_at_the_first_beyond_the_limit(tmp_path):
    data = _example()
    data["transport"] = _vehicles(20_000)
    path = tmp_path / "bod.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    res = cgc("evaluate", path, "-r", "hnn-gww", "-r", "emissievrij-transport", "--format", "json")
    assert res.returncode == 2
    assert res.stdout == ""
    # 3 demolition lines and 2 machines come first: the 996th vehicle (index 995) is the 1,001st item
    assert f"{path.name}:1:" in res.stderr
    assert "transport[995]: 20.005 machines, voertuigen en sloopregels samen" in res.stderr
    assert "ten hoogste 1.000 per inschrijving" in res.stderr


def _with_demolition(path: Path, lines: int) -> Path:
    """The example with LINES demolition lines (written as text: a YAML dump of thousands is slow)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("demolition:\n"), text.index("equipment:\n")
    listed = "".join(f"  - {{name: Sloopstroom {i}, mass_t: 10, destination: recycling}}\n" for i in range(lines))
    path.write_text(text[:start] + "demolition:\n" + listed + text[end:], encoding="utf-8")
    return path


def test_fifteen_thousand_demolition_lines_in_yaml_are_refused_in_english(tmp_path):
    path = _with_demolition(tmp_path / "sloop.yaml", 15_000)
    res = cgc("evaluate", path, "-r", "cgc-spelregels", "--lang", "en", "--format", "table")
    assert res.returncode == 2
    # the 1,001st demolition line is the first item beyond the limit; its line in the file is named
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index("  - {name: Sloopstroom 1000, mass_t: 10, destination: recycling}")
    )
    assert f"sloop.yaml:{line + 1}:" in res.stderr
    assert "demolition[1000]: 15,003 machines, vehicles and demolition lines together" in res.stderr
    assert "at most 1,000 per submission" in res.stderr


def test_exactly_the_limit_is_evaluated(tmp_path):
    # with 2 machines and 1 vehicle: 1,000 items
    path = _with_demolition(tmp_path / "grens.yaml", LIMITS.max_judged_items - 3)
    res = cgc("evaluate", path, "-r", "cgc-spelregels", "--format", "json")
    assert res.returncode in (0, 1), res.stderr[-800:]
    outcomes = json.loads(res.stdout)["outcomes"]
    assert sum(o["subject_kind"] == "demolition" for o in outcomes) == 997  # one ladder outcome per line


@pytest.fixture(scope="module")
def form_with_many_vehicles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's bid form (as `cgc convert` writes it) with 1,000 more vehicles typed into its sheet."""
    from openpyxl import load_workbook

    folder = tmp_path_factory.mktemp("form")
    form = folder / "bod.xlsx"
    main.main(args=["convert", str(EXAMPLE), str(form)], standalone_mode=False)
    book = load_workbook(form)
    sheet = book["transport"]
    for i in range(1_000):
        sheet.append([f"Bakwagen {i}", "N2", "ja"])
    book.save(form)
    return form


def test_a_bid_form_beyond_the_limit_is_refused_at_its_row(form_with_many_vehicles):
    res = cgc("evaluate", form_with_many_vehicles, "-r", "hnn-gww")
    assert res.returncode == 2
    # 3 demolition lines and 2 machines come first: vehicle 995 (row 997 under the header) is the 1,001st item
    assert "bod.xlsx: transport!A997: 1.006 regels op de bladen sloop, materieel en transport samen" in res.stderr


def test_a_ruleset_named_twice_is_refused_whatever_the_spelling():
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "-r", "seb", "-r", "hnn-gww@2026.1")
    assert res.returncode == 2
    assert res.stdout == ""
    assert "regelset hnn-gww@2026.1 is twee keer gekozen (regelsets 1 en 3): noem elke regelset één keer" in res.stderr


def test_a_ruleset_named_twice_is_refused_in_english_too():
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "-r", "hnn-gww", "--lang", "en")
    assert res.returncode == 2
    assert "ruleset hnn-gww@2026.1 is chosen twice (rulesets 1 and 2 given): name each once" in res.stderr


def test_a_ruleset_repeated_ten_thousand_times_is_refused_at_once():
    res = cgc("evaluate", EXAMPLE, *["-r", "hnn-gww"] * 10_000)
    assert res.returncode == 2
    assert "(regelsets 1 en 2)" in res.stderr


def test_a_pdf_at_the_limit_shows_the_failing_items_in_full_and_summarises_the_rest(tmp_path):
    from pypdf import PdfReader

    data = _example()  # with its 3 demolition lines and 2 machines: 997 items
    data["transport"] = _vehicles(992)
    data["transport"][500] = {"name": "Kipper diesel", "vehicle_class": "N3", "zero_emission": False}
    path = tmp_path / "grens.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    out = tmp_path / "grens.pdf"
    rulesets = ("-r", "hnn-gww", "-r", "emissievrij-transport", "-r", "cgc-spelregels", "-r", "seb")
    res = cgc("evaluate", path, *rulesets, "--format", "pdf", "-o", out)  # within SECONDS of processor time
    assert res.returncode == 1, res.stderr[-800:]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Overige onderdelen, samengevat" in text
    assert "Hierboven staan er 20 met al hun uitkomsten, die met een tekortkoming eerst" in text
    assert "Kipper diesel (voertuig)" in text  # the failing vehicle, in full although it is number 501
    assert "Kipper 900 (voertuig)" not in text  # a passing one beyond the first twenty: only its name, summarised
    assert "Kipper 900," in text
