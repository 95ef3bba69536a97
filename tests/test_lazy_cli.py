"""`cgc evaluate --format json` loads only what it needs: no document, pack or terminal-table libraries."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

HEAVY = (
    "docx",
    "weasyprint",
    "rich",
    "jinja2",
    "cgc_rules.pack",
    "cgc_rules.documents",
    "cgc_rules.cli.generate",
    "cgc_rules.cli.pack",
    "cgc_rules.cli.assess",
    "cgc_rules.cli.corridor",
)
PROBE = """
import contextlib, io, json, sys
from cgc_rules.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "outcomes": len(json.loads(out.getvalue())["outcomes"]),
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("docx", "weasyprint", "rich", "jinja2")
                                   or m.startswith("cgc_rules"))}))
"""


def test_evaluate_json_imports_no_document_pack_or_table_code():
    argv = [
        sys.executable,
        "-c",
        PROBE,
        "evaluate",
        "examples/openbare-ruimte-voldoet.yaml",
        "-r",
        "hnn-gww",
        "--format",
        "json",
    ]
    done = subprocess.run(argv, check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["code"] == 0
    assert result["outcomes"] > 0
    loaded = set(result["loaded"])
    assert "cgc_rules.cli.evaluate" in loaded
    assert sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)) == []


CORRIDOR_PROBE = """
import contextlib, io, json, sys
from cgc_rules.cli import main
code = 0
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "alerts": len(json.loads(out.getvalue())["alerts"]), "loaded": sorted(sys.modules)}))
"""


def test_corridor_match_imports_no_other_kind_no_registry_and_no_lp_solver():
    """A corridor whose hubs keep within their capacity needs no LP (HiGHS), no ruleset registry and none
    of the project or municipality models: `cgc corridor match` does not load them (start-up time)."""
    argv = [sys.executable, "-c", CORRIDOR_PROBE, "corridor", "match", "amersfoort-voorbeeld", "--as-of", "2026-06-01"]
    done = subprocess.run(
        [*argv, "--format", "json"], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["code"] == 0
    assert result["alerts"] > 0
    loaded = set(result["loaded"])
    assert "cgc_rules.corridor.flow" in loaded
    unneeded = ("highspy", "cgc_rules.registry", "cgc_rules.submission", "cgc_rules.municipality")
    assert sorted(loaded & {*unneeded, "cgc_rules.indicators.project"}) == []
