"""What the build's views show, read one batch of documents at a time, so memory stays flat with the corpus.

The views of a build show the issue co-occurrence network, topic frequencies, similar councils, grade
timelines and the entity graph cut to its best-connected nodes. Reading every fact of a 10,000-article
graph into Python took 600 MB; here the rows come in batches of whole documents and:

- pass 1 folds each batch into the counts behind co-occurrence, frequency, similarity and timelines
  (their size grows with topics, councils and grade events, not documents) and sums each entity-graph
  node's degree. A document's degree is final within its batch, so documents are ranked as they come and
  only the best ``max_nodes`` are kept; other nodes (councils, people, topics...) are summed in a
  temporary on-disk SQLite database, since people and visits grow with the corpus too;
- the batches are spilled to an unnamed temporary file as they come, and pass 2 reads them back to build
  the entity graph of the chosen nodes only, with at most ``evidence_cap`` quotes per link.

Node ranking is :func:`graphkit.analyse.entities.top_nodes`'s (weighted degree, then id), and each kept
node's ``links`` is its degree in the whole graph, so the result is the same as cutting the whole graph.
"""

from __future__ import annotations

import gc
import pickle
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from graphkit.analyse.cooccurrence import BasketCounts, frequency_table
from graphkit.analyse.entities import BatchShape, EntityGraph, batch_shape
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


#: Kinds of nodes that do not grow with the corpus (a council's links to them are remembered in memory).
_VOCABULARY = frozenset({"topic", "grade"})


class _Degrees:
    """Each node's weighted degree (for ranking) and its number of neighbours (shown as ``links``).

    People, inspections and organisations grow with the corpus too, so their counts are summed in a
    private on-disk SQLite database (SQLite's own temporary file, removed when closed) rather than in
    Python. Neighbours are counted without a list of documents: a document's links all come in its own
    batch, so the documents next to a node add up batch by batch; only other neighbours are kept, as
    (node, neighbour) pairs. Documents are ranked as they come, keeping the best ``max_docs``.
    """

    def __init__(self, max_docs: int) -> None:
        self.max_docs = max_docs
        self.documents = 0
        self.best_docs: list[tuple[float, str, int]] = []  # (-weight, id, links), the best max_docs
        self.vocabulary_pairs: set[tuple[str, str]] = set()
        self.db = sqlite3.connect("")
        self.db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE node (node TEXT PRIMARY KEY, kind TEXT, label TEXT, weight INTEGER, doc_links INTEGER,
                               links INTEGER);
            CREATE TABLE near (node TEXT, other TEXT, PRIMARY KEY (node, other)) WITHOUT ROWID;
        """)

    def add(self, shape: BatchShape) -> None:
        docs, nodes, near = [], [], []
        kinds = shape.nodes
        for node, (kind, label) in kinds.items():
            neighbours = shape.near.get(node, ())
            if kind == "document":
                self.documents += 1
                docs.append((-shape.weight[node], node, len(neighbours) + (node in neighbours)))
                continue
            doc_links = 0
            for other in neighbours:
                if kinds[other][0] == "document":
                    doc_links += 1
                elif self._new_pair(node, kind, other, kinds[other][0]):
                    near.append((node, other))
            nodes.append((node, kind, label, shape.weight[node], doc_links))
        self.db.executemany("INSERT INTO node VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (node) DO UPDATE SET "
                            "weight = weight + excluded.weight, doc_links = doc_links + excluded.doc_links", nodes)
        self.db.executemany("INSERT OR IGNORE INTO near VALUES (?, ?)", near)
        self.best_docs = sorted(self.best_docs + docs)[: self.max_docs]

    def _new_pair(self, node: str, kind: str, other: str, other_kind: str) -> bool:
        """Whether (node, other) may not be in ``near`` yet. Pairs with a topic or a grade (a council's) come
        again in most batches, but there are at most councils x (topics + grades) of them: those inserted
        are remembered here, which spares SQLite six in ten of its inserts."""
        if kind not in _VOCABULARY and other_kind not in _VOCABULARY:
            return True
        if (node, other) in self.vocabulary_pairs:
            return False
        self.vocabulary_pairs.add((node, other))
        return True

    def count(self) -> None:
        """Work out every node's links, once all batches are in."""
        self.db.execute("UPDATE node SET links = doc_links + (SELECT COUNT(*) FROM near WHERE near.node = node.node)")

    def top(self, limit: int) -> dict[str, int]:
        """The ``limit`` best-connected nodes -> their links, ranked as ``top_nodes`` ranks them."""
        ranked = [(-w, n, links) for n, w, links in self.db.execute(
            "SELECT node, weight, links FROM node ORDER BY weight DESC, node LIMIT ?", (limit,))]
        return {n: links for _, n, links in sorted(ranked + self.best_docs)[:limit]}

    def most_connected(self, kinds: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
        marks = ", ".join("?" * len(kinds))
        return [{"label": label, "kind": kind, "links": links} for label, kind, links in self.db.execute(
            f"SELECT label, kind, links FROM node WHERE kind IN ({marks}) ORDER BY links DESC, label LIMIT ?",
            (*kinds, limit))]

    def kinds(self) -> Counter[str]:
        return Counter(dict(self.db.execute("SELECT kind, COUNT(*) FROM node GROUP BY kind").fetchall()))

    @property
    def total(self) -> int:
        return self.documents + self.db.execute("SELECT COUNT(*) FROM node").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _spill(out: IO[bytes], rows: GraphRows) -> None:
    pickle.dump(rows, out, protocol=pickle.HIGHEST_PROTOCOL)


def _unspill(spilled: IO[bytes]) -> Iterator[GraphRows]:
    spilled.seek(0)
    while True:
        try:
            yield pickle.load(spilled)  # our own file, written just above: never a document's bytes
        except EOFError:
            return


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the batches are folded, as it was before afterwards.

    Folding makes and drops millions of dicts, lists and tuples, none of them in a reference cycle, so
    reference counting frees each as it goes (measured: a collection after the fold finds the same 179
    objects at 500, 2,500 and 10,000 documents). But a batch lives long enough to count as long-lived,
    so every batch or two set off a full collection walking every live object again: a tenth of the fold's
    time at 10,000 documents, for nothing. Memory stays as flat without them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    with _collector_paused(), tempfile.TemporaryFile(dir=spill_dir, prefix="graphkit-views-") as spilled, \
            closing(degrees):
        for rows in batches:
            for counts in (cooc, concerns, strengths, councils):
                counts.add(rows.findings)
            timeline.add(rows.judgements)
            findings += len(rows.findings)
            grades += len(rows.judgements)
            degrees.add(batch_shape(rows))
            _spill(spilled, rows)
        degrees.count()
        top = degrees.top(max_nodes)
        builder = EntityGraph(keep=top, evidence_cap=evidence_cap)
        for rows in _unspill(spilled):
            builder.add(rows)
        total, kinds = degrees.total, degrees.kinds()
        people = degrees.most_connected(("person", "council"), connected)
    entities = builder.finish()
    for node, links in top.items():
        entities.nodes[node]["links"] = links
    entities.graph["total_nodes"] = total
    return GraphSummary(
        entities=entities,
        cooccurrence=cooc.graph(),
        frequency=frequency_table(concerns, strengths),
        similarity=councils.graph(),
        timeline=timeline.timeline(),
        counts={"documents": degrees.documents, "councils": kinds["council"], "people": kinds["person"],
                "findings": findings, "grades": grades},
        most_connected=people,
    )
