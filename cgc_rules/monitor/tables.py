"""`cgc monitor` as a terminal table, JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from ..numbers import notation
from ..terminal import terminal_text
from ..xlsx import reproducible_bytes
from .texts import definition, labels
from .values import MkiValues

CSV_COLUMNS = (
    "year",
    "region",
    "municipality",
    "project_type",
    "projects",
    "origin_projects",
    "responsible_t",
    "total_t",
    "origin_share_pct",
    "mki_projects",
    "mki_q1",
    "mki_median",
    "mki_q3",
    "mki_within_level_pct",
    "seb_projects",
    "seb_rate_pct",
)


VALUES_AT_A_TIME = 10_000
"""Projects of the MKI list written in one piece: a million projects are never one string."""

_LISTED = '\n  "mki_values": []'


def to_json(data: dict[str, Any]) -> Iterator[str]:
    """Indented, keys sorted, written a part at a time: the figures in one piece, then the MKI of each project
    (`data["mki_values"]`, `MkiValues`) `VALUES_AT_A_TIME` projects at a time, indented as in the whole."""
    values: MkiValues = data["mki_values"]
    head, tail = _dumps({**data, "mki_values": []}).split(_LISTED, 1)
    if not values:
        yield head + _LISTED + tail
        return
    yield head + _LISTED[:-1]
    projects, first = iter(values), True
    while batch := list(islice(projects, VALUES_AT_A_TIME)):
        listed = _dumps(batch)  # "[\n  {...},\n  {...}\n]\n"
        yield ("" if first else ",") + listed[1:-3].replace("\n", "\n  ")
        first = False
    yield "\n  ]" + tail


def _dumps(data: Any) -> str:
    """Indented, keys sorted; by orjson (the standard library's indenting encoder is pure Python: at 100,000
    projects it took 0.6 s and 88 MB more), by the standard library for what orjson refuses."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    except TypeError:  # orjson.JSONEncodeError: a key that is not text, an integer past 64 bits
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


def flat(row: dict[str, Any]) -> list[Any]:
    o, m, s = row["origin"], row["mki"], row["seb"]
    return [
        row["year"],
        row["region"],
        row["municipality"],
        row["project_type"],
        row["projects"],
        o["projects"],
        o["responsible_t"],
        o["total_t"],
        o["share"],
        m["projects"],
        m["q1"],
        m["median"],
        m["q3"],
        m["within_share"],
        s["projects"],
        s["rate"],
    ]


def _excel_nl(value: Any) -> str:
    """A value as Dutch Excel reads it from CSV: a decimal comma, no thousands separator, blank for none."""
    if value is None:
        return ""
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def to_csv(data: dict[str, Any]) -> str:
    """One line per year, region and group (all projects, each municipality, each project type).

    Written as Dutch Excel opens a CSV by a double click: a BOM (so it reads UTF-8), `;` between fields and
    the decimal comma. `*_within_level_pct` counts projects that gave the value; a rule's rate counts missing
    data as not compliant (the XLSX's sheet `regels`).
    """
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["rows"]:
        writer.writerow([_excel_nl(v) for v in flat(row)])
    return buf.getvalue()


