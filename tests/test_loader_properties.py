"""Property tests: whatever a file holds, loading it gives a submission or a located CgcError."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cgc_rules.errors import CgcError
from cgc_rules.submission import load_submission

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=8)
)
keys = st.sampled_from(["project", "materials", "impact", "id", "name", "type", "mass_t", "origin", "tender_date", "x"])
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees)
def test_any_yaml_tree_loads_or_fails_cleanly(tmp_path, tree):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    try:
        load_submission(path)
    except CgcError as exc:
        assert exc.problems
        assert all(p.file and p.file.endswith("s.yaml") for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_loads_or_fails_cleanly(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_submission(path)
    except CgcError as exc:
        assert exc.problems
        assert "s.yaml" in str(exc)
