"""What monitoring reads of a record, kept beside it in the `summary` column when it is added.

`cgc monitor` reads these few hundred bytes instead of parsing every full payload with its texts. Written at
record time (and on import); migration 0003 fills them for records kept before. A change to this shape needs
a migration that fills the column again.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

ORIGIN = "responsible_origin_share"
"""The one indicator whose derivation terms monitoring needs (responsible and total tonnes)."""
MKI, SEB = "mki_eur_per_m2_year", "seb_compliance_declared"
PRECEDENCE = ("fail", "missing_data", "pass", "reported", "not_applicable")
"""Several statuses of one rule or project combined: the first of these that occurs (anything else counts as the
last)."""
FIGURES = ("origin_good", "origin_total", "mki", "mki_level", "seb", "rules")
"""The columns monitoring reads instead of the summary (migration 0005 fills them for older records)."""


def _evaluation(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcomes": [
            [
                o["rule_id"],
                o["status"],
                o["level"],
                o["indicator"],
                o["value"],
                o["threshold"],
                o["terms"] if o["indicator"] == ORIGIN else {},
            ]
            for o in payload["outcomes"]
        ]
    }


def _assessment(payload: dict[str, Any]) -> dict[str, Any]:
    profile = next((rs for rs in payload["rulesets"] if "highest_level" in rs), None)
    growth = next((rs for rs in payload["rulesets"] if "levels_by_subject" in rs), None)
    nxt = profile.get("next_level") if profile else None
    items = growth["levels_by_subject"] if growth else []
    return {
        "profile": profile["highest_level"] if profile else None,
        "profile_next": nxt["level"] if nxt else None,
        "profile_steps": [s["title"] for s in nxt["steps"]] if nxt else [],
        "elements": {i["subject"]: i["highest_level"] for i in items},
        "element_next": {i["subject"]: (i["next_level"] or {}).get("level") for i in items},
        "spinnenweb": dict(payload.get("spinnenweb") or {}),
    }


def summary(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The summary of a record; ValueError naming what the payload lacks of what monitoring reads."""
    try:
        return _evaluation(payload) if kind == "evaluation" else _assessment(payload)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"the payload lacks what monitoring reads ({type(exc).__name__}: {exc})") from None


_RANKS = {status: i for i, status in enumerate(PRECEDENCE)}
_LAST = len(PRECEDENCE) - 1


def _rank(status: str) -> int:
    return _RANKS.get(status, _LAST)


def combine(statuses: list[str]) -> str:
    """Several statuses as one: fail before missing data before pass before reported, else not applicable."""
    return PRECEDENCE[min(map(_rank, statuses), default=_LAST)]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def figures(kind: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The `FIGURES` columns of an evaluation: the last responsible-origin terms and MKI with a value, the SEB
    statuses combined, and `rules`: each rule once, `rule<TAB>status<TAB>level` a line (several outcomes of one
    rule combined, the last level); all None for a self-assessment."""
    return dict(zip(FIGURES, figure_values(kind, summary), strict=True))


def figure_values(kind: str, summary: dict[str, Any]) -> tuple[Any, ...]:
    """`figures` as a tuple, in `FIGURES` order."""
    if kind != "evaluation":
        return _NO_FIGURES
    good = total = mki = level = None
    seb = _NONE  # no SEB outcome yet
    ranks: dict[str, int] = {}  # each rule's status so far, as its place in PRECEDENCE
    levels: dict[str, str] = {}
    for rule, status, at, indicator, value, threshold, terms in summary["outcomes"]:
        rank = _RANKS.get(status, _LAST)
        if rank < ranks.get(rule, _NONE):
            ranks[rule] = rank
        levels[rule] = at
        if indicator == ORIGIN:
            if value is not None:
                good, total = _number(terms.get("good")), _number(terms.get("total"))
        elif indicator == MKI:
            if value is not None:
                mki, level = _number(value), _number(threshold)
        elif indicator == SEB and rank < seb:
            seb = rank
    rules = "\n".join([f"{rule}\t{PRECEDENCE[rank]}\t{levels[rule]}" for rule, rank in ranks.items()])
    return good, total, mki, level, PRECEDENCE[seb] if seb < _NONE else None, rules


_NONE = len(PRECEDENCE)
_NO_FIGURES = (None,) * len(FIGURES)


def text(summary: dict[str, Any]) -> str:
    """The summary as the `summary` column keeps it: compact JSON, keys sorted (read back as JSON only)."""
    try:
        return orjson.dumps(summary, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # an integer past 64 bits
        return json.dumps(summary, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
