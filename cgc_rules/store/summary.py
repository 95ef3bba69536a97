"""What monitoring reads of a record, kept beside it in the `summary` column when it is added.

`cgc monitor` reads these few hundred bytes instead of parsing every full payload with its texts. Written at
record time (and on import); migration 0003 fills them for records kept before. A change to this shape needs
a migration that fills the column again.
"""

from __future__ import annotations

from typing import Any

ORIGIN = "responsible_origin_share"
"""The one indicator whose derivation terms monitoring needs (responsible and total tonnes)."""


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
