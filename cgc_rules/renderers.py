"""Output formats: one `Renderer` record per format a report supports, registered once for every command.

A renderer names its function as `module:attribute`, imported on first use, so choosing a format
costs nothing until it is written (WeasyPrint, python-docx and rich load only when needed).
Adding an output format is one entry in `REPORTS` plus its function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Renderer:
    """One output format of one report.

    `function` is `module:attribute`: `(report) -> str | bytes`, or text chunks for a report written a part at a
    time, or for a `console` renderer `(report, console) -> None` drawing on a rich console. `binary` renderers
    return bytes; `needs_file` ones cannot print to a terminal (`-o FILE` is required).
    """

    name: str
    media_type: str
    suffix: str
    function: str
    binary: bool = False
    needs_file: bool = False
    console: bool = False

    def load(self) -> Callable[..., Any]:
        module, _, attribute = self.function.partition(":")
        function: Callable[..., Any] = getattr(import_module(module), attribute)
        return function

    def render(self, report: Any) -> str | bytes:
        """The report in this format (text or bytes); a console renderer draws on a plain 120-column console."""
        rendered = self.stream(report)
        return rendered if isinstance(rendered, str | bytes) else "".join(rendered)

    def stream(self, report: Any) -> str | bytes | Iterable[str]:
        """The report as `render` gives it, or the text chunks of one written a part at a time."""
        if not self.console:
            rendered: str | bytes | Iterable[str] = self.load()(report)
            return rendered
        import io

        from rich.console import Console

        buf = io.StringIO()
        self.load()(report, Console(file=buf, width=120, color_system=None))
        return buf.getvalue()


def _table(function: str) -> Renderer:
    return Renderer("table", "text/plain", ".txt", function, console=True)


def _json(function: str) -> Renderer:
    return Renderer("json", "application/json", ".json", function)


def _html(function: str) -> Renderer:
    return Renderer("html", "text/html", ".html", function)


_DOCX = Renderer(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    "cgc_rules.documents.printable:docx",
    binary=True,
    needs_file=True,
)
_DOC_PDF = Renderer("pdf", "application/pdf", ".pdf", "cgc_rules.documents.printable:pdf", binary=True, needs_file=True)
_DOC_HTML = Renderer("html", "text/html", ".html", "cgc_rules.documents.printable:html", binary=True)

REPORTS: dict[str, tuple[Renderer, ...]] = {
    "evaluate": (
        _table("cgc_rules.report.render:print_table"),
        _json("cgc_rules.report.json_report:to_json"),
        Renderer("jsonl", "application/x-ndjson", ".jsonl", "cgc_rules.report.json_report:to_jsonl"),
        _html("cgc_rules.report.render:to_html"),
        Renderer("pdf", "application/pdf", ".pdf", "cgc_rules.report.render:to_pdf", binary=True, needs_file=True),
    ),
    "check": (
        _table("cgc_rules.report.render:print_table"),
        _json("cgc_rules.report.json_report:to_json"),
        Renderer("jsonl", "application/x-ndjson", ".jsonl", "cgc_rules.report.json_report:to_jsonl"),
    ),
    "assess": (
        _table("cgc_rules.report.assess:print_assessment"),
        _json("cgc_rules.report.json_report:to_json"),
        _html("cgc_rules.report.assess_html:to_html"),
    ),
    "corridor": (
        _table("cgc_rules.corridor.views:print_match"),
        _json("cgc_rules.corridor.views:match_json"),
        _html("cgc_rules.corridor.views:match_html"),
    ),
    "document": (_DOCX, _DOC_PDF, _DOC_HTML),
    "pack": (_DOCX, _DOC_PDF),
    "score": (
        _table("cgc_rules.scoring.report:print_table"),
        _json("cgc_rules.scoring.report:to_json"),
        Renderer(_DOCX.name, _DOCX.media_type, ".docx", "cgc_rules.scoring.advice:docx", binary=True, needs_file=True),
        Renderer("pdf", "application/pdf", ".pdf", "cgc_rules.scoring.advice:pdf", binary=True, needs_file=True),
        Renderer("html", "text/html", ".html", "cgc_rules.scoring.advice:html", binary=True),
    ),
    # `cgc monitor`: the figures as tables; its html and pdf are the yearly report's (the CLI builds that for them)
    "monitor": (
        _table("cgc_rules.monitor.views:print_table"),
        _json("cgc_rules.monitor.views:to_json"),
        Renderer("csv", "text/csv", ".csv", "cgc_rules.monitor.views:to_csv"),
        Renderer(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
            "cgc_rules.monitor.views:to_xlsx",
            binary=True,
            needs_file=True,
        ),
        _DOC_HTML,
        _DOC_PDF,
    ),
    "yearly-report": (_DOC_PDF, _DOCX, _DOC_HTML),
    "rulesets-list": (
        _table("cgc_rules.report.rulesets:print_list"),
        _json("cgc_rules.report.rulesets:list_json"),
    ),
    "rulesets-diff": (
        _table("cgc_rules.diff:print_table"),
        _json("cgc_rules.diff:to_json"),
    ),
    "verify": (
        _table("cgc_rules.scoring.delivery_report:print_table"),
        _json("cgc_rules.scoring.delivery_report:to_json"),
    ),
}


def formats(report: str) -> tuple[str, ...]:
    """The format names `report` supports, in the order the CLI offers them (the first is the default)."""
    return tuple(r.name for r in REPORTS[report])


def renderer(report: str, name: str) -> Renderer:
    """The renderer of format `name` for `report`."""
    for r in REPORTS[report]:
        if r.name == name:
            return r
    raise KeyError(f"{report} has no {name!r} format (use one of {', '.join(formats(report))})")
