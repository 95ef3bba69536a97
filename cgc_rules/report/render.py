"""Renderers for an evaluation report: terminal table, JSON, HTML and PDF."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import i18n
from ..evaluator import FAIL, STATUSES
from ..explain import status_word, theme_name
from ..terminal import terminal_view
from .build import Report
from .items import ItemGroup, by_item

STYLE = {
    "pass": "green",
    "fail": "bold red",
    "missing_data": "yellow",
    "not_applicable": "dim",
    "reported": "cyan",
}

LEVEL_STYLE = {"reached": "green", "not_reached": "red", "undetermined": "yellow", "not_applicable": "dim"}

LABEL_NAMES = (
    "rule",
    "subject",
    "status",
    "value",
    "threshold",
    "explanation",
    "compliant",
    "not_compliant",
    "gap",
    "level",
    "source",
    "project",
    "input",
    "highest",
    "none",
    "summarised",
)


def labels(lang: str) -> dict[str, str]:
    """The report's headings and fixed words in `lang`, by name (as the templates use them)."""
    return {name: i18n.text(lang, f"report.label.{name}") for name in LABEL_NAMES}


def level_word(level: str, lang: str) -> str:
    """A rule's level (requirement, ambition, measure) as a word."""
    return i18n.text(lang, f"report.level.{level}")


def kind_word(kind: str, lang: str) -> str:
    """An item kind as a word (machine, voertuig, …); a kind without one in the catalogue as its id."""
    key = f"report.kind.{kind}"
    return i18n.text(lang, key) if i18n.has(lang, key) else kind


def item_heading(group: ItemGroup, lang: str) -> str:
    return i18n.text(lang, "report.item.heading", name=group.name, kind=kind_word(group.kind, lang))


def folded_line(group: ItemGroup, lang: str) -> str | None:
    """The rules that do not apply to an item, in one line; None when every rule applies."""
    if not group.folded:
        return None
    return i18n.text(
        lang, "report.item.folded", name=group.name, rules=", ".join(group.folded), count=len(group.folded)
    )


def _runs(report: Report) -> list[dict[str, Any]]:
    return [report.data["ruleset"]] if "ruleset" in report.data else report.data["rulesets"]


def outcome_table(outcomes: list[dict[str, Any]], lang: str, top_kind: str) -> Table:
    """One row per outcome record: rule (and item), status, value, threshold, explanation, warning and gap."""
    lab = labels(lang)
    table = Table(show_lines=True, expand=True)
    widest = max((len(o["rule_id"]) for o in outcomes), default=0)
    table.add_column(lab["rule"], no_wrap=True, min_width=widest)  # a rule id is never shortened: it is typed back
    table.add_column(lab["status"], no_wrap=True)
    table.add_column(lab["value"], justify="right", max_width=18)
    table.add_column(lab["threshold"], justify="right", max_width=18)
    table.add_column(lab["explanation"], ratio=1, min_width=40)
    for o in outcomes:
        text = Text(o["explanation"])
        if o.get("warning"):
            text.append(f"\n⚠ {o['warning']}", style="yellow")
        if o["gap"]:
            text.append(f"\n→ {lab['gap']}: {o['gap']}", style="bold")
        subject = f"\n{o['subject']}" if o["subject_kind"] != top_kind else ""
        table.add_row(
            f"{o['rule_id']}{subject}\n[dim]{level_word(o['level'], lang)}[/dim]",
            Text(status_word(o["status"], lang), style=STYLE[o["status"]]),
            o["value_text"] or "—",
            o["threshold_text"] or "—",
            text,
        )
    return table


TEXT_FIELDS = frozenset({"explanation", "warning", "gap"})  # drawn as rich Text, never parsed as markup


def print_table(report: Report, console: Console) -> None:
    d = terminal_view(report.data, TEXT_FIELDS)
    lang = d["lang"]
    lab = labels(lang)
    if "project" in d:
        p = d["project"]
        console.print(f"[bold]{lab['project']}:[/bold] {p['name']} ({p['id']}, {p['municipality']}, {p['type']})")
    else:
        console.print(f"[bold]{lab['subject']}:[/bold] {d['subject']['kind']}")
    read_as = f"  ({d['input_read_as']})" if d.get("input_read_as") else ""
    console.print(f"[bold]{lab['input']}:[/bold] {d['input']}  sha256 {d['input_sha256'][:12]}…{read_as}")
    for rs in [d["ruleset"]] if "ruleset" in d else d["rulesets"]:  # the escaped copy, like everything printed
        ref = f"{rs['id']}@{rs['version']}"
        console.print()
        console.print(f"[bold]{rs['title']}[/bold]  ({ref})")
        console.print(f"[dim]{rs['selection_reason']}[/dim]")
        own, items = by_item([o for o in d["outcomes"] if o["ruleset"] == ref])
        if own:
            console.print(outcome_table(own, lang, "project"))
        for group in items:
            console.print(f"[bold]{item_heading(group, lang)}[/bold]")
            if group.outcomes:
                console.print(outcome_table(group.outcomes, lang, group.kind))
            if line := folded_line(group, lang):
                console.print(line, style="dim", markup=False, highlight=False)
        if "levels" in rs:
            best = rs["highest_level"]
            console.print(f"[bold]{lab['highest']}:[/bold] {best or lab['none']}")
            for lvl in rs["levels"]:
                console.print(f"  {lvl['text']}", style=LEVEL_STYLE[lvl["status"]])
    s = d["summary"]
    counts = ", ".join(f"{n} {status_word(k, lang)}" for k, n in s["counts"].items() if n)
    verdict = lab["compliant"] if s["compliant"] else lab["not_compliant"]
    console.print(f"\n[{'green' if s['compliant'] else 'bold red'}]{verdict}[/] ({counts})")


