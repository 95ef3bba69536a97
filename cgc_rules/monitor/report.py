"""The yearly evaluation as a document of the project's document model (DOCX, HTML, PDF renderers).

One document per region; with a municipality named, that municipality sees itself by name and the
others only by GMR profile and a letter.
"""

from __future__ import annotations

import hashlib
import re
from statistics import mean
from typing import Any

from ..documents.model import Block, Document, Figure, Meta, Paragraph, Section, Table, Text
from ..errors import CgcError
from ..numbers import notation
from . import charts
from .texts import ELEMENTS, GROWTH, GROWTH_NAMES, PROJECT_TYPES, REPORT, REPORT_METHOD, definition

NL = notation("nl")
T = REPORT


def _p(text: str, strong: bool = False) -> Paragraph:
    return Paragraph([Text(text, strong)])


def _pct(v: float | None) -> str:
    return NL.pct(v, 1, 1) if v is not None else "—"


def _eur(v: float | None) -> str:
    return NL.eur(v, 2, 3) if v is not None else "—"


def _t(v: float) -> str:
    return f"{NL.num(v, 0)}\u00a0t"


def _table(caption: str, header: list[str], rows: list[list[str]], widths: tuple[int, ...] = ()) -> Table:
    return Table(caption, [_p(h) for h in header], [[_p(c) for c in row] for row in rows], widths)


