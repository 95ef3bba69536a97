"""`cgc form`: the bid form (XLSX) a bidder fills in, for chosen rulesets or a profile and project type."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..submission import ProjectType
from . import main, options

if TYPE_CHECKING:
    from ..registry import Registry
    from ..ruleset import Ruleset


def _profile_rulesets(registry: Registry, profile_id: str, profiles_dir: Path | None, project_type: str | None,
                      day: date) -> tuple[str, list[Ruleset]]:
    """The municipality and the rulesets (only the rules it uses) a profile applies to a project type."""
    from ..profile import load_profile, profile_path

    profile = load_profile(profile_path(profile_id, profiles_dir)).profile
    out = []
    for applied in profile.rulesets:
        if project_type and applied.project_types and project_type not in {t.value for t in applied.project_types}:
            continue
        ruleset = registry.select(applied.id, day).loaded.ruleset
        if applied.rules:
            ruleset = ruleset.model_copy(update={"rules": [r for r in ruleset.rules if r.id in applied.rules]})
        out.append(ruleset)
    return profile.municipality, out


@main.command("form")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .xlsx file to write.")
@click.option("-r", "--ruleset", "refs", multiple=True, metavar="ID[@VERSION]",
              help="A ruleset the form explains; repeat for several. Without @VERSION: the version in force.")
@click.option("--profile", "profile_id", default=None, help="Profile id: its municipality and rulesets.")
@click.option("--type", "project_type", type=click.Choice([t.value for t in ProjectType]), default=None,
              help="Project type: filled in, and only the rules for this type are listed.")
@click.option("--as-of", type=options.DATE, default=None, help="Choose ruleset versions in force on this date "
              "(default: today).")
@click.option("--profiles-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory of municipality profiles (default: the bundled profiles).")
@options.lang
@options.rulesets_dir
def form_cmd(output: Path, refs: tuple[str, ...], profile_id: str | None, project_type: str | None,
             as_of: date | None, profiles_dir: Path | None, lang: str, rulesets_dir: Path | None) -> None:
    """Write the bid form: one sheet per part of a submission, drop-down lists, checks and instructions."""
    from ..intake.form import FormSpec, build_form  # openpyxl: loaded only when a form is made
    from ..output import write_atomic

    registry = options.registry(rulesets_dir)
    day = as_of or date.today()
    municipality = None
    rulesets: list[Ruleset] = []
    if profile_id:
        municipality, rulesets = _profile_rulesets(registry, profile_id, profiles_dir, project_type, day)
    rulesets += [registry.select(ref, day).loaded.ruleset for ref in refs]
    spec = FormSpec(tuple(rulesets), project_type, municipality)
    write_atomic(output, build_form(spec, lang=lang))
    click.echo(f"written {output}")
