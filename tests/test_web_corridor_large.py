"""The web corridor page on a corridor of 800 lines: each list shows its first `TABLE_ROWS` items and a sentence
counting the rest (the counts the corridor job itself finds), `alles=1` shows everything, the lines table filters
by project while a line chosen for correction or just added is still found, and the alt texts name a few flows and
places and count the rest. The page passes axe in Chromium. The calendar comes in pages of
`job.CALENDAR_PROJECTS` projects, linked to each other; the example corridor's calendar is one page, as before."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cgc_rules.jobs import corridor as job
from cgc_rules.jobs.corridor_flows import figures
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config
from tests.generated_corridor import Shape, generate
from tests.test_web_browser import browser, served, violations  # noqa: F401
from tests.test_web_browser import pytestmark as needs_chromium

DAY = "2027-01-01"
LINES = 800
PROJECTS = 20  # 40 lines a project
PAGE = f"/corridor?corridor=large&datum={DAY}"
CALENDAR = f"/corridor/kalender.html?corridor=large&datum={DAY}"
N = job.TABLE_ROWS


SHAPE = Shape(
    id="large",
    name="Grote corridor",
    lines=LINES,
    projects=PROJECTS,
    half_lat=0.1,
    half_lon=0.15,
    approximate=False,
    hubs=1,
    hub_id="hub-{}",
    project_id="pr-{:02d}",
    line_id="l-{:04d}",
    description="regel {}",
)
"""`LINES` lines (half supply, half demand) over `PROJECTS` projects, one hub and 60 categories, windows over five
years from 1 January 2026 (the shape of `bench/corridor_bench.py`, in a smaller region)."""


@pytest.fixture(scope="module")
def corridor(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corridors") / "c", SHAPE)


@pytest.fixture(scope="module")
def client(corridor, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "store.sqlite"
    return TestClient(create_app(Config(database_url=str(db), corridors_dir=corridor.parent)))


@pytest.fixture(scope="module")
def view(corridor) -> job.MatchView:
    return job.match(corridor, date.fromisoformat(DAY), "nl")


def rows(html: str, cls: str) -> int:
    return len(re.findall(rf'class="utrecht-[a-z-]+__(?:row|item) {cls}[ "]', html))


def test_each_list_shows_its_first_rows_and_counts_the_rest(client, view):
    html = client.get(PAGE).text
    allocations, unmatched = len(view.allocations), len(job.unmatched_refusals(view.findings))
    assert allocations > N  # the corridor is large enough for every list to be cut
    assert unmatched > N
    assert unmatched < len(view.findings.refusals)  # refused routes of pairs with a valid route are left out
    assert rows(html, "cgc-allocation") == N
    assert rows(html, "cgc-refusal") == N
    assert rows(html, "cgc-flow") == N
    assert rows(html, "cgc-line") == N
    assert f"… en nog {allocations - N} toewijzingen." in html
    assert f"… en nog {unmatched - N} afwijzingen." in html
    assert f"… en nog {LINES - N} regels." in html  # 750 of the 800 lines
    assert "Afwijzingen: aanbod en vraag zonder geldige route" in html
    assert 'href="/corridor/kalender.html?corridor=large&amp;datum=2027-01-01">kalender</a>' in html
    assert "cgc corridor match --format json" in html
    assert f'href="/corridor?corridor=large&amp;datum={DAY}&amp;alles=1#toewijzingen">Alles tonen</a>' in html
    assert "<iframe" not in html  # the calendar of a large corridor is a link, not embedded
    assert len(html) < 200_000


def test_alt_texts_name_ten_largest_flows_and_hubs_first_and_count_the_rest(client, view):
    html = client.get(PAGE).text
    flows = sorted(figures(view).flows, key=lambda f: -f.tonnes)
    alt = re.search(r'id="grafiek-stromen"[^>]* alt="([^"]*)"', html)
    assert alt
    named = alt.group(1).split("; ")[1:]
    assert len(named) == 11  # ten flows and the count
    assert named[0].endswith(f"naar {flows[0].project}: {flows[0].tonnes:g} ton")
    assert named[-1] == f"en nog {len(flows) - 10} kleinere stromen, zie de tabel."
    places = re.search(r'id="grafiek-kaart"[^>]* alt="([^"]*)"', html)
    assert places
    assert places.group(1).split("; ")[1] == "hub-0: Hub 0 (hub)"
    assert f"en nog {PROJECTS + 1 - 10} projecten en hubs" in places.group(1)


def test_everything_on_request(client, view):
    html = client.get(PAGE + "&alles=1").text
    assert rows(html, "cgc-allocation") == len(view.allocations)
    assert rows(html, "cgc-refusal") == len(job.unmatched_refusals(view.findings))
    assert rows(html, "cgc-alert") == len(view.findings.alerts)
    assert rows(html, "cgc-line") == LINES
    assert "… en nog" not in html


def test_lines_of_one_project_and_a_line_beyond_the_first_rows_is_still_found(client, view):
    ids = sorted((ln.project, ln.id) for ln in (*view.corridor.supply, *view.corridor.demand))
    project = "pr-07"
    own = [i for p, i in ids if p == project]
    html = client.get(PAGE + f"&project={project}").text
    assert rows(html, "cgc-line") == len(own)
    assert re.findall(r'class="utrecht-table__row cgc-line" id="lijn-([^"]+)"', html) == own
    assert "<option selected>pr-07</option>" in html
    last = ids[-1][1]  # the last line of the last project: far beyond the first rows of all lines
    fixing = client.get(PAGE + f"&corrigeer={last}").text
    assert f'id="regel" name="regel" type="text" value="{last}"' in fixing
    added = client.get(PAGE + f"&toegevoegd={last}").text
    assert f'id="lijn-{last}"' in added
    assert rows(added, "cgc-line") == N + 1


@needs_chromium[0]
@needs_chromium[1]
def test_the_large_page_passes_axe(corridor, browser, tmp_path):  # noqa: F811
    """`CGC_SCREENSHOTS=DIR` keeps its screenshot."""
    out = Path(os.environ.get("CGC_SCREENSHOTS") or tmp_path)
    with served(create_app(Config(database_url=str(tmp_path / "s.sqlite"), corridors_dir=corridor.parent))) as url:
        context = browser.new_context(bypass_csp=True, locale="nl-NL", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url + PAGE)
        assert page.locator("tr.cgc-allocation").count() == N
        assert violations(page) == []
        page.screenshot(path=str(out / "corridor-large.png"), full_page=True)
        assert (out / "corridor-large.png").read_bytes().startswith(b"\x89PNG")
        context.close()


def _section(html: str, title: str) -> str:
    """The calendar's table under the heading `title`."""
    return html.split(f"<h2>{title}</h2>", 1)[1].split("<h2>", 1)[0]


