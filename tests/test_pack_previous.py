"""Issue 29: `pack build --previous` checks the old pack's manifest first, then streams its entries one at a time
(it used to read every entry into memory before looking at the manifest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.loading.archive import Archive
from cgc_rules.pack import build as pack_build
from cgc_rules.pack.manifest import MANIFEST, Previous, dumps, sha256

from .test_pack import build
from .test_pack import setup as setup  # noqa: PLC0414 - the fixture, shared

LARGE = 48 * 1024 * 1024


def _rewrite(pack: Path, target: Path, add: dict[str, bytes], manifest_edit=None) -> Path:
    """A copy of `pack` with entries added (stored, as an incompressible file would be) and listed in its
    manifest, the manifest then changed by `manifest_edit`."""
    with zipfile.ZipFile(pack) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(entries.pop(MANIFEST))
    for name, data in add.items():
        manifest["files"].append({"path": name, "size": len(data), "sha256": sha256(data)})
    if manifest_edit is not None:
        manifest_edit(manifest)
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in {**entries, **add}.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in add else zipfile.ZIP_DEFLATED)
        zf.writestr(MANIFEST, dumps(manifest) if isinstance(manifest, dict) else manifest)
    return target


@pytest.fixture
def read_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the entries read (inflated) from any archive, in order."""
    names: list[str] = []
    chunks = Archive.chunks

    def recording(self: Archive, info: zipfile.ZipInfo):
        names.append(info.filename)
        return chunks(self, info)

    monkeypatch.setattr(Archive, "chunks", recording)
    return names


def _first(setup) -> Path:
    write_definition, sources, dist = setup
    return build(write_definition(), dist / "first", sources)


def test_a_large_entry_of_the_previous_pack_is_streamed(setup, tmp_path, monkeypatch):
    write_definition, sources, dist = setup
    big = bytes(range(256)) * (LARGE // 256)  # 48 MiB, stored
    old = _rewrite(_first(setup), tmp_path / "old.zip", {"bijlagen/groot.bin": big})
    del big
    peaks: list[int] = []
    read_previous = pack_build.read_previous

    def measured(path: Path) -> Previous:
        """The previous pack read under tracemalloc (the new pack's own forms take more than the old pack)."""
        tracemalloc.start()
        try:
            return read_previous(path)
        finally:
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    monkeypatch.setattr(pack_build, "read_previous", measured)
    second = build(write_definition(version="2027.1"), dist / "second", sources, previous=old)
    assert len(peaks) == 1
    assert peaks[0] < LARGE // 8, f"peak {peaks[0] / 2**20:.1f} MiB reading a previous pack with a 48 MiB entry"
    with zipfile.ZipFile(second) as zf:
        assert "Vergeleken met de vorige uitgave, test-pack 2026.1." in zf.read("CHANGELOG.md").decode("utf-8")


def test_a_manifest_that_is_not_json_is_refused_before_any_entry_is_read(setup, tmp_path, read_names):
    write_definition, sources, dist = setup
    old = _rewrite(_first(setup), tmp_path / "old.zip", {"bijlagen/groot.bin": b"x" * 1024})
    with zipfile.ZipFile(old) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(old, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, b"{not json" if name == MANIFEST else data)
    read_names.clear()
    with pytest.raises(CgcError, match="invalid JSON|ongeldige JSON") as caught:
        build(write_definition(version="2027.1"), dist / "second", sources, previous=old)
    assert f"{old}:{MANIFEST}" in str(caught.value.problems[0].file)
    assert read_names == [MANIFEST]


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda m: m.update(format=2), "format"),
        (lambda m: m["inputs"].update(rulesets=[1]), "inputs.rulesets.0"),
        (lambda m: m["inputs"]["rulesets"][0].update(ref=7), "inputs.rulesets.0.ref"),
        (lambda m: m["inputs"].update(profiles=[{"name": "zonder id"}]), "inputs.profiles.0.id"),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_refused_before_any_entry_is_read(setup, tmp_path, read_names, edit, said):
    write_definition, sources, dist = setup
    old = _rewrite(_first(setup), tmp_path / "old.zip", {}, edit)
    read_names.clear()
    with pytest.raises(CgcError, match="not a cgc pack manifest") as caught:
        build(write_definition(version="2027.1"), dist / "second", sources, previous=old)
    problem = caught.value.problems[0]
    assert said in f"{problem.field} {problem.message}"
    assert read_names == [MANIFEST]


def test_only_the_rulesets_copies_are_kept_after_the_check(setup, tmp_path, read_names):
    write_definition, sources, dist = setup
    old = _rewrite(_first(setup), tmp_path / "old.zip", {"bijlagen/klein.bin": b"y" * 100})
    read_names.clear()
    build(write_definition(version="2027.1"), dist / "second", sources, previous=old)
    with zipfile.ZipFile(old) as zf:
        files = [i.filename for i in zf.infolist() if not i.is_dir()]
    rulesets = ["rulesets/emissievrij-transport/2025.2.yaml", "rulesets/hnn-gww/2026.1.yaml"]
    # the manifest, then every other entry once (streamed against the manifest), then the two rulesets' copies
    assert read_names[: len(files)] == [MANIFEST] + [f for f in files if f != MANIFEST]
    assert sorted(read_names[len(files) : len(files) + 2]) == rulesets


def test_the_cli_refuses_a_crafted_previous_pack_with_exit_2(tmp_path):
    """Before: `inputs.rulesets: [1]` in the old manifest was a TypeError in the changelog (exit 70)."""
    manifest = {"format": 1, "pack": {}, "generator": {}, "inputs": {"rulesets": [1]}, "documents": [], "files": []}
    old = tmp_path / "oud.zip"
    with zipfile.ZipFile(old, "w") as zf:
        zf.writestr(MANIFEST, dumps(manifest))
    root = Path(__file__).resolve().parent.parent
    res = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv = ['cgc'] + sys.argv[1:]; from cgc_rules.cli import run; run()"]
        + ["pack", "build", "gmr-toolbox", "-o", str(tmp_path / "dist")]
        + ["--previous", str(old)],
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=60,
    )
    assert res.returncode == 2, res.stderr[-800:]
    assert f"{old}:{MANIFEST}: not a cgc pack manifest (format 1): inputs.rulesets.0:" in res.stderr
    assert not (tmp_path / "dist").exists()
