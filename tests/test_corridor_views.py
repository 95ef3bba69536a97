"""What partners read about the Amersfoort example corridor: Dutch by default, English on request."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cgc_rules.cli import main
from cgc_rules.corridor import views
from cgc_rules.corridor.findings import Alert, Refusal, Route
from cgc_rules.corridor.texts import alert_text, refusal_text

ROOT = Path(__file__).resolve().parent.parent / "cgc_rules" / "data" / "corridors" / "amersfoort-voorbeeld"
NBSP = "\u00a0"
ENGLISH = (
    "inventory not published",
    " from s-",
    "direct transport",
    "the only donor",
    "longest leg",
    "needed before",
    "days in storage",
    "Example data",
    "True",
    "False",
    "example value",
    " weeks",
    " days",
)


def _text(page: str) -> str:
    """The page's visible text and tooltips, with non-breaking spaces as plain spaces."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace(NBSP, " ")


def _rules_of_play(page: str) -> dict[str, str]:
    """The rules-of-play table: parameter key (shown in brackets) -> the text of its value cell."""
    table = page[page.index("<th>parameter</th>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>.*?<small>\((\w+)\)</small></td><td>(.*?)</td>", table)
    return {key: " ".join(_text(cell).split()) for key, cell in rows}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in ("nl", "en"):
        path = tmp_path_factory.mktemp(lang) / "calendar.html"
        res = CliRunner().invoke(
            main,
            [
                "corridor",
                "calendar",
                str(ROOT),
                "--as-of",
                "2026-05-20",
                "-o",
                str(path),
                *(["--lang", lang] if lang == "en" else []),
            ],
        )
        assert res.exit_code == 0, res.output
        out[lang] = path.read_text()
    return out


def test_calendar_is_dutch_by_default(pages):
    page, text = pages["nl"], _text(pages["nl"])
    assert '<html lang="nl">' in page
    assert "inventarisatie niet 12 weken vóór de sloop gedeeld (sloop start 1 juni 2026)" in text
    assert (
        "80 t van s-stadhuis-baksteen naar d-kop-baksteen, direct vervoer, 1,9 km, 152 tkm; "
        "de enige donor die op tijd en binnen de afstandsgrens kan leveren"
    ) in text
    assert "via hub-hoevelaken, 78 dagen opslag, 12,4 km, 434 tkm" in text
    assert "langste rit 19,8 km, meer dan de grens van 15 km" in text
    assert "al nodig voordat het materiaal vrijkomt" in text
    assert "Stand per 20 mei 2026" in text
    assert "Voorbeelddata: Dit zijn voorbeeldgegevens." in text
    rules = _rules_of_play(page)
    assert rules["emission_free_transport"] == "ja"
    assert rules["expiry_warning_days"] == "30 dagen (voorbeeldwaarde)"
    assert rules["inventory_notice_weeks"] == "12 weken (voorbeeldwaarde)"
    for english in ENGLISH:
        assert english not in text, english
    assert not re.search(r"\d\.\d", text.replace("@2024.1", "")), "decimal point in Dutch text"


def test_calendar_in_english(pages):
    page, text = pages["en"], _text(pages["en"])
    assert '<html lang="en">' in page
    assert "inventory not published 12 weeks before demolition (starts 1 June 2026)" in text
    assert "80 t from s-stadhuis-baksteen to d-kop-baksteen, direct transport, 1.9 km, 152 tkm" in text
    assert "longest leg over 15 km" in text
    assert "needed before it is available" in text
    assert "As of 20 May 2026" in text
    assert "Example data: Example data." in text
    rules = _rules_of_play(page)
    assert rules["emission_free_transport"] == "yes"
    assert rules["expiry_warning_days"] == "30 days (example value)"
    assert rules["inventory_notice_weeks"] == "12 weeks (example value)"
    assert "inventarisatie niet" not in text
    assert "direct vervoer" not in text


def test_match_html_and_table_follow_lang():
    base = ["corridor", "match", str(ROOT), "--as-of", "2026-05-20"]
    res = CliRunner().invoke(main, [*base, "--format", "html"])
    assert res.exit_code == 0
    assert "direct vervoer, 1,9 km" in _text(res.output)
    res = CliRunner().invoke(main, [*base, "--format", "html", "--lang", "en"])
    assert res.exit_code == 0
    assert "direct transport, 1.9 km" in _text(res.output)
    res = CliRunner().invoke(main, base)
    assert res.exit_code == 0
    assert "inventarisatie te laat" in res.output
    assert "stand per 20 mei 2026" in res.output
    res = CliRunner().invoke(main, [*base, "--lang", "en"])
    assert res.exit_code == 0
    assert "late inventory" in res.output


def test_terminal_tables_show_their_first_rows_and_count_the_rest(monkeypatch: pytest.MonkeyPatch):
    base = ["corridor", "match", str(ROOT), "--as-of", "2026-05-20"]
    data = json.loads(CliRunner().invoke(main, [*base, "--format", "json"]).output)
    allocations, alerts = len(data["allocations"]), len(data["alerts"])
    assert allocations > 1
    assert alerts == 1
    monkeypatch.setattr(views, "TABLE_ROWS", 1)
    res = CliRunner().invoke(main, base)
    assert res.exit_code == 0
    assert f"… en nog {allocations - 1} toewijzingen: --format json of --format html geeft ze allemaal." in res.output
    assert "signalen:" not in res.output  # one alert: shown, nothing more to count
    en = CliRunner().invoke(main, [*base, "--lang", "en"]).output
    assert f"… and {allocations - 1} more allocations: --format json or --format html gives them all." in en
    monkeypatch.setattr(views, "TABLE_ROWS", max(allocations, alerts, len(data["refusals"])))
    assert "en nog" not in CliRunner().invoke(main, base).output


def test_json_keeps_machine_fields_and_writes_each_text_once_in_the_readers_language():
    base = ["corridor", "match", str(ROOT), "--as-of", "2026-05-20", "--format", "json"]
    data = json.loads(CliRunner().invoke(main, base).output)
    alert = data["alerts"][0]
    assert (alert["kind"], alert["subject"], alert["day"]) == ("late_inventory", "langs-eem-en-spoor", "2026-06-01")
    assert alert["text"].startswith("inventarisatie niet 12 weken")
    a = data["allocations"][0]
    assert a["text"].startswith(f"80{NBSP}t van")
    en = json.loads(CliRunner().invoke(main, [*base, "--lang", "en"]).output)
    assert en["alerts"][0]["text"].startswith("inventory not published 12 weeks before demolition")
    assert en["allocations"][0]["text"].startswith(f"80{NBSP}t from")
    items = [*data["alerts"], *data["allocations"], *data["refusals"], *en["alerts"], *en["refusals"]]
    assert not [item for item in items if "detail" in item or "why" in item]
    assert {(x["reason"], x["rule"]) for x in data["refusals"]} == {
        ("distance", "too_far"),
        ("time", "needed_before_available"),
        ("time", "windows_apart"),
    }


def test_texts_of_every_alert_and_refusal():
    route = Route("s-a", "d-b", "hub-x", 7.25, 12.4, 200)
    assert (
        refusal_text(Refusal(route, "time", "stored_too_long", 180.0), "nl")
        == "zou langer in de hub liggen dan de maximale opslagtijd van 180 dagen"
    )
    assert (
        refusal_text(Refusal(route, "time", "windows_apart"), "nl")
        == "de beschikbaarheid eindigt voordat de vraag begint"
    )
    over = Alert("hub_over_capacity", "hub-x", tonnes=512.5, limit=500)
    assert alert_text(over, "nl") == f"512,5{NBSP}t opgeslagen, capaciteit 500{NBSP}t"
    assert alert_text(over, "en") == f"512.5{NBSP}t stored, capacity 500{NBSP}t"
    stored = Alert("stored_too_long", "arr-1", hub="hub-x", limit=180, day=date(2026, 3, 1))
    assert alert_text(stored, "nl") == "ligt langer dan 180 dagen in hub-x (binnengekomen 1 maart 2026)"
    expiring = Alert("supply_expiring", "s-a", day=date(2026, 7, 31))
    assert alert_text(expiring, "nl") == "beschikbaar tot en met 31 juli 2026, nog geen afnemer gevonden"
    assert alert_text(expiring, "en") == "available until 31 July 2026, no candidate match"


def test_calendar_filters_and_pages_a_large_corridor(tmp_path):
    """500 projects: filtered by partner, category and period, 25 projects a page, pages linked, all offline."""
    from cgc_rules.corridor.allocate import allocate
    from cgc_rules.corridor.engine import current
    from cgc_rules.corridor.load import load_corridor
    from cgc_rules.corridor.views import CalendarView, calendar_pages

    from .test_corridor_index import seeded

    c, f = current(load_corridor(seeded(tmp_path, projects=500, lines=1500, hubs=3)), date(2026, 6, 1))
    allocations = allocate(c, f.candidates)

    def name(k: int) -> str:
        return "cal.html" if k == 1 else f"cal-{k}.html"

    pages = calendar_pages(c, f, allocations, "nl", CalendarView(per_page=25), name)
    assert len(pages) == 20
    assert calendar_pages(c, f, allocations, "nl", CalendarView(per_page=25), name, [7, 2]) == [pages[1], pages[6]]
    assert [name for name, _ in pages[:2]] == ["cal.html", "cal-2.html"]
    first, second = _text(pages[0][1]), pages[1][1]
    assert "pagina 1/20" in first
    assert "25 van 500 projecten" in first
    assert 'href="cal.html"' in second
    assert 'href="cal-3.html"' in second
    assert all("http" not in p.replace('xmlns="http://www.w3.org/2000/svg"', "") for _, p in pages)
    view = CalendarView(category="c1", start=date(2026, 7, 1), end=date(2026, 7, 31), per_page=50)
    pages = calendar_pages(c, f, allocations, "en", view, name)
    shown = set(re.findall(r"<title>(l-\d+) ·", "".join(p for _, p in pages)))
    expected = {
        ln.id
        for ln in (*c.supply, *c.demand)
        if ln.category == "c1"
        and (ln.available if hasattr(ln, "available") else ln.needed).end >= date(2026, 7, 1)
        and (ln.available if hasattr(ln, "available") else ln.needed).start <= date(2026, 7, 31)
    }
    assert shown == expected
    assert expected
    assert "category c1" in _text(pages[0][1])
    assert "1 July 2026" in _text(pages[0][1])
    res = CliRunner().invoke(
        main,
        [
            "corridor",
            "calendar",
            str(ROOT),
            "--as-of",
            "2026-05-20",
            "--partner",
            "gemeente-amersfoort",
            "--per-page",
            "1",
            "-o",
            str(tmp_path / "g.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "g-2.html").exists()
    assert "gemeente-amersfoort" in (tmp_path / "g.html").read_text()


def _as_before(lang: str) -> dict[str, object]:
    """The example's JSON document built as the view built it before it streamed: every record copied whole
    (`asdict`), every text rendered in `lang`."""
    from dataclasses import asdict

    from cgc_rules.corridor.texts import allocation_text
    from cgc_rules.i18n import render
    from cgc_rules.jobs import corridor as job

    view = job.match(ROOT, date(2026, 5, 20), lang)
    f, c = view.findings, view.corridor
    return {
        "corridor": c.meta.id,
        "version": c.version,
        "example_data": c.meta.example,
        "as_of": f.as_of.isoformat(),
        "rules_of_play": {
            n: {"value": p.value, "unit": p.unit, "example_value": p.example, "origin": p.origin}
            for n, p in sorted(c.parameters.items())
        },
        "candidates": [asdict(r) for r in f.candidates],
        "refusals": [
            {
                **asdict(x.route),
                "reason": x.reason,
                "rule": x.rule,
                "limit": x.limit,
                "text": refusal_text(x, lang),
            }
            for x in f.refusals
        ],
        "allocations": [
            {
                **asdict(a.route),
                "tonnes": a.tonnes,
                "tonne_km": a.tonne_km,
                "full_hubs": [h.hub for h in a.full_hubs],
                "text": allocation_text(a, lang),
                "emission_free": a.emission_free,
                "transport": [{"by": by, "mode": mode} for by, mode in a.transport],
                "alternatives": [
                    {"route": x.route.key, "km": x.route.km, "lost": x.lost, "hub": x.hub, "text": render(lang, x.msg)}
                    for x in a.alternatives
                ],
            }
            for a in view.allocations
        ],
        "alerts": [
            {
                "kind": a.kind,
                "subject": a.subject,
                "hub": a.hub,
                "tonnes": a.tonnes,
                "limit": a.limit,
                "day": a.day.isoformat() if a.day else None,
                "other": a.other,
                "text": alert_text(a, lang),
            }
            for a in f.alerts
        ],
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_json_streams_the_same_document_compact_or_pretty(lang):
    base = ["corridor", "match", str(ROOT), "--as-of", "2026-05-20", "--format", "json", "--lang", lang]
    before = _as_before(lang)
    assert before["refusals"]
    assert before["allocations"]
    compact = CliRunner().invoke(main, base)
    assert compact.exit_code == 0
    assert compact.output.count("\n") == 1  # one line, ending the document
    assert json.loads(compact.output) == before
    pretty = CliRunner().invoke(main, [*base, "--pretty"])
    assert pretty.exit_code == 0
    assert pretty.output == json.dumps(before, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_json_items_are_joined_across_batches(monkeypatch):
    from cgc_rules.corridor import views
    from cgc_rules.jobs import corridor as job

    monkeypatch.setattr(views, "_BATCH", 1)  # every item its own piece
    view = job.match(ROOT, date(2026, 5, 20), "nl")
    chunks = list(views.json_chunks(view))
    assert len(chunks) > len(view.findings.refusals) + len(view.allocations)
    assert json.loads("".join(chunks)) == _as_before("nl")


def _written(refusals, texts) -> list:
    """Refusals written straight to JSON (`views._refusals_json`), read back."""
    from cgc_rules.corridor import views

    return json.loads("[" + ",".join(views._refusals_json(refusals, texts)) + "]")


def test_a_refused_route_written_straight_to_json_reads_back_as_its_record():
    from cgc_rules.corridor import views

    texts = views._Texts("nl")
    odd = Route('s-"quoted"\\é', "d-\n-b", "hub-ü", 17.25, 30.0, 0)
    refused = [Refusal(odd, "distance", "too_far", 15), Refusal(odd, "time", "stored_too_long", float("inf"))]
    assert _written(refused, texts) == [views._refusal(x, texts) for x in refused]
    assert _written(refused, texts)[0]["limit"] == 15
    assert '"limit":15,' in "".join(views._refusals_json(refused, texts))  # an int limit stays an int


def test_the_engines_refusals_are_written_from_columns_as_from_records(monkeypatch):
    from cgc_rules.corridor import views
    from cgc_rules.corridor.index import Refusals
    from cgc_rules.jobs import corridor as job

    monkeypatch.setattr("cgc_rules.corridor.index.READ_AT_ONCE", 2)  # columns of two refusals at a time
    view = job.match(ROOT, date(2026, 5, 20), "nl")
    refusals = view.findings.refusals
    assert isinstance(refusals, Refusals)
    assert len(refusals) > 2
    texts = views._Texts("nl")
    from_columns = ",".join(views._refusals_json(refusals, texts))
    assert from_columns == ",".join(views._refusals_json(list(refusals), texts))
    assert json.loads(f"[{','.join(views._refusals_json(refusals, texts))}]") == [
        views._refusal(x, texts) for x in refusals
    ]


def test_compact_json_pauses_the_collector_only_while_it_writes():
    import gc

    from cgc_rules.corridor import views
    from cgc_rules.jobs import corridor as job

    view = job.match(ROOT, date(2026, 5, 20), "nl")
    assert gc.isenabled()
    chunks = views.json_chunks(view)
    next(chunks)
    assert not gc.isenabled()
    chunks.close()  # a reader that stops early (a closed pipe) resumes it too
    assert gc.isenabled()
    for _ in views.json_chunks(view, pretty=True):
        assert gc.isenabled()  # the indenting encoder makes cycles: it runs with the collector
    assert json.loads(views.match_json(view)) == _as_before("nl")
    assert gc.isenabled()


def test_dutch_json_renders_no_english_and_each_text_once(monkeypatch):
    from cgc_rules.corridor import views
    from cgc_rules.i18n import Msg
    from cgc_rules.jobs import corridor as job

    view = job.match(ROOT, date(2026, 5, 20), "nl")
    rendered: list[tuple[str, str]] = []

    def render(lang: str, msg: Msg) -> str:  # a spy: passes through
        rendered.append((lang, msg.key))
        return real(lang, msg)

    real = views.render
    monkeypatch.setattr(views, "render", render)
    json.loads(views.match_json(view))
    assert rendered
    assert {lang for lang, _ in rendered} == {"nl"}
    rendered.clear()
    texts = views._Texts("nl")
    far = [Refusal(Route(f"s-{i}", "d-b", "", 19.5, 20.0 + i, 0), "distance", "too_far", 15) for i in range(3)]
    written = _written([*far, *far], texts)  # one leg, limit and rule
    assert [w["km"] for w in written] == [20.0, 21.0, 22.0, 20.0, 21.0, 22.0]
    assert rendered == [("nl", "corridor.refusal.too_far")]
    assert {w["text"] for w in written} == {f"langste rit 19,5{NBSP}km, meer dan de grens van 15{NBSP}km"}


def test_alternatives_are_written_from_columns_as_the_records_tell_them():
    """One allocation of 7.5 km along s4's route to demand d, and the four other routes to d with room left, as
    the plan keeps them (columns): a shorter route lost because the demand was met, a longer one as longer, one
    whose supply went elsewhere, one through a full hub. The compact and the indented JSON write each as its record
    (`Alternative`) and its message say it, the allocation's own route left out."""
    from dataclasses import replace

    import numpy as np

    from cgc_rules.corridor.allocate import HUB_FULL, LONGER, SUPPLY_USED, Allocation, Alternatives, Contenders
    from cgc_rules.corridor.findings import Candidates, RouteColumns
    from cgc_rules.i18n import render
    from cgc_rules.jobs import corridor as job

    routes = [
        Route("s0", "d", "", 4.0, 4.0, 0),
        Route("s1", "d", "hub-x", 5.0, 9.5, 3),
        Route("s2", "d", "", 12.0, 12.0, 0),
        Route("s3", "d", "hub-y", 4.0, 6.0, 2),
        Route("s4", "d", "", 7.5, 7.5, 0),
    ]
    table = RouteColumns.of(routes)
    why = np.array([LONGER, LONGER, SUPPLY_USED, HUB_FULL, LONGER])
    contenders = Contenders(table, table.hub_ids, Candidates.of(routes), np.arange(5), np.arange(5), why)
    alternatives = Alternatives(contenders, 0, 5, 4, 7.5)
    view = replace(
        job.match(ROOT, date(2026, 5, 20), "nl"), allocations=[Allocation(routes[4], 10.0, 75.0, (), (), alternatives)]
    )
    expected = [
        {
            "hub": "",
            "km": 4.0,
            "lost": "demand_met",
            "route": "s0>direct>d",
            "text": "s0>direct>d: de vraag was al gedekt",
        },
        {"hub": "", "km": 9.5, "lost": "longer", "route": "s1>hub-x>d", "text": "s1>hub-x>d: 9,5\u00a0km, langer"},
        {
            "hub": "",
            "km": 12.0,
            "lost": "supply_used",
            "route": "s2>direct>d",
            "text": "s2>direct>d: het aanbod ging naar een andere vraag",
        },
        {"hub": "hub-y", "km": 6.0, "lost": "hub_full", "route": "s3>hub-y>d", "text": "s3>hub-y>d: hub-y zat vol"},
    ]
    told = [
        {"hub": x.hub, "km": x.route.km, "lost": x.lost, "route": x.route.key, "text": render("nl", x.msg)}
        for x in alternatives
    ]
    assert told == expected
    for pretty in (False, True):
        written = json.loads("".join(views.json_chunks(view, pretty)))
        assert written["allocations"][0]["alternatives"] == expected
    assert view.data()["allocations"][0]["alternatives"] == expected
