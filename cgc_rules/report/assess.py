"""Terminal rendering of a municipality assessment: outcomes, the level reached and the next step."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from .. import i18n
from ..explain import status_word
from ..terminal import terminal_view
from .build import Report
from .render import LEVEL_STYLE, TEXT_FIELDS, outcome_table

WORD_NAMES = (
    "municipality",
    "input",
    "assessed",
    "level",
    "next",
    "top",
    "element",
    "none",
    "not_assessed",
    "assess_first",
    "complete",
    "incomplete",
)


def words(lang: str) -> dict[str, str]:
    """The assessment report's headings and fixed words in `lang`, by name (as the template uses them)."""
    return {name: i18n.text(lang, f"report.assess.{name}") for name in WORD_NAMES}


def _next(step: dict[str, Any] | None, w: dict[str, str]) -> str:
    if step is None:
        return w["top"]
    lines = [f"{step['level']}:"] + [f"• {s['title']} — {s['text']}" for s in step["steps"]]
    return "\n".join(lines)


def _whole(rs: dict[str, Any], console: Console, w: dict[str, str]) -> None:
    console.print(f"[bold]{w['level']}:[/bold] {rs['highest_level'] or w['none']}")
    for lvl in rs["levels"]:
        console.print(f"  {lvl['text']}", style=LEVEL_STYLE[lvl["status"]])
    console.print(f"[bold]{w['next']}:[/bold] {_next(rs['next_level'], w)}")


def _per_item(rs: dict[str, Any], console: Console, w: dict[str, str]) -> None:
    table = Table(w["element"], w["level"], w["next"], show_lines=True, expand=True)
    for item in rs["levels_by_subject"]:
        if not item["assessed"]:
            table.add_row(item["subject"], w["not_assessed"], w["assess_first"])
            continue
        open_ = [x["text"] for x in item["levels"] if x["status"] == "undetermined"]
        level = item["highest_level"] or w["none"]
        table.add_row(item["subject"], "\n".join([level, *open_]), _next(item["next_level"], w))
    console.print(table)


def print_assessment(report: Report, console: Console) -> None:
    d = terminal_view(report.data, TEXT_FIELDS)
    lang = d["lang"]
    w = words(lang)
    m = d["municipality"]
    region = f" ({m['region']})" if m["region"] else ""
    day = f", {w['assessed']} {m['assessed_on']}" if m["assessed_on"] else ""
    console.print(f"[bold]{w['municipality']}:[/bold] {m['name']}{region}{day}")
    console.print(f"[bold]{w['input']}:[/bold] {d['input']}  sha256 {d['input_sha256'][:12]}…")
    for rs in d["rulesets"]:
        ref = f"{rs['id']}@{rs['version']}"
        console.print()
        console.print(f"[bold]{rs['title']}[/bold]  ({ref})")
        console.print(f"[dim]{rs['selection_reason']}[/dim]")
        mine = [o for o in d["outcomes"] if o["ruleset"] == ref]
        if "levels_by_subject" in rs:  # the element table says it all; show only what needs a word
            mine = [o for o in mine if not o["tags"] or o["status"] not in ("pass", "fail") or o["warning"]]
        console.print(outcome_table(mine, lang, "municipality"))
        if "levels" in rs:
            _whole(rs, console, w)
        elif "levels_by_subject" in rs:
            _per_item(rs, console, w)
    s = d["summary"]
    counts = ", ".join(f"{n} {status_word(k, lang)}" for k, n in s["counts"].items() if n)
    verdict = w["complete"] if s["compliant"] else w["incomplete"]
    console.print(f"\n[{'green' if s['compliant'] else 'bold red'}]{verdict}[/] ({counts})")
