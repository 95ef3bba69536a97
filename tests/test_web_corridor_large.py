"""The web corridor page on a corridor of 800 lines: each list shows its first `TABLE_ROWS` items and a sentence
counting the rest (the counts the corridor job itself finds), `alles=1` shows everything, the lines table filters
by project while a line chosen for correction or just added is still found, and the alt texts name a few flows and
places and count the rest. The page passes axe in Chromium."""

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
