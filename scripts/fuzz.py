"""Fuzz every loader with mutated inputs; count tracebacks, signals and hangs (issue 18; not run in CI).

Each input is a bundled example (submission, assessment, ruleset, profile, pack definition, pack archive,
corridor, bid form (XLSX), CSV material list, tender with its bids and delivery, store export) with a few deterministic
mutations: lines dropped, duplicated or swapped, values replaced by hostile ones (tagged scalars, impossible
dates, huge and non-finite numbers, markup, deep nesting, long text), numbers changed to well-formed
extremes, bytes flipped, JSON variants; zip archives with encrypted flags, unknown methods, unsafe names,
links, duplicates and bombs; bid forms with hostile cell values (formulas, dates, NaN), rows deleted, sheets
added, renamed or removed, raw XML cell values and entity bombs; CSV lists with hostile cells, other
delimiters, stray quotes, BOMs and very long lines; store exports with records mutated as JSON; devices and
links (`device`: an input, a bid's submission, a house-style file, a corridor file or a batch member that is
a link to /dev/zero, /dev/urandom or /dev/null, dangling, a loop or a directory, and outputs that are links,
devices or directories, checked unharmed afterwards; run through the crash fence, so exit 70 counts). Every input
runs the command a user would run (`cgc evaluate`, `score`, `verify`, `db import`, …), in its own forked
process:

  ok          exit 0/1/2 or the project's own error (CgcError, a click usage error)
  traceback   any other exception (the place: innermost frame inside cgc_rules)
  signal      the process died of a signal (a crash in C code)
  hang        still running after --timeout seconds (killed)
  harmed      (device) the output's link, device or file was replaced or changed

    .venv/bin/python scripts/fuzz.py -n 10000 --jobs 2            # all loaders
    .venv/bin/python scripts/fuzz.py -n 500 submission corridor    # some loaders
    .venv/bin/python scripts/fuzz.py --store-faults 1000 --jobs 2  # the store under kills, read-only, locks, full disk

Writes bench/results/fuzz.json (counts per loader and the distinct places of tracebacks).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import io
import json
import os
import random
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import click  # noqa: E402
import yaml  # noqa: E402

from cgc_rules.cli import main as cgc_main  # noqa: E402
from cgc_rules.errors import CgcError  # noqa: E402
from cgc_rules.resources import bundled  # noqa: E402
from cgc_rules.today import today_nl  # noqa: E402

DATA = Path(str(bundled(".")))

HOSTILE = [
    "!!int abc",
    "!!float abc",
    "!!bool maybe",
    "!!timestamp x",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "1e308",
    "1.0e+308",
    "-1.0e+308",
    ".nan",
    ".inf",
    "-.inf",
    "-1",
    "0",
    "''",
    "~",
    "[]",
    "{}",
    "[/bold]",
    "'[bold]x[/bold]'",
    "'\x1b[31mred'",
    "&a x",
    "*a",
    "!foo x",
    "!!binary aGk=",
    "!!set {a}",
    "<<: {a: 1}",
    "[" * 300 + "]" * 300,
    "x" * 5000,
    "'" + "n" * 300 + "'",
    "9" * 400,
    "0x" + "f" * 80,
    "true",
    "yes",
    "null",
    "'../../../../etc/passwd'",
    "/etc/passwd",
    "1:2:3",
    "2026-03-01T25:61:00",
    "'\u202e'",
    "{a: [b, {c: d}]}",
    "99999999999999999999",
    "1e-320",
    "-0",
    "!!str",
    "? [a]",
    "'" + "é" * 100 + "'",
    "'[/bold]'",
    "'[/]'",
    "'x [red]y'",
    "'" + "m" * 300_000 + "'",
    "1e12",
    "123456789012",
    "0.0000001",
    "-0.0",
    "'2026-02-30'",
    "1900-01-01",
    "2100-12-31",
    "9999-12-31",
    "'   '",
    "'\t'",
]
VALUE = re.compile(r"(\b[A-Za-z_][A-Za-z0-9_]*): ([^,}\]\n]+)")
JSON_HOSTILE = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "9" * 5000,
    "[" * 3000 + "]" * 3000,
    '"[/bold]"',
    "true",
    "null",
    "{}",
    "[]",
    '"2026-02-30"',
    "1e308",
    '"x"',
    "-1",
]


# ---------------------------------------------------------------- mutations


def _move_line(lines: list[str], i: int, op: int, rnd: random.Random) -> bool:
    """Operations 0 to 2 of the line mutators: line i dropped, repeated or swapped with another."""
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        j = rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return op <= 2


def mutate_text(text: str, rnd: random.Random) -> str:
    """One to three line- or character-level mutations of a YAML text."""
    lines = text.splitlines()
    for _ in range(rnd.randint(1, 3)):
        if not lines:
            lines = ["a: 1"]
        i = rnd.randrange(len(lines))
        op = rnd.randrange(22)
        if _move_line(lines, i, op, rnd):
            continue
        if op in (3, 4, 5, 6):
            line = lines[i]
            if ": " in line:
                head = line[: line.index(": ") + 2]
                lines[i] = head + rnd.choice(HOSTILE)
            elif "- " in line:
                lines[i] = line[: line.index("- ") + 2] + rnd.choice(HOSTILE)
            else:
                lines[i] = line + " " + rnd.choice(HOSTILE)
        elif op == 7:
            indent = " " * rnd.choice([0, 2, 4])
            lines.insert(
                i, f"{indent}{rnd.choice(['name', 'id', 'mass_t', 'type', 'x', 'css', 'logo'])}: {rnd.choice(HOSTILE)}"
            )
        elif op == 8:
            line = lines[i]
            if line:
                k = rnd.randrange(len(line))
                lines[i] = (
                    line[:k]
                    + rnd.choice(["\t", "\x00", "'", '"', "{", "[", ":", "#", "&", "*", "!", "é", "\\"])
                    + line[k + 1 :]
                )
        elif op == 9:
            lines = lines[: rnd.randrange(len(lines) + 1)]
        elif op == 10:
            block = lines[i : i + rnd.randint(2, 8)]
            lines[i:i] = block * rnd.randint(1, 50)
        else:  # a value anywhere (also inside flow mappings) replaced by a hostile but well-formed one
            spots = [(i, m) for m in VALUE.finditer(lines[i])]
            if not spots:
                spots = [(j, m) for j, line in enumerate(lines) for m in VALUE.finditer(line)]
            if spots:
                j, m = rnd.choice(spots)
                lines[j] = lines[j][: m.start(2)] + rnd.choice(HOSTILE[-24:] + HOSTILE[:20]) + lines[j][m.end(2) :]
    return "\n".join(lines) + ("\n" if rnd.random() < 0.9 else "")


def mutate_json(text: str, rnd: random.Random) -> str:
    """A YAML example rewritten as JSON, then one or two token-level mutations."""
    try:
        data = yaml.safe_load(text)
        out = json.dumps(data, default=str, indent=rnd.choice([None, 1]))
    except Exception:  # noqa: BLE001 - a seed that is not loadable stays text
        out = text
    for _ in range(rnd.randint(1, 2)):
        if not out:
            break
        k = rnd.randrange(len(out))
        op = rnd.randrange(4)
        if op == 0:
            out = out[:k] + rnd.choice(JSON_HOSTILE) + out[k:]
        elif op == 1:
            out = out[:k] + out[k + rnd.randint(1, 20) :]
        elif op == 2:
            colon = out.find(": ", k)
            if colon >= 0:
                end = colon + 2
                while end < len(out) and out[end] not in ",}]":
                    end += 1
                out = out[: colon + 2] + rnd.choice(JSON_HOSTILE) + out[end:]
        else:  # a key repeated at the start of the next object, with a hostile value
            key = out.find('"', k)
            close = out.find('"', key + 1) if key >= 0 else -1
            brace = out.find("{", close) if close >= 0 else -1
            if brace >= 0:
                out = (
                    out[: brace + 1] + out[key : close + 1] + ": " + rnd.choice(JSON_HOSTILE) + ", " + out[brace + 1 :]
                )
    return out


def mutate_export(text: str, rnd: random.Random) -> str:
    """A store export (JSON Lines): lines dropped, repeated or swapped, or one record mutated as JSON on one line."""
    if rnd.random() < 0.4:
        return mutate_text(text, rnd)
    lines = text.splitlines()
    i = rnd.randrange(len(lines))
    lines[i] = mutate_json(lines[i], rnd).replace("\n", " ")
    return "\n".join(lines) + "\n"


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    """A zip of the entries; a name alone gets what `writestr` would give it, but a fixed time (same bytes each run)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if isinstance(info, str):
                info = zipfile.ZipInfo(info, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o40775 << 16) | 0x10 if info.is_dir() else 0o600 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def mutate_zip(seed: bytes, rnd: random.Random) -> bytes:
    """A pack archive with one hostile change."""
    with zipfile.ZipFile(io.BytesIO(seed)) as zf:
        entries = [(i, zf.read(i)) for i in zf.infolist()]
    op = rnd.randrange(12)
    if op == 0:  # flip bytes anywhere
        data = bytearray(seed)
        for _ in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        return bytes(data)
    if op == 1:
        return seed[: rnd.randrange(len(seed))]
    if op in (2, 3):  # encrypted flag or an unknown method, in local and central headers
        data = bytearray(_zip(entries))
        for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
            pos = data.find(sig)
            target = rnd.randrange(len(entries))
            for _ in range(target):
                pos = data.find(sig, pos + 4)
            if pos >= 0:
                if op == 2:
                    data[pos + flag_at] |= 1
                else:
                    data[pos + method_at : pos + method_at + 2] = rnd.choice([99, 12, 14, 98]).to_bytes(2, "little")
        return bytes(data)
    info, data = entries[rnd.randrange(len(entries))]
    name = info.filename
    if op == 4:
        entries.append((rnd.choice(["../evil.txt", "/etc/evil", "a/../../b", "..\\x", "ok/./x", "C:/x"]), b"x"))
    elif op == 5:
        entries.append((name, data + b"changed"))  # a duplicate whose copies differ
        rnd.shuffle(entries)
    elif op == 6:
        link = zipfile.ZipInfo(rnd.choice(["index.html", name, "link"]))
        link.create_system = 3
        link.external_attr = (0o120777 & 0xFFFF) << 16
        entries.insert(0, (link, b"/etc/passwd"))
    elif op == 7:
        entries.append((zipfile.ZipInfo(rnd.choice(["../../x/", "/abs/", "a/../../"])), b""))
    elif op == 8:
        manifest = json.loads(dict((i.filename, d) for i, d in entries).get("manifest.json", b"{}"))
        key = rnd.choice(["format", "files", "name", "inputs"])
        manifest[key] = rnd.choice(
            [True, None, "1", 1.0, [], {}, [[[[]]]], 2, -1, "x" * 100, json.loads("[" * 500 + "]" * 500)]
        )
        if rnd.random() < 0.3 and isinstance(manifest.get("files"), list) and manifest["files"]:
            manifest["files"][0] = rnd.choice([{"path": 1}, {"path": "x", "size": True}, "x", {"size": 10**30}])
        entries = [(i, d) for i, d in entries if i.filename != "manifest.json"]
        entries.append(("manifest.json", json.dumps(manifest).encode()))
    elif op == 9:
        entries.append(("bomb.bin", b"\0" * rnd.choice([10**6, 50 * 10**6])))
    elif op == 10:
        entries.append(("manifest.json", b'{"format": 1, "files": []}'))
    else:
        entries = [(i, d) for i, d in entries if rnd.random() < 0.8]
    return _zip(entries)


