"""Pack build with an injected document builder: reproducible bytes, manifest, verify, changelog, safety."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from cgc_rules.errors import CgcError
from cgc_rules.pack.build import build_pack
from cgc_rules.pack.definition import load_definition
from cgc_rules.pack.manifest import sha256, verify
from cgc_rules.pack.plan import DocumentTask, Sources
from cgc_rules.registry import Registry
from cgc_rules.submission import Material, Submission

from .conftest import ROOT
from .test_diff import next_version, raise_threshold


def fake_documents(task: DocumentTask) -> list[tuple[str, bytes]]:
    """Stands in for the document generator: bytes that depend only on the task."""
    ref = f"{task.kind} {task.profile} {task.project_type} {task.as_of}".encode()
    return [(f"{task.kind}.{fmt}", b"%PDF-fake " + ref if fmt == "pdf" else b"PK-fake " + ref) for fmt in task.formats]


DEFINITION = {
    "name": "test-pack",
    "version": "2026.1",
    "title": "Testpakket",
    "released": "2026-03-01",
    "profiles": ["amersfoort", "gmr-voorbeeld-profiel-1"],
    "project_types": ["wegen", "openbare_ruimte"],
    "documents": ["tender", "checklist"],
    "formats": ["docx", "pdf"],
    "rulesets": ["hnn-gww@2026.1", "emissievrij-transport@2025.2"],
}


@pytest.fixture
def setup(tmp_path: Path):
    """(write_definition, sources, dist): a rulesets dir with two hnn-gww versions, a copy of the profiles."""
    rulesets = next_version(tmp_path, raise_threshold)
    shutil.copytree(ROOT / "cgc_rules/data/rulesets" / "emissievrij-transport", rulesets / "emissievrij-transport")
    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "cgc_rules/data/profiles", profiles)
    sources = Sources(Registry(rulesets), profiles)

    def write_definition(**over) -> Path:
        path = tmp_path / f"pack-{over.get('version', '2026.1')}.yaml"
        path.write_text(yaml.safe_dump({**DEFINITION, **over}, sort_keys=False), encoding="utf-8")
        return path

    return write_definition, sources, tmp_path / "dist"


def build(defpath: Path, dist: Path, sources: Sources, **kw) -> Path:
    return build_pack(load_definition(defpath), dist, sources, builder=fake_documents, **kw).path


def test_two_builds_are_byte_identical_and_jobs_do_not_matter(setup, monkeypatch):
    write_definition, sources, dist = setup
    defpath = write_definition()
    one = build(defpath, dist / "a", sources, jobs=1).read_bytes()
    again = build(defpath, dist / "b", sources, jobs=1).read_bytes()
    parallel = build(defpath, dist / "c", sources, jobs=2).read_bytes()
    assert one == again == parallel
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    assert build(defpath, dist / "d", sources, jobs=1).read_bytes() != one


def test_zip_layout_entries_sorted_with_fixed_time_and_mode(setup):
    write_definition, sources, dist = setup
    path = build(write_definition(), dist, sources)
    assert path.name == "test-pack-2026.1.zip"
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(2026, 3, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert "documents/amersfoort/wegen/tender.pdf" in names
        assert "checklists/gmr-voorbeeld-profiel-1/openbare_ruimte/checklist.docx" in names
        assert {
            "index.html",
            "manifest.json",
            "CHANGELOG.md",
            "inschrijving-sjabloon.yaml",
            "rulesets/hnn-gww/2026.1.yaml",
        } <= set(names)
        assert len([n for n in names if n.startswith(("documents/", "checklists/"))]) == 2 * 2 * 2 * 2
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["pack"] == {
        "name": "test-pack",
        "version": "2026.1",
        "title": "Testpakket",
        "released": "2026-03-01",
    }
    refs = {rs["ref"]: rs for rs in manifest["inputs"]["rulesets"]}
    assert set(refs) == {"hnn-gww@2026.1", "emissievrij-transport@2025.2"}
    assert all(len(rs["sha256"]) == 64 for rs in refs.values())
    assert [p["id"] for p in manifest["inputs"]["profiles"]] == ["amersfoort", "gmr-voorbeeld-profiel-1"]
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json"}


def test_verify_passes_on_fresh_pack_and_names_altered_missing_and_extra_files(setup, tmp_path, cgc):
    write_definition, sources, dist = setup
    path = build(write_definition(), dist, sources)
    res = cgc("pack", "verify", path)
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(path) as zf:
        listed = len(json.loads(zf.read("manifest.json"))["files"])
        assert listed == len(zf.namelist()) - 1 > 0  # every file but the manifest itself
    assert res.output == f"{path}: ok, {listed} files match the manifest\n"

    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["documents/amersfoort/wegen/tender.pdf"] += b" tampered"
    del entries["CHANGELOG.md"]
    entries["extra.txt"] = b"hello"
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    result = verify(bad)
    assert result.mismatched == ["documents/amersfoort/wegen/tender.pdf"]
    assert result.missing == ["CHANGELOG.md"]
    assert result.extra == ["extra.txt"]
    res = cgc("pack", "verify", bad)
    assert res.exit_code == 1
    assert "checksum mismatch: documents/amersfoort/wegen/tender.pdf" in res.output
    assert "missing: CHANGELOG.md" in res.output
    assert "not in manifest: extra.txt" in res.output


def test_verify_bad_zip_exit_2(tmp_path, cgc):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    res = cgc("pack", "verify", junk)
    assert res.exit_code == 2
    assert "not a readable zip file" in res.output


def test_changelog_names_changed_threshold(setup):
    write_definition, sources, dist = setup
    first = build(write_definition(), dist, sources)
    with (sources.profiles_dir / "amersfoort.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# a comment changes the file\n")
    second = build(
        write_definition(
            version="2027.1", released="2027-02-01", rulesets=["hnn-gww@2027.1", "emissievrij-transport@2025.2"]
        ),
        dist,
        sources,
        previous=first,
    )
    with zipfile.ZipFile(second) as zf:
        text = zf.read("CHANGELOG.md").decode("utf-8")
    assert "## Profielen\n\n- gewijzigd: `amersfoort`\n\n## Sjablonen\n\n- ongewijzigd\n" in text
    assert "Vergeleken met de vorige uitgave, test-pack 2026.1." in text
    assert "### `hnn-gww@2026.1` → `hnn-gww@2027.1`" in text
    assert "regel `herkomst-materiaal` — Herkomst materiaal" in text
    assert "grenswaarde (wegen): ≥ 62,0\u00a0% → ≥ 65,0\u00a0%" in text
    with zipfile.ZipFile(first) as zf:
        assert "Eerste uitgave" in zf.read("CHANGELOG.md").decode("utf-8")


def test_index_lists_documents_by_profile_and_type_offline(setup):
    write_definition, sources, dist = setup
    with zipfile.ZipFile(build(write_definition(), dist, sources)) as zf:
        html = zf.read("index.html").decode("utf-8")
    assert "Gemeente Amersfoort" in html
    assert "Voorbeeldprofiel GMR 1 — koploper" in html
    assert "Openbare ruimte" in html
    assert 'href="documents/gmr-voorbeeld-profiel-1/wegen/tender.pdf"' in html
    assert 'href="checklists/amersfoort/wegen/checklist.docx"' in html
    assert "http://" not in html
    assert "https://" not in html


def test_submission_template_follows_the_model(setup):
    write_definition, sources, dist = setup
    with zipfile.ZipFile(build(write_definition(), dist, sources)) as zf:
        text = zf.read("inschrijving-sjabloon.yaml").decode("utf-8")
    data = yaml.safe_load(text)
    assert set(data) == set(Submission.model_fields)
    assert set(data["project"]) == {
        "id",
        "name",
        "municipality",
        "type",
        "tender_date",
        "area_m2",
        "bvo_m2",
        "lifetime_years",
        "building_form",
        "execution_start",
    }
    assert set(data["materials"][0]) == set(Material.model_fields)  # corridor_line included
    assert "# Massa in ton · verplicht · getal ≥ 0\n    mass_t:\n" in text
    assert "één van: primair | hergebruikt | gerecycled | biobased" in text
    assert "cgc evaluate inschrijving.yaml -r hnn-gww@2026.1" in text


def failing_documents(task: DocumentTask) -> list[tuple[str, bytes]]:
    if task.profile == "gmr-voorbeeld-profiel-1":
        raise CgcError("template error in tender")
    return fake_documents(task)


@pytest.mark.parametrize("jobs", [1, 2])
def test_failed_build_leaves_no_zip(setup, jobs):
    write_definition, sources, dist = setup
    dist.mkdir()
    with pytest.raises(CgcError, match="template error"):
        build_pack(load_definition(write_definition()), dist, sources, builder=failing_documents, jobs=jobs)
    assert list(dist.iterdir()) == []


def unsafe_documents(task: DocumentTask) -> list[tuple[str, bytes]]:
    return [("../../escape.pdf", b"x")]


def test_unsafe_document_name_is_refused(setup):
    write_definition, sources, dist = setup
    with pytest.raises(CgcError, match="unsafe file name"):
        build_pack(load_definition(write_definition()), dist, sources, builder=unsafe_documents)
    assert not dist.exists() or list(dist.iterdir()) == []


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"profiles": ["../etc"]}, "profiles[0]: String should match pattern"),
        ({"name": "a/b"}, "name: String should match pattern"),
        ({"project_types": ["wegen", "wegen"]}, "project_types: 'wegen' is listed twice"),
        ({"rulesets": ["hnn-gww"]}, "rulesets[0]: String should match pattern"),
        ({"documents": ["tender", "poem"]}, "documents[1]"),
        ({"formats": ["odt"]}, "formats[0]"),
    ],
)
def test_bad_definition_names_field_and_line(setup, cgc, over, message):
    write_definition, _, dist = setup
    res = cgc("pack", "build", write_definition(**over), "-o", dist)
    assert res.exit_code == 2
    assert message in res.output
    assert ".yaml:" in res.output


def test_ruleset_not_in_force_and_unknown_profile(setup, cgc):
    write_definition, sources, dist = setup
    with pytest.raises(CgcError, match=r"hnn-gww@2027.1 is not in force on the release date 2026-03-01"):
        build(write_definition(rulesets=["hnn-gww@2027.1", "emissievrij-transport@2025.2"]), dist, sources)
    with pytest.raises(CgcError, match="unknown profile 'gemeente-c'"):
        build(write_definition(profiles=["gemeente-c"]), dist, sources)


def test_previous_pack_must_verify(setup, tmp_path):
    write_definition, sources, dist = setup
    first = build(write_definition(), dist, sources)
    with zipfile.ZipFile(first) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["index.html"] = b"<p>changed</p>"
    bad = tmp_path / "old.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    with pytest.raises(CgcError, match="previous pack does not match its manifest.*checksum mismatch: index.html"):
        build(write_definition(version="2027.1"), dist, sources, previous=bad)


def test_profile_ruleset_missing_from_pack(setup):
    write_definition, sources, dist = setup
    with pytest.raises(
        CgcError,
        match="profile 'amersfoort' applies ruleset 'convenant-toekomstbestendig-bouwen', which the pack does not list",
    ):
        build(write_definition(project_types=["wegen", "woningbouw"]), dist, sources)


def test_document_kinds_match_the_generator():
    from typing import get_args

    from cgc_rules.documents import DOCUMENT_KINDS
    from cgc_rules.pack.definition import DocumentKind

    assert set(get_args(DocumentKind)) == set(DOCUMENT_KINDS)


def test_verify_flags_unsafe_paths_even_when_listed(setup, tmp_path):
    write_definition, sources, dist = setup
    with zipfile.ZipFile(build(write_definition(), dist, sources)) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(entries["manifest.json"])
    entries["../evil.sh"] = b"rm -rf ~"
    manifest["files"].append({"path": "../evil.sh", "size": 8, "sha256": sha256(b"rm -rf ~")})
    entries["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    result = verify(bad)
    assert not result.ok
    assert result.unsafe == ["../evil.sh"]
    assert not result.mismatched


def test_manifest_holds_no_host_paths(setup, tmp_path):
    write_definition, sources, dist = setup
    with zipfile.ZipFile(build(write_definition(), dist, sources)) as zf:
        manifest = zf.read("manifest.json").decode("utf-8")
    assert str(tmp_path) not in manifest
    assert "/work/" not in manifest
    inputs = json.loads(manifest)["inputs"]
    assert inputs["definition"]["path"] == "packs/pack-2026.1.yaml"
    assert {h["path"] for p in inputs["profiles"] for h in p["house_style"]} >= {"profiles/huisstijl/gmr/stijl.css"}
    assert all(t["path"].startswith("templates/") for t in inputs["templates"])
