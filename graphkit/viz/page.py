"""One self-contained, offline and safe HTML page for a network, written through pyvis.

pyvis's own template links Bootstrap and, in every mode but ``in_line``, vis-network from CDNs, and once any
tooltip holds the text ``href`` it writes every tooltip as raw HTML. So graphkit fills a pyvis ``Network``'s
``nodes`` and ``edges`` lists directly (``Network.from_nx`` is quadratic: 84 s for 20k nodes against 0.25 s,
``../shared/PERF-NOTES.md``) and renders them with ``generate_html`` through its own template
(``templates/network.html``), which:

- inlines vis-network's script and style from the pyvis package (its source-map comment dropped), links
  nothing, and carries a Content-Security-Policy that forbids any fetch and lets only its own two scripts
  run (by their SHA-256), so inline handlers in injected markup would not run either;
- embeds all data as JSON in a non-executed ``<script type="application/json">`` block with ``<``, ``>``
  and ``&`` escaped (``\\u003c``...), so a quote holding ``</script>`` cannot end it;
- builds tooltips and the legend from that JSON as DOM text nodes, never ``innerHTML``;
- lays the graph out once and then stops the physics, so a 5,000-node view settles and stays usable.

Nodes and edges are plain vis-network dicts; a ``tip`` entry (``head``, ``kind``, ``rows``, ``evidence``,
``more``) becomes the tooltip. :func:`tip` makes one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

__all__ = ["PHYSICS_LIMIT", "VIS_VERSION", "iframe_html", "network_html", "physics_options", "script_json", "tip",
           "vis_assets"]

VIS_VERSION = "9.1.2"
#: At most this many evidence quotes go into one tooltip (the rest are counted).
MAX_EVIDENCE = 5
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _escape_json_text(text: str) -> str:
    # Outside strings JSON has none of these characters, so replacing them anywhere keeps it valid JSON.
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def script_json(value: Any) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element.

    >>> str(script_json({"quote": "</script><b>&"}))
    '{"quote": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return Markup(_escape_json_text(json.dumps(value, ensure_ascii=False, allow_nan=False)))


def _script_json_text(text: str) -> Markup:
    json.loads(text)  # it must be JSON already (pyvis hands its options over as text)
    return Markup(_escape_json_text(text))


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's minified script and its style, read from the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//[#@] sourceMappingURL=\S*", "", js).replace("</script", "<\\/script")
    css = re.sub(r"/\*[#@] sourceMappingURL=\S*\s*\*/", "", css).replace("</style", "<\\/style")
    return js, css


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _scripts() -> tuple[str, str, str]:
    """vis-network's script, the page's script, and the policy allowing exactly those two."""
    js, _ = vis_assets()
    app = (_TEMPLATES / "network.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    csp = (f"default-src 'none'; script-src {_sha256(js)} {_sha256(app)}; style-src 'unsafe-inline'; "
           "img-src data:; font-src data:")
    return js, app, csp


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["script_json"] = script_json
    env.filters["script_json_text"] = _script_json_text
    js, app, csp = _scripts()
    env.globals.update(vis_js=Markup(js), vis_css=Markup(vis_assets()[1]), app_js=Markup(app), csp=csp)
    return env


def tip(head: str, kind: str = "", rows: Sequence[tuple[str, Any]] = (),
        evidence: Sequence[Mapping[str, str]] = (), *, total: int | None = None) -> dict[str, Any]:
    """A tooltip: a heading, a kind, ``name: value`` rows and evidence quotes with their sources.

    ``total`` is the number of quotes when ``evidence`` holds only the first of them.

    >>> tip("Dudley", "council", [("documents", 3)], [{"quote": "q", "document": "d1", "title": ""}])["rows"]
    [['documents', '3']]
    """
    shown = [{"quote": e.get("quote") or "", "document": e.get("document") or "", "title": e.get("title") or ""}
             for e in evidence[:MAX_EVIDENCE]]
    return {"head": head, "kind": kind, "rows": [[str(k), str(v)] for k, v in rows if v not in (None, "")],
            "evidence": shown, "more": max(0, (len(evidence) if total is None else total) - len(shown))}


#: Above this many nodes the browser's physics is too slow to settle (a quarter-second or more per step for
#: 5,000 nodes in headless Chromium): nodes come with positions from :mod:`graphkit.viz.layout` instead.
PHYSICS_LIMIT = 300


def physics_options(n_nodes: int, *, seed: int = 0, preset: bool = False) -> dict[str, Any]:
    """vis-network options for a view of ``n_nodes`` nodes.

    Without ``preset`` positions, vis lays the graph out with a bounded number of seeded physics steps, and
    the page turns the physics off once they are done; with them, physics is off from the start. Large
    graphs also get straight edges, hidden while dragging or zooming, which keeps thousands of nodes
    responsive.
    """
    large = n_nodes > PHYSICS_LIMIT
    physics: dict[str, Any] = {"enabled": False}
    if not preset:
        physics = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -9000, "springLength": 110, "springConstant": 0.04,
                          "damping": 0.35, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": 150 if large else 300, "updateInterval": 25,
                              "fit": True},
            "minVelocity": 1.0,
        }
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": n_nodes <= 150 and not preset},
        "physics": physics,
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1,
                  "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 12, "max": 22}}},
        "edges": {"smooth": False if large else {"type": "continuous"},
                  "font": {"size": 10, "align": "middle", "color": "#555", "strokeWidth": 3},
                  "color": {"inherit": False}, "scaling": {"min": 1, "max": 8, "label": {"enabled": False}}},
    }


def network_html(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    heading: str,
    legend: Sequence[Mapping[str, Any]] = (),
    summary: str = "",
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
    preset: bool = False,
    settle_ms: int = 60000,
) -> str:
    """The page of a network (see the module docstring); ``legend`` is a list of titled item lists.

    ``preset``: the nodes carry ``x`` and ``y`` (from :func:`graphkit.viz.layout.seeded_layout`), so the
    physics stays off.
    """
    from pyvis.network import Network

    net = Network(height="100%", width="100%", heading=heading, cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.options = dict(options or physics_options(len(nodes), seed=seed, preset=preset))
    net.templateEnv = _environment()
    net.path = "network.html"
    net.templateEnv.globals["page"] = {"legend": list(legend), "summary": summary, "settle_ms": settle_ms}
    return net.generate_html()


def iframe_html(page: str, *, height: int = 640) -> str:
    """``page`` inside an ``<iframe srcdoc>``, for Jupyter: it shows inside the notebook's output without a file
    or a server, in a sandbox that lets its scripts run but gives it no access to the notebook.

    The frame is wrapped in a ``<div>`` (IPython warns about HTML that starts with an iframe).

    >>> iframe_html('<p title="x">&</p>', height=100).split(" sandbox")[0]
    '<div class="graphkit-view"><iframe srcdoc="&lt;p title=&quot;x&quot;&gt;&amp;&lt;/p&gt;"'
    """
    from html import escape

    return (f'<div class="graphkit-view"><iframe srcdoc="{escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd"></iframe></div>')
