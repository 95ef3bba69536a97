"""HTML rendering of a municipality assessment: the level reached, the next step and every outcome explained."""

from __future__ import annotations

from ..explain import status_word
from .assess import words
from .build import Report
from .render import ENVIRONMENT, labels, level_word


def to_html(report: Report) -> str:
    """One self-contained page (same house style as `cgc evaluate --format html`)."""
    d = report.data
    lang = d["lang"]
    outcomes = [
        dict(o, status_word=status_word(o["status"], lang), level_word=level_word(o["level"], lang))
        for o in d["outcomes"]
    ]
    return ENVIRONMENT.get_template("assessment.html.j2").render(
        d=d,
        w=words(lang),
        lab=labels(lang),
        outcomes=outcomes,
        counts=[(status_word(k, lang), k, n) for k, n in d["summary"]["counts"].items() if n],
    )
