"""Municipality profiles: the shipped ones load, and bad profiles fail with file, line and field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from cgc_rules.documents import generate
from cgc_rules.errors import CgcError
from cgc_rules.profile import Instrument, all_profiles, load_profile

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 3, 1)


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    """A copy of profiles/ (with house style) to edit."""
    target = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", target)
    return target


def edit(directory: Path, pid: str, change) -> None:
    path = directory / f"{pid}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_shipped_profiles():
    loaded = {p.stem: load_profile(p).profile for p in all_profiles()}
    assert set(loaded) == {"amersfoort", "gmr-voorbeeld-profiel-1", "gmr-voorbeeld-profiel-2", "gmr-voorbeeld-profiel-3"}
    for n in (1, 2, 3):
        p = loaded[f"gmr-voorbeeld-profiel-{n}"]
        assert p.example and p.gmr_profile == n and "Voorbeeld" in p.name
    af = loaded["amersfoort"]
    assert not af.example and af.region == "regio Amersfoort"
    assert [(r.id, r.ambition) for r in af.rulesets if r.id.startswith("convenant")] == [
        ("convenant-toekomstbestendig-bouwen", "goud")]
    # per-element growth levels are to be confirmed, and no local number is set without a source
    assert all(getattr(af.growth_levels, e).level is None for e in type(af.growth_levels).model_fields)
    settings = [*af.settings.values(), af.award.sanction_factor,
                *(s for c in af.award.criteria for s in (c.factor, c.floor, c.cap, c.weight) if s)]
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
    assert problem.field == "settings.looptijd" and problem.line and "needs a source" in problem.message


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
    edit(profiles_dir, "gmr-voorbeeld-profiel-2",
         lambda d: d["procurement"].update({"hnn-gww/bestaat-niet": {"instrument": "eis"}}))
    with pytest.raises(CgcError, match="unknown rule 'hnn-gww/bestaat-niet'"):
        generate("tender", "gmr-voorbeeld-profiel-2", "wegen", ["html"], as_of=AS_OF, profiles_dir=profiles_dir)


def test_profile_text_is_escaped_not_markup(profiles_dir):
    edit(profiles_dir, "gmr-voorbeeld-profiel-1",
         lambda d: d.update(municipality='Gemeente <b>&</b> "Test"', region="</section><section>"))
    html = generate("agreement", "gmr-voorbeeld-profiel-1", "wegen", ["html"], as_of=AS_OF,
                    profiles_dir=profiles_dir)[0].data.decode()
    assert "Gemeente &lt;b&gt;&amp;&lt;/b&gt;" in html and "&lt;/section&gt;&lt;section&gt;" in html
    assert "<b>&</b>" not in html


def test_changing_a_profile_number_changes_the_document(profiles_dir):
    edit(profiles_dir, "gmr-voorbeeld-profiel-1",
         lambda d: d["award"]["criteria"][0]["factor"].update(value=3))
    html = generate("emvi", "gmr-voorbeeld-profiel-1", "wegen", ["html"], as_of=AS_OF,
                    profiles_dir=profiles_dir)[0].data.decode()
    assert "€\u00a03 fictieve korting per € MKI (voorbeeldwaarde)" in html


def test_broken_house_style_files_are_reported_not_raised(profiles_dir):
    (profiles_dir / "huisstijl" / "gmr" / "referentie.docx").write_bytes(b"geen word")
    with pytest.raises(CgcError, match="referentie.docx: not a usable Word document"):
        generate("tender", "gmr-voorbeeld-profiel-3", "wegen", ["docx"], as_of=AS_OF, profiles_dir=profiles_dir)
    (profiles_dir / "huisstijl" / "amersfoort" / "logo.png").write_bytes(b"geen plaatje")
    with pytest.raises(CgcError, match="logo.png: logo is not a PNG or JPEG image"):
        generate("tender", "amersfoort", "wegen", ["docx"], as_of=AS_OF, profiles_dir=profiles_dir)
