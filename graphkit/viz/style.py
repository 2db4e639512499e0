"""Colours, shapes and legend glyphs of the views: one table per kind of node and edge.

Colours are the Tableau 10 palette, which stays distinguishable for most colour-blind readers; shapes
differ too, so the legend never relies on colour alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NODE_STYLE", "EDGE_STYLE", "GROUP_COLOURS", "GLYPHS", "node_legend", "edge_legend", "group_colour"]

#: kind -> (colour, vis-network shape, legend label)
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "document": ("#7f7f7f", "square", "Document"),
    "council": ("#1f77b4", "dot", "Council"),
    "person": ("#ff7f0e", "triangle", "Person"),
    "organisation": ("#9467bd", "diamond", "Organisation"),
    "topic": ("#2ca02c", "hexagon", "Issue topic"),
    "grade": ("#d62728", "star", "Ofsted grade"),
    "inspection": ("#8c564b", "triangleDown", "Inspection or visit"),
}
#: kind -> (colour, legend label)
EDGE_STYLE: dict[str, tuple[str, str]] = {
    "about": ("#b0b0b0", "document is about council"),
    "names": ("#f5b041", "document names person"),
    "post": ("#e67e22", "person's post"),
    "concern": ("#d62728", "topic found as a concern"),
    "strength": ("#2ca02c", "topic found as a strength"),
    "concern-strength": ("#bcbd22", "found as both"),
    "grade": ("#8b0000", "grade given"),
    "inspected": ("#8c564b", "inspection of council"),
    "reports": ("#c7c7c7", "document reports inspection"),
}
GLYPHS = {"dot": "\u25cf", "square": "\u25a0", "triangle": "\u25b2", "triangleDown": "\u25bc",
          "diamond": "\u25c6", "star": "\u2605", "hexagon": "\u2b22"}
GROUP_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac")


def group_colour(index: int) -> str:
    """The colour of the ``index``-th group (topic group, community), cycling through the palette."""
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


def node_legend(counts: dict[str, int]) -> dict[str, Any]:
    """The legend section for node kinds present (with counts), in the table's order."""
    return {"title": "Nodes", "items": [
        {"label": label, "color": colour, "glyph": GLYPHS.get(shape, GLYPHS["dot"]), "count": counts[kind]}
        for kind, (colour, shape, label) in NODE_STYLE.items() if counts.get(kind)]}


def edge_legend(counts: dict[str, int]) -> dict[str, Any]:
    """The legend section for edge kinds present (with counts)."""
    return {"title": "Links", "items": [
        {"label": label, "color": colour, "line": True, "count": counts[kind]}
        for kind, (colour, label) in EDGE_STYLE.items() if counts.get(kind)]}
