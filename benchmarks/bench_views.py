"""How long a 5,000-node view takes to write, and to settle in headless Chromium.

The graph is synthetic but shaped like graphkit's entity graph (``graphkit.analyse.entities``): documents
about one or two of 150 councils, each raising a handful of 28 topics as concerns or strengths, people
with posts at councils or other bodies, grades and inspections, every link carrying a ~110-character
quote. Run ``python benchmarks/bench_views.py [--nodes 5000] [--runs 3] [--json PATH]``; it prints the
medians (and with ``--json`` writes them, the settings and the machine to PATH). Settling needs Debian's
Chromium at /usr/bin/chromium (skipped with a message if absent).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # run as a script, its folder is on the path already; imported by path (a test), not
    sys.path.insert(0, _HERE)

from machine import machine_info  # noqa: E402

from graphkit.viz.views import entity_view, render  # noqa: E402

__all__ = ["synthetic_entity_graph", "time_write", "time_settle", "main", "REDRAWS"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Seconds of each redraw after a zoom timed by ``time_settle``, in order.
REDRAWS: list[float] = []
QUOTE = ("Inspectors found that caseloads remain too high for some social workers, which limits the time "
         "they spend with children.")


def synthetic_entity_graph(n_nodes: int = 5000, *, seed: int = 0) -> nx.Graph:
    """An entity graph of about ``n_nodes`` nodes (exactly, for n_nodes >= 400), seeded."""
    rnd = random.Random(seed)
    g = nx.Graph()
    councils = [f"council/{i}" for i in range(150)]
    topics = [f"topic:{i}" for i in range(28)]
    grades = [f"grade:{x}" for x in ("inadequate", "requires-improvement", "good", "outstanding")]
    orgs = [f"org/{i}" for i in range(8)]
    for c in councils:
        g.add_node(c, kind="council", label=f"Council {c.split('/')[1]}", details=[])
    for t in topics:
        g.add_node(t, kind="topic", label=f"Topic {t.split(':')[1]}", details=[("group", "workforce")])
    for x in grades:
        g.add_node(x, kind="grade", label=x.split(":")[1], details=[])
    for o in orgs:
        g.add_node(o, kind="organisation", label=f"Body {o.split('/')[1]}", details=[])
    rest = max(0, n_nodes - g.number_of_nodes())
    n_docs, n_people = int(rest * 0.6), int(rest * 0.25)
    n_insp = rest - n_docs - n_people

    def link(a: str, b: str, kind: str, label: str, doc: str) -> None:
        if g.has_edge(a, b):
            g.edges[a, b]["weight"] += 1
            g.edges[a, b]["evidence"].append({"quote": QUOTE, "document": doc, "title": ""})
        else:
            g.add_edge(a, b, kind=kind, label=label, weight=1,
                       evidence=[{"quote": QUOTE, "document": doc, "title": ""}])

    docs = [f"doc/{i}" for i in range(n_docs)]
    for d in docs:
        g.add_node(d, kind="document", label=f"Story {d.split('/')[1]} about children's services",
                   details=[("published", "2019-05-01")])
        for c in rnd.sample(councils, rnd.choice((1, 1, 1, 2))):
            link(d, c, "about", "about", d)
            for t in rnd.sample(topics, rnd.randint(3, 7)):
                pol = rnd.choice(("concern", "concern", "strength"))
                link(c, t, pol, pol, d)
            if rnd.random() < 0.3:
                link(c, rnd.choice(grades), "grade", "2019-04", d)
    for i in range(n_people):
        p = f"person/{i}"
        g.add_node(p, kind="person", label=f"Person {i}", details=[("role", "councillor")])
        link(rnd.choice(docs), p, "names", "names", "doc/0")
        link(p, rnd.choice(councils + orgs), "post", "councillor", "doc/0")
    for i in range(n_insp):
        x = f"inspection/{i}"
        g.add_node(x, kind="inspection", label=f"monitoring visit {2014 + i % 10}", details=[])
        c = rnd.choice(councils)
        link(x, c, "inspected", "of", "doc/0")
        link(rnd.choice(docs), x, "reports", "reports", "doc/0")
    return g


def time_write(graph: nx.Graph, path: Path) -> float:
    """Seconds to make the view and write its page."""
    start = time.perf_counter()
    path.write_text(render(entity_view(graph)), encoding="utf-8")
    return time.perf_counter() - start


def time_settle(path: Path) -> tuple[float, float]:
    """Seconds from navigation to the page's load event, and to the layout being settled (physics off)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)
            loaded = time.perf_counter() - start
            page.wait_for_selector("body[data-settled=true]", state="attached", timeout=180_000)
            settled = time.perf_counter() - start
            # Still usable afterwards: one redraw after a zoom must come back quickly.
            t = time.perf_counter()
            page.evaluate("""() => new Promise(done => {
                gkNetwork.once('afterDrawing', done); gkNetwork.moveTo({scale: 1.5}); })""")
            redraw = time.perf_counter() - t
            REDRAWS.append(redraw)
            print(f"    redraw after zoom: {redraw * 1000:.0f} ms")
            return loaded, settled
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to PATH as JSON")
    args = parser.parse_args(argv)
    figures: dict = {"bench": "views", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": machine_info(),
                     "settings": {"nodes": args.nodes, "runs": args.runs}}
    graph = synthetic_entity_graph(args.nodes)
    print(f"synthetic entity graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")
    figures.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.html"
            writes = [time_write(graph, path) for _ in range(args.runs)]
            print(f"write view: median {statistics.median(writes):.2f} s over {args.runs} runs "
                  f"({path.stat().st_size / 1e6:.1f} MB page)")
            figures.update(write_s=statistics.median(writes), page_mb=path.stat().st_size / 1e6)
            if not CHROMIUM.exists():
                print(f"settle: skipped, {CHROMIUM} is not installed")
                figures["settle"] = f"skipped: {CHROMIUM} is not installed"
                return 0
            REDRAWS.clear()
            results = [time_settle(path) for _ in range(args.runs)]
            print(f"load in Chromium: median {statistics.median(r[0] for r in results):.2f} s")
            print(f"settled (layout done, physics off): median {statistics.median(r[1] for r in results):.2f} s")
            figures.update(load_s=statistics.median(r[0] for r in results),
                           settle_s=statistics.median(r[1] for r in results),
                           redraw_ms=statistics.median(REDRAWS) * 1000 if REDRAWS else None)
    finally:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
