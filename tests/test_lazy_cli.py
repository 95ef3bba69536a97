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
code = 0
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
data = json.loads(out.getvalue())
from pydantic import BaseModel
def models(c):
    for s in c.__subclasses__():
        yield s
        yield from models(s)
built = {f"{m.__module__}.{m.__qualname__}" for m in models(BaseModel) if m.__pydantic_complete__}
print(json.dumps({"code": code, "counts": {k: len(v) for k, v in data.items() if isinstance(v, list)},
                  "loaded": sorted(sys.modules), "built": sorted(built)}))
"""


def _probe(*args: str) -> tuple[dict[str, int], set[str], set[str]]:
    """Run `cgc ARGS` (JSON output) in a fresh interpreter: the lengths of its JSON's lists, every module it
    loaded and every pydantic model whose validator it built."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["code"] == 0
    return result["counts"], set(result["loaded"]), set(result["built"])


def test_evaluate_json_imports_no_document_pack_or_table_code():
    counts, loaded, _ = _probe("evaluate", "examples/openbare-ruimte-voldoet.yaml", "-r", "hnn-gww", "--format", "json")
    assert counts["outcomes"] > 0
    assert "cgc_rules.cli.evaluate" in loaded
    assert sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)) == []


def test_corridor_match_imports_no_other_kind_no_registry_and_no_lp_solver():
    """A corridor whose hubs keep within their capacity needs no LP (HiGHS), no ruleset registry and none
    of the project or municipality models: `cgc corridor match` does not load them (start-up time)."""
    counts, loaded, built = _probe(
        "corridor", "match", "amersfoort-voorbeeld", "--as-of", "2026-06-01", "--format", "json"
    )
    assert counts["alerts"] > 0
    assert "cgc_rules.corridor.flow" in loaded
    unneeded = ("highspy", "cgc_rules.registry", "cgc_rules.submission", "cgc_rules.municipality")
    assert sorted(loaded & {*unneeded, "cgc_rules.indicators.project"}) == []
    # the corridor's and the ruleset's models are built when first used (`defer_build`): the files' models,
    # with the lines and rules inside them, not each nested model once more on its own at import
    assert {"cgc_rules.corridor.model.InventoryFile", "cgc_rules.ruleset.Ruleset"} <= built
    assert sorted(built & {"cgc_rules.corridor.model.Supply", "cgc_rules.ruleset.Rule"}) == []


def test_every_model_built_on_first_use_builds():
    """A model whose building is deferred would fail at its first use, in a user's run, if it could not be
    built: each one of the corridor and ruleset modules builds."""
    from pydantic import BaseModel

    from cgc_rules import ruleset
    from cgc_rules.corridor import model

    deferred = [
        m
        for m in [*vars(model).values(), *vars(ruleset).values()]
        if isinstance(m, type) and issubclass(m, BaseModel) and m.model_config.get("defer_build")
    ]
    assert {model.Supply, ruleset.Rule, ruleset.Text} <= set(deferred)
    for m in deferred:
        m.model_rebuild()
        assert m.__pydantic_complete__, m
