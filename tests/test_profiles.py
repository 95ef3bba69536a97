"""Municipality profiles: the shipped ones load, and bad profiles fail with file, line and field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from cgc_rules.documents import generate
from cgc_rules.documents.kinds import NotGenerated
from cgc_rules.errors import CgcError
from cgc_rules.profile import Instrument, all_profiles, load_profile

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 3, 1)


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    """A copy of profiles/ (with house style) to edit."""
    target = tmp_path / "profiles"
    shutil.copytree(ROOT / "cgc_rules/data/profiles", target)
    return target


def edit(directory: Path, pid: str, change) -> None:
    path = directory / f"{pid}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_shipped_profiles():
    loaded = {p.stem: load_profile(p).profile for p in all_profiles()}
    assert set(loaded) == {
        "amersfoort",
        "gmr-voorbeeld-profiel-1",
        "gmr-voorbeeld-profiel-2",
        "gmr-voorbeeld-profiel-3",
    }
    for n in (1, 2, 3):
        p = loaded[f"gmr-voorbeeld-profiel-{n}"]
        assert p.example
        assert p.gmr_profile == n
        assert "Voorbeeld" in p.name
    af = loaded["amersfoort"]
    assert not af.example
    assert af.region == "regio Amersfoort"
    assert [(r.id, r.ambition) for r in af.rulesets if r.id.startswith("convenant")] == [
        ("convenant-toekomstbestendig-bouwen", "goud")
    ]
    # per-element growth levels are to be confirmed, and no local number is set without a source
    assert all(getattr(af.growth_levels, e).level is None for e in type(af.growth_levels).model_fields)
    settings = [
        *af.settings.values(),
        af.award.sanction_factor,
        *(s for c in af.award.criteria for s in (c.factor, c.floor, c.cap, c.weight) if s),
    ]
    assert all(s.value is None for s in settings)
    p3 = loaded["gmr-voorbeeld-profiel-3"]
    assert p3.defaults["requirement"] is Instrument.rapportage
    assert loaded["gmr-voorbeeld-profiel-1"].procurement["hnn-gww/mki"].award


def test_a_number_without_source_must_be_an_example(profiles_dir):
    def change(data):
        data["settings"]["looptijd"]["example"] = False

    edit(profiles_dir, "gmr-voorbeeld-profiel-1", change)
    with pytest.raises(CgcError) as exc:
        load_profile(profiles_dir / "gmr-voorbeeld-profiel-1.yaml")
    problem = exc.value.problems[0]
    assert problem.field == "settings.looptijd"
    assert problem.line
    assert "needs a source" in problem.message


def test_unknown_field_and_wrong_id_are_located(profiles_dir):
    edit(profiles_dir, "amersfoort", lambda d: d.update(colour="red"))
    with pytest.raises(CgcError, match=r"amersfoort.yaml:\d+:\d+: colour: unknown field"):
        load_profile(profiles_dir / "amersfoort.yaml")
    (profiles_dir / "amersfoort.yaml").rename(profiles_dir / "andere.yaml")
    edit(profiles_dir, "andere", lambda d: d.pop("colour"))
    with pytest.raises(CgcError, match="differs from the file name"):
        load_profile(profiles_dir / "andere.yaml")


def test_missing_house_style_file(profiles_dir):
    edit(profiles_dir, "amersfoort", lambda d: d["house_style"].update(css="huisstijl/weg.css"))
    with pytest.raises(CgcError, match="house_style.css: file not found"):
        load_profile(profiles_dir / "amersfoort.yaml")


def test_procurement_of_an_unknown_rule_is_refused(profiles_dir):
    edit(
        profiles_dir,
        "gmr-voorbeeld-profiel-2",
        lambda d: d["procurement"].update({"hnn-gww/bestaat-niet": {"instrument": "eis"}}),
    )
    with pytest.raises(CgcError, match="unknown rule 'hnn-gww/bestaat-niet'"):
        generate("tender", "gmr-voorbeeld-profiel-2", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)


def test_profile_text_is_escaped_not_markup(profiles_dir):
    edit(
        profiles_dir,
        "gmr-voorbeeld-profiel-1",
        lambda d: d.update(municipality='Gemeente <b>&</b> "Test"', region="</section><section>"),
    )
    html = generate("agreement", "gmr-voorbeeld-profiel-1", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)[
        0
    ].data.decode()
    assert "Gemeente &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "&lt;/section&gt;&lt;section&gt;" in html
    assert "<b>&</b>" not in html


def test_changing_a_profile_number_changes_the_document(profiles_dir):
    edit(profiles_dir, "gmr-voorbeeld-profiel-1", lambda d: d["award"]["criteria"][0]["factor"].update(value=3))
    html = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)[
        0
    ].data.decode()
    assert "€\u00a03 fictieve korting per € MKI (voorbeeldwaarde)" in html


def test_broken_house_style_files_are_reported_not_raised(profiles_dir):
    (profiles_dir / "huisstijl" / "gmr" / "referentie.docx").write_bytes(b"geen word")
    with pytest.raises(CgcError, match="referentie.docx: not a usable Word document"):
        generate("tender", "gmr-voorbeeld-profiel-3", "wegen", ["docx"], as_of=AS_OF, profiles_dir=profiles_dir)
    (profiles_dir / "huisstijl" / "amersfoort" / "logo.png").write_bytes(b"geen plaatje")
    with pytest.raises(CgcError, match="logo.png: logo is not a PNG or JPEG image"):
        generate("tender", "amersfoort", "wegen", ["docx"], as_of=AS_OF, profiles_dir=profiles_dir)


COVENANT = """
id: test-convenant
version: "2026.1"
title: Testconvenant woningbouw
effective_from: 2026-01-01
sources:
  bron: {document: Testbron, secondary: true}
