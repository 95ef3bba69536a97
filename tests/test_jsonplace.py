"""Places in JSON text: every path found where its value is, refused values found where they stand."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cgc_rules.loading import jsondata, jsonplace
from cgc_rules.loading.limits import LIMITS

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=5))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=20,
)


def _paths(value: Any, loc: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    out = {loc: value}
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.update(_paths(child, (*loc, str(key))))
    return out


@settings(max_examples=200, deadline=None)
@given(documents, st.sampled_from([None, 1, 2]), st.data())
def test_every_path_is_found_where_its_value_and_its_key_are(doc, indent, data):
    text = json.dumps(doc, indent=indent)
    paths = _paths(doc)
    asked = data.draw(st.sets(st.sampled_from(sorted(paths)), max_size=5))
    wanted = {loc[:i] for loc in asked for i in range(len(loc) + 1)}
    found = jsonplace.places(text, wanted)
    assert set(found) == wanted
    decoder = json.JSONDecoder()
    for loc, (entry, value) in found.items():
        assert decoder.raw_decode(text, value)[0] == paths[loc]
        if loc and isinstance(paths[loc[:-1]], dict):  # a mapping entry is placed at its key
            assert decoder.raw_decode(text, entry)[0] == loc[-1]


def test_places_become_lines_and_columns():
    text = '{\n  "a": [1,\n    {"b": true}],\n  "c": "x"\n}'
    found = jsonplace.places(text, {(), ("a",), ("a", "1"), ("a", "1", "b"), ("c",)})
    entries = {loc: entry for loc, (entry, _) in found.items()}
    assert jsonplace.line_columns(text, entries) == {
        (): (0, 0),
        ("a",): (1, 2),
        ("a", "1"): (2, 4),
        ("a", "1", "b"): (2, 5),
        ("c",): (3, 2),
    }


def test_the_value_the_hooks_refuse_is_found_in_document_order():
    strict = jsondata._strict(LIMITS)
    text = '{"lines": [{"m": 1}, {"m": 2, "x": [1, NaN]}, {"m": 1e999}]}'
    loc, (_, value), exc, token = jsonplace.refused(text, strict, 64)
    assert loc == ("lines", 1, "x", 1)
    assert text[value:].startswith("NaN")
    assert token == "NaN"
    assert isinstance(exc, ValueError)
    text = '{"a": {"b": 1, "c": 2, "b": 3}}'
    loc, (_, value), _, _ = jsonplace.refused(text, strict, 64)  # its members pass: the object is refused
    assert loc == ("a",)
    assert jsonplace.duplicate(text, value, loc) == (("a", "b"), (23, 28))
    assert jsonplace.refused('{"a": [1, 2.5, "x"]}', strict, 64) is None


def test_a_text_broken_after_the_refused_value_still_places_it_and_one_broken_before_does_not_crash():
    strict = jsondata._strict(LIMITS)
    assert jsonplace.refused('{"a": [1, NaN', strict, 64)[:2] == (("a", 1), (10, 10))
    # a missing comma is the parser's to report (it stops first); walked anyway, the NaN is still found
    assert jsonplace.refused('{"a": [1 2, NaN]', strict, 64)[:2] == (("a", 2), (12, 12))
    assert jsonplace.refused('{"a": ', strict, 64) is None
