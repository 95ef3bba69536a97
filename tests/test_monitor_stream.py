"""Monitoring as projects stream by: gathered per cell, tonnes summed exactly, MKI values as columns, the JSON
written a batch of projects at a time and the same as written in one piece."""

from __future__ import annotations

import json

import orjson
import pytest

from cgc_rules.monitor import tables
from cgc_rules.monitor.figures import Filters, gather, monitor
from cgc_rules.monitor.select import Measured
from cgc_rules.monitor.values import MkiValues


def _project(name: str, pid: str, kind: str, good: float, total: float, mki: float | None) -> Measured:
    return Measured(name, "Regio", pid, kind, 2026, "awarded", (good, total), mki, 0.17, "pass")


PROJECTS = [
    _project("A", "p1", "wegen", 0.1, 1.0, 0.12),
    _project("A", "p2", "kunstwerk", 0.2, 1.0, None),
    _project("B", "p3", "wegen", 0.3, 1.0, 0.2),
]


def test_tonnes_are_summed_exactly_whatever_the_order():
    assert (0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1  # summed naively, the order shows in the last bit
    for order in (PROJECTS, PROJECTS[::-1]):
        cells = gather(order, Filters()).cells
        assert len(cells) == 3  # (A, wegen), (A, kunstwerk), (B, wegen)
        everything = monitor(gather(order, Filters()), [], [], Filters())["rows"][0]
        assert everything["origin"]["responsible_t"] == 0.6
        assert everything["origin"]["total_t"] == 3.0
        assert everything["origin"]["share"] == 20.0


def test_groups_join_their_cells():
    data = monitor(gather(PROJECTS, Filters()), [], [], Filters())
    rows = {(r["municipality"], r["project_type"]): r for r in data["rows"]}
    assert list(rows) == [(None, None), ("A", None), ("B", None), (None, "kunstwerk"), (None, "wegen")]
    assert rows[("A", None)]["projects"] == 2
    assert rows[(None, "wegen")]["mki"]["median"] == pytest.approx((0.12 + 0.2) / 2)
    assert rows[(None, "wegen")]["mki"]["within_level"] == 1  # 0.12 <= 0.17 < 0.2
    assert rows[("A", None)]["origin"]["responsible_t"] == pytest.approx(0.3)
    assert [v["value"] for v in data["mki_values"]] == [0.12, 0.2]  # project order, projects with an MKI


def test_filters_keep_what_they_name():
    data = monitor(gather(PROJECTS, Filters(municipality="B")), [], [], Filters(municipality="B"))
    assert [(r["municipality"], r["project_type"], r["projects"]) for r in data["rows"]] == [
        (None, None, 1),
        ("B", None, 1),
        (None, "wegen", 1),
    ]
    assert len(data["mki_values"]) == 1


def test_mki_values_as_columns():
    listed = [
        {"year": 2026, "region": None, "project_type": "wegen", "value": 0.2, "level": 0.17},
        {"year": 2025, "region": "R", "project_type": "kunstwerk", "value": 0.3, "level": None},
        {"year": 2026, "region": None, "project_type": "kunstwerk", "value": 0.1, "level": 0.25},
    ]
    values = MkiValues.of(listed)
    assert list(values) == listed
    assert list(values.where(2026, None)) == [listed[0], listed[2]]
    assert values.by_type() == {"kunstwerk": ([0.3, 0.1], [0.25]), "wegen": ([0.2], [0.17])}
    values.add((2026, None, "wegen"), 0.1, None)  # what `by_type` keeps is made again after a project is added
    assert values.by_type()["wegen"] == ([0.2, 0.1], [0.17])


@pytest.mark.parametrize("at_a_time", [1, 2, 10])
def test_json_written_a_batch_at_a_time_is_the_document_written_at_once(monkeypatch, at_a_time):
    monkeypatch.setattr(tables, "VALUES_AT_A_TIME", at_a_time)
    projects = [_project("A", f"p{i}", "wegen", 1.0, 2.0, (10 + i) / 100) for i in range(5)]
    data = monitor(gather(projects, Filters()), [], [], Filters())
    chunks = list(tables.to_json(data))
    assert len(chunks) == 2 + -(-5 // at_a_time)  # figures, each batch, the rest
    whole = orjson.dumps(
        {**data, "mki_values": list(data["mki_values"])}, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    )
    assert "".join(chunks) == whole.decode() + "\n"
    assert [v["value"] for v in json.loads("".join(chunks))["mki_values"]] == [0.1, 0.11, 0.12, 0.13, 0.14]


def test_json_without_mki_values():
    data = monitor(gather([_project("A", "p1", "wegen", 1.0, 2.0, None)], Filters()), [], [], Filters())
    text = "".join(tables.to_json(data))
    assert '"mki_values": []' in text
    assert json.loads(text)["rows"][0]["origin"]["share"] == 50.0
