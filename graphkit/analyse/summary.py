"""What the build's views show, read one batch of documents at a time, so memory stays flat with the corpus.

The views of a build show the issue co-occurrence network, topic frequencies, similar councils, grade
timelines and the entity graph cut to its best-connected nodes. Reading every fact of a 10,000-article
graph into Python took 600 MB; here the rows come in batches of whole documents and:

- pass 1 folds each batch into the counts behind co-occurrence, frequency, similarity and timelines
  (their size grows with topics, councils and grade events, not documents) and sums each entity-graph
  node's degree. A document's degree is final within its batch, so documents are ranked as they come and
  only the best ``max_nodes`` are kept; other nodes (councils, people, topics...) are all counted;
- the batches are spilled to an unnamed temporary file as they come, and pass 2 reads them back to build
  the entity graph of the chosen nodes only, with at most ``evidence_cap`` quotes per link.

Node ranking is :func:`graphkit.analyse.entities.top_nodes`'s (weighted degree, then id), and each kept
node's ``links`` is its degree in the whole graph, so the result is the same as cutting the whole graph.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graphkit.analyse.cooccurrence import BasketCounts, frequency_table
from graphkit.analyse.entities import EntityGraph
from graphkit.analyse.rows import GraphRows
from graphkit.analyse.similarity import CouncilTopics
from graphkit.analyse.timeline import GradeEvent, TimelineCounts

__all__ = ["GraphSummary", "summarise"]


@dataclass
class GraphSummary:
    """Everything the build's views and report page show."""

    #: The entity graph cut to its best-connected nodes; node ``links`` is the degree in the whole graph
    #: and the graph's ``total_nodes`` the number of nodes of the whole graph.
    entities: nx.Graph
    cooccurrence: nx.Graph
    frequency: list[dict[str, Any]]
    similarity: nx.Graph
    timeline: dict[str, list[GradeEvent]]
    counts: dict[str, int] = field(default_factory=dict)
    #: People and councils with the most links: dicts of ``label``, ``kind`` and ``links``.
    most_connected: list[dict[str, Any]] = field(default_factory=list)


class _Degrees:
    """Each node's weighted degree (for ranking) and its number of neighbours (shown as ``links``).

    Neighbours are counted without a set of documents: a document's links all come in its own batch, so
    the documents next to a node add up batch by batch; only other neighbours are kept in sets.
    """

    def __init__(self, max_docs: int) -> None:
        self.max_docs = max_docs
        self.documents = 0
        self.best_docs: list[tuple[float, str, int]] = []  # (-weight, id, links), the best max_docs
        self.weight: Counter[str] = Counter()
        self.doc_links: Counter[str] = Counter()
        self.others: dict[str, set[str]] = {}
        self.kind: dict[str, tuple[str, str]] = {}  # node -> (kind, label)

    def add(self, g: nx.Graph) -> None:
        docs = []
        for node, data in g.nodes(data=True):
            if data["kind"] == "document":
                self.documents += 1
                docs.append((-g.degree(node, weight="weight"), str(node), g.degree(node)))
                continue
            self.kind.setdefault(node, (data["kind"], data["label"]))
            self.weight[node] += g.degree(node, weight="weight")
            near = self.others.setdefault(node, set())
            for other in g[node]:
                if g.nodes[other]["kind"] == "document":
                    self.doc_links[node] += 1
                else:
                    near.add(other)
        self.best_docs = sorted(self.best_docs + docs)[: self.max_docs]

    def links(self, node: str) -> int:
        return self.doc_links[node] + len(self.others.get(node, ()))

    def top(self, limit: int) -> dict[str, int]:
        """The ``limit`` best-connected nodes -> their links, ranked as ``top_nodes`` ranks them."""
        ranked = [(-w, str(n), n) for n, w in self.weight.items()]
        ranked += [(w, n, n) for w, n, _ in self.best_docs]
        chosen = sorted(ranked)[:limit]
        doc_links = {n: links for _, n, links in self.best_docs}
        return {n: doc_links[n] if n in doc_links else self.links(n) for _, _, n in chosen}

    @property
    def total(self) -> int:
        return self.documents + len(self.weight)


def _spill(out: IO[bytes], rows: GraphRows) -> None:
    pickle.dump(rows, out, protocol=pickle.HIGHEST_PROTOCOL)


def _unspill(spilled: IO[bytes]) -> Iterator[GraphRows]:
    spilled.seek(0)
    while True:
        try:
            yield pickle.load(spilled)  # our own file, written just above: never a document's bytes
        except EOFError:
            return


def summarise(batches: Iterable[GraphRows], *, spill_dir: Path | None = None, max_nodes: int = 5000,
              evidence_cap: int | None = None, connected: int = 20) -> GraphSummary:
    """Fold ``batches`` (each the rows of whole documents, no document in two) into a :class:`GraphSummary`.

    ``spill_dir`` is where the batches wait for pass 2 (the system's temporary folder by default).
    """
    cooc = BasketCounts(polarity="any")
    concerns, strengths = BasketCounts(polarity="concern"), BasketCounts(polarity="strength")
    councils = CouncilTopics(polarity="concern")
    timeline = TimelineCounts()
    degrees = _Degrees(max_nodes)
    findings = grades = 0
    with tempfile.TemporaryFile(dir=spill_dir, prefix="graphkit-views-") as spilled:
        for rows in batches:
            for counts in (cooc, concerns, strengths, councils):
                counts.add(rows.findings)
            timeline.add(rows.judgements)
            findings += len(rows.findings)
            grades += len(rows.judgements)
            degrees.add(EntityGraph().add(rows).g)
            _spill(spilled, rows)
        top = degrees.top(max_nodes)
        builder = EntityGraph(keep=top, evidence_cap=evidence_cap)
        for rows in _unspill(spilled):
            builder.add(rows)
    entities = builder.finish()
    for node, links in top.items():
        entities.nodes[node]["links"] = links
    entities.graph["total_nodes"] = degrees.total
    kinds = Counter(kind for kind, _ in degrees.kind.values())
    people = [{"label": label, "kind": kind, "links": degrees.links(n)}
              for n, (kind, label) in degrees.kind.items() if kind in ("person", "council")]
    people.sort(key=lambda r: (-r["links"], str(r["label"])))
    return GraphSummary(
        entities=entities,
        cooccurrence=cooc.graph(),
        frequency=frequency_table(concerns, strengths),
        similarity=councils.graph(),
        timeline=timeline.timeline(),
        counts={"documents": degrees.documents, "councils": kinds["council"], "people": kinds["person"],
                "findings": findings, "grades": grades},
        most_connected=people[:connected],
    )