XLSX_HOSTILE: list = [
    *HOSTILE[:20],
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    -1e308,
    10**30,
    -1,
    0,
    2.5e-320,
    True,
    False,
    None,
    "",
    "   ",
    "geen",
    "ja",
    "=1/0",
    "=A1",
    '=REPT("x",40000)',
    '=HYPERLINK("http://x")',
    "x" * 40_000,
    "1.234,5",
    "12,5 ton",
    "50 %",
    datetime.date(1900, 1, 1),
    datetime.date(9999, 12, 31),
    datetime.datetime(2026, 3, 2, 23, 59, 59),
    datetime.time(12, 0),
    datetime.timedelta(days=-3),
]
XLSX_RAW = [  # a cell's type attribute and value as written in the sheet's XML
    ('t="n"', "NaN"),
    ('t="n"', "inf"),
    ('t="n"', "1e999"),
    ('t="n"', "9" * 400),
    ('t="n"', "abc"),
    ('t="n"', ""),
    ('t="s"', "99999"),
    ('t="s"', "-1"),
    ('t="b"', "2"),
    ('t="d"', "2026-02-30"),
    ('t="d"', "x"),
    ('t="e"', "#DIV/0!"),
    ('t="str"', "x" * 100_000),
    ('t="inlineStr"', ""),
    ('t="zz"', "1"),
    ('s="9999"', "1"),
]
XML_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (c, (b"&%c;" % (c - 1)) * 10) for c in range(ord("b"), ord("k")))
    + b"]><x>&j;</x>"
)
XML_EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


