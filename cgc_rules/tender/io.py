"""Reading and writing `tender.yaml`, and the two checks scoring makes first: nothing open, nothing changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from ..errors import CgcError, Problem
from ..i18n import Msg, render
from ..loading.document import Document
from ..loading.models import load_model
from ..registry import Registry
from ..ruleset import LoadedRuleset
from .model import MKI_METHODS, Method, Param, Tender

HEADER = (
    "# Tender definition (cgc tender init / cgc generate). Fill in every parameter without a value (tolerances\n"
    "# and point_value too) and confirm every accept_without_knockout before publishing this file with the\n"
    "# tender documents: bids name its id and sha256, so a later change refuses them.\n"
)


@dataclass(frozen=True)
class LoadedTender:
    """A validated tender, its parsed file (to locate errors) and the sha256 of its bytes."""

    tender: Tender
    doc: Document
    sha256: str


def _plain(value: Any) -> Any:
    """Model data as YAML likes it: numbers as numbers, dates as ISO text, enums as their values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def dump_tender(tender: Tender) -> str:
    """The tender as commented YAML, fields in model order, unset optional fields left out."""
    data = _plain(tender.model_dump(mode="python", exclude_none=True))
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def load_tender(path: str | Path, lang: str = "en") -> LoadedTender:
    """Load and validate `tender.yaml`; errors name file, line and field, in `lang`."""
    tender, doc, sha256 = load_model(path, Tender, lang=lang)
    return LoadedTender(tender, doc, sha256)


def open_fields(lt: LoadedTender) -> list[Problem]:
    """Every value scoring or the delivery check needs that the tender leaves open, located in the file.

    All of them are refused before the first bid is scored: a tender filled in after publication would
    change its sha256, and every bid naming the published one would then be refused.
    """
    t, out = lt.tender, []
    knockouts = {k.rule for k in t.knockouts}

    def say(key: str, **fields: object) -> str:
        return render(lt.doc.lang, Msg(f"award.tender.{key}", fields))

    def need(param: Param | None, loc: Sequence[str | int]) -> None:
        if param is not None and param.value is None:
            out.append(lt.doc.problem(loc, say("open", label=param.label)))

    need(t.fixed.area_m2, ["fixed", "area_m2"])
    need(t.fixed.lifetime_years, ["fixed", "lifetime_years"])
    if t.fixed.calculation_rules is None and any(c.method in MKI_METHODS for c in t.criteria):
        out.append(lt.doc.problem(["fixed"], say("open_calculation_rules")))
    for i, c in enumerate(t.criteria):
        for name, param in c.params.items():
            need(param, ["criteria", i, "params", name])
        need(c.tolerance, ["criteria", i, "tolerance"])
        if c.method is Method.emission_free_share and c.basis is None:
            out.append(lt.doc.problem(["criteria", i], say("open_basis")))
        if c.rule is not None and c.rule not in knockouts and c.accept_without_knockout is not True:
            out.append(
                lt.doc.problem(
                    ["criteria", i, "accept_without_knockout"], say("not_knockout", criterion=c.id, rule=c.rule)
                )
            )
    if t.price is not None:
        for name, param in t.price.params.items():
            need(param, ["price", "params", name])
    if t.rounding.places is None:
        out.append(lt.doc.problem(["rounding"], say("open", label=t.rounding.label)))
    need(t.sanction_factor, ["sanction_factor"])
    need(t.point_value, ["point_value"])
    need(t.corridor_minimum, ["corridor_minimum"])
    return out


def require_complete(lt: LoadedTender) -> None:
    """Refuse a tender with an open parameter, naming each one."""
    problems = open_fields(lt)
    if problems:
        raise CgcError(problems)


def pinned_rulesets(lt: LoadedTender, registry: Registry) -> list[LoadedRuleset]:
    """The ruleset versions the tender pins, refused when a file no longer has the published hash."""
    out, problems = [], []
    for i, pin in enumerate(lt.tender.rulesets):
        loaded = registry.get(pin.id, pin.version)
        if loaded.sha256 != pin.sha256:
            problems.append(
                lt.doc.problem(
                    ["rulesets", i, "sha256"],
                    f"ruleset {pin.id}@{pin.version} changed since "
                    f"the tender was published (sha256 now {loaded.sha256[:12]}…)",
                )
            )
        out.append(loaded)
    if problems:
        raise CgcError(problems)
    return out
