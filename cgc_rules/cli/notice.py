"""`cgc notice`: the eForms contract and award notices, checked by the EU's own schema and rules."""

from __future__ import annotations

from pathlib import Path

import click

from ..jobs.notice import Kind, Notice, check_file, check_notice, failure_lines, from_files, readable
from ..output import write_atomic
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
    notice = from_files(
        "contract", tender, fill, lang=lang, sdk=sdk, registry=options.registry(rulesets_dir), profiles=profiles_dir
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
    notice = from_files(
        "award",
        tender,
        fill,
        lang=lang,
        bids=list(bids),
        sdk=sdk,
        registry=options.registry(rulesets_dir),
        profiles=profiles_dir,
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
    _report(failure_lines(failures, None))
    raise SystemExit(1 if any(f.is_error for f in failures) else 0)


def _report(lines: list[tuple[bool, str]]) -> None:
    for is_error, line in lines:
        click.secho(line, fg="red" if is_error else "yellow", err=True)


def _finish(notice: Notice, kind: Kind, output_dir: Path, pdf: bool, draft: bool) -> None:
    from ..i18n import text

    if notice.xml is None:
        click.echo(text(notice.lang, f"notice.not_required.{notice.procedure}"))
        return
    if not draft:
        check_notice(notice)
    output_dir.mkdir(parents=True, exist_ok=True)
    stem = output_dir / STEMS[kind]
    for suffix, data in readable(notice, pdf).items():
        write_atomic(stem.with_suffix(suffix), data)
        click.echo(str(stem.with_suffix(suffix)), err=True)
    _report(failure_lines(notice.failures, notice.subtype))
    raise SystemExit(1 if notice.errors else 0)
