"""The reproducers of issue 29 (outputs, confinement, internal errors, cost limits): the real `cgc` in a subprocess,
each ending 0, 1 or 2 with a located message within 10 s, never exit 70."""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cgc_rules.resources import bundled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "weg-voldoet.yaml"
TENDER = ROOT / "examples" / "aanbesteding"
SECONDS = 10


def cgc(
    *args: object, env: dict[str, str] | None = None, code: str | None = None, encoding: str = "utf-8"
) -> subprocess.CompletedProcess:
    """`cgc ARGS` in a fresh interpreter; fails the test when it takes more than SECONDS of processor time
    (measured, not wall time: the test machine is shared)."""
    run = code or "from cgc_rules.cli import run; run()"
    start = _child_seconds()
    res = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = ['cgc'] + sys.argv[1:]; {run}", *map(str, args)],
        capture_output=True,
        encoding=encoding,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )
    spent = _child_seconds() - start
    assert spent < SECONDS, f"took {spent:.1f} s"
    assert "Traceback" not in res.stderr, res.stderr[-800:]
    assert res.returncode != 70, res.stderr[-800:]
    return res


def _child_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cgc_argv(argv: list[str]) -> subprocess.CompletedProcess:
    """`cgc` with arguments no shell can pass (a NUL character): set inside the interpreter."""
    return cgc(code=f"sys.argv = ['cgc'] + {argv!r}; from cgc_rules.cli import run; run()")