def _pairs(html: str, title: str) -> list[tuple[str, str]]:
    """The (supply, demand) of each row of the calendar's table under `title`."""
    return re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", _section(html, title))


def test_the_calendar_comes_in_pages_of_ten_projects_linked_to_each_other(client, view):
    assert job.CALENDAR_PROJECTS == 10
    pages = [client.get(CALENDAR).text, client.get(CALENDAR + "&pagina=2").text]
    project_of = {ln.id: ln.project for ln in (*view.corridor.supply, *view.corridor.demand)}
    unmatched = job.unmatched_refusals(view.findings)
    for number, html in enumerate(pages, 1):
        own = {f"pr-{i:02d}" for i in range(10 * (number - 1), 10 * number)}
        timelines = re.findall(r'<text x="4" y="\d+" font-weight="bold">([^<]+)</text>', html)
        assert timelines == [f"Project {i}" for i in range(10 * (number - 1), 10 * number)]
        assert f"10 van {PROJECTS} projecten<br>\npagina {number}/2" in html
        touching = [(a.route.supply, a.route.demand) for a in view.allocations]
        expected = [(s, d) for s, d in touching if project_of[s] in own or project_of[d] in own]
        assert sorted(_pairs(html, "Toewijzingen")) == sorted(expected)
        refused = [(x.route.supply, x.route.demand) for x in unmatched]
        expected = [(s, d) for s, d in refused if project_of[s] in own or project_of[d] in own]
        assert len(_pairs(html, "Afgewezen combinaties (zonder geldige route)")) == len(expected)
    link = "/corridor/kalender.html?corridor=large&amp;datum=2027-01-01&amp;pagina="
    assert f'<a href="{link}2">volgende</a>' in pages[0]
    assert "vorige" not in pages[0]
    assert f'<a href="{link}1">vorige</a>' in pages[1]
    assert "volgende" not in pages[1]
    together = {*_pairs(pages[0], "Toewijzingen"), *_pairs(pages[1], "Toewijzingen")}
    assert together == {(a.route.supply, a.route.demand) for a in view.allocations}


