"""The bid form carries the whole bid: read from the form, checked against the tender and scored like a bid file."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any
from cgc_rules.intake.bid import Expected, read_bid_form
from cgc_rules.intake.form import FormSpec, build_form
from cgc_rules.jobs.score import score
from cgc_rules.registry import Registry
from cgc_rules.tender import load_tender

from .conftest import ROOT

EX = ROOT / "examples" / "aanbesteding"


def _bid_form(tmp_path: Path, values: dict[str, object]) -> Path:
    """Alfa's bid as a bidder fills the form: the submission on its sheets, the bid on `inschrijving`."""
    path = tmp_path / "bod-alfa.xlsx"
    path.write_bytes(build_form(FormSpec(), load_any(EX / "inzending-alfa.yaml").submission))
    wb = openpyxl.load_workbook(path)
    for row in wb["inschrijving"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)
    return path


def _values(**changed: object) -> dict[str, object]:
    lt = load_tender(EX / "tender.yaml")
    return {
        "inschrijver": "Aannemer Alfa",
        "inschrijfsom (€)": "2.400.000",  # Dutch grouping, typed as text
        "aanbesteding (kenmerk)": lt.tender.id,
        "aanbesteding (sha256)": lt.sha256,
        "CO2-prestatieladder (niveau)": 3,
        **changed,
    }


def test_a_bid_read_from_the_form_scores_as_its_bid_file(tmp_path):
    form = _bid_form(tmp_path, _values())
    others = [p for p in sorted(EX.glob("bod-*.yaml")) if p.name != "bod-alfa.yaml"]
    from_form = score(EX / "tender.yaml", [form, *others], Registry(), "nl")
    from_yaml = score(EX / "tender.yaml", sorted(EX.glob("bod-*.yaml")), Registry(), "nl")
    assert from_form.bad == []
    ranked = {r.bid.bidder: (r.rank, r.result, [k for k, _ in r.excluded]) for r in from_form.report.award.results}
    assert ranked == {
        r.bid.bidder: (r.rank, r.result, [k for k, _ in r.excluded]) for r in from_yaml.report.award.results
    }
    # € 2,400,000 − the discounts computed by hand in tests/test_jobs_score.py: € 2,269,600
    assert ranked["Aannemer Alfa"][1] == Decimal("2269600.00")
    alfa = next(r.bid for r in from_form.report.award.results if r.bid.bidder == "Aannemer Alfa")
    assert (alfa.price, alfa.statements.co2_ladder_level, alfa.path) == (Decimal(2400000), 3, str(form))


def test_a_bid_for_another_tender_or_without_price_names_the_cells_in_dutch(tmp_path):
    lt = load_tender(EX / "tender.yaml")
    expected = Expected(lt.tender.id, lt.sha256, lt.tender.project_type.value)
    form = _bid_form(tmp_path, _values(**{"inschrijfsom (€)": None, "aanbesteding (sha256)": "0" * 64}))
    with pytest.raises(CgcError) as info:
        read_bid_form(form, expected)
    assert [(p.field, p.message) for p in info.value.problems] == [
        (
            "inschrijving!B5",
            f"dit bod noemt een andere versie van de aanbesteding (sha256 000000000000…, gepubliceerd "
            f"{lt.sha256[:12]}…); neem het controlegetal uit de aanbestedingsstukken over",
        ),
        ("inschrijving!B3", "inschrijfsom ontbreekt"),
    ]
    form = _bid_form(tmp_path, _values(**{"aanbesteding (kenmerk)": "andere-weg", "aanbesteding (sha256)": "0" * 64}))
    with pytest.raises(CgcError) as info:
        read_bid_form(form, expected)
    assert [(p.field, p.message) for p in info.value.problems] == [
        (
            "inschrijving!B4",
            f'dit bod is voor aanbesteding "andere-weg", niet voor "{lt.tender.id}"; '
            "neem het kenmerk uit de aanbestedingsstukken over",
        ),
        (
            "inschrijving!B5",
            f"dit bod noemt een andere versie van de aanbesteding (sha256 000000000000…, gepubliceerd "
            f"{lt.sha256[:12]}…); neem het controlegetal uit de aanbestedingsstukken over",
        ),
    ]