# Outputs


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_given_as_output_stays_a_device(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", "-o", null)
    assert res.returncode == 0
    assert stat.S_ISCHR(null.stat().st_mode)


def test_a_symlink_given_as_output_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("kept")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", "-o", link)
    assert res.returncode == 2
    assert f"{link}: is a symbolic link" in res.stderr
    assert link.is_symlink()
    assert target.read_text() == "kept"


def test_a_dash_as_output_writes_to_standard_output(tmp_path):
    res = cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", "-o", "-")
    assert res.returncode == 0
    assert '"compliant": true' in res.stdout
    assert not Path(ROOT / "-").exists()


def test_a_private_file_stays_private_and_a_new_award_advice_is_private(tmp_path):
    out = tmp_path / "rapport.json"
    out.write_text("oud")
    out.chmod(0o600)
    assert cgc("evaluate", EXAMPLE, "-r", "hnn-gww", "--format", "json", "-o", out).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "oud" not in out.read_text()
    advice = tmp_path / "advies.json"
    bids = [TENDER / "bod-alfa.yaml", TENDER / "bod-beta.yaml"]
    assert cgc("score", TENDER / "tender.yaml", *bids, "--format", "json", "-o", advice).returncode == 0
    assert stat.S_IMODE(advice.stat().st_mode) == 0o600


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_latin_1_stream_never_ends_in_an_internal_error(fmt):
    res = cgc(
        "evaluate", EXAMPLE, "-r", "hnn-gww", "--format", fmt, env={"PYTHONIOENCODING": "latin-1"}, encoding="latin-1"
    )
    assert res.returncode == 0
    assert "hnn-gww" in res.stdout


def test_jsonl_to_a_file_also_shows_the_located_error(tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text(re.sub(r"mass_t: [0-9.]+", "mass_t: veel", EXAMPLE.read_text(encoding="utf-8"), count=1))
    out = tmp_path / "out.jsonl"
    res = cgc("evaluate", bad, EXAMPLE, "-r", "hnn-gww", "--format", "jsonl", "-o", out, "--jobs", "1")
    assert res.returncode == 2
    line = next(n for n, row in enumerate(bad.read_text().splitlines(), start=1) if "veel" in row)
    assert f"error: {bad}:{line}:" in res.stderr
    assert len(out.read_text().splitlines()) == 2


def test_generate_without_a_date_gives_the_same_bytes_in_every_time_zone(tmp_path):
    outputs = []
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11: never the same calendar day
        out = tmp_path / zone.replace("/", "-")
        args = ("generate", "tender", "--profile", "amersfoort", "--type", "wegen", "--format", "html", "-o", out)
        assert cgc(*args, env={"TZ": zone}).returncode == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]
    assert outputs[0]


# Confinement


def _bids(tmp_path: Path, submission: str) -> Path:
    folder = tmp_path / "bieding"
    shutil.copytree(TENDER, folder)
    bid = folder / "bod-alfa.yaml"
    bid.write_text(
        bid.read_text(encoding="utf-8").replace("submission: inzending-alfa.yaml", f"submission: {submission}"),
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("submission", ["/etc/passwd", "../../geheim.yaml"])
def test_a_bid_cannot_name_a_submission_outside_its_folder(tmp_path, submission):
    folder = _bids(tmp_path, submission)
    res = cgc("score", folder / "tender.yaml", folder / "bod-alfa.yaml", folder / "bod-beta.yaml", "--format", "json")
    assert res.returncode == 2
    assert "bod-alfa.yaml:7:" in res.stderr
    assert "submission: the submission file must lie in the bid's folder" in (res.stderr)


def test_an_as_built_file_cannot_name_a_submission_outside_its_folder(tmp_path):
    folder = _bids(tmp_path, "inzending-alfa.yaml")
    built = folder / "oplevering-epsilon.yaml"
    built.write_text("statements: {co2_ladder_level: 3}\nsubmission: /etc/passwd\n", encoding="utf-8")
    res = cgc("verify", folder / "tender.yaml", folder / "bod-epsilon.yaml", built)
    assert res.returncode == 2
    assert "oplevering-epsilon.yaml:2:" in res.stderr
    assert "must lie in the as-built file's folder" in res.stderr


def _profiles(tmp_path: Path) -> Path:
    profiles = tmp_path / "profiles"
    shutil.copytree(Path(str(bundled("profiles"))), profiles)
    return profiles


def _generate(profiles: Path, tmp_path: Path, fmt: str = "html") -> subprocess.CompletedProcess:
    out = tmp_path / "out"
    return cgc(
        "generate", "tender", "--profile", "amersfoort", "--type", "wegen", "--format", fmt, "-o", out,
        "--profiles-dir", profiles,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ('</style><link rel="attachment" href="file:///etc/passwd">', "stylesheet line 1"),
        ("body { background: url(file:///etc/passwd) }", "url() may only hold data:"),
        ("body { background: url('http://example.org/x.png') }", "url() may only hold data:"),
        ('@import "file:///dev/zero";', "@import is not allowed"),
    ],
)
def test_a_stylesheet_is_parsed_and_may_fetch_nothing(tmp_path, css, message):
    profiles = _profiles(tmp_path)
    (profiles / "huisstijl" / "amersfoort" / "stijl.css").write_text(css, encoding="utf-8")
    res = _generate(profiles, tmp_path)
    assert res.returncode == 2
    assert "amersfoort.yaml:" in res.stderr
    assert "house_style.css: stijl.css:" in res.stderr
    assert message in res.stderr


def test_a_stylesheet_that_is_not_utf8_is_a_located_error(tmp_path):
    profiles = _profiles(tmp_path)
    (profiles / "huisstijl" / "amersfoort" / "stijl.css").write_bytes(b"body { font-family: 'Caf\xe9' }")
    res = _generate(profiles, tmp_path)
    assert res.returncode == 2
    assert "house_style.css: stijl.css: stylesheet is not UTF-8 text (byte 24)" in res.stderr


def test_the_pdf_renderer_fetches_nothing_but_data_urls():
    from cgc_rules.inline_fetcher import inline_only

    fetch = inline_only()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/", "file:///dev/zero"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetch(url)
    assert fetch("data:text/plain;base64,b2s=").read() == b"ok"


def test_a_reference_docx_with_broken_styles_is_a_located_error(tmp_path):
    profiles = _profiles(tmp_path)
    ref = profiles / "huisstijl" / "amersfoort" / "referentie.docx"
    src = zipfile.ZipFile(io.BytesIO(ref.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, b"<w:styles" if info.filename == "word/styles.xml" else src.read(info))
    ref.write_bytes(buf.getvalue())
    res = _generate(profiles, tmp_path, "docx")
    assert res.returncode == 2
    assert "house_style.reference_docx: referentie.docx: not a usable Word document: word/styles.xml" in res.stderr


def test_a_logo_of_too_many_pixels_is_refused(tmp_path):
    from PIL import Image

    profiles = _profiles(tmp_path)
    Image.new("1", (5000, 4000)).save(profiles / "huisstijl" / "amersfoort" / "logo.png")
    res = _generate(profiles, tmp_path)
    assert res.returncode == 2
    assert "logo has 5000 × 4000 pixels, more than the limit of 16,000,000" in res.stderr


def test_a_ruleset_listed_twice_in_a_profile_is_refused(tmp_path):
    profiles = _profiles(tmp_path)
    path = profiles / "amersfoort.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("rulesets:\n", "rulesets:\n  - id: hnn-gww\n    basis: {kind: local_choice, text: twee}\n", 1),
        encoding="utf-8",
    )
    res = _generate(profiles, tmp_path)
    assert res.returncode == 2
    assert "amersfoort.yaml:" in res.stderr
    assert "rulesets[1]: hnn-gww is already listed as rulesets[0]" in res.stderr


@pytest.mark.parametrize(("name", "verb"), [("form.xlsx", "evaluate"), ("pack.zip", "pack")])
def test_a_link_to_a_device_is_refused_before_reading(tmp_path, name, verb):
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    args = ("evaluate", link, "-r", "hnn-gww") if verb == "evaluate" else ("pack", "verify", link)
    res = cgc(*args)
    assert res.returncode == 2
    assert f"{link}: is a device, expected a file" in res.stderr


# Integrity of what is evaluated

PREAMBLE = "kenmerk;c-1\nnaam;CSV-weg\ngemeente;Arnhem\nprojecttype;wegen\naanbestedingsdatum;2-3-2026\n\n"


def test_a_csv_column_named_twice_is_refused_at_the_second_copy(tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_text(PREAMBLE + "materiaal;massa (t);herkomst;massa (t)\nAsfalt;10;primair;1000\n", encoding="utf-8")
    res = cgc("evaluate", path, "-r", "hnn-gww")
    assert res.returncode == 2
    assert f'{path}:7:4: kolom "massa (t)" staat al in kolom 2' in res.stderr


def test_a_csv_header_wider_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "breed.csv"
    path.write_text(PREAMBLE + ";".join(["materiaal"] + ["x"] * 300) + "\nAsfalt\n", encoding="utf-8")
    res = cgc("evaluate", path, "-r", "hnn-gww")
    assert res.returncode == 2
    assert f"{path}:7:1: de kopregel heeft 301 kolommen, meer dan de grens van 200" in res.stderr


def _form(tmp_path: Path, name: str, change) -> Path:
    from openpyxl import load_workbook

    blank = tmp_path / "leeg.xlsx"
    if not blank.exists():
        assert cgc("form", "-r", "hnn-gww", "-o", blank, "--as-of", "2026-03-02").returncode == 0
    wb = load_workbook(blank)
    for row, value in [(2, "x-1"), (3, "Weg"), (4, "Arnhem"), (5, "wegen"), (6, "2026-03-02")]:
        wb["project"].cell(row, 2, value)
    sheet = wb["materialen"]
    for col, value in [(1, "Asfalt"), (3, 10), (4, "primair")]:
        sheet.cell(2, col, value)
    change(sheet)
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_form_column_named_twice_or_hidden_is_refused_with_its_cell(tmp_path):
    def twice(sheet):
        sheet.cell(1, 10, "massa (t)")
        sheet.cell(2, 10, 1000)

    def hidden(sheet):
        sheet.cell(2, 11, "gerecycled")
        sheet.column_dimensions["K"].hidden = True

    res = cgc("evaluate", _form(tmp_path, "twee.xlsx", twice), "-r", "hnn-gww")
    assert res.returncode == 2
    assert "twee.xlsx: materialen!J1: kolom massa (t) staat al in cel materialen!C1" in res.stderr
    res = cgc("evaluate", _form(tmp_path, "verborgen.xlsx", hidden), "-r", "hnn-gww")
    assert res.returncode == 2
    assert "verborgen.xlsx: materialen!K1: kolom K is verborgen maar bevat waarden" in res.stderr


def test_a_sheet_declaring_an_unknown_encoding_is_an_unreadable_form(tmp_path):
    form = _form(tmp_path, "goed.xlsx", lambda sheet: None)
    src = zipfile.ZipFile(form)
    bad = tmp_path / "codering.xlsx"
    with zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = b'<?xml version="1.0" encoding="x-onbekend"?>' + data.split(b"?>", 1)[-1]
            dst.writestr(info, data)
    res = cgc("evaluate", bad, "-r", "hnn-gww")
    assert res.returncode == 2
    assert f"{bad}: geen leesbaar XLSX-bestand (unknown encoding: x-onbekend)" in res.stderr


def _widened(form: Path, target: Path, rows: int, cells: int) -> Path:
    """A copy of `form` whose materialen sheet gains `rows` rows of `cells` empty cells beyond column Z each."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(27 + k) for k in range(cells)]
    extra = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"/>' for col in letters) + "</row>" for r in range(3, rows + 3)
    )
    with zipfile.ZipFile(form) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":  # materialen, the fourth sheet
                data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
            dst.writestr(info.filename, data)
    return target


def test_a_form_of_too_many_cells_is_refused_before_it_is_parsed(tmp_path):
    """Before: 50,000 rows of 38 cells (3.7 MB) took 14 s of processor time, openpyxl parsing every cell."""
    wide = _widened(_form(tmp_path, "goed.xlsx", lambda sheet: None), tmp_path / "breed.xlsx", 1_000, 820)
    res = cgc("evaluate", wide, "-r", "hnn-gww")
    assert res.returncode == 2
    assert f"{wide}: het formulier bevat meer dan 800.016 cellen en gedeelde teksten" in res.stderr


def test_cells_are_counted_across_chunks_and_with_a_namespace_prefix(tmp_path, monkeypatch):
    from cgc_rules.errors import CgcError
    from cgc_rules.intake.cellcount import check_cells
    from cgc_rules.loading import archive

    path = tmp_path / "delen.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", '<c r="A1"/><x:c r="B1">1</x:c><c>' + "<col/><chart/>" * 3)
        zf.writestr("xl/sharedStrings.xml", "<si><t>a</t></si><si/>")
        zf.writestr("xl/media/plaatje.png", "<c/>" * 10)  # not XML: not counted
    monkeypatch.setattr(archive, "CHUNK", 3)  # every element cut by a chunk boundary
    check_cells(path, "delen.xlsx", "nl", 5)  # 3 cells and 2 shared texts
    with pytest.raises(CgcError, match="meer dan 4 cellen"):
        check_cells(path, "delen.xlsx", "nl", 4)


# Internal errors left


def _corridor(tmp_path: Path) -> Path:
    shutil.copytree(Path(str(bundled("corridors"))), tmp_path / "corridors")
    return tmp_path / "corridors" / "amersfoort-voorbeeld"


@pytest.mark.parametrize("capacity", ["1e-9", "1e-6", "5e-5"])
def test_a_hub_capacity_below_a_kilo_is_refused_not_an_engine_error(tmp_path, capacity):
    folder = _corridor(tmp_path)
    path = folder / "corridor.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("capacity_t: 500", f"capacity_t: {capacity}", 1))
    res = cgc("corridor", "match", folder, "--as-of", "2026-09-01")
    assert res.returncode == 2
    assert "hubs[0].capacity_t: give at least 0.001 t (1 kg)" in res.stderr


def test_a_corridor_day_past_the_year_2999_is_a_located_error(tmp_path):
    folder = _corridor(tmp_path)
    path = folder / "inventory.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("end: 2026-05-31", "end: 9999-12-31", 1))
    res = cgc("corridor", "calendar", folder, "--as-of", "2026-09-01", "-o", tmp_path / "kalender.html")
    assert res.returncode == 2
    assert "inventory.yaml:" in res.stderr
    assert "available.end" in res.stderr


def test_a_corridor_ruleset_parameter_given_as_a_string_is_a_located_error(tmp_path):
    folder = _corridor(tmp_path)
    path = folder / "corridor.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 15", "value: 'vijftien'", 1))
    res = cgc("corridor", "match", folder, "--as-of", "2026-03-01")
    assert res.returncode == 2
    assert "corridor.yaml:" in res.stderr
    assert "max_transport_km" in res.stderr


def _empty_named_entry(path: Path) -> None:
    """A zip whose second entry has a name of zero bytes (zipfile cannot write one)."""
    import struct
    import zlib

    out, central = b"", b""
    for name, data in ((b"manifest.json", b"{}"), (b"", b"x")):
        crc, offset = zlib.crc32(data), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0)
        out += name + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0, 0, 0, 0, 0,
            offset,
        ) + name  # fmt: skip
    path.write_bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), len(out), 0))


def test_a_pack_entry_without_a_name_is_refused(tmp_path):
    pack = tmp_path / "pack.zip"
    _empty_named_entry(pack)
    res = cgc("pack", "verify", pack)
    assert res.returncode == 2
    assert f"{pack}: an entry without a name" in res.stderr


def test_a_path_of_300_characters_is_bad_input(tmp_path):
    long = tmp_path / ("a" * 300 + ".yaml")
    res = cgc("evaluate", long, "-r", "hnn-gww")
    assert res.returncode == 2
    assert "cannot use this path: File name too long" in res.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["evaluate", "a\0b.yaml", "-r", "hnn-gww"],
        ["evaluate", str(EXAMPLE), "-r", "hnn-gww", "-o", "uit\0.json"],
        ["generate", "tender", "--profile", "amersfoort", "--type", "wegen", "-o", "x\0y"],
    ],
)
def test_a_nul_in_an_argument_is_bad_input(argv):
    res = cgc_argv(argv)
    n = next(i for i, a in enumerate(argv, start=1) if "\0" in a)
    assert res.returncode == 2
    assert f"error: argument {n} (" in res.stderr
    assert "NUL character" in res.stderr


def test_jobs_beyond_any_machine_are_capped():
    res = cgc("evaluate", EXAMPLE, ROOT / "examples" / "weg-voldoet-niet.yaml", "-r", "hnn-gww", "--jobs", 10**20)
    assert res.returncode == 1


def test_a_bid_form_of_a_municipality_ruleset_is_refused(tmp_path):
    res = cgc("form", "-r", "gmr-profielen", "-o", tmp_path / "f.xlsx")
    assert res.returncode == 2
    assert "-r gmr-profielen: a municipality ruleset; a bid form explains project" in res.stderr


def _rulesets(tmp_path: Path, ruleset: str, old: str, new: str) -> Path:
    root = tmp_path / "rulesets"
    shutil.copytree(Path(str(bundled("rulesets"))), root)
    cases = root / ruleset / "2023.1.cases.yaml"
    text = cases.read_text(encoding="utf-8")
    assert old in text
    cases.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{min_class_56_130kw: stage-iv}", "{min_class_56_130kw: []}", "give one value, not a list"),
        ("{min_zero_emission_share: 30}", "{min_zero_emission_share: dertig}", "'dertig' is not a number"),
    ],
)
def test_a_case_parameter_of_the_wrong_kind_is_a_located_failure(tmp_path, old, new, message):
    root = _rulesets(tmp_path, "seb", old, new)
    res = cgc("rulesets", "test", "seb", "--rulesets-dir", root)
    assert res.returncode == 1
    assert "2023.1.cases.yaml:" in res.stdout
    assert ".parameters: parameter" in res.stdout
    assert message in res.stdout


def test_one_crashing_file_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "inzendingen"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a-goed.yaml")
    shutil.copy(EXAMPLE, folder / "b-crasht.yaml")
    shutil.copy(EXAMPLE, folder / "c-goed.yaml")
    boom = (
        "import cgc_rules.jobs.batch as b; real = b.evaluate; "
        "b.evaluate = lambda p, *a: (_ for _ in ()).throw(ZeroDivisionError('boom')) if 'crasht' in str(p) "
        "else real(p, *a); from cgc_rules.cli import run; run()"
    )
    out = tmp_path / "uit.jsonl"
    res = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = ['cgc'] + sys.argv[1:]; {boom}", "evaluate", str(folder),
         "-r", "hnn-gww", "--format", "jsonl", "-o", str(out), "--jobs", "1"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "CGC_STATE_DIR": str(tmp_path)}, timeout=120,
    )  # fmt: skip
    assert res.returncode == 70
    assert "Traceback" not in res.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 3
    assert '"internal_error":true' in lines[1]
    assert '"compliant":true' in lines[2]
    assert "b-crasht.yaml: internal error (ZeroDivisionError)" in res.stderr


def test_printed_errors_are_capped_with_a_count(tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text(PREAMBLE + "materiaal;massa (t)\n" + "".join(f"M{i};veel\n" for i in range(80)), encoding="utf-8")
    res = cgc("evaluate", path, "-r", "hnn-gww")
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert res.returncode == 2
    assert len(errors) == 51
    assert errors[-1] == "error: … and 30 more errors"