ENVIRONMENT = Environment(  # the report templates: autoescaped, undefined names are errors
    loader=PackageLoader("cgc_rules.report", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _bar(o: dict[str, Any]) -> dict[str, Any] | None:
    """Widths for a small value-against-threshold bar, or None for non-numeric outcomes."""
    v, t = o["value"], o["threshold"]
    if isinstance(v, bool) or isinstance(t, bool) or not isinstance(v, (int, float)):
        return None
    if not isinstance(t, (int, float)):
        return None
    top = max(v, t) * 1.25 or 1.0
    return {"value": round(v / top * 100, 2), "threshold": round(t / top * 100, 2)}


PDF_ITEMS_IN_FULL = 20  # a PDF lays out at most this many items in full (WeasyPrint takes ~0.2 s an item)


def _counts(outcomes: list[dict[str, Any]], lang: str) -> str:
    found = Counter(o["status"] for o in outcomes)
    return ", ".join(f"{found[k]} {status_word(k, lang)}" for k in STATUSES if found[k])


def _in_full(groups: list[ItemGroup], limit: int | None) -> tuple[list[ItemGroup], list[ItemGroup]]:
    """(the items shown in full: those with a failing outcome first, up to `limit`, in their order; the rest)."""
    if limit is None or len(groups) <= limit:
        return groups, []
    ranked = sorted(range(len(groups)), key=lambda i: (all(o["status"] != FAIL for o in groups[i].outcomes), i))
    chosen = set(ranked[:limit])
    return [g for i, g in enumerate(groups) if i in chosen], [g for i, g in enumerate(groups) if i not in chosen]


def _summarised(rest: list[ItemGroup], lang: str) -> list[dict[str, str]]:
    """The items not shown in full, grouped by kind and outcome counts: a line each with the items' names."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for g in rest:
        grouped.setdefault((g.kind, _counts(g.outcomes, lang)), []).append(g.name)
    out = []
    for (kind, counts), names in grouped.items():
        word = kind_word(kind, lang)
        line = i18n.text(lang, "report.items.group", count=len(names), kind=word, counts=counts or "—")
        out.append({"line": line, "names": ", ".join(names)})
    return out


def to_html(report: Report, items_in_full: int | None = None) -> str:
    """The report as a page; with `items_in_full`, only that many items in full, the others summarised."""
    d = report.data
    lang = d["lang"]
    outcomes = [
        dict(o, bar=_bar(o), status_word=status_word(o["status"], lang), level_word=level_word(o["level"], lang))
        for o in d["outcomes"]
    ]
    own, groups = by_item(outcomes)
    by_theme = [
        (theme_name(theme, lang), list(items))
        for theme, items in groupby(sorted(own, key=lambda o: o["theme"]), key=lambda o: o["theme"])
    ]
    full, rest = _in_full(groups, items_in_full)
    items = [(item_heading(g, lang), g.outcomes, folded_line(g, lang)) for g in full]
    summary = (
        i18n.text(lang, "report.items.summarised", count=len(groups), shown=len(full), rest=len(rest)) if rest else None
    )
    return ENVIRONMENT.get_template("report.html.j2").render(
        d=d,
        lab=labels(lang),
        rulesets=_runs(report),
        themes=by_theme,
        items=items,
        summary=summary,
        summarised=_summarised(rest, lang),
        counts=[(status_word(k, lang), k, n) for k, n in d["summary"]["counts"].items()],
    )


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # imported here: costly start-up, only for PDF output

    from ..inline_fetcher import inline_only

    html = to_html(report, items_in_full=PDF_ITEMS_IN_FULL)
    pdf: bytes = HTML(string=html, url_fetcher=inline_only()).write_pdf(pdf_variant="pdf/a-3b", uncompressed_pdf=False)
    return pdf
