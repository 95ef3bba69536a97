"""Bid formats (issue 18): a crafted XLSX container, a JSON bid nested deep, a CSV read from a device."""

from __future__ import annotations

import io
import zipfile

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.intake import load_any


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
    with pytest.raises(CgcError, match=r"bid.json:1:\d+: .*nested deeper"):
        load_any(path)


def test_a_csv_from_a_device_stops_at_the_limit(tmp_path):
    path = tmp_path / "zero.csv"
    path.symlink_to("/dev/zero")
    with pytest.raises(CgcError, match="larger than"):
        load_any(path)
