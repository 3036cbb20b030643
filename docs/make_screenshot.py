"""Regenerate docs/graph.png: the sample graph in headless Chromium, with one relation's evidence open.

Usage: ``kg build examples/articles --out output && python docs/make_screenshot.py output/graph.html docs/graph.png``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from chromium_cdp import Chromium, find_chromium

# The middle of the "invests in" line reported by the most sources, in page coordinates.
BEST_INVESTMENT = """(function () {
  var box = document.getElementById('kg-network').getBoundingClientRect();
  var best = kg.edges.get({ filter: function (e) { return e.relation === 'invests in'; } })
    .sort(function (a, b) { return b.sources - a.sources; })[0];
  var p = kg.network.canvasToDOM(kg.network.body.edges[best.id].edgeType.getPoint(0.5));
  return [p.x + box.left, p.y + box.top];
})()"""


def main(page: Path, target: Path) -> None:
    executable = find_chromium()
    if executable is None:
        raise SystemExit("needs Chromium (apt-get install chromium)")
    with Chromium(executable) as browser:
        browser.open(page.resolve().as_uri(), "window.kg && window.kg.ready")
        x, y = browser.evaluate(BEST_INVESTMENT)
        browser.click(x, y)
        browser.mouse("mouseMoved", x, y)
        time.sleep(1.0)
        target.write_bytes(browser.screenshot())
    print(f"wrote {target} ({target.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