@pytest.mark.parametrize(
    ("cal", "pages"),
    [
        (job.CalendarView(per_page=10), 2),
        (job.CalendarView(start=date(2027, 1, 1), end=date(2027, 6, 30), per_page=10), 2),
        (job.CalendarView(category="cat-07", per_page=10), 1),
    ],
    ids=["all", "half a year", "one category"],
)
def test_a_calendar_page_is_the_command_lines_page_of_the_same_projects(corridor, view, cal, pages):
    """`cgc corridor calendar --per-page 10` (with `--from --to`, `--category`) writes the same pages; only the
    links differ (file names there)."""
    written = job.calendar(corridor, date.fromisoformat(DAY), "nl", cal, "kalender")
    assert len(written) == pages
    paged = job.calendar_pages_of(view, cal)
    assert len(paged.chunks) == pages
    for number, (name, html) in enumerate(written, 1):
        assert name == ("kalender.html" if number == 1 else f"kalender-{number}.html")
        href = lambda n: "kalender.html" if n == 1 else f"kalender-{n}.html"  # noqa: E731
        assert job.calendar_page(view, cal, paged, number, href) == html


def test_a_calendar_of_one_month(client, view):
    """The lines whose window meets March 2027, of the projects that have any, 10 projects a page."""
    period = "&van=2027-03-01&tot=2027-03-31"
    first = date(2027, 3, 1), date(2027, 3, 31)
    meets = {
        ln.id: ln.project
        for ln in (*view.corridor.supply, *view.corridor.demand)
        if (w := ln.available if hasattr(ln, "available") else ln.needed).end >= first[0] and w.start <= first[1]
    }
    projects = sorted(set(meets.values()))
    assert 10 < len(projects) < PROJECTS  # two pages, and the filter leaves some projects out
    html = client.get(CALENDAR + period).text
    bars = re.findall(r'<text x="[0-9.]+" y="\d+" style="fill:#fff">([^<]+)</text>', html)
    assert sorted(bars) == sorted(i for i, p in meets.items() if p in projects[:10])
    assert f"periode van 1 maart 2027 tot en met 31 maart 2027 · 10 van {PROJECTS} projecten" in html
    link = "/corridor/kalender.html?corridor=large&amp;datum=2027-01-01&amp;van=2027-03-01&amp;tot=2027-03-31"
    assert f'<a href="{link}&amp;pagina=2">volgende</a>' in html
    last = client.get(CALENDAR + period + "&pagina=2").text
    assert f"{len(projects) - 10} van {PROJECTS} projecten" in last
    backwards = client.get(CALENDAR + "&van=2027-06-30&tot=2027-01-01")
    assert backwards.status_code == 400
    assert "kies een datum ‘tot en met’ op of na de datum ‘vanaf’" in backwards.text


def test_the_calendar_page_of_a_project_and_pages_it_does_not_have(client):
    assert client.get(CALENDAR + "&project=pr-15").text == client.get(CALENDAR + "&pagina=2").text
    for asked in ("&pagina=3", "&pagina=0", "&pagina=twee"):
        refused = client.get(CALENDAR + asked)
        assert refused.status_code == 400
        assert "de kalender van deze corridor heeft pagina 1 tot en met 2." in refused.text
    unknown = client.get(CALENDAR + "&project=pr-99")
    assert unknown.status_code == 400
    assert "Project pr-99 staat niet in deze kalender" in unknown.text


