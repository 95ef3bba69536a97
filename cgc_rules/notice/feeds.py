"""Which of the product's own fields feeds a business term: shown beside each failed EU rule."""

from __future__ import annotations

from .fillins import REQUIRED

_TENDER: dict[str, str] = {
    "BT-21": "tender.yaml: title",
    "BT-22": "tender.yaml: id",
    "BT-06": "tender.yaml: knockouts, criteria",
    "BT-774": "tender.yaml: criteria (method)",
    "BT-777": "tender.yaml: knockouts, criteria",
    "BT-805": "tender.yaml: rulesets",
    "BT-539": "tender.yaml: method, criteria",
    "BT-540": "tender.yaml: criteria (params), fixed",
    "BT-541": "tender.yaml: price.params.weight, criteria (params.weight)",
    "BT-543": "tender.yaml: method, tie_break",
    "BT-734": "tender.yaml: criteria (rule)",
    "BT-70": "tender.yaml: sanction_factor",
    "BT-720": "bids: price of the winner",
    "BT-710": "bids: lowest price",
    "BT-711": "bids: highest price",
}


def feeds(term: str, subtype: str | None) -> str:
    """The fill-in(s) or tender field behind business term `term` (`BT-262`), or '' when the notice fixes it."""
    if subtype in REQUIRED:
        names = [name for name, bt in REQUIRED[subtype].items() if bt == term]
        if names:
            return ", ".join(f"fill-in {name}" for name in names)
    return _TENDER.get(term, "")
