"""Property tests for the guarded loaders: any input gives data (or a model) or the project's own error."""

from __future__ import annotations

import functools
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cgc_rules.errors import CgcError
from cgc_rules.loading.files import check_text
from cgc_rules.loading.limits import LIMITS
from cgc_rules.loading.parse import parse
from cgc_rules.municipality import load_assessment
from cgc_rules.pack.definition import load_definition
from cgc_rules.profile import load_profile
from cgc_rules.resources import bundled
from cgc_rules.ruleset import load_ruleset
from cgc_rules.submission import load_submission

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(str(bundled(".")))
_spec = importlib.util.spec_from_file_location("cgc_fuzz", ROOT / "scripts" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["cgc_fuzz"] = fuzz
_spec.loader.exec_module(fuzz)

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(raw=st.binary(max_size=300), ext=st.sampled_from(["yaml", "json"]))
def test_any_bytes_parse_or_fail_cleanly(raw, ext):
    try:
        check_text(raw, f"x.{ext}")
        parse(raw, f"x.{ext}")
    except CgcError as exc:
        assert exc.problems
        assert all(p.file == f"x.{ext}" for p in exc.problems)


tokens = st.sampled_from(
    [
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        " ",
        "\n",
        "- ",
        "a",
        "1",
        '"x"',
        "!!int",
        "&a",
        "*a",
        "NaN",
        "1e999",
        "2026-02-30",
        "!!timestamp",
        "? ",
        "<<",
        "'",
        "#",
        "\t",
        "|",
        ">",
    ]
)


@FAST
@given(parts=st.lists(tokens, max_size=60), ext=st.sampled_from(["yaml", "json"]))
def test_structural_noise_parses_or_fails_cleanly(parts, ext):
    try:
        parse("".join(parts), f"x.{ext}")
    except CgcError as exc:
        assert exc.problems


@FAST
@given(depth=st.integers(1, 3000), kind=st.sampled_from(["[", '{"a":', "- ", "a:\n"]))
def test_any_depth_is_a_located_error_or_data(depth, kind):
    if kind in ("- ", "a:\n"):
        text, ext = "".join("  " * i + kind.strip() + ("\n" if kind == "- " else "\n") for i in range(depth)), "yaml"
        text = "".join("  " * i + ("- " if kind == "- " else "a:") + "\n" for i in range(depth))
    else:
        close = "]" if kind == "[" else "}"
        text, ext = kind * depth + ("1" if kind != "[" else "") + close * depth, "json"
    try:
        parse(text, f"x.{ext}")
        assert depth <= LIMITS.max_depth + 1
    except CgcError as exc:
        assert "nested deeper" in str(exc)
        assert exc.problems[0].line is not None


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(-1e12, 1e12),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=10),
)
keys = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=6)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


@FAST
@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=5), as_json=st.booleans())
def test_every_path_is_located_at_its_own_key_or_item(tree, as_json):
    """One pass locates every path of a document, at the line and column where its key or item starts."""
    text = json.dumps(tree, indent=1) if as_json else yaml.safe_dump(tree, allow_unicode=True, width=10_000)
    doc = parse(text, "x.json" if as_json else "x.yaml")
    assert doc.data == tree
    paths = list(_paths(tree))
    lines = text.splitlines()
    for path, (line, column) in zip(paths, doc.locate_many(paths), strict=True):
        assert line is not None
        assert column is not None
        here = lines[line - 1][column - 1 :]
        last = path[-1]
        if isinstance(last, str):
            assert here.startswith((last, f'"{last}"', f"'{last}'", json.dumps(last))), (path, here)


SEEDS = {
    "submission": (
        [p for p in sorted((ROOT / "examples").glob("*.yaml")) if not p.name.startswith("gemeente")],
        load_submission,
    ),
    "assessment": (sorted((ROOT / "examples").glob("gemeente-*.yaml")), load_assessment),
    "ruleset": ([p for p in sorted((DATA / "rulesets").glob("*/*.yaml")) if ".cases." not in p.name], load_ruleset),
    "profile": (sorted((DATA / "profiles").glob("*.yaml")), load_profile),
    "packdef": ([ROOT / "cgc_rules" / "data" / "packs" / "gmr-toolbox.yaml"], load_definition),
}


@pytest.mark.parametrize("loader", sorted(SEEDS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), as_json=st.booleans())
def test_mutated_examples_load_or_fail_cleanly(tmp_path, loader, seed, as_json):
    files, load = SEEDS[loader]
    rnd = random.Random(seed)
    source = files[rnd.randrange(len(files))]
    text = source.read_text(encoding="utf-8")
    as_json = as_json and loader in ("submission", "assessment")
    body = fuzz.mutate_json(text, rnd) if as_json else fuzz.mutate_text(text, rnd)
    path = tmp_path / (source.stem + (".json" if as_json else ".yaml"))
    if loader == "profile":
        for asset in (DATA / "profiles").iterdir():
            if asset.is_dir() and not (tmp_path / asset.name).exists():
                (tmp_path / asset.name).symlink_to(asset)
    path.write_text(body, encoding="utf-8")
    try:
        load(path)
    except CgcError as exc:
        assert exc.problems
        assert all(str(p) for p in exc.problems)


@functools.cache
def _targets() -> dict:
    """The fuzz script's loaders with their seeds (the bid forms, the export and the pack are made once)."""
    return fuzz.targets()


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the zips made with duplicate entries on purpose
@pytest.mark.parametrize("loader", ["bid-xlsx", "bid-csv", "tender", "store", "archive", "corridor"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, 10**6))
def test_mutated_inputs_of_every_other_loader_run_or_fail_cleanly(tmp_path_factory, loader, index):
    """The fuzz script's inputs, as `scripts/fuzz.py` makes them, through the command a user runs (in-process:
    a corridor is loaded and cross-checked here, its C engine is run by the fuzz script in child processes)."""
    import click

    from cgc_rules.cli import main
    from cgc_rules.corridor.load import load_corridor

    args = _targets()[loader].make(index, 7, tmp_path_factory.mktemp(loader))
    try:
        if loader == "corridor":
            load_corridor(args[2])
        else:
            main.main(args=args, standalone_mode=False)
    except (CgcError, click.ClickException, click.exceptions.Exit, click.Abort) as exc:
        assert not isinstance(exc, CgcError) or all(str(p) for p in exc.problems)
    except SystemExit as exc:
        assert exc.code in (0, 1, 2, None)
