"""kg render in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

Each test opens a page written by kg, waits until vis.js has drawn it, hovers and
clicks every node and line (which shows their tooltips and evidence), and checks
what happened: which requests left the page, whether a JavaScript dialog opened,
whether hostile text ran as script.  A control test shows that the same checks
catch pyvis's own page running a hostile tooltip.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from chromium_cdp import Chromium, find_chromium
from conftest import Built, run_cli
from render_samples import HOSTILE, hostile_graph

from kg.render import Inline, RenderFilter, filter_graph, render_html, write_page
from kg.render.project import project_store
from kg.store import GraphStore

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)"
)

READY = "window.kg && window.kg.ready"
NODE_POINTS = """(function () {
  var box = document.getElementById('kg-network').getBoundingClientRect();
  var positions = kg.network.getPositions();
  return Object.keys(positions).map(function (id) {
    var p = kg.network.canvasToDOM(positions[id]);
    return [id, p.x + box.left, p.y + box.top];
  });
})()"""
EDGE_POINTS = """(function () {
  var box = document.getElementById('kg-network').getBoundingClientRect();
  return kg.edges.getIds().map(function (id) {
    var p = kg.network.canvasToDOM(kg.network.body.edges[id].edgeType.getPoint(0.5));
    return [id, p.x + box.left, p.y + box.top];
  });
})()"""
TOOLTIP = """(function () {
  var tip = document.querySelector('div.vis-tooltip');
  if (!tip || getComputedStyle(tip).visibility !== 'visible') return null;
  return [tip.textContent, tip.querySelectorAll('img, script, svg, iframe, object').length];
})()"""
PWNED = "typeof window.__kgPwned === 'undefined' ? null : window.__kgPwned"


@pytest.fixture
def browser() -> Any:
    """A fresh browser per test; on a machine too busy to start one in time, one more try."""
    assert CHROMIUM is not None
    try:
        chromium = Chromium(CHROMIUM)
    except TimeoutError:
        chromium = Chromium(CHROMIUM)
    with chromium:
        yield chromium


def _open(browser: Chromium, page: Path) -> str:
    url = page.resolve().as_uri()
    browser.open(url, READY)
    return url


def _hover(browser: Chromium, x: float, y: float) -> tuple[str, int] | None:
    """Move the mouse onto a point, wait for vis.js's tooltip; (its text, elements that should not exist)."""
    browser.mouse("mouseMoved", x + 200, y + 200)  # away first, so every hover is a fresh one
    browser.mouse("mouseMoved", x, y)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        tip = browser.evaluate(TOOLTIP)
        if tip:
            return str(tip[0]), int(tip[1])
        time.sleep(0.05)
    return None


def _touch_everything(browser: Chromium) -> list[str]:
    """Hover and click every node and edge; the tooltip texts seen."""
    seen = []
    for points in (browser.evaluate(NODE_POINTS), browser.evaluate(EDGE_POINTS)):
        for _id, x, y in points:
            tip = _hover(browser, x, y)
            assert tip is not None, f"no tooltip over {_id}"
            text, active = tip
            assert active == 0, f"the tooltip of {_id} holds live elements"
            seen.append(text)
            browser.click(x, y)
    return seen


def _dialogs(browser: Chromium) -> list[str]:
    return [e["params"].get("message", "") for e in browser.events_named("Page.javascriptDialogOpening")]


def _errors(browser: Chromium) -> list[str]:
    logged = browser.events_named("Log.entryAdded", lambda e: e["params"]["entry"]["level"] == "error")
    thrown = browser.events_named("Runtime.exceptionThrown")
    return [e["params"]["entry"]["text"] for e in logged] + [str(e["params"]) for e in thrown]


