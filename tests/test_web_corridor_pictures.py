"""The web corridor page shows the flow chart and the map of the yearly report, as images served by its own
routes under the strict page CSP (not bypassed here), with the flows as a table, and passes axe.

`CGC_SCREENSHOTS=docs/img` keeps the screenshots docs/corridor.md shows (`corridor-web-*.png`)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from cgc_rules.jobs.corridor import directory
from cgc_rules.jobs.corridor_flows import corridor_flows
from tests.test_web_browser import browser, pytestmark, server  # noqa: F401

DAY = "2026-05-20"
PAGE = f"/corridor?corridor=amersfoort-voorbeeld&datum={DAY}"


def axe(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations (`test_web_browser.violations`, with axe loaded from the server)."""
    result = page.evaluate("""() => axe.run(document, {iframes: false,
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in result["violations"]]


def test_corridor_page_shows_flow_chart_map_and_flow_table_under_the_strict_csp(server, browser, tmp_path):  # noqa: F811
    expected = corridor_flows(directory("amersfoort-voorbeeld"), date.fromisoformat(DAY)).figures
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(server + PAGE)
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    for image in ("#grafiek-stromen", "#grafiek-kaart"):
        assert page.evaluate(f"document.querySelector('{image}').naturalWidth") > 0, image
        assert page.get_attribute(image, "alt")
    rows = [r.split("\t") for r in page.locator("tr.cgc-flow").all_inner_texts()]
    # the example: 80 t bricks to Kop van Isselt, 35 t steel beams to Bovenduist (docs/corridor.md)
    assert [(r[1], r[2]) for r in rows] == [("kop-van-isselt", "80"), ("bovenduist", "35")]
    assert [(f.project, f.tonnes) for f in expected.flows] == [("kop-van-isselt", 80.0), ("bovenduist", 35.0)]
    assert "kop-van-isselt" in (page.get_attribute("#grafiek-stromen", "alt") or "")
    assert "hub-hoevelaken" in (page.get_attribute("#grafiek-kaart", "alt") or "")
    assert blocked == []
    page.add_script_tag(url=server + "/static/vendor/axe.min.js")  # from 'self': the page CSP allows it
    assert axe(page) == []
    assert blocked == []
    out = Path(os.environ.get("CGC_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    page.locator("#stromen").scroll_into_view_if_needed()
    for name, selector in (("corridor-web-stromen", "#stroomschema"), ("corridor-web-kaart", "#kaart")):
        page.locator(selector).screenshot(path=str(out / f"{name}.png"))
        assert (out / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    context.close()


def test_pictures_are_svg_images_with_the_document_csp(server):  # noqa: F811
    import urllib.request

    for path in ("/corridor/stromen.svg", "/corridor/kaart.svg"):
        with urllib.request.urlopen(f"{server}{path}?corridor=amersfoort-voorbeeld&datum={DAY}") as r:  # noqa: S310
            assert r.headers["content-type"].startswith("image/svg+xml")
            assert "script-src" not in r.headers["content-security-policy"]
            assert b"<svg" in r.read()
