"""A seeded layout computed in Python for views too large for the browser's physics to settle quickly.

Measured in headless Chromium without a GPU, vis-network's physics costs a quarter to half a second per
step on a 5,000-node entity graph, so a settled layout would take minutes. Entity graphs are hubs
(councils, topics, grades) with many leaves (documents, people, visits), so this places the hubs with
networkx's spring layout (dense, fine for a few hundred nodes and needing no scipy), on a graph where two
hubs are linked directly or through the non-hub nodes they share (so a council and the topics its stories
raise end up close), then puts every other node at the centre of its placed neighbours, leaves fanned out
around their hub on a sunflower spiral.
Components the hubs do not reach are laid out on their own and set in a ring around the rest.
Everything random is drawn from one seeded generator, so the same graph and seed give the same picture.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

__all__ = ["seeded_layout"]

_GOLDEN = math.pi * (3 - math.sqrt(5))


def _spring(graph: nx.Graph, seed: int, span: float, weight: str | None = None) -> dict[Any, tuple[float, float]]:
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    pos = nx.spring_layout(graph, seed=seed, iterations=60, weight=weight)
    return {n: (float(x) * span, float(y) * span) for n, (x, y) in pos.items()}


def _backbone(graph: nx.Graph, hubs: list[Any]) -> nx.Graph:
    """Hubs linked directly, or through the non-hub nodes they share (weighted by how many)."""
    chosen = set(hubs)
    pairs: Counter[tuple[Any, Any]] = Counter()
    for node in graph:
        if node in chosen:
            continue
        near = sorted((m for m in graph.neighbors(node) if m in chosen), key=str)[:12]
        pairs.update(combinations(near, 2))
    for a, b in graph.subgraph(hubs).edges():
        pairs[(a, b) if str(a) <= str(b) else (b, a)] += 2
    backbone = nx.Graph()
    backbone.add_nodes_from(hubs)
    backbone.add_weighted_edges_from((a, b, w) for (a, b), w in pairs.items())
    return backbone.subgraph(max(nx.connected_components(backbone), key=len)).copy()


def seeded_layout(graph: nx.Graph, *, seed: int = 0, backbone: int = 250, spacing: float = 18.0
                  ) -> dict[Any, tuple[float, float]]:
    """Positions (pixels) for every node of ``graph``: hubs by spring layout, the rest around them.

    >>> g = nx.star_graph(5)
    >>> pos = seeded_layout(g, seed=1)
    >>> len(pos), pos == seeded_layout(g, seed=1)
    (6, True)
    """
    if graph.number_of_nodes() == 0:
        return {}
    rnd = random.Random(seed)
    order = sorted(graph.nodes, key=lambda n: (-graph.degree(n), str(n)))
    rank = {n: i for i, n in enumerate(order)}
    main = max(nx.connected_components(graph), key=lambda c: (len(c), -min(rank[n] for n in c)))
    hubs = _backbone(graph, [n for n in order if n in main][:backbone])
    span = spacing * math.sqrt(graph.number_of_nodes()) * 2.2
    pos = _spring(hubs, seed, span)
    fanned: dict[Any, int] = defaultdict(int)
    frontier = sorted(hubs, key=rank.__getitem__)
    while frontier:  # breadth-first from the hubs: place each node once its first neighbours are placed
        nxt = []
        for node in frontier:
            for nb in graph.neighbors(node):
                if nb in pos:
                    continue
                placed = [pos[m] for m in graph.neighbors(nb) if m in pos]
                cx = sum(p[0] for p in placed) / len(placed)
                cy = sum(p[1] for p in placed) / len(placed)
                if len(placed) == 1:  # a leaf of ``node``: the next seat on its sunflower
                    fanned[node] += 1
                    k = fanned[node]
                    r, a = spacing * 1.6 * math.sqrt(k + 1), k * _GOLDEN
                else:
                    r, a = spacing * rnd.random(), rnd.random() * 2 * math.pi
                pos[nb] = (cx + r * math.cos(a), cy + r * math.sin(a))
                nxt.append(nb)
        frontier = nxt
    rest = [c for c in nx.connected_components(graph) if not (c & pos.keys())]
    if rest:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        radius = max(max(xs) - min(xs), max(ys) - min(ys), spacing * 4) / 2 + spacing * 6
        rest.sort(key=lambda c: (-len(c), min(rank[n] for n in c)))
        for i, comp in enumerate(rest):
            angle = 2 * math.pi * i / len(rest) + rnd.random() * 0.1
            cx, cy = radius * math.cos(angle), radius * math.sin(angle)
            small = _spring(graph.subgraph(comp), seed, spacing * 1.5 * math.sqrt(len(comp)))
            for n, (x, y) in small.items():
                pos[n] = (cx + x, cy + y)
    return {n: pos[n] for n in graph.nodes}