def mutate_workbook(seed: bytes, rnd: random.Random) -> bytes:
    """A filled bid form with one to three cell- or sheet-level changes made with openpyxl."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(seed))
    for ws in wb.worksheets:  # merged cells (the instructions) take no values
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
    for _ in range(rnd.randint(1, 3)):
        ws = rnd.choice(wb.worksheets)
        op = rnd.randrange(12)
        if op < 6:  # a hostile value in a filled cell or just beside the filled area
            row = rnd.randint(1, min(ws.max_row, 40) + 1)
            col = rnd.randint(1, ws.max_column + 1)
            ws.cell(row, col).value = rnd.choice(XLSX_HOSTILE)
        elif op == 6:
            ws.delete_rows(rnd.randint(1, ws.max_row), rnd.randint(1, 3))
        elif op == 7:
            ws.insert_rows(rnd.randint(1, ws.max_row), rnd.randint(1, 3))
        elif op == 8:
            ws.cell(rnd.randint(1, min(ws.max_row, 40)), rnd.randint(1, ws.max_column)).number_format = rnd.choice(
                ["0%", "0.00%", "yyyy-mm-dd", "@", "[h]:mm"]
            )
        elif op == 9:
            extra = wb.create_sheet(rnd.choice(["Blad1", "x" * 31, "project ", "Project", "'", "materialen1"]))
            extra["A1"] = rnd.choice(XLSX_HOSTILE)
        elif op == 10:
            ws.title = rnd.choice(["Blad1", "Project", "project ", "materialen", "x" * 31, "Blad 2", "…"])
        elif len(wb.worksheets) > 1:
            wb.remove(ws)
    if rnd.random() < 0.1:
        prop = rnd.choice(list(wb.custom_doc_props))
        prop.value = rnd.choice(["1.0", "", "x" * 1000, "1.1 ", "2.0"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def mutate_xlsx(seed: bytes, rnd: random.Random) -> bytes:
    """A filled bid form damaged in its cells (openpyxl), in the XML of its parts or as a zip container."""
    op = rnd.randrange(10)
    if op < 5:
        return mutate_workbook(seed, rnd)
    if op < 7:
        return mutate_zip(seed, rnd)
    with zipfile.ZipFile(io.BytesIO(seed)) as zf:
        entries = [(i, zf.read(i)) for i in zf.infolist()]
    names = [i.filename for i, _ in entries]
    if op == 7:  # a raw cell value that openpyxl would never write
        sheets = [k for k, n in enumerate(names) if n.startswith("xl/worksheets/sheet")]
        k = rnd.choice(sheets)
        xml = entries[k][1].decode()
        cells = list(re.finditer(r'<c r="([A-Z]+[0-9]+)"[^>]*>.*?</c>', xml))
        if cells:
            m = rnd.choice(cells)
            attr, value = rnd.choice(XLSX_RAW)
            xml = xml[: m.start()] + f'<c r="{m.group(1)}" {attr}><v>{value}</v></c>' + xml[m.end() :]
        entries[k] = (entries[k][0], xml.encode())
    elif op == 8:  # an XML part replaced by an entity bomb, an external entity or garbage
        k = rnd.randrange(len(entries))
        entries[k] = (entries[k][0], rnd.choice([XML_BOMB, XML_EXTERNAL, b"", b"<x>", b"\xff\xfe<"]))
    else:  # an XML part with bytes cut or flipped
        k = rnd.randrange(len(entries))
        data = bytearray(entries[k][1])
        if data and rnd.random() < 0.5:
            for _ in range(rnd.randint(1, 4)):
                data[rnd.randrange(len(data))] = ord(rnd.choice("<>&\"'/=x\x00"))
        else:
            data = data[: rnd.randrange(len(data) + 1)]
        entries[k] = (entries[k][0], bytes(data))
    return _zip(entries)


NUMBER = re.compile(r"(?:(?<=: )|(?<=- )|(?<=\[)|(?<=, ))-?\d+(?:\.\d+)?(?=$|[\s,\]}])", re.M)  # a YAML value


def mutate_numbers(text: str, rnd: random.Random) -> str:
    """One to three numbers changed to other well-formed ones (zero, negative, tiny, huge): the file still loads."""
    spots = [m for m in NUMBER.finditer(text) if "#" not in text[text.rfind("\n", 0, m.start()) + 1 : m.start()]]
    for m in sorted(rnd.sample(spots, min(len(spots), rnd.randint(1, 3))), key=lambda m: -m.start()):
        x = float(m.group())
        new = rnd.choice([0, -x, x * 10, x / 10, x + 1, 1e15, 0.0001, 100, 1, x * 1000])
        text = text[: m.start()] + (str(int(new)) if float(new).is_integer() else repr(new)) + text[m.end() :]
    return text


def mutate_csv(text: str, rnd: random.Random) -> str:
    """A CSV material list with one to three line-, cell- or delimiter-level changes."""
    lines = text.splitlines()
    for _ in range(rnd.randint(1, 3)):
        if not lines:
            lines = [""]
        i = rnd.randrange(len(lines))
        op = rnd.randrange(17)
        if _move_line(lines, i, op, rnd):
            continue
        if op >= 14:  # a number changed to another well-formed one: the list still loads
            spots = [(j, k) for j, line in enumerate(lines) for k, c in enumerate(line.split(";")) if c.isdigit()]
            if spots:
                j, k = rnd.choice(spots)
                cells = lines[j].split(";")
                cells[k] = rnd.choice(
                    ["0", "0,0001", "1000000000000000", "99999999", "1.800,5", "100", "101", "1", "-0"]
                )
                lines[j] = ";".join(cells)
        elif op in (3, 4, 5, 6):  # a cell replaced by a hostile value
            cells = lines[i].split(";")
            k = rnd.randrange(1 if len(cells) > 1 and rnd.random() < 0.8 else 0, len(cells))  # mostly a value
            cells[k] = rnd.choice([*HOSTILE, "NaN", "Infinity", "1.234,5", "1,234.5", "12,5 ton", "50 %", "geen", ""])
            lines[i] = ";".join(cells)
        elif op == 7:
            lines[i] = lines[i].replace(";", rnd.choice([",", "\t", "|", ";;", ""]))
        elif op == 8:  # the whole file with another delimiter (commas inside cells quoted or not)
            other = rnd.choice([",", "\t"])
            lines = [line.replace(";", other) for line in lines]
        elif op == 9:  # an unbalanced or stray quote
            line = lines[i]
            k = rnd.randrange(len(line) + 1)
            lines[i] = line[:k] + rnd.choice(['"', '""', '"x', "'", '\\"']) + line[k:]
        elif op == 10:
            lines[i] = lines[i] + (";" + rnd.choice(["x", "", "massa (t)", "1"])) * rnd.choice([1, 50, 5000])
        elif op == 11:
            lines[i] = lines[i] + rnd.choice(["x", "9", ";"]) * rnd.choice([10_000, 1_000_000])
        elif op == 12:
            lines[i:i] = lines[i : i + rnd.randint(1, 5)] * rnd.choice([10, 1000])
        else:
            line = lines[i]
            if line:
                k = rnd.randrange(len(line))
                lines[i] = (
                    line[:k] + rnd.choice(["\x00", "\r", "\u2028", "\ufeff", "é", "\x1b[31m", "\t"]) + line[k + 1 :]
                )
    out = "\n".join(lines) + ("\n" if rnd.random() < 0.9 else "")
    return ("\ufeff" + out) if rnd.random() < 0.1 else out


# ---------------------------------------------------------------- targets


@dataclass
class Target:
    """One loader: seeds, how to mutate one, how to write it and the command to run on it."""

    name: str
    seeds: list[tuple[str, bytes, list[str]]]  # (file name, content, extra arguments)
    kind: str  # yaml | packdef | zip | corridor | ruleset | profile | xlsx | csv | tender | store | device

    def make(self, index: int, seed: int, work: Path) -> list[str]:
        rnd = random.Random(seed * 1_000_003 + index)
        if self.kind == "device":
            return _device_input(rnd, work)
        name, content, extra = self.seeds[rnd.randrange(len(self.seeds))]
        if self.kind == "zip":
            path = work / "pack.zip"
            path.write_bytes(mutate_zip(content, rnd))
            return ["pack", "verify", str(path)]
        if self.kind == "xlsx":
            path = work / "formulier.xlsx"
            path.write_bytes(mutate_xlsx(content, rnd))
            return [extra[0], str(path), *extra[1:]]
        text = content.decode("utf-8")
        if self.kind == "csv":
            path = work / "lijst.csv"
            path.write_bytes(mutate_csv(text, rnd).encode("utf-8", "surrogatepass"))
            return [extra[0], str(path), *extra[1:]]
        if self.kind == "tender":
            return _tender_input(name, text, extra[0], rnd, work)
        if self.kind == "store":
            path = work / "export.jsonl"
            path.write_bytes(mutate_export(text, rnd).encode("utf-8", "surrogatepass"))
            return ["db", "import", "--db", str(work / "store.sqlite"), str(path)]
        as_json = self.kind == "yaml" and rnd.random() < 0.2
        body = mutate_json(text, rnd) if as_json else mutate_text(text, rnd)
        if self.kind == "corridor":
            shutil.copytree(DATA / "corridors", work / "corridors")
            folder = work / "corridors" / "amersfoort-voorbeeld"
            (folder / name).write_text(body, encoding="utf-8")
            return ["corridor", "match", str(folder), *extra]
        if self.kind == "ruleset":
            rid, version = name.split("/")
            folder = work / "rulesets" / rid
            folder.mkdir(parents=True)
            (folder / version).write_text(body, encoding="utf-8")
            return [*extra[:2], "--rulesets-dir", str(work / "rulesets"), *extra[2:]]
        if self.kind == "profile":
            folder = work / "profiles"
            shutil.copytree(DATA / "profiles", folder)
            (folder / name).write_text(body, encoding="utf-8")
            return [
                "generate",
                "tender",
                "--profile",
                name.removesuffix(".yaml"),
                "--type",
                "wegen",
                "--format",
                "html",
                "-o",
                str(work / "out"),
                "--profiles-dir",
                str(folder),
            ]
        path = work / (Path(name).stem + (".json" if as_json else ".yaml"))
        path.write_text(body, encoding="utf-8")
        if self.kind == "packdef":
            return ["pack", "plan", str(path)]
        return [*extra[:1], str(path), *extra[1:]]


def _tender_input(name: str, text: str, command: str, rnd: random.Random, work: Path) -> list[str]:
    """The example tender with one of its files mutated; a mutated tender is mostly re-pinned by the bids."""
    folder = work / "aanbesteding"
    shutil.copytree(ROOT / "examples" / "aanbesteding", folder)
    choice = rnd.random()
    if choice < 0.2:
        body = mutate_json(text, rnd)
    elif choice < 0.5:
        body = mutate_numbers(text, rnd)
    else:
        body = mutate_text(text, rnd)
    (folder / name).write_bytes(body.encode("utf-8", "surrogatepass"))
    if name == "tender.yaml" and rnd.random() < 0.9:  # the bids answer the changed tender, so it gets scored
        sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for bid in folder.glob("bod-*.yaml"):
            bid.write_text(re.sub(r"sha256: [0-9a-f]{64}", f"sha256: {sha}", bid.read_text("utf-8")), "utf-8")
    tender = str(folder / "tender.yaml")
    if command == "verify":
        return ["verify", tender, str(folder / "bod-epsilon.yaml"), str(folder / "oplevering-epsilon.yaml")]
    return ["score", tender, *(str(b) for b in sorted(folder.glob("bod-*.yaml")))]


HOSTILE = ("/dev/zero", "/dev/urandom", "/dev/null", "dangling", "loop", "directory")
_unharmed: Callable[[], bool] = lambda: True  # noqa: E731 - set by `_device_input` in the child that runs it


def _hostile(path: Path, rnd: random.Random) -> None:
    """Put a link to a device, a dangling or looping link, or a directory where a file is expected."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    kind = rnd.choice(HOSTILE)
    if kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(path.parent / "nergens")
    elif kind == "loop":
        path.symlink_to(path)
    else:
        path.symlink_to(kind)