parameters:
  mpg_zilver: {description: {nl: MPG-grens zilver, en: MPG limit silver}}
rules:
  - {id: materiaal-brons, title: {nl: Materiaal brons, en: Material bronze}, theme: materiaalgebruik,
     indicator: responsible_origin_share, level: requirement, comparator: ">=", threshold: 30, unit: "%",
     source: bron, explanation: {nl: Aandeel., en: Share.}, tags: [brons]}
  - {id: materiaal-goud, title: {nl: Materiaal goud, en: Material gold}, theme: materiaalgebruik,
     indicator: responsible_origin_share, level: requirement, comparator: ">=", threshold: 55, unit: "%",
     source: bron, explanation: {nl: Aandeel., en: Share.}, tags: [goud]}
  - {id: mpg-zilver, title: {nl: MPG zilver, en: MPG silver}, theme: milieu-impact, indicator: mpg,
     level: requirement, comparator: "<=", threshold: {parameter: mpg_zilver}, source: bron,
     explanation: {nl: MPG., en: MPG.}, tags: [zilver]}
  - {id: hnn-indicatoren, title: {nl: HNN-indicatoren, en: HNN indicators}, theme: materiaalgebruik,
     indicator: hnn_indicator_count, level: measure, source: bron, explanation: {nl: Aantal., en: Count.}}
"""


@pytest.mark.parametrize(
    ("ambition", "present", "absent"),
    [
        ("goud", ["materiaal-goud", "hnn-indicatoren"], ["materiaal-brons", "mpg-zilver"]),
        ("zilver", ["mpg-zilver", "hnn-indicatoren"], ["materiaal-goud", "materiaal-brons"]),
    ],
)
def test_ambition_level_selects_tagged_rules(profiles_dir, tmp_path, ambition, present, absent):
    rs_dir = tmp_path / "rulesets"
    shutil.copytree(ROOT / "cgc_rules/data/rulesets" / "hnn-gww", rs_dir / "hnn-gww")
    (rs_dir / "test-convenant").mkdir()
    (rs_dir / "test-convenant" / "2026.1.yaml").write_text(COVENANT, encoding="utf-8")
    edit(
        profiles_dir,
        "amersfoort",
        lambda d: d.update(
            rulesets=[
                {"id": "hnn-gww"},
                {"id": "test-convenant", "ambition": ambition, "project_types": ["woningbouw"]},
            ]
        ),
    )
    from cgc_rules.registry import Registry

    # the internal checklist shows rule ids (data-rules); published documents never do
    html = generate(
        "checklist",
        "amersfoort",
        "woningbouw",
        ["html"],
        as_of=AS_OF,
        profiles_dir=profiles_dir,
        registry=Registry(rs_dir),
    )[0].data.decode()
    for rule in present:
        assert f'data-rules="test-convenant/{rule}"' in html
    for rule in absent:
        assert f"test-convenant/{rule}" not in html
    if ambition == "goud":
        assert "ten minste 55\u00a0% van de totale materiaalmassa" in html
        assert "(secundaire bron)" in html
    else:  # a parameter the ruleset leaves open becomes a fill-in field, never a number
        assert "[in te vullen: MPG-grens zilver (test-convenant@2026.1, parameter mpg_zilver)]" in html


def test_rule_switched_on_by_a_profile_parameter(profiles_dir, tmp_path):
    rs_dir = tmp_path / "rulesets"
    (rs_dir / "test-convenant").mkdir(parents=True)
    text = COVENANT.replace(
        "parameters:\n", "parameters:\n  paspoort: {description: {nl: Paspoort gevraagd, en: Passport}}\n"
    )
    text = text.replace("tags: [brons]}", "tags: [brons], applies_when: {parameter: paspoort}}")
    (rs_dir / "test-convenant" / "2026.1.yaml").write_text(text, encoding="utf-8")
    from cgc_rules.registry import Registry

    def html(switch):
        entry = {"id": "test-convenant", "parameters": {"paspoort": switch} if switch is not None else {}}
        edit(profiles_dir, "amersfoort", lambda d: d.update(rulesets=[entry], procurement={}))
        try:
            return generate(
                "checklist",
                "amersfoort",
                "woningbouw",
                ["html"],
                as_of=AS_OF,
                profiles_dir=profiles_dir,
                registry=Registry(rs_dir),
            )[0].data.decode()
        except NotGenerated:  # no rule in force: no checklist
            return ""

    assert "test-convenant/materiaal-brons" in html(True)
    assert "test-convenant/materiaal-brons" not in html(False)
    assert "test-convenant/materiaal-brons" not in html(None)


def test_profile_can_pick_rules_of_a_ruleset(profiles_dir):
    html = generate("checklist", "amersfoort", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)[
        0
    ].data.decode()
    assert 'data-rules="emissievrij-transport/alle-transport-emissievrij"' in html
    assert "ze-zone" not in html
    edit(profiles_dir, "amersfoort", lambda d: d["rulesets"][1].update(rules=["bestaat-niet"]))
    with pytest.raises(CgcError, match="has no rule bestaat-niet"):
        generate("tender", "amersfoort", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)
