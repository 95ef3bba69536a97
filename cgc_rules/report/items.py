"""Outcomes per item: a list item's (machine, vehicle, demolition line) outcomes together, the rules that do
not apply to it folded into one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..evaluator import NOT_APPLICABLE


@dataclass
class ItemGroup:
    """One item of a submission's list and what the rules found for it."""

    kind: str
    name: str
    outcomes: list[dict[str, Any]] = field(default_factory=list)  # the rules that apply (or may apply) to it
    folded: list[str] = field(default_factory=list)  # ids of the rules that do not apply to it


def by_item(outcomes: list[dict[str, Any]], top_kind: str = "project") -> tuple[list[dict[str, Any]], list[ItemGroup]]:
    """(outcomes of the subject itself, one group per item in order of first appearance)."""
    own: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], ItemGroup] = {}
    for o in outcomes:
        if o["subject_kind"] == top_kind:
            own.append(o)
            continue
        group = groups.setdefault((o["subject_kind"], o["subject"]), ItemGroup(o["subject_kind"], o["subject"]))
        if o["status"] == NOT_APPLICABLE:
            group.folded.append(o["rule_id"])
        else:
            group.outcomes.append(o)
    return own, list(groups.values())
