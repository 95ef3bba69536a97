"""`cgc generate` and `cgc templates check`: numbers follow the rulesets, errors are clear."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from cgc_rules.documents import generate, templates
from cgc_rules.documents.kinds import NotGenerated

from .docreading import docx_clauses, html_clauses, model_rule_clauses, pdf_clauses

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-03-01"


@pytest.fixture
def rulesets(tmp_path: Path) -> Path:
    """hnn-gww copied to tmp with the road origin level changed from 62 to 66 and the MKI from 0.17 to 0.15."""
    target = tmp_path / "rulesets"
    shutil.copytree(ROOT / "cgc_rules/data/rulesets" / "hnn-gww", target / "hnn-gww")
    path = target / "hnn-gww" / "2026.1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{wegen: 62, openbare_ruimte: 57}" in text
    assert "{wegen: 0.17, openbare_ruimte: 0.12}" in text
    text = text.replace("{wegen: 62, openbare_ruimte: 57}", "{wegen: 66, openbare_ruimte: 57}")
    path.write_text(
        text.replace("{wegen: 0.17, openbare_ruimte: 0.12}", "{wegen: 0.15, openbare_ruimte: 0.12}"), encoding="utf-8"
    )
    return target


def test_cli_generates_files_atomically_named(cgc, tmp_path):
    out = tmp_path / "out"
    result = cgc(
        "generate",
        "tender",
        "intent",
        "--profile",
        "amersfoort",
        "--type",
        "openbare_ruimte",
        "--format",
        "docx,html",
        "--as-of",
        AS_OF,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "bestektekst-circulariteit_amersfoort_openbare_ruimte.docx",
        "bestektekst-circulariteit_amersfoort_openbare_ruimte.html",
        "intentieverklaring_amersfoort_openbare_ruimte.docx",
        "intentieverklaring_amersfoort_openbare_ruimte.html",
    ]


def test_changing_a_ruleset_threshold_changes_the_documents(cgc, tmp_path, rulesets):
    out = tmp_path / "out"
    result = cgc(
        "generate",
        "vraagspecificatie",
        "--profile",
        "gmr-voorbeeld-profiel-1",
        "--type",
        "wegen",
        "--format",
        "docx,pdf",
        "--as-of",
        AS_OF,
        "--rulesets-dir",
        rulesets,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    docx_data = (out / "vraagspecificatie-circulariteit_gmr-voorbeeld-profiel-1_wegen.docx").read_bytes()
    pdf_data = (out / "vraagspecificatie-circulariteit_gmr-voorbeeld-profiel-1_wegen.pdf").read_bytes()
    by_rule = model_rule_clauses("vraagspecificatie", "gmr-voorbeeld-profiel-1", "wegen", date(2026, 3, 1))
    origin, mki = by_rule["herkomst-materiaal"][0], by_rule["mki"][0]
    for clauses in (docx_clauses(docx_data), pdf_clauses(pdf_data)):
        assert "ten minste 66 %" in clauses[origin]
        assert "62 %" not in clauses[origin]
        assert "ten hoogste € 0,15" in clauses[mki]
        assert "0,17" not in clauses[mki]


def test_cgc_rulesets_environment_variable(monkeypatch, rulesets):
    monkeypatch.setenv("CGC_RULESETS", str(rulesets))
    html = generate("emvi", "gmr-voorbeeld-profiel-2", "wegen", ["html"], as_of=date(2026, 3, 1))[0].data.decode()
    assert "ten hoogste € 0,15 MKI per m² per jaar" in html.replace("\u00a0", " ")


def test_project_file_names_the_project_and_sets_the_type(cgc, tmp_path, write):
    project = write(
        {
            "project": {
                "id": "AF-2026-014",
                "name": "Herinrichting Stadsring",
                "municipality": "Amersfoort",
                "type": "wegen",
                "tender_date": "2026-04-01",
            }
        },
        "project.yaml",
    )
    out = tmp_path / "out"
    result = cgc(
        "generate", "checklist", "--profile", "amersfoort", "--project", project, "--format", "html", "-o", out
    )
    assert result.exit_code == 0, result.output
    html = (out / "checklist-beoordeling_amersfoort_wegen.html").read_text(encoding="utf-8")
    assert "Herinrichting Stadsring (AF-2026-014)" in html
    assert "het project Herinrichting Stadsring" in html
    assert html_clauses(html)[:2] == ["1.1", "1.2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tender", "--profile", "nergens", "--type", "wegen"], "unknown profile 'nergens'"),
        (["tender", "--profile", "gmr-voorbeeld-profiel-2"], "give --type or --project"),
        (
            ["tender", "--profile", "gmr-voorbeeld-profiel-2", "--type", "wegen", "--ruleset", "hnn-gww@1999.1"],
            "unknown version '1999.1' of ruleset 'hnn-gww'",
        ),
        (
            ["tender", "--profile", "gmr-voorbeeld-profiel-2", "--type", "wegen", "--ruleset", "seb-basis@2023.1"],
            "does not apply ruleset(s) seb-basis",
        ),
        (["tender", "--profile", "gmr-voorbeeld-profiel-2", "--type", "wegen", "--format", "odt"], "--format"),
    ],
)
def test_bad_input_exits_2_with_a_message(cgc, tmp_path, args, message, rulesets):
    result = cgc("generate", *args, "--as-of", AS_OF, "--rulesets-dir", rulesets, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_project_file_is_located(cgc, tmp_path, write):
    project = write({"project": {"id": "x", "name": "X", "municipality": "Y", "type": "snelweg"}}, "p.yaml")
    result = cgc("generate", "tender", "--profile", "amersfoort", "--project", project, "-o", tmp_path)
    assert result.exit_code == 2
    assert "p.yaml:5:3: project.type:" in result.output
    assert "snelweg" in result.output


def test_templates_check_passes(cgc):
    result = cgc("templates", "check", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    # 4 profiles × 3 types × 8 kinds = 96, less one contract part per profile and type (12), the award criteria
    # for woningbouw (4) and, for the GMR profiles whose rules do not cover woningbouw, its guide, contract part,
    # checklist and Verantwoording (12)
    assert "ok: 68 documents from 8 templates and 4 profiles" in result.output


@pytest.fixture
def broken_templates(tmp_path, monkeypatch):
    """A copy of templates/ that the sandbox reads instead of the real one."""
    target = tmp_path / "templates"
    shutil.copytree(ROOT / "cgc_rules/data/templates", target)
    monkeypatch.setattr(templates, "TEMPLATES_DIR", target)
    templates.environment.cache_clear()
    yield target
    templates.environment.cache_clear()


def test_templates_check_finds_undefined_names_and_unknown_rules(cgc, broken_templates):
    intent = broken_templates / "agreements" / "intentieverklaring.xml.j2"
    intent.write_text(
        intent.read_text(encoding="utf-8").replace("{{ profile.region }}", "{{ profile.regio }}"), encoding="utf-8"
    )
    tender = broken_templates / "tender" / "bestek.xml.j2"
    tender.write_text(
        tender.read_text(encoding="utf-8").replace(
            '<clause title="Reikwijdte">', '<clause rules="hnn-gww/verzonnen" title="Reikwijdte">'
        ),
        encoding="utf-8",
    )
    result = cgc("templates", "check", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "templates/agreements/intentieverklaring.xml.j2:" in result.output
    assert "regio" in result.output
    assert "unknown rule id 'hnn-gww/verzonnen'" in result.output
    assert "Traceback" not in result.output


def test_sandbox_refuses_unsafe_attribute_access(cgc, broken_templates):
    intent = broken_templates / "agreements" / "intentieverklaring.xml.j2"
    intent.write_text(
        intent.read_text(encoding="utf-8").replace("{{ profile.region }}", "{{ profile.__class__.__mro__ }}"),
        encoding="utf-8",
    )
    result = cgc(
        "generate",
        "intent",
        "--profile",
        "amersfoort",
        "--type",
        "wegen",
        "--format",
        "html",
        "--as-of",
        AS_OF,
        "-o",
        broken_templates.parent / "out",
    )
    assert result.exit_code == 2
    assert "intentieverklaring.xml.j2" in result.output


def test_type_without_levels_gets_no_invented_criteria():
    with pytest.raises(NotGenerated, match="geen gunningscriteria"):
        generate("emvi", "gmr-voorbeeld-profiel-1", "kunstwerk", ["html"], as_of=date(2026, 3, 1))
    guide = generate("leidraad", "gmr-voorbeeld-profiel-1", "kunstwerk", ["html"], as_of=date(2026, 3, 1))
    html = guide[0].data.decode()
    assert "Circulariteit weegt voor kunstwerk niet mee bij de gunning" in html
    assert "€\u00a00,17" not in html
    assert "62\u00a0%" not in html
    by_rule = model_rule_clauses("vraagspecificatie", "gmr-voorbeeld-profiel-1", "kunstwerk", date(2026, 3, 1))
    assert "restmateriaal" in by_rule
    assert "mki" not in by_rule
