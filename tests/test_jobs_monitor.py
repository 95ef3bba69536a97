"""The monitoring, yearly-report and store jobs on a store of three recorded evaluations, figures worked by hand.

Municipality A: p1, 900 t recycled of 1000 t, and p3, 300 t of 1000 t (public space); municipality
B: p2, 10 t of 100 t. Responsible origin by mass: (900 + 300 + 10) / 2100 = 57.62 % over all,
1200 / 2000 = 60 % for A alone, 1210 / 2100 over roads and public space together, 910 / 1100 over roads.
"""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from cgc_rules.cli import main
from cgc_rules.errors import CgcError
from cgc_rules.jobs import db as store_job
from cgc_rules.jobs import monitor as job
from cgc_rules.jobs.report import yearly_report
from cgc_rules.monitor.charts import POINTS_UP_TO
from cgc_rules.monitor.values import MkiValues
from cgc_rules.renderers import renderer
from cgc_rules.store import migrate

from .conftest import materials, road

HNN = ("-r", "hnn-gww@2026.1")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("jobs-monitor")
    path = str(folder / "s.sqlite")
    projects = [
        ("p1", "A", "wegen", materials(900, 100)),
        ("p2", "B", "wegen", materials(10, 90)),
        ("p3", "A", "openbare_ruimte", materials(300, 700)),
    ]
    for pid, municipality, ptype, mats in projects:
        data = road(project={"id": pid, "municipality": municipality, "type": ptype}, materials=mats)
        file = folder / f"{pid}.yaml"
        file.write_text(yaml.safe_dump(data), encoding="utf-8")
        res = CliRunner().invoke(main, ["evaluate", str(file), *HNN, "--record", "--db", path])
        assert res.exit_code in (0, 1), res.output
    return path


def _everything(f: job.Figures) -> dict:
    return next(
        r for r in f.data["rows"] if r["year"] == 2026 and r["municipality"] is None and r["project_type"] is None
    )


def test_figures_weigh_the_origin_share_by_mass(db):
    f = job.figures(store_job.opened(db), "nl")
    row = _everything(f)
    assert (row["projects"], row["origin"]["responsible_t"], row["origin"]["total_t"]) == (3, 1210, 2100)
    assert row["origin"]["share"] == pytest.approx(1210 / 2100 * 100)
    assert f.data["store"]["evaluations"] == 3
    assert f.data["store"]["records"] == 3


def test_figures_filtered_by_municipality_and_type(db):
    only_a = job.figures(store_job.opened(db), "nl", municipality="A")
    assert {r["municipality"] for r in only_a.data["rows"]} <= {"A", None}
    assert _everything(only_a)["origin"]["share"] == pytest.approx(1200 / 2000 * 100)
    roads = job.figures(store_job.opened(db), "nl", project_type="wegen")
    assert _everything(roads)["origin"]["share"] == pytest.approx(910 / 1100 * 100)


def test_the_figures_render_through_the_format_registry(db):
    f = job.figures(store_job.opened(db), "en")
    csv_text = renderer("monitor", "csv").render(f)
    assert isinstance(csv_text, str)
    assert csv_text.splitlines()[0].startswith("\ufeffyear;region;municipality;project_type")
    svg = job.origin_chart(f)
    assert svg is not None
    assert b"<svg" in svg


def test_yearly_report_picks_the_latest_year_and_names_the_reader(db):
    doc = yearly_report(store_job.opened(db), "gmr-voorbeeld-profiel-1", municipality="A")
    assert doc.doc.meta.title.endswith("2026")
    assert doc.doc.meta.doc_id.startswith("jaarevaluatie-2026-")
    assert doc.doc.meta.doc_id.endswith("-a")
    assert doc.lp.profile.id == "gmr-voorbeeld-profiel-1"
    with pytest.raises(CgcError, match="not in the store"):
        yearly_report(store_job.opened(db), "gmr-voorbeeld-profiel-1", municipality="Z")


def test_yearly_report_of_an_empty_store_is_a_clear_error(tmp_path):
    empty = str(tmp_path / "empty.sqlite")
    assert store_job.upgrade(empty).records == 0
    with pytest.raises(CgcError, match="holds no evaluations or self-assessments to report on"):
        yearly_report(store_job.opened(empty), "gmr-voorbeeld-profiel-1")


def test_export_and_import_round_trip(db, tmp_path):
    lines = list(store_job.export(db).lines())
    assert len(lines) == 4
    assert lines[0] == '{"format": "cgc-rules-store", "version": 1}\n'
    dump = tmp_path / "export.jsonl"
    dump.write_text("".join(lines), encoding="utf-8")
    other = str(tmp_path / "other.sqlite")
    upgraded = store_job.upgrade(other)
    assert (upgraded.revision, upgraded.records) == (migrate.head(), 0)
    first, again = store_job.import_export(other, dump), store_job.import_export(other, dump)
    assert (first.added, first.already_stored, again.added, again.already_stored) == (3, 0, 0, 3)


