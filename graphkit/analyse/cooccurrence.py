"""Issue co-occurrence: which topics are found together for the same council in the same document.

The unit is a *basket*: one (document, council) pair and the set of topics found for that council in
that document. Counting per basket rather than per document keeps a story about three councils from
pairing one council's problems with another's. ``polarity`` chooses the findings that fill baskets
(``concern``, ``strength`` or ``any``; under ``any`` a topic found both ways in a basket counts once).

For topics *a* and *b* over *N* baskets, with *f(a)* the baskets holding *a* and *c(a, b)* those holding
both: ``jaccard = c / (f(a) + f(b) - c)`` and ``lift = c / expected`` with ``expected = f(a) f(b) / N``,
the count two independent topics would reach by chance (lift above 1: they go together more than chance).

Edges are counted with a ``Counter`` of sorted pairs and added in one ``add_weighted_edges_from``
(``../shared/PERF-NOTES.md``: 4x faster than adding edges one by one, 32x faster than a bipartite
projection).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from graphkit.analyse.errors import AnalysisError

__all__ = ["POLARITIES", "BasketCounts", "check_polarity", "topic_baskets", "cooccurrence_graph",
           "cooccurrence_table", "topic_frequency", "frequency_table"]

POLARITIES = ("concern", "strength", "any")

Row = Mapping[str, Any]


def check_polarity(polarity: str) -> str:
    """``polarity`` if it is one of :data:`POLARITIES`; an :class:`AnalysisError` otherwise."""
    if polarity not in POLARITIES:
        raise AnalysisError(f"unknown polarity {polarity!r}; expected one of {', '.join(POLARITIES)}")
    return polarity


def topic_baskets(
    findings: Iterable[Row], *, polarity: str = "any", council: str | None = None
) -> dict[tuple[str, str], frozenset[str]]:
    """The set of topics of each (document, council), from finding rows.

    Each row needs ``document``, ``council``, ``topic`` and ``polarity``; ``council`` keeps one council.

    >>> rows = [{"document": "d1", "council": "A", "topic": "caseloads", "polarity": "concern"},
    ...         {"document": "d1", "council": "A", "topic": "training", "polarity": "strength"},
    ...         {"document": "d1", "council": "B", "topic": "caseloads", "polarity": "concern"}]
    >>> sorted(topic_baskets(rows, polarity="concern").items())
    [(('d1', 'A'), frozenset({'caseloads'})), (('d1', 'B'), frozenset({'caseloads'}))]
    """
    check_polarity(polarity)
    return {k: frozenset(v) for k, v in sorted(_baskets(findings, polarity, council).items())}


def _baskets(findings: Iterable[Row], polarity: str, council: str | None) -> dict[tuple[str, str], set[str]]:
    """:func:`topic_baskets` unsorted and unfrozen: what counting needs (a build's views count every batch
    three times, so each row costs one dict lookup and at most one set)."""
    baskets: dict[tuple[str, str], set[str]] = {}
    for r in findings:
        if (polarity == "any" or r["polarity"] == polarity) and (council is None or r["council"] == council):
            key = (r["document"], r["council"])
            topics = baskets.get(key)
            if topics is None:
                baskets[key] = {r["topic"]}
            else:
                topics.add(r["topic"])
    return baskets


def _labels(findings: Iterable[Row]) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for r in findings:
        topic = r["topic"]
        seen = out.get(topic)
        if seen is None or (seen[0] == topic and r.get("topicLabel")):  # the first label, unless only the id
            out[topic] = (r.get("topicLabel") or topic, r.get("groupLabel"))
    return out


class BasketCounts:
    """Topic and pair counts over baskets, fed one batch of finding rows at a time.

    A basket is complete within one document, so rows can come in batches of whole documents (the
    build's views read the graph that way) and only the counts are kept: their size grows with the
    number of topics, not of documents.
    """

    def __init__(self, *, polarity: str = "any", council: str | None = None) -> None:
        self.polarity = check_polarity(polarity)
        self.council = council
        self.baskets = 0
        self.freq: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.labels: dict[str, tuple[str, str | None]] = {}

    def add(self, findings: Iterable[Row]) -> BasketCounts:
        """Count the baskets of ``findings``: rows of whole documents, none of them seen before."""
        rows = list(findings)
        baskets = _baskets(rows, self.polarity, self.council).values()
        self.baskets += len(baskets)
        for topics in baskets:  # counts do not depend on the order of baskets
            self.freq.update(topics)
            if len(topics) > 1:
                self.pairs.update(combinations(sorted(topics), 2))
        for topic, (label, group) in _labels(rows).items():
            if topic not in self.labels or self.labels[topic][0] == topic:
                self.labels[topic] = (label, group)
        return self

    def graph(self, *, min_count: int = 1) -> nx.Graph:
        """The co-occurrence network of what was counted (see :func:`cooccurrence_graph`)."""
        if min_count < 1:
            raise AnalysisError(f"min_count must be at least 1, not {min_count}")
        n, freq = self.baskets, self.freq
        g = nx.Graph(baskets=n, polarity=self.polarity, min_count=min_count)
        for topic in sorted(freq, key=lambda t: (-freq[t], t)):
            if freq[topic] >= min_count:
                label, group = self.labels.get(topic, (topic, None))
                g.add_node(topic, label=label, group=group, frequency=freq[topic], share=freq[topic] / n)
        g.add_weighted_edges_from(
            (a, b, c) for (a, b), c in sorted(self.pairs.items(), key=lambda kv: (-kv[1], kv[0]))
            if c >= min_count
        )
        for a, b, data in g.edges(data=True):
            c, fa, fb = data["weight"], freq[a], freq[b]
            data["jaccard"] = c / (fa + fb - c)
            data["expected"] = fa * fb / n
            data["lift"] = c / data["expected"]
        return g


def cooccurrence_graph(
    findings: Iterable[Row], *, polarity: str = "any", min_count: int = 1, council: str | None = None
) -> nx.Graph:
    """The topic co-occurrence network of finding rows.

    Nodes are topics with ``label``, ``group``, ``frequency`` (baskets holding the topic) and ``share``
    (frequency / baskets). Edges carry ``weight`` (baskets holding both), ``jaccard``, ``expected`` and
    ``lift``. Only pairs found in at least ``min_count`` baskets are kept, and only topics found in at
    least ``min_count`` baskets (a rarer topic cannot reach the threshold with any partner). The graph's
    ``baskets`` attribute is *N*.

    >>> rows = [{"document": d, "council": "A", "topic": t, "polarity": "concern"}
    ...         for d, ts in {"d1": "xy", "d2": "xy", "d3": "xz", "d4": "w"}.items() for t in ts]
    >>> g = cooccurrence_graph(rows)
    >>> g.graph["baskets"], g.nodes["x"]["frequency"], g["x"]["y"]["weight"]
    (4, 3, 2)
    >>> round(g["x"]["y"]["jaccard"], 3), round(g["x"]["y"]["lift"], 3)  # 2/(3+2-2), 2/(3*2/4)
    (0.667, 1.333)
    >>> sorted(cooccurrence_graph(rows, min_count=2).edges())
    [('x', 'y')]
    """
    if min_count < 1:
        raise AnalysisError(f"min_count must be at least 1, not {min_count}")
    return BasketCounts(polarity=polarity, council=council).add(findings).graph(min_count=min_count)


def cooccurrence_table(graph: nx.Graph) -> list[dict[str, Any]]:
    """One row per edge of a co-occurrence graph, most frequent pairs first."""
    rows = []
    for a, b, d in graph.edges(data=True):
        a, b = sorted((a, b))
        rows.append({"topic_a": a, "topic_b": b, "count": d["weight"], "jaccard": d["jaccard"],
                     "lift": d["lift"], "expected": d["expected"],
                     "frequency_a": graph.nodes[a]["frequency"], "frequency_b": graph.nodes[b]["frequency"]})
    rows.sort(key=lambda r: (-r["count"], -r["lift"], r["topic_a"], r["topic_b"]))
    return rows


def topic_frequency(findings: Iterable[Row], *, council: str | None = None) -> list[dict[str, Any]]:
    """How many baskets raise each topic as a concern and as a strength, most frequent first.

    >>> rows = [{"document": "d1", "council": "A", "topic": "caseloads", "polarity": "concern"},
    ...         {"document": "d2", "council": "A", "topic": "caseloads", "polarity": "strength"}]
    >>> [(r["topic"], r["concern"], r["strength"], r["total"]) for r in topic_frequency(rows)]
    [('caseloads', 1, 1, 2)]
    """
    rows = list(findings)
    return frequency_table(BasketCounts(polarity="concern", council=council).add(rows),
                           BasketCounts(polarity="strength", council=council).add(rows))


def frequency_table(concerns: BasketCounts, strengths: BasketCounts) -> list[dict[str, Any]]:
    """The rows of :func:`topic_frequency` from the counts of concern and of strength baskets."""
    labels = {**strengths.labels, **concerns.labels}
    topics = set(concerns.freq) | set(strengths.freq)
    out = [{"topic": t, "label": labels[t][0], "group": labels[t][1], "concern": concerns.freq[t],
            "strength": strengths.freq[t], "total": concerns.freq[t] + strengths.freq[t]}
           for t in topics]
    out.sort(key=lambda r: (-r["total"], -r["concern"], r["topic"]))
    return out