def test_the_corridor_page_links_the_calendar_pages_and_a_chosen_projects_page(client):
    html = client.get(PAGE).text
    assert "kalender en kaart</a> als eigen pagina's, 10 projecten per pagina (2 pagina's)." in html
    assert 'id="kalender-project"' not in html
    assert (
        '<form method="get" action="/corridor/kalender.html" class="cgc-form cgc-inline" id="kalender-kiezen">' in html
    )
    assert '<option value="cat-07">cat-07</option>' in html
    chosen = client.get(PAGE + "&project=pr-07").text
    href = "/corridor/kalender.html?corridor=large&amp;datum=2027-01-01&amp;project=pr-07"
    assert f'<a class="utrecht-link" id="kalender-project" href="{href}">kalender van project pr-07</a>' in chosen


def test_the_example_calendar_is_one_page_as_before(tmp_path):
    """The bundled example (5 projects): the whole calendar, without page links."""
    base = tmp_path / "corridors"
    example = TestClient(create_app(Config(database_url=str(tmp_path / "s.sqlite"), corridors_dir=base)))
    html = example.get("/corridor/kalender.html?corridor=amersfoort-voorbeeld&datum=2026-05-20").text
    view = job.match(base / "amersfoort-voorbeeld", date(2026, 5, 20), "nl")
    assert len(view.corridor.projects) == 5
    assert html == view.page()
    assert "<nav" not in html


@needs_chromium[0]
@needs_chromium[1]
def test_the_calendar_pages_in_chromium(corridor, browser, tmp_path):  # noqa: F811
    """Page 1, then its link to page 2; then March 2027 chosen on the corridor page, then its second page.
    `CGC_SCREENSHOTS=DIR` keeps the screenshots."""
    out = Path(os.environ.get("CGC_SCREENSHOTS") or tmp_path)
    with served(create_app(Config(database_url=str(tmp_path / "s.sqlite"), corridors_dir=corridor.parent))) as url:
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url + CALENDAR)
        page.screenshot(path=str(out / "corridor-calendar-1.png"))
        page.get_by_role("link", name="volgende").click()
        page.wait_for_url("**pagina=2")
        assert page.locator("nav").inner_text().endswith("pagina 2/2 · vorige")
        assert page.locator("svg text[font-weight=bold]").first.text_content() == "Project 10"
        page.goto(url + PAGE)
        page.fill("#kalender-van", "2027-03-01")
        page.fill("#kalender-tot", "2027-03-31")
        page.get_by_role("button", name="Open de kalender").click()
        page.wait_for_url("**van=2027-03-01**")
        assert "periode van 1 maart 2027 tot en met 31 maart 2027" in page.locator("nav").inner_text()
        page.get_by_role("link", name="volgende").click()
        page.wait_for_url("**pagina=2")
        assert page.locator("nav").inner_text().endswith("pagina 2/2 · vorige")
        page.screenshot(path=str(out / "corridor-calendar-maart-2.png"))
        assert (out / "corridor-calendar-maart-2.png").read_bytes().startswith(b"\x89PNG")
        context.close()


def test_categories_are_kept_until_a_file_of_the_corridor_changes(tmp_path, monkeypatch):
    """The corridor is loaded once for its categories; a posted line of a new category (the events file replaced)
    is in the next list."""
    corridor = job.seeded(tmp_path / "corridors") / "amersfoort-voorbeeld"
    loads: list[Path] = []
    load = job.load_corridor
    monkeypatch.setattr(job, "load_corridor", lambda d: loads.append(d) or load(d))
    known = ["brick", "roof-tiles", "steel-beams", "timber-beams"]
    assert job.categories(corridor) == known
    assert job.categories(corridor) == known
    assert len(loads) == 1
    line = {"id": "s-glas", "project": "stadhuis", "category": "glass", "description": "Vlakglas", "quantity": 5}
    window = {"start": "2026-06-01", "end": "2026-07-01"}
    job.post(
        corridor, {"type": "line_put", "day": "2026-05-20", "supply": line | {"condition": "good", "available": window}}
    )
    assert job.categories(corridor) == ["brick", "glass", "roof-tiles", "steel-beams", "timber-beams"]
    assert len(loads) == 2
