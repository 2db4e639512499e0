"""The views, charts and report: offline, safe with hostile text, drawn in a real (headless) Chromium.

Browser tests use Debian's Chromium through Playwright's Python package and are skipped, saying why,
when /usr/bin/chromium is absent (``make browser`` installs it). A browser is never downloaded.
"""

from __future__ import annotations

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graphkit.analyse import cooccurrence_graph, entity_graph, load_graph_rows, neighbourhood, view_rows
from graphkit.cli import main
from graphkit.viz import BUILD_VIEWS, write_build_views
from graphkit.viz.charts import cooccurrence_heatmap, grade_timeline_chart, topic_frequency_chart
from graphkit.viz.page import network_html, script_json, tip
from graphkit.viz.report import html_table, report_html
from graphkit.viz.views import View, render

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Debian's chromium is not installed at {CHROMIUM} (run `make browser`)")

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')
PAYLOAD = " ".join(PAYLOADS)
ARTICLE = (f"Dudley {PAYLOADS[0]} review\n"
           f"Dudley Council's children's services were judged inadequate by Ofsted. {PAYLOAD} "
           "caseloads remain too high.\n")


# ---------------------------------------------------------------- builds


def _build(sources: list[Path], out: Path) -> Path:
    from graphkit.pipeline import build
    from graphkit.store.embedded import open_store

    report = build(sources, out)
    assert report.ok, report.errors
    if not (out / BUILD_VIEWS["report"]).exists():  # until the build writes the views itself
        write_build_views(out, open_store(out))
    return out


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    return _build([ROOT / "seeds"], tmp_path_factory.mktemp("seeds-views"))


@pytest.fixture(scope="module")
def payload_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("payload-src")
    (src / "payload.txt").write_text(ARTICLE, encoding="utf-8")
    return _build([src], tmp_path_factory.mktemp("payload-views"))


def _rows(out: Path):
    from graphkit.store.embedded import open_store

    return load_graph_rows(open_store(out))


# ---------------------------------------------------------------- the HTML itself


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_script_json_cannot_close_a_script():
    text = script_json({"q": PAYLOAD + "</script><!-- & \u2028"})
    assert not re.search(r"[<>&\u2028]", str(text))
    assert json.loads(str(text)) == {"q": PAYLOAD + "</script><!-- & \u2028"}


@pytest.mark.parametrize("name", ["graph", "cooccurrence", "report"])
def test_pages_link_nothing_and_hold_no_raw_payload(name, seeds_out, payload_out):
    for out in (seeds_out, payload_out):
        html = (out / BUILD_VIEWS[name]).read_text(encoding="utf-8")
        for p in PAYLOADS:
            assert p not in html
        assert "Content-Security-Policy" in html
        for tag, attrs in _tags(html):
            assert tag not in ("link", "iframe", "object", "embed", "img") or (
                tag == "img" and attrs.get("src", "").startswith("data:image/png;base64,")), tag
            if tag == "script":
                assert "src" not in attrs
            if tag == "a":
                assert not re.match(r"^[a-z]+:", attrs.get("href", "")), attrs
        assert not re.search(r"url\(\s*(?!['\"]?data:)", html)
    if name != "report":
        scripts = [t for t, _ in _tags(html) if t == "script"]
        assert len(scripts) == 3  # vis-network, the JSON data, the page's code


