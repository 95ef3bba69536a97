"""`cgc pack build` end to end with the real document generator (one profile, one project type)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

SMALL = {
    "name": "klein",
    "version": "2026.1",
    "title": "Klein testpakket",
    "released": "2026-03-01",
    "profiles": ["gmr-voorbeeld-profiel-2"],
    "project_types": ["wegen"],
    "documents": ["tender", "checklist"],
    "formats": ["docx", "pdf"],
    "rulesets": ["hnn-gww@2026.1"],
}


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> dict[str, Path]:
    """The small pack built three times: twice with --jobs 1, once with --jobs 2."""
    from click.testing import CliRunner

    from cgc_rules.cli import main

    tmp = tmp_path_factory.mktemp("packs")
    definition = tmp / "klein.yaml"
    definition.write_text(yaml.safe_dump(SMALL, sort_keys=False), encoding="utf-8")
    out = {}
    for label, jobs in (("first", "1"), ("again", "1"), ("parallel", "2")):
        res = CliRunner().invoke(main, ["pack", "build", str(definition), "-o", str(tmp / label), "--jobs", jobs])
        assert res.exit_code == 0, res.output
        out[label] = tmp / label / "klein-2026.1.zip"
    return out


def test_builds_are_byte_identical_whatever_the_jobs(packs):
    first = packs["first"].read_bytes()
    assert packs["again"].read_bytes() == first
    assert packs["parallel"].read_bytes() == first


def test_real_documents_listed_in_manifest_and_index(packs):
    with zipfile.ZipFile(packs["first"]) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        html = zf.read("index.html").decode("utf-8")
        tender_pdf = next(d["path"] for d in manifest["documents"] if (d["kind"], d["format"]) == ("tender", "pdf"))
        assert zf.read(tender_pdf).startswith(b"%PDF-")
    assert tender_pdf.startswith("documents/gmr-voorbeeld-profiel-2/wegen/")
    docs = {(d["kind"], d["format"]) for d in manifest["documents"]}
    assert docs == {("tender", "docx"), ("tender", "pdf"), ("checklist", "docx"), ("checklist", "pdf")}
    assert any(n.startswith("checklists/gmr-voorbeeld-profiel-2/wegen/") for n in names)
    assert manifest["inputs"]["templates"]
    assert all(len(t["sha256"]) == 64 for t in manifest["inputs"]["templates"])
    links = set(re.findall(r'href="([^"#]+)"', html))
    assert links
    assert links <= names
    assert {d["path"] for d in manifest["documents"]} <= links


def test_verify_real_pack(packs, cgc, tmp_path):
    assert cgc("pack", "verify", packs["first"]).exit_code == 0
    with zipfile.ZipFile(packs["first"]) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["CHANGELOG.md"] = entries["CHANGELOG.md"].replace(b"2026", b"2025")
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    res = cgc("pack", "verify", altered)
    assert res.exit_code == 1
    assert res.output.strip() == "checksum mismatch: CHANGELOG.md"


def _pid(task: object) -> list[tuple[str, bytes]]:
    import os
    import time

    time.sleep(0.05)  # long enough for every worker the pool starts to take a task
    return [("pid.txt", str(os.getpid()).encode())]


def test_jobs_beyond_the_cores_start_no_more_workers_than_cores():
    import os

    from cgc_rules.pack.build import _run

    made = _run(list(range(16)), _pid, 10**20, lambda n: None)  # type: ignore[arg-type]
    workers = {files[0][1] for files in made}
    assert 1 <= len(workers) <= (os.cpu_count() or 1)
