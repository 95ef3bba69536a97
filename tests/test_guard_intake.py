"""Bid formats (issue 18): a crafted XLSX container, a JSON bid nested deep, a CSV read from a device."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any

from .conftest import ROOT


def _xlsx(tmp_path, entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    path = tmp_path / "form.xlsx"
    path.write_bytes(buf.getvalue())
    return path


def test_a_bomb_in_an_xlsx_form_is_refused_before_openpyxl(tmp_path):
    path = _xlsx(tmp_path, [("[Content_Types].xml", b"<Types/>"), ("xl/worksheets/sheet1.xml", b" " * 60_000_000)])
    with pytest.raises(CgcError, match="compression ratio"):
        load_any(path)


def test_a_link_in_an_xlsx_form_is_refused(tmp_path):
    link = zipfile.ZipInfo("xl/workbook.xml")
    link.create_system = 3
    link.external_attr = (0o120777 & 0xFFFF) << 16
    with pytest.raises(CgcError, match="symbolic link"):
        load_any(_xlsx(tmp_path, [(link, b"/etc/passwd")]))


def test_a_json_bid_nested_deep_is_a_located_error(tmp_path):
    path = tmp_path / "bid.json"
    path.write_text('{"project": ' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    with pytest.raises(CgcError, match=r"bid.json:1:\d+: .*dieper genest dan 64 niveaus"):
        load_any(path)


def test_a_csv_from_a_device_is_refused_before_reading(tmp_path):
    path = tmp_path / "zero.csv"
    path.symlink_to("/dev/zero")
    with pytest.raises(CgcError, match="zero.csv: is a device, expected a file"):
        load_any(path)


def _form_of(tmp_path, source):
    """The bid form of a YAML submission, as `cgc convert` writes it."""
    from cgc_rules.cli import main

    target = tmp_path / "form.xlsx"
    main.main(args=["convert", str(source), str(target)], standalone_mode=False)
    return target


def _rewrite_sheet(path, title, change):
    """Rewrite the XML of one sheet of an XLSX file (found by its title in the workbook) with `change`."""
    with zipfile.ZipFile(path) as zf:
        entries = {info.filename: zf.read(info) for info in zf.infolist()}
    workbook = entries["xl/workbook.xml"].decode()
    index = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook).index(title) + 1
    name = f"xl/worksheets/sheet{index}.xml"
    entries[name] = change(entries[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry, data in entries.items():
            zf.writestr(entry, data)


def test_a_sheet_claiming_every_column_is_not_padded_out(tmp_path):
    """A 20 KB form whose materials sheet claims 16,384 columns (and has cells there) took minutes and gigabytes."""
    from cgc_rules.submission import load_submission

    source = ROOT / "examples" / "weg-voldoet.yaml"
    path = _form_of(tmp_path, source)

    def wide(xml: str) -> str:
        xml = re.sub(r'<dimension ref="A1:[A-Z]+(\d+)"/>', r'<dimension ref="A1:XFD\1"/>', xml)
        return re.sub(r'(<row r="(\d+)"[^>]*>)', r'\1<c r="XFD\2" t="inlineStr"><is><t>x</t></is></c>', xml)

    _rewrite_sheet(path, "materialen", wide)
    assert load_any(path).submission == load_submission(source).submission


def test_a_form_with_too_many_rows_is_refused_at_the_first_row_beyond(tmp_path, monkeypatch):
    from cgc_rules.intake import xlsx

    source = tmp_path / "lang.yaml"
    lines = "".join(f"  - {{name: m{i}, mass_t: 1, origin: primair}}\n" for i in range(30))
    source.write_text(f"project: {{id: p, name: n, municipality: m, type: wegen}}\nmaterials:\n{lines}")
    path = _form_of(tmp_path, source)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 21)  # a header and 20 lines; the other sheets have fewer rows
    with pytest.raises(CgcError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert problem.field == "materialen!A22"
    assert "meer dan 20 regels" in problem.message


def test_a_csv_list_with_too_many_lines_is_refused_naming_the_limit(tmp_path, monkeypatch):
    from cgc_rules.intake import csv

    monkeypatch.setattr(csv, "MAX_LINES", 2)
    path = tmp_path / "lijst.csv"
    head = "projecttype;wegen\nnaam;N\nkenmerk;k\ngemeente;Ede\n\nmateriaal;massa (t);herkomst\n"
    path.write_text(head + "Zand;1;primair\n\nGrond;2;primair\n", encoding="utf-8")
    assert len(load_any(path).submission.materials) == 2  # blank lines do not count
    path.write_text(head + "Zand;1;primair\nGrond;2;primair\nKlei;3;primair\n", encoding="utf-8")
    with pytest.raises(CgcError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (7, 1)
    assert "meer dan 2 materiaalregels" in problem.message


def test_thousands_of_bad_cells_are_each_reported_once_at_their_cell(tmp_path):
    """Cell errors and the model errors they cause are matched by lookups (it was a scan: quadratic)."""
    path = tmp_path / "lijst.csv"
    lines = "".join(f"m{i};{'zwaar' if i % 2 else i + 1};{'primair' if i % 3 else 'gestolen'}\n" for i in range(3000))
    path.write_text("projecttype;wegen\nnaam;N\nkenmerk;k\ngemeente;Ede\n\nmateriaal;massa (t);herkomst\n" + lines)
    with pytest.raises(CgcError) as info:
        load_any(path)
    found = sorted((p.line, p.column) for p in info.value.problems)
    expected = sorted([(7 + i, 2) for i in range(3000) if i % 2] + [(7 + i, 3) for i in range(3000) if not i % 3])
    assert found == expected


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda xml: xml[: len(xml) // 2], "unclosed token"),  # a sheet cut off: found while its rows are read
        (lambda xml: re.sub(r'(<c r="B2")', r'<c r="Z2" t="s"><v>99999</v></c>\1', xml, count=1), "index"),
        (lambda xml: re.sub(r'(<c r="B2")', r'<c r="Z2" s="9999"><v>1</v></c>\1', xml, count=1), "index"),
        (lambda xml: re.sub(r'(<c r="B2")', r'<c r="Z2" t="n"><v>NaN</v></c>\1', xml, count=1), "NaN"),
    ],
)
def test_a_damaged_sheet_is_an_unreadable_form_not_a_crash(tmp_path, change, reason):
    """openpyxl reads rows lazily: errors from the XML and zip layers came after the file had opened."""
    path = _form_of(tmp_path, ROOT / "examples" / "weg-voldoet.yaml")
    _rewrite_sheet(path, "project", change)
    with pytest.raises(CgcError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert problem.message.startswith("geen leesbaar XLSX-bestand")
    assert reason in problem.message


def test_a_csv_line_longer_than_any_cell_may_be_is_refused_at_its_line(tmp_path):
    """A cell over the csv module's field limit (131,072 characters) raised _csv.Error."""
    path = tmp_path / "lijst.csv"
    head = "projecttype;wegen\nnaam;N\nkenmerk;k\ngemeente;Ede\n\nmateriaal;massa (t);herkomst\n"
    path.write_text(head + "Zand;1;primair\n" + "x" * 150_000 + ";1;primair\n", encoding="utf-8")
    with pytest.raises(CgcError) as info:
        load_any(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (8, 100_001)
    assert problem.message == "regel langer dan 100.000 tekens"


def test_numbers_beyond_a_float_in_cells_are_cell_errors(tmp_path):
    """Found by the fuzz: a mass and a header of 10^34 (ints) raised OverflowError; so did 1E999 (inf) as a name."""
    path = _form_of(tmp_path, ROOT / "examples" / "weg-voldoet.yaml")
    huge = "9" * 34
    _rewrite_sheet(
        path, "materialen", lambda xml: re.sub(r'<c r="C2"[^>]*>.*?</c>', f'<c r="C2"><v>{huge}</v></c>', xml)
    )
    _rewrite_sheet(path, "materialen", lambda xml: xml.replace("</row>", f'<c r="Z1"><v>{huge}</v></c></row>', 1))
    _rewrite_sheet(path, "materialen", lambda xml: re.sub(r'<c r="A3"[^>]*>.*?</c>', '<c r="A3"><v>1E999</v></c>', xml))
    with pytest.raises(CgcError) as info:
        load_any(path)
    found = {p.field: p.message for p in info.value.problems}
    assert found["materialen!C2"].endswith(f"gevonden {huge}")
    assert found["materialen!Z1"].startswith(f'kopregel: onbekende kolom "{huge}"')
    assert "materialen!A3" not in found  # inf written in a name cell is the text "inf", not a crash


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda xml: xml.replace("summaryRight", "xummaryRight"), "xummaryRight"),  # openpyxl: a TypeError
    ],
)
def test_an_attribute_openpyxl_does_not_know_is_an_unreadable_form(tmp_path, change, reason):
    path = _form_of(tmp_path, ROOT / "examples" / "weg-voldoet.yaml")
    _rewrite_sheet(path, "project", change)
    with pytest.raises(CgcError, match=f"geen leesbaar XLSX-bestand .*{reason}"):
        load_any(path)


def test_a_zip_entry_zipfile_cannot_read_is_refused_before_openpyxl(tmp_path):
    """Zip flag bit 5 (compressed patched data) made zipfile raise NotImplementedError inside openpyxl."""
    path = _form_of(tmp_path, ROOT / "examples" / "weg-voldoet.yaml")
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last entry's central directory header; its flags at offset 8
    data[central + 8] |= 0x20
    path.write_bytes(bytes(data))
    with pytest.raises(CgcError, match=r"compressed patched data \(zip flag bit 5\)"):
        load_any(path)
