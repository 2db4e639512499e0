"""Who and which councils hold the entity graph together: degree and betweenness centrality.

Degree says how much is linked to a node; betweenness how often it lies on the shortest path between two
others, which picks out the people and councils that connect otherwise separate stories (a commissioner
sent to two councils, an inspector who visited several). Betweenness is exact up to ``exact_limit``
nodes and estimated from a seeded sample of ``sample`` sources above it, so large graphs stay quick and
the same seed gives the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

__all__ = ["centrality"]


def centrality(
    graph: nx.Graph,
    *,
    kinds: Iterable[str] | None = ("person", "council"),
    seed: int = 0,
    exact_limit: int = 2000,
    sample: int = 500,
) -> list[dict[str, Any]]:
    """Degree and betweenness of the nodes of ``kinds`` (all nodes if None), most central first.

    Rows hold ``node``, ``label``, ``kind``, ``degree`` (neighbours), ``degree_centrality`` and
    ``betweenness`` (both normalised to 0..1).

    >>> g = nx.Graph([("a", "hub"), ("b", "hub"), ("c", "hub"), ("c", "d")])
    >>> nx.set_node_attributes(g, "person", "kind")
    >>> [(r["node"], r["degree"], round(r["betweenness"], 3)) for r in centrality(g)]
    [('hub', 3, 0.833), ('c', 2, 0.5), ('a', 1, 0.0), ('b', 1, 0.0), ('d', 1, 0.0)]
    """
    wanted = None if kinds is None else set(kinds)
    n = graph.number_of_nodes()
    if n == 0:
        return []
    k = None if n <= exact_limit else min(sample, n)
    between = nx.betweenness_centrality(graph, k=k, seed=seed if k else None, normalized=True)
    degree = nx.degree_centrality(graph) if n > 1 else {node: 0.0 for node in graph}
    rows = []
    for node, data in graph.nodes(data=True):
        if wanted is not None and data.get("kind") not in wanted:
            continue
        rows.append({"node": node, "label": data.get("label", str(node)), "kind": data.get("kind"),
                     "degree": graph.degree(node), "degree_centrality": degree[node],
                     "betweenness": between[node]})
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], str(r["label"]), str(r["node"])))
    return rows