def to_xlsx(data: dict[str, Any]) -> bytes:
    """Sheets: overview (as the CSV), rules, start measuring, trend, municipalities. Same data, same bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "overzicht"
    ws.append(CSV_COLUMNS)
    for row in data["rows"]:
        ws.append(flat(row))
    rules = wb.create_sheet("regels")
    rules.append(
        ("year", "region", "municipality", "project_type", "rule", "level", "pass", "fail", "missing_data", "rate_pct")
    )
    measure = wb.create_sheet("meten")
    measure.append(("year", "region", "municipality", "project_type", "rule", "applicable", "reported", "share_pct"))
    for row in data["rows"]:
        key = (row["year"], row["region"], row["municipality"], row["project_type"])
        for r in row["rules"]:
            rules.append((*key, r["rule"], r["level"], r["pass"], r["fail"], r["missing_data"], r["rate"]))
        for r in row["measure_only"]:
            measure.append((*key, r["rule"], r["applicable"], r["reported"], r["share"]))
    trend = wb.create_sheet("trend")
    trend.append(("year", "region", "projects", "origin_share_pct", "mki_median", "seb_rate_pct"))
    for t in data["trend"]:
        trend.append((t["year"], t["region"], t["projects"], t["origin_share"], t["mki_median"], t["seb_rate"]))
    people = wb.create_sheet("gemeenten")
    people.append(
        (
            "municipality",
            "region",
            "year",
            "profile",
            *sorted({e for m in data["municipalities"] for e in m["elements"]}),
        )
    )
    elements = people[1][4:]
    for m in data["municipalities"]:
        people.append(
            (m["name"], m["region"], m["year"], m["profile"], *(m["elements"].get(c.value) for c in elements))
        )
    for sheet in wb.worksheets:
        sheet.freeze_panes = "A2"
    wb.properties.creator = wb.properties.lastModifiedBy = "cgc-rules"
    return reproducible_bytes(wb)


def print_table(data: dict[str, Any], console: Console, lang: str) -> None:
    w, n = labels(lang), notation(lang)

    def pct(v: float | None) -> str:
        return n.pct(v, 1, 1) if v is not None else w["none"]

    def eur(v: float | None) -> str:
        return n.eur(v, 2, 3) if v is not None else w["none"]

    if not data["rows"]:
        console.print(w["no_data"])
    for year, region in sorted({(r["year"], r["region"] or "") for r in data["rows"]}):
        rows = [r for r in data["rows"] if (r["year"], r["region"] or "") == (year, region)]
        table = Table(
            w["group"],
            w["projects"],
            w["origin"],
            w["mki"],
            w["within"],
            w["seb"],
            title=f"{year} — {region or w['unknown_region']}",
            title_justify="left",
        )
        for r in rows:
            label = r["municipality"] or r["project_type"] or w["all"]
            m = r["mki"]
            mki = f"{eur(m['median'])} ({eur(m['q1'])}–{eur(m['q3'])})" if m["projects"] else w["none"]
            table.add_row(
                terminal_text(label),  # names come from the submissions recorded: never markup
                str(r["projects"]),
                pct(r["origin"]["share"]),
                mki,
                pct(m["within_share"]),
                pct(r["seb"]["rate"]),
                style="bold" if label == w["all"] else None,
            )
        console.print(table)
        top = rows[0]
        rules = Table(
            w["rule"], w["level"], w["pass"], w["fail"], w["missing"], w["rate"], title=w["rules"], title_justify="left"
        )
        for r in top["rules"]:
            rules.add_row(
                r["rule"],
                w.get(r["level"], r["level"]),
                str(r["pass"]),
                str(r["fail"]),
                str(r["missing_data"]),
                pct(r["rate"]),
            )
        for r in top["measure_only"]:
            rules.add_row(
                r["rule"],
                w["measure"],
                str(r["reported"]),
                "",
                str(r["applicable"] - r["reported"]),
                f"{w['reported']}: {pct(r['share'])}",
            )
        console.print(rules)
    if data["trend"]:
        trend = Table(
            w["year"],
            w["region"],
            w["projects"],
            w["origin"],
            w["mki_median"],
            w["seb"],
            title=w["trend"],
            title_justify="left",
        )
        for t in data["trend"]:
            trend.add_row(
                str(t["year"]),
                terminal_text(t["region"] or w["unknown_region"]),
                str(t["projects"]),
                pct(t["origin_share"]),
                eur(t["mki_median"]),
                pct(t["seb_rate"]),
            )
        console.print(trend)
    goal = data["goal"]
    console.print(w["goal"].format(year=goal["year"], share=n.pct(goal["share"], 0)) + f" ({goal['source']})")
    console.print(definition(lang), style="dim")