def _state(path: Path) -> tuple:
    """What an output path is: a link and its target, a device and its number, a file and its bytes and mode."""
    st = path.lstat()
    if path.is_symlink():
        return ("link", os.readlink(path))
    if not path.exists() or path.is_dir():
        return ("dir" if path.is_dir() else "none",)
    if not stat.S_ISREG(st.st_mode):
        return ("device", st.st_mode, st.st_rdev)
    return ("file", path.read_bytes(), stat.S_IMODE(st.st_mode))


def _output(path: Path, rnd: random.Random) -> None:
    """An output path that must not be harmed: a link (to a private file or to a device) or a device node."""
    global _unharmed
    private = path.parent / "privé.json"
    private.write_text("{}")
    private.chmod(0o600)
    choice = rnd.randrange(4)
    if choice == 0:
        path.symlink_to(private)
    elif choice == 1 and os.geteuid() == 0:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # our own null device
    elif choice == 2 and os.geteuid() == 0:
        os.mknod(path.parent / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        path.symlink_to(path.parent / "null")
    else:
        _hostile(path, rnd)
    before = (_state(path), _state(private))
    _unharmed = lambda: (_state(path), _state(private)) == before  # noqa: E731


def _device_input(rnd: random.Random, work: Path) -> list[str]:
    """One input, bid, house-style file, corridor file or batch member made hostile, or a hostile output."""
    example = ROOT / "examples" / "weg-voldoet.yaml"
    case = rnd.randrange(7)
    if case == 0:
        path = work / f"inzending{rnd.choice(('.yaml', '.json', '.csv', '.xlsx'))}"
        _hostile(path, rnd)
        return ["evaluate", str(path), "-r", "hnn-gww"]
    if case == 1:
        _hostile(work / "pack.zip", rnd)
        return ["pack", "verify", str(work / "pack.zip")]
    if case == 2:
        folder = work / "aanbesteding"
        shutil.copytree(ROOT / "examples" / "aanbesteding", folder)
        _hostile(folder / "inzending-alfa.yaml", rnd)
        return ["score", str(folder / "tender.yaml"), *(str(b) for b in sorted(folder.glob("bod-*.yaml")))]
    if case == 3:
        folder = work / "profiles"
        shutil.copytree(DATA / "profiles", folder)
        _hostile(folder / "huisstijl" / "amersfoort" / rnd.choice(("stijl.css", "logo.png", "referentie.docx")), rnd)
        out = ["-o", str(work / "out"), "--profiles-dir", str(folder)]
        return ["generate", "tender", "--profile", "amersfoort", "--type", "wegen", "--format", "html,docx", *out]
    if case == 4:
        shutil.copytree(DATA / "corridors", work / "corridors")
        folder = work / "corridors" / "amersfoort-voorbeeld"
        _hostile(folder / rnd.choice(("corridor.yaml", "inventory.yaml", "projects.yaml", "events.yaml")), rnd)
        return ["corridor", "match", str(folder), "--as-of", "2026-09-01"]
    if case == 5:
        folder = work / "inzendingen"
        folder.mkdir()
        shutil.copy(example, folder / "a.yaml")
        _hostile(folder / f"b{rnd.choice(('.yaml', '.csv', '.xlsx'))}", rnd)
        return ["evaluate", str(folder), "-r", "hnn-gww", "--format", "jsonl", "--jobs", "1"]
    target = work / "rapport.json"
    _output(target, rnd)
    return ["evaluate", str(example), "-r", "hnn-gww", "--format", "json", "-o", str(target)]


def _command_of(path: Path) -> list[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# cgc "):
            words = line[6:].split()
            return [words[0], *words[2:]]
    return ["evaluate", "-r", "hnn-gww"]


def targets() -> dict[str, Target]:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    subs = [(p.name, p.read_bytes(), _command_of(p)) for p in examples if not p.name.startswith("gemeente")]
    assess = [(p.name, p.read_bytes(), _command_of(p)) for p in examples if p.name.startswith("gemeente")]
    rulesets = []
    for p in sorted((DATA / "rulesets").glob("*/*.yaml")):
        if p.name.endswith(".cases.yaml"):
            continue
        rid = p.parent.name
        example = next((s for s in subs if f"-r {rid}" in " ".join(s[2]) or rid in s[2]), None)
        if example is not None:
            cmd = ["evaluate", str(ROOT / "examples" / example[0]), "-r", f"{rid}@{p.stem}"]
        else:
            cmd = ["assess", str(ROOT / "examples" / "gemeente-voldoet.yaml"), "-r", f"{rid}@{p.stem}"]
        rulesets.append((f"{rid}/{p.name}", p.read_bytes(), cmd))
    profiles = [(p.name, p.read_bytes(), []) for p in sorted((DATA / "profiles").glob("*.yaml"))]
    packdef = [("gmr-toolbox.yaml", (ROOT / "cgc_rules" / "data" / "packs" / "gmr-toolbox.yaml").read_bytes(), [])]
    corridor = [
        (p.name, p.read_bytes(), ["--as-of", d])
        for p in sorted((DATA / "corridors" / "amersfoort-voorbeeld").glob("*.yaml"))
        for d in ("2026-03-01", "2026-09-01")
    ]
    forms = [
        (p.name, _seed_form(p), [*_command_of(p), *extra])
        for p, extra in (
            (ROOT / "examples" / "weg-voldoet.yaml", []),
            (ROOT / "examples" / "aanbesteding" / "inzending-alfa.yaml", ["--as-of", "2026-03-02"]),  # no tender date
            (ROOT / "examples" / "sloop-voldoet.yaml", []),
            (ROOT / "examples" / "woningbouw-hnn-gebouw.yaml", []),
        )
    ]
    lists = [(name, _seed_csv(form), cmd) for name, form, cmd in forms[:2]]
    tender_dir = ROOT / "examples" / "aanbesteding"
    tender = [  # (file mutated, command); a file listed twice is picked twice as often
        (p.name, p.read_bytes(), [command])
        for p, command in [
            (tender_dir / "tender.yaml", "score"),
            (tender_dir / "tender.yaml", "score"),
            (tender_dir / "tender.yaml", "verify"),
            *((p, "score") for p in sorted(tender_dir.glob("bod-*.yaml"))),
            (tender_dir / "inzending-alfa.yaml", "score"),
            (tender_dir / "bod-epsilon.yaml", "verify"),
            (tender_dir / "oplevering-epsilon.yaml", "verify"),
            (tender_dir / "oplevering-epsilon.yaml", "verify"),
        ]
    ]
    return {
        "submission": Target("submission", subs, "yaml"),
        "assessment": Target("assessment", assess, "yaml"),
        "ruleset": Target("ruleset", rulesets, "ruleset"),
        "profile": Target("profile", profiles, "profile"),
        "packdef": Target("packdef", packdef, "packdef"),
        "archive": Target("archive", [("pack.zip", _seed_pack(), [])], "zip"),
        "corridor": Target("corridor", corridor, "corridor"),
        "bid-xlsx": Target("bid-xlsx", forms, "xlsx"),
        "bid-csv": Target("bid-csv", lists, "csv"),
        "tender": Target("tender", tender, "tender"),
        "store": Target("store", [("export.jsonl", _seed_export(), [])], "store"),
        "device": Target("device", [], "device"),
    }


def _seed_export() -> bytes:
    """A store export of the recorded example evaluations and assessment, as `cgc db export` writes it."""
    with tempfile.TemporaryDirectory() as tmp:
        db, out = str(Path(tmp) / "seed.sqlite"), Path(tmp) / "export.jsonl"
        examples = ROOT / "examples"
        for args in (
            ["evaluate", str(examples / "weg-voldoet.yaml"), "-r", "hnn-gww", "--record", "--db", db],
            ["evaluate", str(examples / "weg-voldoet-niet.yaml"), "-r", "hnn-gww", "--record", "--db", db],
            ["assess", str(examples / "gemeente-voldoet.yaml"), "--record", "--db", db],
            ["db", "export", "--db", db, "-o", str(out)],
        ):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
                cgc_main.main(args=args, standalone_mode=False)
        return out.read_bytes()


def _seed_form(path: Path) -> bytes:
    """The bid form filled with an example submission, as `cgc convert EXAMPLE form.xlsx` writes it."""
    from cgc_rules.intake import load_any
    from cgc_rules.intake.write import dump

    return dump(load_any(path).submission, ".xlsx")


def _seed_csv(form: bytes) -> bytes:
    """A CSV material list with the project lines and material table of a filled bid form."""
    import csv

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(form), read_only=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for label, value, *_ in wb["project"].iter_rows(min_row=2, values_only=True):
        if value is not None:
            writer.writerow([label, value])
    writer.writerow([])
    for row in wb["materialen"].iter_rows(values_only=True):
        if any(v is not None for v in row):
            writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode()


def _seed_pack() -> bytes:
    """A small, valid pack archive built the way `cgc pack build` builds one (manifest with sizes and sums)."""
    from cgc_rules.pack.archive import ZIP_EPOCH, zip_bytes
    from cgc_rules.pack.manifest import FORMAT, MANIFEST, dumps, file_list

    entries = {
        "index.html": b"<html>index</html>\n",
        "docs/tender.html": b"<html>tender</html>\n" * 50,
        "CHANGELOG.md": b"# Changes\n",
    }
    manifest = {
        "format": FORMAT,
        "pack": {"name": "fuzz", "version": "1"},
        "generator": {"name": "cgc-rules"},
        "inputs": {},
        "documents": [],
        "files": file_list(entries),
    }
    return zip_bytes({**entries, MANIFEST: dumps(manifest)}, ZIP_EPOCH)


# ---------------------------------------------------------------- running


def _innermost(exc: BaseException) -> str:
    place = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        if "cgc_rules" in frame.filename:
            place = f"{frame.filename.split('cgc_rules')[-1].lstrip('/')}:{frame.lineno}"
    return f"{type(exc).__name__} at {place}"


def _child(target: Target, index: int, seed: int, out: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="cgc-fuzz-"))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.chdir(work)
    result: dict
    try:
        args = target.make(index, seed, work)
        if target.kind == "device":
            _fenced(args, work, out)
        try:
            code = _plan(args[2]) if args[:2] == ["pack", "plan"] else cgc_main.main(args=args, standalone_mode=False)
            result = {"outcome": "ok", "code": code if isinstance(code, int) else 0}
        except SystemExit as exc:
            result = {"outcome": "ok", "code": exc.code}
        except (CgcError, click.ClickException, click.exceptions.Exit, click.Abort):
            result = {"outcome": "ok", "code": 2}
        except BaseException as exc:  # noqa: BLE001 - what the fuzz is looking for
            result = {"outcome": "traceback", "place": _innermost(exc)}
    except BaseException as exc:  # noqa: BLE001 - a bug in making the input
        result = {"outcome": "setup", "place": repr(exc)[:200]}
    os.write(out, (json.dumps(result) + "\n").encode())
    shutil.rmtree(work, ignore_errors=True)
    os._exit(0)


def _fenced(args: list[str], work: Path, out: int) -> None:
    """Run through the crash fence as `cgc` does (exit 70 is the finding), then check the output unharmed."""
    from cgc_rules.exits import guarded_main

    os.environ["CGC_STATE_DIR"] = str(work / "state")
    code = guarded_main(cgc_main, args)
    if code == 70:
        logs = sorted((work / "state").glob("cgc-crash-*.log"))
        last = logs[0].read_text(encoding="utf-8").strip().splitlines()[-1][:200] if logs else "no log"
        result: dict = {"outcome": "traceback", "place": f"exit 70: {last}"}
    elif not _unharmed():
        result = {"outcome": "harmed", "place": f"output harmed by {' '.join(args[:2])}"}
    else:
        result = {"outcome": "ok", "code": code}
    os.write(out, (json.dumps(result) + "\n").encode())
    shutil.rmtree(work, ignore_errors=True)
    os._exit(0)


def _plan(path: str) -> int:
    """A pack definition loaded and planned as `cgc pack build` does, without rendering the documents."""
    from cgc_rules.pack.definition import load_definition
    from cgc_rules.pack.plan import Sources, plan
    from cgc_rules.profile import PROFILES_DIR
    from cgc_rules.registry import Registry

    plan(load_definition(path), Sources(Registry(), PROFILES_DIR))
    return 0


def run(target: Target, count: int, seed: int, jobs: int, timeout: float, progress: Callable[[int], None]) -> dict:
    outcomes: Counter[str] = Counter()
    places: Counter[str] = Counter()
    first: dict[str, int] = {}  # the first input that ended at each place (make it again with --show)
    codes: Counter[str] = Counter()
    slowest = 0.0
    running: dict[int, tuple[int, int, float]] = {}  # read fd -> (pid, index, started)
    next_index = 0
    done = 0
    while done < count:
        while len(running) < jobs and next_index < count:
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child(target, next_index, seed, w)
            os.close(w)
            running[r] = (pid, next_index, time.monotonic())
            next_index += 1
        ready, _, _ = select.select(list(running), [], [], 0.5)
        now = time.monotonic()
        for fd in list(running):
            pid, index, started = running[fd]
            if fd in ready:
                data = b""
                while chunk := os.read(fd, 65536):
                    data += chunk
                _, status = os.waitpid(pid, 0)
                if data:
                    result = json.loads(data)
                    outcomes[result["outcome"]] += 1
                    if result["outcome"] != "ok":
                        places[result["place"]] += 1
                        first.setdefault(result["place"], index)
                    else:
                        codes[str(result["code"])] += 1
                elif os.WIFSIGNALED(status):
                    outcomes["signal"] += 1
                    places[f"signal {signal.Signals(os.WTERMSIG(status)).name} (input {index})"] += 1
                else:
                    outcomes["traceback"] += 1
                    places[f"exit {os.WEXITSTATUS(status)} without a result (input {index})"] += 1
            elif now - started > timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                outcomes["hang"] += 1
                places[f"hang > {timeout:g} s (input {index})"] += 1
            else:
                continue
            slowest = max(slowest, now - started)
            os.close(fd)
            del running[fd]
            done += 1
            progress(done)
    return {
        "inputs": count,
        "ok": outcomes["ok"],
        "tracebacks": outcomes["traceback"],
        "signals": outcomes["signal"],
        "hangs": outcomes["hang"],
        "setup_errors": outcomes["setup"],
        "harmed": outcomes["harmed"],
        "exit_codes": dict(codes),
        "slowest_s": round(slowest, 2),
        "places": dict(places.most_common()),
        "first_input": first,
    }


STORE_FAULTS = ("kill", "read-only", "locked", "full-disk")
STORE_COMMANDS = ("record", "import", "upgrade", "export", "monitor")
STORE_RECORDS = 200  # in the template store every run starts from a copy of
STORE_IMPORTED = 300  # records in the export `db import` adds
STORE_LOCK_TIMEOUT = "0.3"  # seconds a command waits for a lock (the default of 30 s would only slow the fuzz)
STORE_RUN_TIMEOUT = 60.0  # a run still going after this is a hang


def _store_export(items: int, start: int, line: dict) -> str:
    from cgc_rules.store.records import dedup_key

    out = ['{"format": "cgc-rules-store", "version": 1}']
    for i in range(start, start + items):
        sha = f"{i:064x}"
        key = dedup_key(line["kind"], sha, line["ruleset_sha256"], line["role"])
        variant = {**line, "input_sha256": sha, "dedup_key": key, "project_id": f"fuzz-{i}"}
        out.append(json.dumps(variant, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class StoreSetup:
    """What every store-fault run shares: the template store, its keys, the seed line and each command's time."""

    base: Path
    template: Path
    keys: frozenset[str]
    line: dict
    seconds: dict[str, float]


def _store_child(args: list[str], work: Path, env: dict[str, str], fsize: int | None = None) -> int:
    """Fork a `cgc` run of ARGS through the crash fence (stderr to work/stderr); its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 71
    try:
        os.chdir(work)
        devnull = os.open(os.devnull, os.O_WRONLY)
        err = os.open(work / "stderr", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(devnull, 1)
        os.dup2(err, 2)
        os.environ.update(env)
        if fsize is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        from cgc_rules.exits import guarded_main

        code = guarded_main(cgc_main, args)
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        os._exit(code)


def _wait(pid: int, kill_after: float | None = None) -> tuple[int, bool]:
    """The exit code of child PID (-signal when killed) and whether it was killed, SIGKILL after KILL_AFTER s."""
    if kill_after is not None:
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status), False
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), os.WIFSIGNALED(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), False


def _keys(db: Path, work: Path) -> set[str] | None:
    """The record keys of a store as a fresh `cgc db export` reads them; None when the store cannot be read."""
    out = work / "check.jsonl"
    code, _ = _wait(_store_child(["db", "export", "--db", str(db), "-o", str(out)], work, _store_env(work)))
    if code != 0:
        return None
    with out.open(encoding="utf-8") as lines:
        next(lines)
        keys = {json.loads(line)["dedup_key"] for line in lines}
    out.unlink()
    return keys


def _hold_lock(db: Path, exclusive: bool) -> tuple[int, int]:
    """A process holding a shared or exclusive lock on DB (its own connection, opened after the fork); (pid, release fd)."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(ready_r)
            os.close(go_w)
            import sqlite3

            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE" if exclusive else "BEGIN")
            holder.execute("SELECT count(*) FROM cgc_records").fetchone()
            os.write(ready_w, b"1")
            os.read(go_r, 1)
            holder.execute("ROLLBACK")
            holder.close()
        finally:
            os._exit(0)
    os.close(ready_w)
    os.close(go_r)
    os.read(ready_r, 1)
    os.close(ready_r)
    return pid, go_w


def _store_env(work: Path) -> dict[str, str]:
    return {"CGC_STATE_DIR": str(work / "state"), "CGC_DB_LOCK_TIMEOUT": STORE_LOCK_TIMEOUT}


def _store_args(command: str, work: Path, target: str, rnd: random.Random) -> list[str]:
    submission = ROOT / "examples" / "weg-voldoet.yaml"
    role = rnd.choice(["bid", "design"])
    return {
        "record": ["evaluate", str(submission), "-r", "hnn-gww", "--record", "--role", role],
        "import": ["db", "import", str(work / "more.jsonl")],
        "upgrade": ["db", "upgrade"],
        "export": ["db", "export", "-o", str(work / "out.jsonl")],
        "monitor": ["monitor", "--format", "json"],
    }[command] + ["--db", target]


def _store_run(setup: StoreSetup, i: int, seed: int) -> dict:
    """One run: a copy of the template store, one command under one fault, then a fresh export checks the store."""
    rnd = random.Random(seed * 1_000_003 + i)
    fault = STORE_FAULTS[i % len(STORE_FAULTS)]
    command = rnd.choice(STORE_COMMANDS)
    work = setup.base / f"run{i}"
    work.mkdir()
    db = work / "store.sqlite"
    shutil.copyfile(setup.template, db)
    if command == "import":
        (work / "more.jsonl").write_text(
            _store_export(STORE_IMPORTED, 10_000 + STORE_IMPORTED * i, setup.line), encoding="utf-8"
        )
    target = f"sqlite:///file:{db}?mode=ro&uri=true" if fault == "read-only" else str(db)
    holder = _hold_lock(db, rnd.random() < 0.5) if fault == "locked" else None
    fsize = db.stat().st_size + rnd.randrange(0, 256 * 1024) if fault == "full-disk" else None
    kill_after = rnd.uniform(0.0, setup.seconds[command]) if fault == "kill" else None
    pid = _store_child(_store_args(command, work, target, rnd), work, _store_env(work), fsize)
    code, killed = _wait(pid, kill_after)
    if holder is not None:
        os.write(holder[1], b"1")
        os.close(holder[1])
        os.waitpid(holder[0], 0)
    err = (work / "stderr").read_text(encoding="utf-8", errors="replace") if (work / "stderr").exists() else ""
    after = _keys(db, work)
    result = {
        "fault": fault,
        "command": command,
        "code": code,
        "killed": killed,
        "traceback": "Traceback" in err or (work / "state").exists(),
        "unreadable": after is None,
        "lost": 0 if after is None else len(setup.keys - after),
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


def _store_setup(seed_line: dict) -> StoreSetup:
    """The template store (built once), its keys, and how long each command takes unfaulted (the kill window)."""
    base = Path(tempfile.mkdtemp(prefix="cgc-fuzz-store-"))
    template = base / "template.sqlite"
    (base / "seed.jsonl").write_text(_store_export(STORE_RECORDS, 0, seed_line), encoding="utf-8")
    seed_args = ["db", "import", "--db", str(template), str(base / "seed.jsonl")]
    code, _ = _wait(_store_child(seed_args, base, _store_env(base)))
    keys = _keys(template, base)
    if code != 0 or keys is None or len(keys) != STORE_RECORDS:
        raise SystemExit(f"the template store could not be built (exit {code}): {base / 'stderr'}")
    seconds: dict[str, list[float]] = {command: [] for command in STORE_COMMANDS}
    for n in range(3):
        for command in STORE_COMMANDS:
            work = base / f"probe{n}-{command}"
            work.mkdir()
            db = work / "store.sqlite"
            shutil.copyfile(template, db)
            if command == "import":
                (work / "more.jsonl").write_text(_store_export(STORE_IMPORTED, 5000, seed_line), encoding="utf-8")
            started = time.monotonic()
            _wait(_store_child(_store_args(command, work, str(db), random.Random(n)), work, _store_env(work)))
            seconds[command].append(time.monotonic() - started)
            shutil.rmtree(work)
    return StoreSetup(base, template, frozenset(keys), seed_line, {c: sorted(s)[1] for c, s in seconds.items()})


def store_faults(count: int, seed: int, jobs: int, progress: Callable[[int], None]) -> dict:
    """Kill every store command at a random moment while it runs, or run it on a read-only, locked or full store;
    then check with a fresh `cgc db export` that the store reads and holds every record it held before.

    The commands run in processes forked from this one (the package imported once), `jobs` runs at a time."""
    setup = _store_setup(json.loads(_seed_export().decode("utf-8").splitlines()[1]))
    counts = {"runs": 0, "exit_70": 0, "tracebacks": 0, "records_lost": 0, "unreadable_stores": 0, "killed": 0}
    counts |= {"hangs": 0, "run_errors": 0}
    codes: Counter[str] = Counter()
    per_fault: dict[str, Counter[str]] = {fault: Counter() for fault in STORE_FAULTS}
    per_command: dict[str, Counter[str]] = {command: Counter() for command in STORE_COMMANDS}
    running: dict[int, tuple[int, float]] = {}  # read fd -> (pid, started)
    next_index = 0
    while counts["runs"] < count:
        while len(running) < jobs and next_index < count:
            r, w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                os.setpgid(0, 0)
                try:
                    os.write(w, (json.dumps(_store_run(setup, next_index, seed)) + "\n").encode())
                finally:
                    os._exit(0)
            os.close(w)
            running[r] = (pid, time.monotonic())
            next_index += 1
        ready, _, _ = select.select(list(running), [], [], 0.5)
        for fd in list(running):
            pid, started = running[fd]
            if fd in ready:
                data = b""
                while chunk := os.read(fd, 65536):
                    data += chunk
                os.waitpid(pid, 0)
                if not data:
                    counts["run_errors"] += 1
                else:
                    result = json.loads(data)
                    codes[str(result["code"])] += 1
                    per_fault[result["fault"]][str(result["code"])] += 1
                    per_command[result["command"]][str(result["code"])] += 1
                    counts["exit_70"] += result["code"] == 70
                    counts["killed"] += result["killed"]
                    counts["tracebacks"] += result["traceback"]
                    counts["unreadable_stores"] += result["unreadable"]
                    counts["records_lost"] += result["lost"]
            elif time.monotonic() - started > STORE_RUN_TIMEOUT:
                os.killpg(pid, signal.SIGKILL)  # the run and the commands it forked
                os.waitpid(pid, 0)
                counts["hangs"] += 1
            else:
                continue
            os.close(fd)
            del running[fd]
            counts["runs"] += 1
            progress(counts["runs"])
    shutil.rmtree(setup.base, ignore_errors=True)
    return {
        **counts,
        "exit_codes": dict(sorted(codes.items())),
        "exit_codes_per_fault": {fault: dict(sorted(n.items())) for fault, n in per_fault.items()},
        "exit_codes_per_command": {command: dict(sorted(n.items())) for command, n in per_command.items()},
        "command_seconds": {c: round(s, 3) for c, s in setup.seconds.items()},
        "store_records": STORE_RECORDS,
        "lock_timeout_s": float(STORE_LOCK_TIMEOUT),
        "jobs": jobs,
    }


def _preload() -> None:
    """Import every cgc_rules module once in the parent, so each forked input starts warm (the CLI loads lazily)."""
    import importlib
    import pkgutil

    import cgc_rules

    for info in pkgutil.walk_packages(cgc_rules.__path__, "cgc_rules."):
        with contextlib.suppress(Exception):  # a module that cannot load on its own is the imports test's business
            importlib.import_module(info.name)


def _commit() -> str:
    """The checked-out commit the loaders were fuzzed at (`+` when the tree has changes)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+" if git("status", "--porcelain", "--", "cgc_rules") else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("loaders", nargs="*", help="loaders to fuzz (default: all)")
    parser.add_argument("-n", "--count", type=int, default=10_000, help="inputs per loader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    parser.add_argument("--show", type=int, metavar="INDEX", help="make input INDEX of each loader, print its command")
    parser.add_argument("--store-faults", type=int, metavar="RUNS", help="only the store-fault mode, RUNS runs")
    args = parser.parse_args()
    if args.store_faults:
        _preload()
        commit = _commit()
        start, cpu = time.monotonic(), os.times()
        step = max(1, args.store_faults // 20)

        def store_progress(done: int) -> None:
            if done % step == 0:
                print(f"  store faults: {done}/{args.store_faults}", file=sys.stderr, flush=True)

        result = store_faults(args.store_faults, args.seed, args.jobs, store_progress)
        spent = os.times()
        result["seconds"] = round(time.monotonic() - start, 1)
        result["cpu_seconds"] = round(sum(spent[:4]) - sum(cpu[:4]), 1)
        result["commit"] = commit
        print(json.dumps(result, indent=2))
        report = json.loads(args.out.read_text()) if args.out.exists() else {}
        report["store_faults"], report["date"] = result, today_nl().isoformat()
        args.out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return
    _preload()
    all_targets = targets()
    if args.show is not None:
        for name in args.loaders or list(all_targets):
            work = Path(tempfile.mkdtemp(prefix=f"cgc-fuzz-{name}-"))
            print(name, " ".join(all_targets[name].make(args.show, args.seed, work)))
        return
    chosen = args.loaders or list(all_targets)
    report = json.loads(args.out.read_text()) if args.out.exists() else {}
    report.setdefault("loaders", {})
    step = max(1, args.count // 20)
    for name in chosen:
        start = time.monotonic()

        def progress(done: int, name: str = name) -> None:
            if done % step == 0:
                print(f"  {name}: {done}/{args.count}", file=sys.stderr, flush=True)

        result = run(all_targets[name], args.count, args.seed, args.jobs, args.timeout, progress)
        result["seconds"] = round(time.monotonic() - start, 1)
        result["commit"] = _commit()
        report["loaders"][name] = result
        print(
            f"{name:11} {result['inputs']:6} inputs: {result['tracebacks']} tracebacks, {result['signals']} signals, "
            f"{result['hangs']} hangs, {result['setup_errors']} setup errors ({result['seconds']} s)",
            flush=True,
        )
        for place, n in list(result["places"].items())[:15]:
            print(f"    {n:5}  {place}")
        report["seed"], report["timeout_s"], report["date"] = args.seed, args.timeout, today_nl().isoformat()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
