"""The types of project a rule can apply to and a submission declares (`type` of its project)."""

from __future__ import annotations

from enum import Enum


class ProjectType(str, Enum):
    wegen = "wegen"
    openbare_ruimte = "openbare_ruimte"
    kunstwerk = "kunstwerk"
    waterbouw = "waterbouw"
    woningbouw = "woningbouw"
    utiliteitsbouw = "utiliteitsbouw"
    sloop = "sloop"
