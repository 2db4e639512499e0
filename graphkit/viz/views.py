"""The interactive views: the whole entity graph, the issue co-occurrence network, one council's neighbourhood.

Each function turns an analysis graph into a :class:`View` (vis-network node and edge dicts, a legend and a
summary line); :func:`render` makes the page. Node and edge dicts are built in one pass over the graph and
handed to pyvis as lists, never through ``Network.from_nx``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphkit.analyse.entities import top_nodes
from graphkit.viz.layout import seeded_layout
from graphkit.viz.page import PHYSICS_LIMIT, network_html, tip
from graphkit.viz.style import EDGE_STYLE, NODE_STYLE, edge_legend, group_colour, node_legend

__all__ = ["View", "entity_view", "cooccurrence_view", "council_view", "render", "short"]

#: Labels drawn on the canvas are cut to this many characters; tooltips show the whole text.
LABEL_CHARS = 60
#: The whole-graph view shows at most this many nodes (the best-connected ones).
MAX_NODES = 5000
#: Above this many links, link labels stay in the tooltips only: measuring thousands of canvas labels
#: froze headless Chromium for six seconds at the first zoom on a 12,000-link view.
EDGE_LABEL_LIMIT = 2000


@dataclass
class View:
    """What a page shows: vis-network nodes and edges, the legend sections, a heading and a summary."""

    heading: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""
    #: Whether the nodes carry positions (large views), so the page needs no physics.
    preset: bool = False


def short(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    >>> short("a  long\\ntitle", 6)
    'a lon…'
    """
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "\u2026"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def entity_view(graph: nx.Graph, *, heading: str = "Knowledge graph", centre: str | None = None,
                max_nodes: int = MAX_NODES, seed: int = 0) -> View:
    """The entity graph (``graphkit.analyse.entities``) as a view; ``centre`` is drawn larger.

    A graph already cut to its best nodes (``graphkit.analyse.summary``) carries each node's ``links`` in
    the whole graph and the whole graph's ``total_nodes``; otherwise both are read from ``graph``.
    """
    shown = top_nodes(graph, max_nodes)
    view = View(heading)
    ids: dict[Any, str] = {}
    kinds: Counter[str] = Counter()
    for i, (node, d) in enumerate(shown.nodes(data=True)):
        kind = d.get("kind", "document")
        colour, shape, kind_label = NODE_STYLE.get(kind, NODE_STYLE["document"])
        kinds[kind] += 1
        ids[node] = f"n{i}"
        label = str(d.get("label", node))
        degree = d["links"] if "links" in d else graph.degree(node)
        item = {"id": ids[node], "label": short(label), "shape": shape, "color": colour, "value": 1 + degree,
                "kind": kind, "tip": tip(label, kind_label, [*d.get("details", []), ("links", degree)])}
        if node == centre:
            item.update(value=3 + 2 * degree, borderWidth=4, font={"size": 20, "bold": True})
        view.nodes.append(item)
    links: Counter[str] = Counter()
    labelled = shown.number_of_edges() <= EDGE_LABEL_LIMIT
    for i, (a, b, d) in enumerate(shown.edges(data=True)):
        kind = d.get("kind", "about")
        colour, kind_label = EDGE_STYLE.get(kind, EDGE_STYLE["about"])
        links[kind] += 1
        weight = int(d.get("weight", 1))
        label = str(d.get("label", ""))
        if weight > 1:
            label = f"{label} \u00d7{weight}"
        head = f"{short(shown.nodes[a].get('label', a), 40)} \u2014 {short(shown.nodes[b].get('label', b), 40)}"
        item = {"id": f"e{i}", "from": ids[a], "to": ids[b], "color": colour, "value": weight, "kind": kind,
                "tip": tip(head, f"{kind_label}: {label}", [("facts", weight)], d.get("evidence", []),
                           total=d.get("evidence_total"))}
        if labelled:
            item["label"] = short(label, 40)
        view.edges.append(item)
    _place(view, shown, ids, seed)
    view.legend = [node_legend(kinds), edge_legend(links)]
    total = graph.graph.get("total_nodes", graph.number_of_nodes())
    view.summary = f"{_plural(len(view.nodes), 'node')}, {_plural(len(view.edges), 'link')}"
    if total > len(view.nodes):
        view.summary += f" (the {len(view.nodes):,} best-connected of {total:,} nodes)"
    if not labelled:
        view.summary += "; link labels are in the tooltips"
    return view