def _profile(name: str | None) -> str:
    return name.replace("profiel-", "profiel ") if name else "profiel onbekend"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _row(
    data: dict[str, Any], year: int, region: str | None, municipality: str | None = None, kind: str | None = None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = data["rows"]
    for r in rows:
        if (r["year"], r["region"], r["municipality"], r["project_type"]) == (year, region, municipality, kind):
            return r
    return {}


def choose_region(data: dict[str, Any], region: str | None) -> str | None:
    """The one region to report on: the one asked for, or the only one in the store."""
    regions = sorted({t["region"] or "" for t in data["trend"]} | {m["region"] or "" for m in data["municipalities"]})
    if region is not None:
        if region not in regions:
            raise CgcError(
                f"--region {region!r}: not in the store (regions: {', '.join(r or '(none)' for r in regions)})"
            )
        return region
    if len(regions) == 1:
        return regions[0] or None
    if not regions:
        raise CgcError("the store holds no evaluations or self-assessments to report on")
    raise CgcError(
        f"the store holds several regions ({', '.join(r or '(none)' for r in regions)}): choose one with --region"
    )


def _summary(data: dict[str, Any], year: int, region: str | None) -> Section:
    row = _row(data, year, region)
    if not row:
        return Section("1", T["s_summary"].format(year=year), [_p(f"Geen gemeten projecten in {year}.")])
    o, m, s = row["origin"], row["mki"], row["seb"]
    text = T["summary"].format(
        year=year,
        projects=row["projects"],
        share=_pct(o["share"]),
        good=_t(o["responsible_t"]),
        total=_t(o["total_t"]),
        goal=NL.pct(data["goal"]["share"], 0),
        goal_year=data["goal"]["year"],
        mki=_eur(m["median"]),
        within=_pct(m["within_share"]),
        seb=_pct(s["rate"]),
    )
    return Section("1", T["s_summary"].format(year=year), [_p(T["intro"]), _p(text)])


def _origin(data: dict[str, Any], year: int, region: str | None) -> Section:
    trend = [t for t in data["trend"] if t["region"] == region and t["year"] <= year]
    goal = data["goal"]
    rows = []
    for t in trend:
        o = _row(data, t["year"], region).get("origin") or {}
        rows.append(
            [
                str(t["year"]),
                str(o.get("projects", 0)),
                _t(o.get("responsible_t", 0)),
                _t(o.get("total_t", 0)),
                _pct(o.get("share")),
            ]
        )
    chart = charts.origin_trend(trend, goal["share"], goal["year"])
    return Section(
        "2",
        T["s_origin"],
        [
            _p(definition("nl")),
            Figure(T["origin_fig"].format(goal_year=goal["year"]), chart.svg, chart.png),
            _table(T["origin_table"], [T["h_year"], "GWW-projecten", "Verantwoord", T["h_mass"], T["h_share"]], rows),
        ],
    )


def _mki(data: dict[str, Any], year: int, region: str | None) -> Section:
    values = data["mki_values"].where(year, region)
    rows = []
    for kind in values.by_type():
        m = _row(data, year, region, kind=kind).get("mki") or {}
        rows.append(
            [
                PROJECT_TYPES.get(kind, kind),
                str(m.get("projects", 0)),
                _eur(m.get("q1")),
                _eur(m.get("median")),
                _eur(m.get("q3")),
                " / ".join(_eur(x) for x in m.get("levels", [])) or "—",
                _pct(m.get("within_share")),
            ]
        )
    blocks: list[Block] = []
    if values:
        chart = charts.mki_distribution(values)
        blocks.append(Figure(T["mki_fig"].format(year=year), chart.svg, chart.png))
    blocks.append(
        _table(
            T["mki_table"].format(year=year),
            [T["h_type"], T["h_projects"], T["h_q1"], T["h_median"], T["h_q3"], T["h_level"], T["h_within"]],
            rows,
        )
    )
    return Section("3", T["s_mki"], blocks)


def _rules(data: dict[str, Any], year: int, region: str | None) -> Section:
    row = _row(data, year, region)
    judged, measured = row.get("rules", []), row.get("measure_only", [])
    blocks: list[Block] = []
    if judged:
        chart = charts.rule_rates(judged)
        blocks.append(Figure(T["rules_fig"].format(year=year), chart.svg, chart.png, width_cm=14))
    blocks.append(
        _table(
            T["rules_table"].format(year=year),
            [T["h_rule"], T["h_pass"], T["h_fail"], T["h_missing"], T["h_rate"]],
            [[r["rule"], str(r["pass"]), str(r["fail"]), str(r["missing_data"]), _pct(r["rate"])] for r in judged],
            (3, 1, 1, 1, 1),
        )
    )
    blocks.append(
        _table(
            T["measure_table"].format(year=year),
            [T["h_rule"], T["h_projects"], T["h_reported"], "Aandeel"],
            [[r["rule"], str(r["applicable"]), str(r["reported"]), _pct(r["share"])] for r in measured],
            (3, 1, 1, 1),
        )
    )
    return Section("4", T["s_rules"], blocks)


def _seb(data: dict[str, Any], year: int, region: str | None) -> Section:
    s = _row(data, year, region).get("seb") or {"pass": 0, "projects": 0, "rate": None}
    rows = [
        [str(t["year"]), str((_row(data, t["year"], region).get("seb") or {}).get("projects", 0)), _pct(t["seb_rate"])]
        for t in data["trend"]
        if t["region"] == region and t["year"] <= year
    ]
    return Section(
        "5",
        T["s_seb"],
        [
            _p(T["seb_text"].format(year=year, passed=s["pass"], of=s["projects"], rate=_pct(s["rate"]))),
            _table(T["seb_table"], [T["h_year"], T["h_projects"], T["h_seb"]], rows),
        ],
    )


def _municipality(data: dict[str, Any], name: str, year: int) -> list[Block]:
    history = [m for m in data["municipalities"] if m["name"] == name and m["year"] <= year]
    now = next((m for m in history if m["year"] == year), None)
    blocks: list[Block] = [_p(name, strong=True)]
    if now is None:
        return blocks + [_p(T["no_assessment"].format(name=name, year=year))]
    text = T["profile_text"].format(name=name, year=year, profile=_profile(now["profile"]))
    nxt = (
        T["profile_next"].format(level=_profile(now["profile_next"]), steps="; ".join(now["profile_steps"]))
        if now["profile_next"]
        else T["profile_top"]
    )
    blocks.append(_p(f"{text} {nxt}"))
    rows = [
        [
            ELEMENTS.get(e, e),
            GROWTH_NAMES.get(level or "", "—"),
            GROWTH_NAMES.get(now["element_next"].get(e) or "", T["top"]),
        ]
        for e, level in now["elements"].items()
    ]
    blocks.append(
        _table(
            T["growth_table"].format(name=name, year=year),
            [T["h_element"], T["h_growth"], T["h_next"]],
            rows,
            (2, 1, 1),
        )
    )
    radar = charts.spinnenweb({m["year"]: m["spinnenweb"] for m in history})
    blocks.append(Figure(T["radar_fig"].format(name=name), radar.svg, radar.png, width_cm=9))
    grow = charts.growth({m["year"]: m["elements"] for m in history})
    blocks.append(Figure(T["growth_fig"].format(name=name), grow.svg, grow.png))
    return blocks


def _average_level(m: dict[str, Any]) -> str:
    levels = [GROWTH.index(v) + 1 for v in m["elements"].values() if v in GROWTH]
    return NL.num(mean(levels), 1, fixed=True) if levels else "—"


def _comparison(data: dict[str, Any], year: int, region: str | None, me: str | None) -> Section:
    names = sorted(
        {m["name"] for m in data["municipalities"] if m["region"] == region and m["year"] == year}
        | {r["municipality"] for r in data["rows"] if r["year"] == year and r["region"] == region and r["municipality"]}
    )
    others = sorted((n for n in names if n != me), key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    letters = {n: chr(ord("A") + i) for i, n in enumerate(others)}
    rows = []
    for name in ([me] if me in names else []) + others:
        m = next((x for x in data["municipalities"] if x["name"] == name and x["year"] == year), None)
        row = _row(data, year, region, municipality=name)
        profile = _profile(m["profile"]) if m else "profiel onbekend"
        shown = name if name == me else T["anonymous"].format(letter=letters[name], profile=profile)
        rows.append(
            [
                shown,
                profile,
                str(row.get("projects", 0)),
                _pct((row.get("origin") or {}).get("share")),
                _eur((row.get("mki") or {}).get("median")),
                _pct((row.get("seb") or {}).get("rate")),
                _average_level(m) if m else "—",
            ]
        )
    return Section(
        "7",
        T["s_comparison"],
        [
            _p(T["comparison_text"]),
            _table(
                T["comparison_table"].format(year=year),
                [
                    T["h_municipality"],
                    T["h_profile"],
                    T["h_projects"],
                    T["h_share"],
                    "MKI (mediaan)",
                    T["h_seb"],
                    T["h_growth_avg"],
                ],
                rows,
                (3, 1, 1, 1, 1, 1, 1),
            ),
        ],
    )


def _method(data: dict[str, Any]) -> Section:
    s, goal = data["store"], data["goal"]
    texts = [
        line.format(
            records=s["records"],
            evaluations=s["evaluations"],
            assessments=s["assessments"],
            goal=NL.pct(goal["share"], 0),
            goal_year=goal["year"],
            source=goal["source"],
        )
        for line in REPORT_METHOD
    ]
    texts.append(T["rulesets"].format(rulesets=", ".join(s["rulesets"]) or "—"))
    return Section("A", T["s_method"], [_p(t) for t in texts], annex=True)


def build_report(
    data: dict[str, Any],
    year: int,
    region: str | None,
    municipality: str | None,
    house_style: str,
    house_style_name: str,
) -> Document:
    """The yearly evaluation of `region` for `year`; `municipality` names the reader (others anonymised)."""
    known = {m["name"] for m in data["municipalities"]} | {r["municipality"] for r in data["rows"] if r["municipality"]}
    if municipality is not None and municipality not in known:
        raise CgcError(f"--municipality {municipality!r}: not in the store for this region and year")
    region_name = region or "(regio onbekend)"
    names = sorted({m["name"] for m in data["municipalities"] if m["region"] == region and m["year"] <= year})
    shown = [municipality] if municipality else names
    people = [b for name in shown for b in _municipality(data, name, year)]
    subtitle = (
        T["subtitle_for"].format(region=region_name, municipality=municipality)
        if municipality
        else T["subtitle"].format(region=region_name)
    )
    doc_id = "-".join(filter(None, ["jaarevaluatie", str(year), _slug(region_name), _slug(municipality or "")]))
    meta = Meta(
        doc_id=doc_id,
        title=T["title"].format(year=year),
        subtitle=subtitle,
        municipality=region_name,
        profile_id=house_style,
        profile_name=house_style_name,
        project_type="gww",
        rulesets=tuple(data["store"]["rulesets"]),
        date=f"{year}-12-31",
        example_profile=False,
    )
    sections = [
        _summary(data, year, region),
        _origin(data, year, region),
        _mki(data, year, region),
        _rules(data, year, region),
        _seb(data, year, region),
        Section("6", T["s_municipalities"], people or [_p("Geen zelfevaluaties vastgelegd.")]),
        _comparison(data, year, region, municipality),
        _method(data),
    ]
    return Document(meta=meta, front=[], sections=sections, fills=[], examples=[])
