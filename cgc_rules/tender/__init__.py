"""Tender definitions: the published award choices of one procurement (`tender.yaml`)."""

from .build import build_tender
from .io import LoadedTender, dump_tender, load_tender, open_fields, pinned_rulesets, require_complete
from .model import Criterion, Method, Param, PriceMethod, Tender

__all__ = [
    "Criterion",
    "LoadedTender",
    "Method",
    "Param",
    "PriceMethod",
    "Tender",
    "build_tender",
    "dump_tender",
    "load_tender",
    "open_fields",
    "pinned_rulesets",
    "require_complete",
]