def _non_white_share(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not (nearly) white, and the number of distinct colours."""
    from PIL import Image

    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    coloured = sum(1 for pixel in pixels if min(pixel) < 235)
    return coloured / len(pixels), len(set(pixels))


ORGANIZATION_BLUE = (0x4E, 0x79, 0xA7)


def _pixels_like(png: bytes, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    """Pixels within ``tolerance`` of ``colour`` on every channel (the legend swatch alone has about 150)."""
    from PIL import Image

    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(
        1
        for i in range(0, len(raw), 3)
        if abs(raw[i] - colour[0]) <= tolerance
        and abs(raw[i + 1] - colour[1]) <= tolerance
        and abs(raw[i + 2] - colour[2]) <= tolerance
    )


def test_sample_graph_draws_offline_and_answers(browser: Chromium, built_examples: Built) -> None:
    page = built_examples.out / "graph.html"
    url = _open(browser, page)
    embedded = browser.evaluate("JSON.parse(document.getElementById('kg-data').textContent).nodes.length")
    assert browser.evaluate("kg.nodes.length") == embedded > 50
    assert browser.evaluate("kg.network.body.nodeIndices.length") == embedded, "every node is in the drawing"
    png = browser.screenshot()
    share, colours = _non_white_share(png)
    assert share > 0.02 and colours > 50, f"the screenshot looks blank ({share:.1%} coloured, {colours} colours)"
    assert _pixels_like(png, ORGANIZATION_BLUE) > 2000, "organizations are drawn in their colour"

    openai = next(p for p in browser.evaluate(NODE_POINTS) if p[0].endswith("/org/openai"))
    tip = _hover(browser, openai[1], openai[2])
    assert tip is not None and "OpenAI" in tip[0] and "Q21708200" in tip[0]
    browser.click(openai[1], openai[2])
    assert browser.evaluate("document.querySelector('#kg-details a[href*=\"Q21708200\"]') !== null")

    browser.evaluate("document.getElementById('kg-search').value = 'softbank group corp.'")
    browser.evaluate("document.getElementById('kg-search-form').requestSubmit()")
    assert browser.evaluate("kg.network.getSelectedNodes()") == ["https://kg.example.org/id/org/softbank-group"]

    browser.evaluate("document.querySelector('input[data-kind=person]').click()")
    hidden = browser.evaluate(
        "kg.nodes.get({filter: function (n) { return n.kind === 'person'; }}).every(n => n.hidden)"
    )
    assert hidden is True

    assert browser.requests() == [url], "the page asked for something besides itself"
    assert _errors(browser) == []


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_hostile_text_executes_nothing(browser: Chromium, tmp_path: Path, csp: bool) -> None:
    page = write_page(render_html(hostile_graph(), title=HOSTILE[1], content_security_policy=csp), tmp_path / "h.html")
    url = _open(browser, page)
    seen = _touch_everything(browser)
    assert any(HOSTILE[0] in text for text in seen), "the hostile label is shown, as text"
    assert any(HOSTILE[1] in text for text in seen), "the hostile article title is shown, as text"
    details = browser.evaluate("document.getElementById('kg-details').querySelectorAll('img, script, svg').length")
    assert details == 0
    browser.evaluate(f"document.getElementById('kg-search').value = {HOSTILE[0]!r}")
    browser.evaluate("document.getElementById('kg-search-form').requestSubmit()")
    assert browser.evaluate("kg.network.getSelectedNodes()") == ["urn:e1"]
    time.sleep(0.3)
    assert browser.evaluate(PWNED) is None, "a hostile string ran as script"
    assert _dialogs(browser) == []
    assert browser.requests() == [url], "a hostile string made the page load something"
    assert _errors(browser) == [], "no CSP violation: nothing hostile even reached the DOM as markup"


def test_hostile_article_end_to_end(browser: Chromium, tmp_path: Path) -> None:
    result = run_cli("build", "tests/fixtures/bad/hostile.txt", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    url = _open(browser, tmp_path / "graph.html")
    seen = _touch_everything(browser)
    assert any("<script>alert(1)</script>" in text for text in seen), "the article's hostile title is shown as text"
    assert any("<img src=x onerror=alert(1)>" in text for text in seen), "its hostile sentence too"
    assert _dialogs(browser) == []
    assert browser.requests() == [url]


def test_control_pyvis_own_page_runs_a_hostile_tooltip(browser: Chromium, tmp_path: Path) -> None:
    """Why kg writes its own page, and proof that these checks catch script and requests."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("a", label="a", title='<img src=x onerror="window.__kgPwned=1"> see href')
    net.add_node("b", label="b", title="plain")
    net.add_edge("a", "b")
    page = tmp_path / "pyvis.html"
    page.write_text(net.generate_html(), encoding="utf-8")
    browser.open(page.resolve().as_uri(), "typeof network !== 'undefined'")
    browser.evaluate("network.setOptions({physics: false}); network.fit()")
    x, y = browser.evaluate(
        "(function(){var p = network.canvasToDOM(network.getPositions(['a']).a);"
        "var r = document.getElementById('mynetwork').getBoundingClientRect(); return [p.x + r.left, p.y + r.top];})()"
    )
    browser.mouse("mouseMoved", x, y)
    deadline = time.monotonic() + 5
    while browser.evaluate(PWNED) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert browser.evaluate(PWNED) == 1, "pyvis put the title in as HTML and its handler ran"
    assert any("cdn.jsdelivr.net" in url for url in browser.requests()), "pyvis's page asks a CDN for Bootstrap"


def test_notebook_frame_draws_the_graph(browser: Chromium, built_examples: Built, tmp_path: Path) -> None:
    """What the notebook shows: the page inside a sandboxed frame of another page, still drawn, still offline."""
    store = GraphStore(built_examples.store_path, read_only=True)
    page = render_html(filter_graph(project_store(store), RenderFilter(co_mentions=False)))
    del store
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{Inline(page)._repr_html_()}</body></html>", "utf-8")
    browser.open(host.resolve().as_uri())
    deadline = time.monotonic() + 30
    blue = _pixels_like(browser.screenshot(), ORGANIZATION_BLUE)
    while blue < 2000 and time.monotonic() < deadline:
        time.sleep(0.5)
        blue = _pixels_like(browser.screenshot(), ORGANIZATION_BLUE)
    assert blue >= 2000, f"the framed graph never drew its organizations ({blue} blue pixels)"
    assert [u for u in browser.requests() if not u.startswith(("file:", "about:"))] == []
