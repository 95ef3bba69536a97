"""Hostile pack archives (issue 18): refused or reported, never a traceback, never all in memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cgc_rules.errors import CgcError
from cgc_rules.pack.archive import ZIP_EPOCH, zip_bytes
from cgc_rules.pack.manifest import dumps, file_list, verify

ENTRIES = {"index.html": b"<html>index</html>\n", "docs/tender.html": b"<html>tender</html>\n" * 50}


def manifest(entries: dict[str, bytes], **over) -> bytes:
    data = {
        "format": 1,
        "pack": {"name": "t"},
        "generator": {"name": "cgc-rules"},
        "inputs": {},
        "documents": [],
        "files": file_list(entries),
    }
    data.update(over)
    return dumps(data)


def good(tmp_path: Path) -> Path:
    path = tmp_path / "ok.zip"
    path.write_bytes(zip_bytes({**ENTRIES, "manifest.json": manifest(ENTRIES)}, ZIP_EPOCH))
    return path


def write(tmp_path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    path = tmp_path / "bad.zip"
    path.write_bytes(buf.getvalue())
    return path


def base() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [*ENTRIES.items(), ("manifest.json", manifest(ENTRIES))]


def test_a_good_pack_verifies(tmp_path):
    result = verify(good(tmp_path))
    assert result.ok
    assert result.checked == 2


def _patch(path: Path, offset_in_local: int, offset_in_central: int, value: bytes) -> None:
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", offset_in_local), (b"PK\x01\x02", offset_in_central)):
        pos = data.find(sig)
        data[pos + offset : pos + offset + len(value)] = value
    path.write_bytes(bytes(data))


def test_encrypted_entries_are_refused(tmp_path):
    path = good(tmp_path)
    _patch(path, 6, 8, b"\x09\x00")
    with pytest.raises(CgcError, match="encrypted entry"):
        verify(path)


@pytest.mark.parametrize("method", [99, 12, 14])
def test_unknown_compression_methods_are_refused(tmp_path, method):
    path = good(tmp_path)
    _patch(path, 8, 10, method.to_bytes(2, "little"))
    with pytest.raises(CgcError, match=f"unsupported compression method {method}"):
        verify(path)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_names_are_refused(tmp_path):
    path = write(tmp_path, [("index.html", b"evil"), *base()])
    with pytest.raises(CgcError, match="duplicate entry name"):
        verify(path)
    path = write(tmp_path, [*base(), ("manifest.json", manifest(ENTRIES))])
    with pytest.raises(CgcError, match="duplicate entry name"):
        verify(path)


def test_links_are_refused(tmp_path):
    link = zipfile.ZipInfo("index.html")
    link.create_system = 3
    link.external_attr = (0o120777 & 0xFFFF) << 16
    path = write(tmp_path, [(link, b"/etc/passwd"), *list(base())[1:]])
    with pytest.raises(CgcError, match="symbolic link"):
        verify(path)


@pytest.mark.parametrize("name", ["../../x/", "/abs/", "a/../../"])
def test_unsafe_directory_entries_are_reported(tmp_path, name):
    path = write(tmp_path, [*base(), (zipfile.ZipInfo(name), b"")])
    result = verify(path)
    assert not result.ok
    assert result.unsafe == [name.rstrip("/")]


def test_a_bomb_is_refused_before_inflating(tmp_path):
    path = write(tmp_path, [*base(), ("bomb.bin", b"\0" * 50_000_000)])
    with pytest.raises(CgcError, match="compression ratio over 200:1"):
        verify(path)


def test_a_header_that_lies_about_the_size_is_never_ok(tmp_path):
    path = good(tmp_path)
    data = bytearray(path.read_bytes())
    # shrink the declared size of the first entry in the central directory (docs/tender.html)
    pos = data.find(b"PK\x01\x02")
    data[pos + 24 : pos + 28] = (5).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    try:
        result = verify(path)
    except CgcError as exc:
        assert "cannot be read" in str(exc)
    else:
        assert result.mismatched == ["docs/tender.html"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"format": True}, "format"),
        ({"format": "1"}, "format"),
        ({"format": 2}, "format"),
        ({"files": "x"}, "files"),
        ({"files": [{"path": "a", "size": True, "sha256": "0" * 64}]}, "files[0].size"),
        ({"files": [{"path": "a", "size": 1, "sha256": "0" * 64, "x": 1}]}, "files[0].x"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_manifest_not_exactly_in_the_format_is_refused(tmp_path, over, message):
    path = write(tmp_path, [*ENTRIES.items(), ("manifest.json", manifest(ENTRIES, **over))])
    with pytest.raises(CgcError) as info:
        verify(path)
    assert "not a cgc pack manifest" in str(info.value)
    assert message in str(info.value)


def test_a_deeply_nested_manifest_is_a_located_error(tmp_path):
    deep = ('{"format": 1, "files": ' + "[" * 3000 + "]" * 3000 + "}").encode()
    path = write(tmp_path, [*ENTRIES.items(), ("manifest.json", deep)])
    with pytest.raises(CgcError, match="manifest.json:1:.*nested deeper"):
        verify(path)


def test_a_manifest_listing_a_file_twice_is_refused(tmp_path):
    files = file_list(ENTRIES)
    path = write(tmp_path, [*ENTRIES.items(), ("manifest.json", manifest(ENTRIES, files=files + files[:1]))])
    with pytest.raises(CgcError, match="twice"):
        verify(path)


@pytest.mark.parametrize("junk", [b"", b"PK\x05\x06" + b"\0" * 18, b"not a zip"])
def test_junk_is_not_a_readable_zip(tmp_path, junk):
    path = tmp_path / "junk.zip"
    path.write_bytes(junk)
    with pytest.raises(CgcError, match="not a readable zip file|no manifest"):
        verify(path)
