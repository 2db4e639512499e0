"""Static charts (PNG) of the analyses: a co-occurrence heatmap, topic frequency by polarity, grade timelines.

Charts are drawn on ``matplotlib.figure.Figure`` objects with the Agg canvas, never through ``pyplot``, so
nothing depends on a display or on global state, and building charts in a server or a test is safe. Each
function returns PNG bytes; an empty input gives a chart that says so rather than an error, because a
build of documents without findings is still a build. Labels come from data, so ``$`` is escaped to keep
matplotlib from reading it as mathematics.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graphkit.analyse.timeline import GRADE_ORDER, GradeEvent

__all__ = ["cooccurrence_heatmap", "topic_frequency_chart", "grade_timeline_chart", "date_number"]

_DPI = 100
#: Heatmap cells are numbered up to this many topics (each number costs drawing time at every build).
ANNOTATE_TOPICS = 12


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=_DPI, layout="constrained")


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _text(value: object, limit: int = 38) -> str:
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.replace("$", r"\$")


def _empty(title: str, message: str) -> bytes:
    fig = _figure(6, 2.2)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(_text(title, 80))
    ax.text(0.5, 0.5, _text(message, 90), ha="center", va="center", color="#666")
    return _png(fig)


def cooccurrence_heatmap(graph: nx.Graph, *, top: int = 20, title: str = "Issue co-occurrence") -> bytes:
    """The most frequent ``top`` topics against each other: baskets holding both (diagonal: the topic)."""
    if graph.number_of_nodes() == 0:
        return _empty(title, "No findings in this graph yet")
    topics = sorted(graph.nodes, key=lambda t: (-graph.nodes[t].get("frequency", 0), str(t)))[:top]
    n = len(topics)
    matrix = [[0] * n for _ in range(n)]
    for i, a in enumerate(topics):
        for j, b in enumerate(topics):
            if i == j:
                matrix[i][j] = graph.nodes[a].get("frequency", 0)
            elif graph.has_edge(a, b):
                matrix[i][j] = graph.edges[a, b]["weight"]
    size = 2.5 + 0.36 * n
    fig = _figure(size + 1.8, size)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap="Blues", vmin=0)
    labels = [_text(graph.nodes[t].get("label", t), 30) for t in topics]
    ax.set_xticks(range(n), labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    peak = max((v for row in matrix for v in row), default=0) or 1
    if n <= ANNOTATE_TOPICS:
        for i in range(n):
            for j in range(n):
                if matrix[i][j]:
                    ax.text(j, i, str(matrix[i][j]), ha="center", va="center", fontsize=7,
                            color="white" if matrix[i][j] > peak * 0.6 else "#222")
    polarity = graph.graph.get("polarity", "any")
    ax.set_title(f"{_text(title, 60)}\n({polarity}, {graph.graph.get('baskets', 0)} council-documents)",
                 fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.7, label="council-documents")
    return _png(fig)


def topic_frequency_chart(rows: Sequence[Mapping[str, Any]], *, top: int = 30,
                          title: str = "Topics by polarity") -> bytes:
    """Horizontal bars of how often each topic is found as a concern and as a strength (``topic_frequency``)."""
    rows = list(rows)[:top]
    if not rows:
        return _empty(title, "No findings in this graph yet")
    n = len(rows)
    fig = _figure(8, 1.2 + 0.3 * n)
    ax = fig.add_subplot()
    ys = list(range(n))
    concern = [r["concern"] for r in rows]
    strength = [r["strength"] for r in rows]
    ax.barh([y - 0.2 for y in ys], concern, height=0.4, color="#d62728", label="concern")
    ax.barh([y + 0.2 for y in ys], strength, height=0.4, color="#2ca02c", label="strength")
    ax.set_yticks(ys, [_text(r.get("label") or r["topic"]) for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("council-documents")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right")
    ax.set_title(_text(title, 80))
    return _png(fig)


def date_number(date: str | None) -> float | None:
    """A ``YYYY[-MM[-DD]]`` date as a fractional year (the middle of its period).

    >>> date_number("2016"), date_number("2016-07"), date_number(None)
    (2016.5, 2016.5416666666667, None)
    """
    if not date:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", date)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return year + 0.5
    if day is None:
        return year + (int(month) - 0.5) / 12
    return year + (int(month) - 1) / 12 + (int(day) - 0.5) / 365


def grade_timeline_chart(timeline: Mapping[str, Sequence[GradeEvent]], *, max_councils: int = 12,
                         title: str = "Ofsted grades over time") -> bytes:
    """One step line per council (those with the most dated grades first); undated grades are left out."""
    dated = {c: [(date_number(e.date), e) for e in events if date_number(e.date) is not None]
             for c, events in timeline.items()}
    dated = {c: pts for c, pts in dated.items() if pts}
    if not dated:
        return _empty(title, "No dated grades in this graph yet")
    chosen = sorted(dated, key=lambda c: (-len(dated[c]), c))[:max_councils]
    fig = _figure(9, 4.2)
    ax = fig.add_subplot()
    for i, council in enumerate(sorted(chosen)):
        pts = sorted(dated[council], key=lambda p: p[0])
        xs = [p[0] for p in pts]
        ys = [GRADE_ORDER.get(p[1].grade, 0) + (i - len(chosen) / 2) * 0.015 for p in pts]
        ax.step(xs, ys, where="post", marker="o", label=_text(council, 30))
    years = [p[0] for c in chosen for p in dated[c]]
    ax.set_xlim(min(years) - 1, max(years) + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_yticks(range(len(GRADE_ORDER)), [g.replace("-", " ") for g in GRADE_ORDER])
    ax.set_ylim(-0.5, len(GRADE_ORDER) - 0.5)
    ax.set_xlabel("year")
    ax.grid(axis="y", color="#eee")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    ax.set_title(_text(title, 80))
    return _png(fig)