def test_checks_cover_every_row_the_reader_takes_with_help_texts_that_fit(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(build_form(FormSpec()))
    wb = openpyxl.load_workbook(path)
    checks = {str(dv.sqref): dv for dv in wb["materialen"].data_validations.dataValidation}
    assert set(checks) >= {"C2:C50001", "D2:D50001", "E2:E50001", "I2:I50001"}  # as many rows as the reader takes
    assert checks["C2:C50001"].error == "massa: vul een getal van 0 of meer in."
    assert checks["E2:E50001"].error == "% primair: vul een getal van 0 tot en met 100 in."
    assert (checks["C2:C50001"].promptTitle, checks["C2:C50001"].prompt) == ("massa", "Massa in ton.")
    bid = {str(dv.sqref): dv for dv in wb["inschrijving"].data_validations.dataValidation}
    assert bid["B3"].error == "inschrijfsom: vul een getal groter dan 0 in."
    assert bid["B6"].error == "CO2-prestatieladder: vul een geheel getal van 0 tot en met 5 in."


def test_headers_and_formulas_are_protected_and_the_bidders_cells_open(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(build_form(FormSpec()))
    wb = openpyxl.load_workbook(path)
    for title in ("inschrijving", "project", "materialen", "sloop", "totalen", "toelichting"):
        p = wb[title].protection
        assert p.sheet, title
        assert not p.password, title  # protected, without a password
    ws = wb["materialen"]
    assert ws["A1"].protection.locked
    assert ws["C1"].protection.locked
    assert ws.column_dimensions["C"].protection.locked is False  # every empty cell below takes the column's style
    record = wb["inschrijving"]
    assert record["A3"].protection.locked
    assert not record["B3"].protection.locked
    assert record["C3"].protection.locked
    totals = wb["totalen"]
    assert totals["B3"].value == "=SUM(materialen!C2:C50001)"
    assert totals["B3"].protection.locked


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice() is None, reason="no `soffice` on PATH: scripts/system-deps.sh installs LibreOffice")
def test_the_totals_add_up_the_lines_in_a_spreadsheet(tmp_path):
    """Mixed asphalt 1,800 t at 50 % recycled, 2,400 t recycled granulate, 1,372.5 t primary sand:
    5,572.5 t; recycled 900 + 2,400 = 3,300 t = 59.2 %; primary 900 + 1,372.5 = 2,272.5 t."""
    path = tmp_path / "form.xlsx"
    path.write_bytes(build_form(FormSpec()))
    wb = openpyxl.load_workbook(path)
    ws = wb["materialen"]
    for r, line in enumerate(
        [
            ("Asfalt", 1800, None, 50, 50),
            ("Granulaat", 2400, "gerecycled", None, None),
            ("Zand", 1372.5, "primair", None, None),
        ],
        start=2,
    ):
        name, mass, origin, primary, recycled = line
        ws.cell(r, 1, name), ws.cell(r, 3, mass), ws.cell(r, 4, origin), ws.cell(r, 5, primary), ws.cell(r, 7, recycled)
    wb.save(path)
    run = [soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'lo'}"]
    sheet = str(wb.sheetnames.index("totalen") + 1)
    res = subprocess.run(
        [
            *run,
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,{sheet}",
            "--outdir",
            str(tmp_path / "csv"),
            str(path),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    (out,) = (tmp_path / "csv").glob("*.csv")
    with out.open(encoding="utf-8") as fh:
        totals = {row[0]: row[1] for row in csv.reader(fh, delimiter=";")}
    assert totals["aantal materiaalregels"] == "3"
    assert float(totals["massa materialen (t)"]) == 5572.5
    assert float(totals["massa gerecycled (t)"]) == 3300
    assert float(totals["massa primair (t)"]) == 2272.5
    assert round(float(totals["aandeel gerecycled"].removesuffix("%")), 1) == 59.2
