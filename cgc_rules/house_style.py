"""A profile's house-style files checked before use: the stylesheet parsed (never pasted), the logo's size bounded.

The stylesheet may not fetch anything (no `@import`, no `url()` but `data:`), and what goes into the
page's `<style>` element is the parsed stylesheet written back with every `<` escaped, so no input
can close that element. A logo may have at most `MAX_LOGO_PIXELS` pixels (docs/security.md); every XML part of the
reference .docx must be well-formed before python-docx reads it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

MAX_LOGO_PIXELS = 16_000_000  # 4,000 × 4,000: a logo larger than that costs seconds and gigabytes per PDF
MAX_PART_BYTES = 32 * 1024 * 1024  # one XML part of the reference .docx, unpacked


class StyleError(ValueError):
    """The house-style file is refused; the message says why (in English, placed by the caller)."""


def clean_css(data: bytes) -> str:
    """The stylesheet as it goes into the page: parsed, checked and written back safely."""
    import tinycss2

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StyleError(f"stylesheet is not UTF-8 text (byte {exc.start})") from None
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=False)
    _check(rules)
    css: str = tinycss2.serialize(rules)
    return css.replace("<", "\\3c ")


def _check(nodes: Iterable[Any]) -> None:
    for node in nodes:
        kind = getattr(node, "type", "")
        if kind == "error":
            raise StyleError(f"stylesheet line {node.source_line}: {node.message}")
        if kind == "at-rule" and node.lower_at_keyword in ("import", "font-face", "namespace"):
            raise StyleError(f"stylesheet line {node.source_line}: @{node.at_keyword} is not allowed")
        if kind == "url" and not _inline(node.value):
            raise StyleError(f"stylesheet line {node.source_line}: url() may only hold data: (nothing is fetched)")
        if kind == "function" and node.lower_name in ("url", "src", "image-set", "image"):
            strings = [a.value for a in node.arguments if getattr(a, "type", "") == "string"]
            if node.lower_name in ("url", "src") and not all(_inline(s) for s in strings):
                raise StyleError(f"stylesheet line {node.source_line}: url() may only hold data: (nothing is fetched)")
        for child in ("prelude", "content", "arguments"):
            inner = getattr(node, child, None)
            if inner:
                _check(inner)


def _inline(url: str) -> bool:
    return url.strip().lower().startswith("data:")


def check_logo(data: bytes) -> None:
    """Refuse a logo that is no PNG/JPEG image or has more than `MAX_LOGO_PIXELS` pixels (read from its header)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise StyleError(f"logo is not a PNG or JPEG image ({type(exc).__name__})") from None
    if kind not in ("PNG", "JPEG"):
        raise StyleError(f"logo is not a PNG or JPEG image ({kind})")
    if width * height > MAX_LOGO_PIXELS:
        raise StyleError(f"logo has {width} × {height} pixels, more than the limit of {MAX_LOGO_PIXELS:,}")


def check_reference(data: bytes) -> None:
    """Refuse a reference .docx that is no zip or has an XML part that is not well-formed (or too large)."""
    import zipfile

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                if info.file_size > MAX_PART_BYTES:
                    raise StyleError(
                        f"not a usable Word document: {info.filename} is larger than {MAX_PART_BYTES:,} bytes"
                    )
                try:
                    etree.fromstring(archive.read(info), parser)
                except (etree.XMLSyntaxError, LookupError, ValueError) as exc:
                    raise StyleError(
                        f"not a usable Word document: {info.filename} is not well-formed XML ({exc})"
                    ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
        raise StyleError(f"not a usable Word document ({type(exc).__name__})") from None