def test_the_payload_reaches_the_page_as_data(payload_out):
    html = (payload_out / "graph.html").read_text(encoding="utf-8")
    data = re.search(r'<script id="gk-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    page = json.loads(data)
    labels = [n["label"] for n in page["nodes"]]
    assert any(PAYLOADS[0] in label for label in labels)
    quotes = [e["quote"] for edge in page["edges"] for e in edge["tip"]["evidence"]]
    assert any(PAYLOAD in q for q in quotes)


def test_build_views_writes_every_file(seeds_out):
    for rel in BUILD_VIEWS.values():
        assert (seeds_out / rel).stat().st_size > 0, rel
    for rel in ("charts/cooccurrence-heatmap.png", "charts/topic-frequency.png", "charts/grade-timeline.png"):
        assert (seeds_out / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (seeds_out / "report.html").read_text(encoding="utf-8")
    assert 'href="graph.html"' in report and 'href="cooccurrence.html"' in report


def test_charts_on_empty_and_odd_input():
    import networkx as nx

    png = b"\x89PNG\r\n\x1a\n"
    assert cooccurrence_heatmap(nx.Graph()).startswith(png)
    assert topic_frequency_chart([]).startswith(png)
    assert grade_timeline_chart({}).startswith(png)
    rows = [{"topic": "t", "label": "Cost $5 $$ {x}", "concern": 1, "strength": 0}]
    assert topic_frequency_chart(rows).startswith(png)


def test_report_escapes_text():
    table = html_table([{"name": PAYLOAD}], [("name", PAYLOAD)], empty=PAYLOAD)
    page = report_html(title=PAYLOAD, counts={PAYLOAD: 1}, views={PAYLOAD: "graph.html"}, charts=[],
                       sections=[(PAYLOAD, PAYLOAD, table)])
    for p in PAYLOADS:
        assert p not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_viz_command(seeds_out, tmp_path, capsys):
    out = tmp_path / "dudley.html"
    assert main(["viz", str(seeds_out), "--view", "council", "--council", "dudley", "--out", str(out)]) == 0
    assert "Dudley: neighbourhood" in out.read_text(encoding="utf-8")
    assert main(["viz", str(seeds_out), "--view", "cooccurrence", "--polarity", "concern",
                 "--out", str(tmp_path / "c.html")]) == 0
    assert main(["viz", str(seeds_out), "--view", "council", "--out", str(tmp_path / "x.html")]) == 2
    assert main(["viz", str(seeds_out), "--view", "council", "--council", "Atlantis",
                 "--out", str(tmp_path / "x.html")]) == 1
    assert main(["viz", str(seeds_out), "--view", "council", "--council", "Barnet",
                 "--out", str(tmp_path / "x.html")]) == 1
    err = capsys.readouterr().err
    assert "needs --council" in err and "no council called 'Atlantis'" in err and "Barnet has no facts" in err


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (run `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A page opened from disk with everything it asked for, logged and any dialog recorded."""

    def __init__(self, browser, path: Path, *, settle: bool = True, timeout: float = 90_000) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 860})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout)
        if settle:
            self.page.wait_for_selector("body[data-settled=true]", state="attached", timeout=timeout)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check_clean(self) -> None:
        outside = [u for u in self.requests if not u.startswith(("file://", "data:"))]
        assert not outside, f"requests outside file://: {outside}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"

    def close(self) -> None:
        self.page.close()


def _canvas_stats(page) -> dict:
    return page.evaluate("""() => {
        const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) inked++; }
        return {width: c.width, height: c.height, inked: inked};
    }""")


def _hover(page, node_id: str) -> str:
    """Move the mouse onto a node and return the text of the tooltip vis-network shows."""
    x, y = page.evaluate("""(id) => {
        const p = gkNetwork.canvasToDOM(gkNetwork.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", node_id)
    page.mouse.move(x - 8, y - 8)
    page.mouse.move(x, y, steps=4)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    return page.inner_text("div.vis-tooltip")


@needs_chromium
@pytest.mark.parametrize("name", ["graph", "cooccurrence"])
def test_view_draws_offline_with_all_nodes(name, browser, seeds_out):
    rows = _rows(seeds_out)
    graph = entity_graph(rows) if name == "graph" else cooccurrence_graph(rows.findings, polarity="any")
    visit = Visit(browser, seeds_out / BUILD_VIEWS[name])
    try:
        stats = _canvas_stats(visit.page)
        assert stats["width"] > 0 and stats["height"] > 0
        assert stats["inked"] > 500, stats
        assert visit.page.evaluate("gkNodes.length") == graph.number_of_nodes() > 0
        assert visit.page.evaluate("gkEdges.length") == graph.number_of_edges()
        visit.check_clean()
    finally:
        visit.close()


@needs_chromium
def test_graph_view_has_every_document(browser, seeds_out):
    from graphkit.query.facts import select_rows
    from graphkit.store.embedded import open_store

    sparql = "SELECT DISTINCT ?d WHERE { ?x <http://purl.org/dc/terms/identifier> ?d }"
    docs = select_rows(open_store(seeds_out), sparql)
    visit = Visit(browser, seeds_out / "graph.html")
    try:
        shown = visit.page.evaluate("gkNodes.get({filter: n => n.kind === 'document'}).length")
        assert shown == len(docs) == 5
        legend = visit.page.inner_text("#gk-legend")
        assert "Document" in legend and "Council" in legend
    finally:
        visit.close()


@needs_chromium
def test_payload_is_shown_as_text(browser, payload_out):
    visit = Visit(browser, payload_out / "graph.html")
    page = visit.page
    try:
        doc = page.evaluate("gkNodes.get({filter: n => n.kind === 'document'})[0]")
        assert PAYLOADS[0] in doc["label"]
        tooltip = _hover(page, doc["id"])
        assert f"Dudley {PAYLOADS[0]} review" in tooltip
        # The finding's tooltip, built as it is when shown: the whole sentence, as text.
        text = page.evaluate("""() => {
            const e = gkEdges.get({filter: e => e.kind && e.kind.startsWith('concern')})[0];
            document.body.appendChild(e.title);
            const t = e.title.textContent; const tags = e.title.querySelectorAll('*').length;
            const odd = e.title.querySelectorAll('script, img, svg').length;
            e.title.remove();
            return [t, tags, odd];
        }""")
        assert PAYLOAD in text[0] and text[2] == 0
        assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        page.wait_for_timeout(300)
        visit.check_clean()
    finally:
        visit.close()
    for name in ("cooccurrence", "report"):
        other = Visit(browser, payload_out / BUILD_VIEWS[name], settle=name != "report")
        try:
            other.check_clean()
        finally:
            other.close()


@needs_chromium
def test_heading_legend_and_labels_show_payload_as_text(browser, tmp_path):
    view = View(PAYLOAD, summary=PAYLOAD)
    view.nodes = [{"id": "a", "label": PAYLOAD, "tip": tip(PAYLOAD, PAYLOAD, [(PAYLOAD, PAYLOAD)])},
                  {"id": "b", "label": "b"}]
    view.edges = [{"id": "e", "from": "a", "to": "b", "label": PAYLOAD,
                   "tip": tip(PAYLOAD, "", [], [{"quote": PAYLOAD, "document": PAYLOAD, "title": PAYLOAD}])}]
    view.legend = [{"title": PAYLOAD, "items": [{"label": PAYLOAD, "color": "red", "glyph": PAYLOAD}]}]
    path = tmp_path / "hostile.html"
    path.write_text(render(view), encoding="utf-8")
    visit = Visit(browser, path)
    page = visit.page
    try:
        assert page.inner_text("h1") == PAYLOAD
        assert page.title() == PAYLOAD
        assert page.inner_text("#gk-summary") == PAYLOAD
        assert page.evaluate("document.querySelector('#gk-legend h2').textContent") == PAYLOAD
        assert page.evaluate("document.querySelector('#gk-legend li span:nth-child(2)').textContent") == PAYLOAD
        assert page.evaluate("gkNodes.get('a').label") == PAYLOAD
        assert PAYLOAD in _hover(page, "a")
        assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
        visit.check_clean()
    finally:
        visit.close()


@needs_chromium
def test_council_view_in_browser(browser, seeds_out, tmp_path):
    out = tmp_path / "dudley.html"
    assert main(["viz", str(seeds_out), "--view", "council", "--council", "Dudley", "--out", str(out)]) == 0
    graph = entity_graph(_rows(seeds_out))
    council = next(n for n, d in graph.nodes(data=True) if d["kind"] == "council" and d["label"] == "Dudley")
    visit = Visit(browser, out)
    try:
        assert visit.page.evaluate("gkNodes.length") == neighbourhood(graph, council).number_of_nodes()
        visit.check_clean()
    finally:
        visit.close()


@needs_chromium
def test_view_runs_inside_a_sandboxed_srcdoc_frame(browser, seeds_out, tmp_path):
    """As a notebook shows it: the whole page escaped into an ``<iframe srcdoc>`` with scripts sandboxed."""
    from graphkit.viz.page import iframe_html
    from graphkit.viz.views import entity_view

    graph = entity_graph(_rows(seeds_out))
    wrapper = tmp_path / "notebook-output.html"
    wrapper.write_text(f"<!DOCTYPE html><html><body>{iframe_html(render(entity_view(graph)))}</body></html>",
                       encoding="utf-8")
    visit = Visit(browser, wrapper, settle=False)
    try:
        frame = visit.page.frames[1]
        frame.wait_for_selector("body[data-settled=true]", state="attached", timeout=60_000)
        assert frame.evaluate("gkNodes.length") == graph.number_of_nodes()
        assert frame.evaluate("document.querySelector('#mynetwork canvas').width") > 0
        visit.requests = [u for u in visit.requests if u != "about:srcdoc"]
        visit.check_clean()
    finally:
        visit.close()


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_views", ROOT / "benchmarks" / "bench_views.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_chromium
def test_large_view_settles_and_stays_still(browser, tmp_path):
    graph = _bench_module().synthetic_entity_graph(1500, seed=2)
    path = tmp_path / "large.html"
    from graphkit.viz.views import entity_view

    path.write_text(render(entity_view(graph)), encoding="utf-8")
    visit = Visit(browser, path, timeout=120_000)
    page = visit.page
    try:
        assert page.evaluate("gkNodes.length") == graph.number_of_nodes() == 1500
        ids = page.evaluate("gkNodes.getIds().slice(0, 20)")
        before = page.evaluate("(ids) => gkNetwork.getPositions(ids)", ids)
        page.wait_for_timeout(1000)
        assert page.evaluate("(ids) => gkNetwork.getPositions(ids)", ids) == before
        assert _canvas_stats(page)["inked"] > 500
        visit.check_clean()
    finally:
        visit.close()


def test_network_html_is_deterministic():
    nodes = [{"id": "a", "label": "a"}, {"id": "b", "label": "b"}]
    edges = [{"from": "a", "to": "b"}]
    assert network_html(nodes, edges, heading="h") == network_html(nodes, edges, heading="h")


def test_cooccurrence_rows_of_payload_build(payload_out):
    from graphkit.store.embedded import open_store

    rows = view_rows(open_store(payload_out), "findings")
    assert any(PAYLOAD in (r["quote"] or "") for r in rows)


def test_report_lists_a_page_of_grades_from_the_councils_with_the_most(tmp_path):
    from graphkit.analyse import GraphRows
    from graphkit.viz import MAX_TIMELINE_ROWS

    def grades(council: str, n: int) -> list[dict]:
        return [{"judgement": f"{council}-{i}", "document": f"{council}-d{i}", "council": council,
                 "councilLabel": council, "grade": "good", "area": None, "date": f"{2000 + i}-01", "quote": "q"}
                for i in range(n)]

    # In batches of whole documents, as a build reads them: one council with many grades, many with few.
    batches = [GraphRows(judgements=grades("Busy", 30)),
               *(GraphRows(judgements=grades(f"Quiet{c:03d}", 4)) for c in range(MAX_TIMELINE_ROWS // 4 + 10))]
    paths = write_build_views(tmp_path, batches)
    page = paths["report"].read_text(encoding="utf-8")
    total = 30 + 4 * (MAX_TIMELINE_ROWS // 4 + 10)
    assert f"of {total:,} grades" in page and "graphkit analyze DIR timeline" in page
    timeline_table = page.split("Grade timelines", 1)[1].split("</table>", 1)[0]
    assert 0 < timeline_table.count("<tr>") - 1 <= MAX_TIMELINE_ROWS
    assert "Busy" in timeline_table  # the council with the most grades is always shown
