"""The pack jobs: a small pack built with its progress reported, then verified, then caught when changed."""

from __future__ import annotations

import zipfile

import yaml

from cgc_rules.jobs.pack import build, verify
from cgc_rules.registry import Registry

SMALL = {
    "name": "klein",
    "version": "2026.1",
    "title": "Klein testpakket",
    "released": "2026-03-01",
    "profiles": ["gmr-voorbeeld-profiel-2"],
    "project_types": ["wegen"],
    "documents": ["tender", "checklist"],
    "formats": ["docx"],
    "rulesets": ["hnn-gww@2026.1"],
}


def test_build_reports_progress_and_verify_checks_every_file(tmp_path):
    definition = tmp_path / "klein.yaml"
    definition.write_text(yaml.safe_dump(SMALL, sort_keys=False), encoding="utf-8")
    seen: list[tuple[str, int]] = []

    def start(total: int):
        seen.append(("total", total))
        return lambda n: seen.append(("done", n))

    result = build(definition, tmp_path / "dist", Registry(), jobs=1, start=start)
    assert result.path == tmp_path / "dist" / "klein-2026.1.zip"
    assert result.documents == 2  # tender and checklist, for one profile and one project type
    assert seen[0] == ("total", 2)
    assert sum(n for what, n in seen if what == "done") == 2
    checked = verify(result.path)
    assert checked.ok
    assert checked.checked == result.files - 1

    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(changed, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data + b"x" if item.filename.endswith(".docx") else data)
    bad = verify(changed)
    assert not bad.ok
    assert len(bad.mismatched) == 2