def _evaluation(sha: str, municipality: str, pid: str, ruleset: str, role: str, year: int, outcomes: list) -> object:
    from datetime import UTC, datetime

    from cgc_rules.store.records import StoredRecord, dedup_key

    key = dedup_key("evaluation", sha * 64, "0" * 64, role)
    return StoredRecord(
        kind="evaluation",
        dedup_key=key,
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        input_sha256=sha * 64,
        ruleset_id=ruleset,
        ruleset_version="1",
        ruleset_sha256="0" * 64,
        municipality=municipality,
        project_id=pid,
        project_type="wegen" if year == 2026 else "kunstwerk",
        day=f"{year}-06-01",
        year=year,
        role=role,
        payload={"outcomes": outcomes},
    )


def _outcome(rule: str, status: str, indicator: str, value: float | None, **more: object) -> dict:
    return {"rule_id": rule, "status": status, "level": "requirement", "indicator": indicator, "value": value} | {
        "threshold": None,
        "terms": {},
        **more,
    }


def _origin(status: str, good: float, total: float) -> dict:
    terms = {"good": good, "total": total}
    return _outcome("herkomst", status, "responsible_origin_share", good / total * 100, terms=terms, threshold=50.0)


def test_the_records_that_count_are_picked_per_project_role_and_ruleset(tmp_path):
    """p1 in A: its bid (100 of 1000 t) gives way to its awarded records; of its two awarded hnn-gww records the
    newer (900 of 1000 t, MKI 0,14, SEB pass) counts, not the older (1 of 1000 t); its awarded zz-extra record
    (no origin, SEB fail; year 2027, another type) adds its SEB status, while year and type are those of its first
    ruleset (2026, wegen). p2 in B: 300 of 1000 t, MKI 0,20, SEB missing. By hand: (900 + 300) / 2000 = 60 %;
    MKI 0,14 and 0,20 (median 0,17; 0,14 within the level 0,17, 0,20 not); SEB p1 fail (pass and fail: fail),
    p2 missing data: 0 of 2 pass; herkomst passed by p1, failed by p2."""
    from cgc_rules.store.store import open_store

    mki = "mki_eur_per_m2_year"
    seb = "seb_compliance_declared"
    records = [
        _evaluation("1", "A", "p1", "hnn-gww", "bid", 2026, [_origin("fail", 100, 1000)]),
        _evaluation("2", "A", "p1", "hnn-gww", "awarded", 2026, [_origin("fail", 1, 1000)]),
        _evaluation(
            "3",
            "A",
            "p1",
            "hnn-gww",
            "awarded",
            2026,
            [
                _origin("pass", 900, 1000),
                _outcome("mki", "pass", mki, 0.14, threshold=0.17),
                _outcome("seb", "pass", seb, 1),
            ],
        ),
        _evaluation("4", "A", "p1", "zz-extra", "awarded", 2027, [_outcome("seb", "fail", seb, 0)]),
        _evaluation(
            "5",
            "B",
            "p2",
            "hnn-gww",
            "design",
            2026,
            [
                _origin("fail", 300, 1000),
                _outcome("mki", "fail", mki, 0.2, threshold=0.17),
                _outcome("seb", "missing_data", seb, None),
            ],
        ),
    ]
    db = str(tmp_path / "s.sqlite")
    open_store(db).add(records)
    f = job.figures(store_job.opened(db), "nl")
    assert [(t["year"], t["projects"]) for t in f.data["trend"]] == [(2026, 2)]
    everything = _everything(f)
    assert everything["origin"] == {"projects": 2, "responsible_t": 1200, "total_t": 2000, "share": 60.0}
    assert (everything["mki"]["median"], everything["mki"]["judged"], everything["mki"]["within_level"]) == (
        pytest.approx(0.17),
        2,
        1,
    )
    assert everything["seb"] == {"projects": 2, "pass": 0, "rate": 0.0}
    herkomst = next(r for r in everything["rules"] if r["rule"] == "hnn-gww/herkomst")
    assert (herkomst["pass"], herkomst["fail"]) == (1, 1)
    assert [(r["municipality"], r["project_type"]) for r in f.data["rows"]] == [
        (None, None),
        ("A", None),
        ("B", None),
        (None, "wegen"),
    ]


def _mki(kind: str, values: list[float]) -> list[dict]:
    return [{"year": 2026, "region": None, "project_type": kind, "value": v, "level": 0.17} for v in values]


def test_the_mki_chart_draws_a_point_per_project_only_for_a_few():
    few = _mki("wegen", [0.12, 0.15, 0.2])
    many = _mki("openbare_ruimte", [0.1 + k / 10_000 for k in range(POINTS_UP_TO + 1)])
    svg = job.mki_chart(job.Figures({"mki_values": MkiValues.of(few + many)}, "nl"))
    assert svg is not None
    points = svg.decode().split('<g id="PathCollection_')
    assert len(points) == 2  # one scatter: the roads' three projects
    assert points[1].split("</g>")[0].count("<use ") == 3
    assert "201 projecten" in svg.decode()


def test_the_mki_in_words_per_type():
    f = job.Figures(
        {"mki_values": MkiValues.of(_mki("wegen", [0.2, 0.12, 0.15, 0.13]) + _mki("kunstwerk", [0.3]))}, "nl"
    )
    assert job.mki_by_type(f) == [
        {"type": "kunstwerken", "projects": "1 project", "low": 0.3, "median": 0.3, "high": 0.3},
        {"type": "wegen", "projects": "4 projecten", "low": 0.12, "median": (0.13 + 0.15) / 2, "high": 0.2},
    ]
