"""Every example documents in its header how to run it and what comes out; this test holds it to that.

Header lines: `# cgc evaluate|assess …` (the command), `# verwacht exitcode: N`,
`# verwacht hoogste niveau: LEVEL` and `# verwacht: RULE[/SUBJECT] = STATUS`.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def header(path: Path) -> dict:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    spec: dict = {"expect": {}}
    for line in lines:
        if m := re.match(r"# (cgc (?:evaluate|assess) .+)$", line):
            spec["command"] = shlex.split(m.group(1))[1:]
        elif m := re.match(r"# verwacht exitcode: (\d)", line):
            spec["exit"] = int(m.group(1))
        elif m := re.match(r"# verwacht hoogste niveau: (\S+)", line):
            spec["highest"] = m.group(1)
        elif m := re.match(r"# verwacht: (\S+(?: \S+)*?) = (\w+)", line):
            spec["expect"][m.group(1)] = m.group(2)
    return spec


def test_every_example_has_a_documented_outcome():
    assert len(EXAMPLES) >= 8
    for path in EXAMPLES:
        spec = header(path)
        assert "command" in spec, f"{path.name}: header lacks command or exit code"
        assert "exit" in spec, f"{path.name}: header lacks command or exit code"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_gives_documented_outcome(cgc, path, monkeypatch):
    monkeypatch.chdir(ROOT)
    spec = header(path)
    res = cgc(*spec["command"], "--format", "json")
    assert res.exit_code == spec["exit"], res.output
    data = json.loads(res.output)
    found = {}
    for o in data["outcomes"]:
        found.setdefault(o["rule_id"], o["status"])
        found[f"{o['rule_id']}/{o['subject']}"] = o["status"]
    for key, status in spec["expect"].items():
        assert found.get(key) == status, f"{path.name}: {key} is {found.get(key)}, documented {status}"
    if "highest" in spec:
        rulesets = data.get("rulesets") or [data["ruleset"]]
        want = None if spec["highest"] == "geen" else spec["highest"]
        assert [r["highest_level"] for r in rulesets if "levels" in r] == [want]
