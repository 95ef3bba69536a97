"""`cgc notice`: the eForms contract and award notices, checked by the EU's own schema and rules."""

from __future__ import annotations

from pathlib import Path

import click

from ..jobs.notice import Kind, Notice, build_notice, check_file, check_notice
from ..notice.feeds import feeds
from ..notice.fillins import load_fillins
from ..notice.validate import Failure
from ..output import write_atomic
from ..tender import load_tender
from . import main, options

STEMS = {"contract": "aankondiging-opdracht", "award": "aankondiging-gunning"}

sdk_option = click.option(
    "--sdk",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The unpacked eForms SDK (default: $CGC_EFORMS_SDK, else shared/eforms-sdk beside the checkout).",
)
fill_option = click.option(
    "--fill",
    "fill",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML file with what only the officer knows (identifiers, addresses, CPV, dates); see docs/notices.md.",
)
out_option = click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory for the notice's XML, HTML (and PDF).",
)
pdf_option = click.option("--pdf", is_flag=True, help="Also write the readable notice as PDF.")
draft_option = click.option(
    "--draft", is_flag=True, help="Write the notice with its open fill-ins marked, without the EU check."
)


@main.group("notice")
def notice_group() -> None:
    """eForms notices (TED/TenderNed) from the tender definition: contract notice, award notice, check."""


@notice_group.command("contract")
@click.argument("tender", type=click.Path(dir_okay=False, path_type=Path))
@fill_option
@sdk_option
@out_option
@pdf_option
@draft_option
@options.lang_option("Language of the notice.")
@options.rulesets_dir
@options.profiles_dir
def contract_cmd(
    tender: Path,
    fill: Path | None,
    sdk: Path | None,
    output_dir: Path,
    pdf: bool,
    draft: bool,
    lang: str,
    rulesets_dir: Path | None,
    profiles_dir: Path | None,
) -> None:
    """Build the contract notice (subtype 16) of TENDER (tender.yaml) and check it.

    Exit code 0: valid (or no European notice needed); 1: the EU's rules find errors; 2: bad input
    or an empty fill-in.
    """
    notice = build_notice(
        "contract",
        load_tender(tender),
        load_fillins(fill),
        lang=lang,
        sdk=sdk,
        registry=options.registry(rulesets_dir),
        profiles=profiles_dir,
        fill_file=str(fill) if fill else None,
    )
    _finish(notice, "contract", output_dir, pdf, draft)


@notice_group.command("award")
@click.argument("tender", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("bids", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@fill_option
@sdk_option
@out_option
@pdf_option
@draft_option
@options.lang_option("Language of the notice.")
@options.rulesets_dir
@options.profiles_dir
def award_cmd(
    tender: Path,
    bids: tuple[Path, ...],
    fill: Path | None,
    sdk: Path | None,
    output_dir: Path,
    pdf: bool,
    draft: bool,
    lang: str,
    rulesets_dir: Path | None,
    profiles_dir: Path | None,
) -> None:
    """Score BIDS as `cgc score` does and build the contract award notice (subtype 29) of TENDER."""
    notice = build_notice(
        "award",
        load_tender(tender),
        load_fillins(fill),
        lang=lang,
        bids=list(bids),
        sdk=sdk,
        registry=options.registry(rulesets_dir),
        profiles=profiles_dir,
        fill_file=str(fill) if fill else None,
    )
    _finish(notice, "award", output_dir, pdf, draft)


@notice_group.command("check")
@click.argument("notice", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@sdk_option
def check_cmd(notice: Path, sdk: Path | None) -> None:
    """Check a NOTICE (eForms XML) against the SDK's XML schema and its static schematron.

    Exit code 0: valid; 1: errors (each rule id, business term and place); 2: not an eForms notice.
    """
    failures = check_file(notice, sdk)
    _report(failures, None)
    raise SystemExit(1 if any(f.is_error for f in failures) else 0)


def _report(failures: list[Failure], subtype: str | None) -> None:
    for failure in failures:
        colour = "red" if failure.is_error else "yellow"
        source = feeds(failure.term, subtype) if subtype else ""
        fed = f" ← {source}" if source else ""
        click.secho(
            f"{failure.role.lower()}: {failure.rule} {failure.field}{fed} at {failure.location}", fg=colour, err=True
        )


def _finish(notice: Notice, kind: Kind, output_dir: Path, pdf: bool, draft: bool) -> None:
    from ..i18n import text
    from ..notice.render import to_html, to_pdf

    if notice.xml is None:
        click.echo(text(notice.lang, f"notice.not_required.{notice.procedure}"))
        return
    if not draft:
        check_notice(notice)
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = output_dir / STEMS[kind]
    html = to_html(notice)
    write_atomic(stem.with_suffix(".xml"), notice.xml)
    write_atomic(stem.with_suffix(".html"), html.encode("utf-8"))
    written = [stem.with_suffix(".xml"), stem.with_suffix(".html")]
    if pdf:
        write_atomic(stem.with_suffix(".pdf"), to_pdf(html))
        written.append(stem.with_suffix(".pdf"))
    for path in written:
        click.echo(str(path), err=True)
    for failure in notice.failures:
        colour = "red" if failure.is_error else "yellow"
        source = feeds(failure.term, notice.subtype)
        fed = f" ← {source}" if source else ""
        click.secho(
            f"{failure.role.lower()}: {failure.rule} {failure.field}{fed} at {failure.location}", fg=colour, err=True
        )
    raise SystemExit(1 if notice.errors else 0)
