"""Communities of the entity graph (or any graph): Louvain with a fixed seed.

Louvain visits nodes in a random order, so two runs can split a graph differently; the seed fixes that
order, and the graph's node order is fixed by the sorted query rows it is built from, so the same graph
and seed give the same communities. Communities are listed largest first (ties by their first label), so
community numbers are stable too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

__all__ = ["communities", "communities_table", "membership"]


def communities(
    graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weight: str | None = "weight"
) -> list[frozenset]:
    """Louvain communities of ``graph``, largest first.

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> [sorted(c) for c in communities(g, seed=1)]
    [[1, 2, 3], [4, 5, 6]]
    """
    if graph.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(graph, weight=weight, resolution=resolution, seed=seed)

    def label(n: Any) -> str:
        return str(graph.nodes[n].get("label", n))

    return sorted((frozenset(p) for p in parts), key=lambda p: (-len(p), min(label(n) for n in p)))


def membership(parts: list[frozenset]) -> dict[Any, int]:
    """Node -> community number (1-based, in the order given)."""
    return {node: i for i, part in enumerate(parts, start=1) for node in part}


def communities_table(graph: nx.Graph, parts: list[frozenset]) -> list[dict[str, Any]]:
    """One row per community: its number, size, counts of node kinds and member labels (sorted)."""
    rows = []
    for i, part in enumerate(parts, start=1):
        kinds = Counter(graph.nodes[n].get("kind", "node") for n in part)
        rows.append({"community": i, "size": len(part),
                     "kinds": ", ".join(f"{k} {c}" for k, c in sorted(kinds.items())),
                     "members": sorted(str(graph.nodes[n].get("label", n)) for n in part)})
    return rows