def cooccurrence_view(graph: nx.Graph, *, heading: str = "Issue co-occurrence", seed: int = 0) -> View:
    """A co-occurrence graph (``graphkit.analyse.cooccurrence``): size by frequency, width by count."""
    view = View(heading)
    groups: dict[str, int] = {}
    members: Counter[str] = Counter()
    baskets = graph.graph.get("baskets", 0)
    ids: dict[Any, str] = {}
    for i, (topic, d) in enumerate(graph.nodes(data=True)):
        group = d.get("group") or "other"
        colour = group_colour(groups.setdefault(group, len(groups)))
        members[group] += 1
        ids[topic] = f"t{i}"
        label = str(d.get("label", topic))
        view.nodes.append({
            "id": ids[topic], "label": short(label), "shape": "dot", "color": colour,
            "value": d.get("frequency", 1), "group_name": group,
            "tip": tip(label, "issue topic", [("id", topic), ("group", group),
                                              ("found in", f"{d.get('frequency', 0)} of {baskets} council-documents")]),
        })
    for i, (a, b, d) in enumerate(graph.edges(data=True)):
        rows = [("together in", f"{d['weight']} council-documents"), ("Jaccard", f"{d['jaccard']:.3f}"),
                ("lift", f"{d['lift']:.2f}"), ("expected by chance", f"{d['expected']:.2f}")]
        head = f"{graph.nodes[a].get('label', a)} + {graph.nodes[b].get('label', b)}"
        view.edges.append({"id": f"c{i}", "from": ids[a], "to": ids[b], "value": d["weight"],
                           "label": str(d["weight"]), "color": "#9aa7b8", "tip": tip(head, "found together", rows)})
    _place(view, graph, ids, seed)
    view.legend = [{"title": "Topic groups", "items": [
        {"label": g, "color": group_colour(i), "glyph": "\u25cf", "count": members[g]} for g, i in groups.items()]},
        {"title": "Reading it", "items": [
            {"label": "node size: how often the topic is found", "color": "#888", "glyph": "\u25cf"},
            {"label": "link width: how often two are found together", "color": "#9aa7b8", "line": True}]}]
    polarity = graph.graph.get("polarity", "any")
    which = {"any": "findings", "concern": "concerns", "strength": "strengths"}.get(polarity, polarity)
    least = graph.graph.get("min_count", 1)
    view.summary = (f"{_plural(len(view.nodes), 'topic')}, {_plural(len(view.edges), 'pair')} from {which} "
                    f"in {_plural(baskets, 'council-document')}"
                    + (f"; pairs found at least {least} times" if least > 1 else ""))
    return view


def council_view(graph: nx.Graph, council: str, *, radius: int = 1, seed: int = 0, name: str | None = None
                 ) -> View:
    """One council's neighbourhood in the entity graph: its documents, topics, grades, visits and people."""
    from graphkit.analyse.entities import neighbourhood

    sub = neighbourhood(graph, council, radius=radius, name=name)
    label = str(graph.nodes[council].get("label", council))
    return entity_view(sub, heading=f"{label}: neighbourhood", centre=council, seed=seed)


def _place(view: View, graph: nx.Graph, ids: dict[Any, str], seed: int) -> None:
    """Give a large view's nodes seeded positions, so the browser need not run physics on them."""
    if len(view.nodes) <= PHYSICS_LIMIT:
        return
    pos = seeded_layout(graph, seed=seed)
    for item, node in zip(view.nodes, ids, strict=True):
        item["x"], item["y"] = round(pos[node][0], 1), round(pos[node][1], 1)
    view.preset = True


def render(view: View, *, seed: int = 0) -> str:
    """The HTML page of ``view``."""
    return network_html(view.nodes, view.edges, heading=view.heading, legend=view.legend,
                        summary=view.summary, seed=seed, preset=view.preset)
