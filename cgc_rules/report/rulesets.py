"""The list of rulesets (`cgc rulesets list`) as a terminal table and as JSON: the format registry names these."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..jobs.rulesets import Listing


def list_json(listing: Listing) -> str:
    return (
        json.dumps(
            [
                {
                    "id": r.id,
                    "version": r.version,
                    "ref": r.ref,
                    "kind": r.kind.value,
                    "effective_from": r.effective_from.isoformat(),
                    "effective_until": r.effective_until.isoformat() if r.effective_until else None,
                    "rules": len(r.rules),
                    "title": r.title,
                }
                for r in listing.rulesets
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def print_list(listing: Listing, console: Console) -> None:
    """One row per version; ids and versions are never shortened, whatever the width: they are typed back.
    On a console too narrow for the table: one line per version, the title under it."""
    from rich.table import Column, Table

    rows = listing.rulesets
    widest = max((len(r.id) for r in rows), default=2)
    if console.width < widest + 60:
        for r in rows:
            console.print(
                f"{r.id}@{r.version}  {r.period()}  {r.kind.value}  {len(r.rules)} rules",
                soft_wrap=True,
                markup=False,
                highlight=False,
            )
            console.print(f"    {r.title}", markup=False, highlight=False)
        return
    table = Table(
        Column("id", no_wrap=True, min_width=widest),
        Column("version", no_wrap=True, min_width=7),
        Column("in force", overflow="fold"),
        Column("kind", overflow="fold"),
        Column("rules", no_wrap=True),
        Column("title", overflow="fold", ratio=1),
    )
    for r in rows:
        table.add_row(r.id, r.version, r.period(), r.kind.value, str(len(r.rules)), r.title)
    console.print(table)
