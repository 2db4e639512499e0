"""The entity graph: documents, councils, people, organisations, topics, grades and inspections.

It is the graph a reader explores (``graph.html``) and the one centrality and communities run on. Facts
that say the same thing are folded into one edge that keeps every piece of evidence: a topic found for a
council by four documents is one council-topic edge of weight 4 whose ``evidence`` lists the four quotes,
each with its source document. Node ids are the graph's IRIs, except topics (``topic:<id>``), grades
(``grade:<id>``) and inspections, which are keyed by council, kind and date (or by document when undated)
so that one visit reported by several articles is one node.

Node attributes: ``kind`` (one of :data:`NODE_KINDS`), ``label``, ``details`` (``(name, value)`` pairs
for a tooltip). Edge attributes: ``kind`` (one of :data:`EDGE_KINDS`), ``label``, ``weight`` (number of
facts folded in) and ``evidence`` (dicts of ``quote``, ``document`` and ``title``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graphkit.analyse.errors import AnalysisError
from graphkit.analyse.rows import GraphRows, iri_id

__all__ = ["NODE_KINDS", "EDGE_KINDS", "EntityGraph", "BatchShape", "batch_shape", "entity_graph", "neighbourhood",
           "humanise", "top_nodes"]

NODE_KINDS = ("document", "council", "person", "organisation", "topic", "grade", "inspection")
EDGE_KINDS = ("about", "names", "post", "concern", "strength", "concern-strength", "grade", "inspected",
              "reports")

Row = Mapping[str, Any]
_DOC_TYPES = {"Article": "article", "InspectionReport": "Ofsted report"}


def humanise(concept_id: str | None) -> str:
    """A concept id as words: ``"requires-improvement"`` -> ``"requires improvement"``.

    >>> humanise("monitoring-visit")
    'monitoring visit'
    """
    return (concept_id or "").replace("-", " ")


# A node's id and label from the row that names it: shared by ``EntityGraph`` and ``batch_shape``, whose
# degrees must be those of the graph ``EntityGraph`` makes.

def _doc_id(r: Row) -> str:
    return r.get("doc") or f"doc:{r['document']}"


def _council_label(r: Row) -> str:
    return r.get("councilLabel") or iri_id(r["council"]) or "?"


def _person_label(r: Row) -> str:
    return r.get("name") or iri_id(r["person"]) or "?"


def _org_kind(r: Row) -> str:
    return "council" if r.get("isCouncil") == "true" else "organisation"


def _org_label(r: Row) -> str:
    return r.get("organisationLabel") or iri_id(r["organisation"]) or "?"


def _topic_label(r: Row) -> str:
    return r.get("topicLabel") or r["topic"]


def _grade_label(r: Row) -> str:
    return humanise(r["grade"]).capitalize()


def _inspection_kind(r: Row) -> str:
    return r.get("kind") or "inspection"


def _inspection_id(r: Row) -> str:
    return f"inspection:{r['council']}|{_inspection_kind(r)}|{r.get('date') or r['document']}"


def _inspection_label(r: Row) -> str:
    return " ".join(x for x in (humanise(_inspection_kind(r)), r.get("date") or "") if x)


class EntityGraph:
    """Builds the entity graph from rows, one batch of whole documents at a time (see the module docstring).

    ``keep`` limits the graph to those nodes (a fact between a kept node and another is left out), and
    ``evidence_cap`` keeps that many quotes per edge while ``evidence_total`` counts them all: together
    they bound what a view of a huge graph holds. Nodes and edges keep the order they were first seen in,
    so the same rows in the same batches give the same graph.

    Nodes and edges are plain dicts until ``finish`` makes the networkx graph: a build's views fold every
    document through here, and networkx's views cost about half of that. With ``keep``, a row's labels and
    details are worked out only for the nodes kept (in a build's views, 5,000 of some 60,000).
    """

    def __init__(self, *, keep: Container[str] | None = None, evidence_cap: int | None = None) -> None:
        self.keep = keep
        self.cap = evidence_cap
        self._nodes: dict[str, dict[str, Any]] = {}
        self._adj: dict[str, dict[str, dict[str, Any]]] = {}
        self._edges: list[tuple[str, str, dict[str, Any]]] = []  # in the order they were made
        self._titles: dict[str, str] = {}
        self._seen: set[tuple[str, str, str, str]] = set()  # (a, b, quote, document) of this batch

    def _kept(self, node: str) -> bool:
        return self.keep is None or node in self.keep

    def node(self, node: str, node_kind: str, label: str, **details: Any) -> str | None:
        if self.keep is not None and node not in self.keep:
            return None
        data = self._nodes.get(node)
        if data is None:
            data = self._nodes[node] = {"kind": node_kind, "label": label, "details": {}}
            self._adj[node] = {}
        d = data["details"]
        for k, v in details.items():
            if v:
                values = d.get(k)
                if values is None:
                    d[k] = [v]
                elif v not in values:
                    values.append(v)
        return node

    def edge(self, a: str | None, b: str | None, kind: str, label: str, row: Row) -> dict[str, Any] | None:
        if a is None or b is None:
            return None
        data = self._adj[a].get(b)
        if data is not None:
            data["weight"] += 1
            if label and label not in data["labels"]:
                data["labels"].append(label)
        else:
            data = {"kind": kind, "weight": 1, "labels": [label] if label else [], "evidence": [],
                    "evidence_total": 0}
            self._adj[a][b] = self._adj[b][a] = data
            self._edges.append((a, b, data))
        doc = row.get("document") or ""
        quote = row.get("quote") or ""
        key = (a, b, quote, doc)  # a document's quotes are all in its batch
        if (quote or doc) and key not in self._seen:
            self._seen.add(key)
            data["evidence_total"] += 1
            if self.cap is None or len(data["evidence"]) < self.cap:
                data["evidence"].append({"quote": quote, "document": doc, "title": self._titles.get(doc, "")})
        return data

    def _council(self, row: Row) -> str | None:
        """The row's council node (it has no details, so one seen already needs no more work)."""
        council = row["council"]
        if council in self._nodes:
            return council
        return self.node(council, "council", _council_label(row))

    def add(self, rows: GraphRows) -> EntityGraph:
        """Fold in the rows of a batch of whole documents (none of them seen before)."""
        self._seen.clear()
        self._titles = {r["document"]: r.get("title") or "" for r in rows.documents}
        kept = self._kept
        doc_nodes: dict[str, str | None] = {}
        for r in rows.documents:
            node = _doc_id(r)
            doc_nodes[r["document"]] = None if not kept(node) else self.node(
                node, "document", r.get("title") or r["document"], document=r["document"], title=r.get("title"),
                published=r.get("published"), type=_DOC_TYPES.get(r.get("type") or "", r.get("type")))

        def doc(row: Row) -> str | None:
            d = row["document"]
            if d not in doc_nodes:  # a fact whose document row is missing still gets its document node
                doc_nodes[d] = self.node(f"doc:{d}", "document", d, document=d)
            return doc_nodes[d]

        for r in rows.mentions:
            self.edge(doc(r), self._council(r), "about", "about", r)
        for r in rows.people:
            person = r["person"]
            if kept(person):
                role = humanise(r.get("role"))
                self.node(person, "person", _person_label(r), role=role, title=r.get("title"))
            else:
                person = None
            self.edge(doc(r), person, "names", "names", r)
            org = r.get("organisation")
            if org and kept(org):
                org_node = self.node(org, _org_kind(r), _org_label(r))
                if person is not None:
                    self.edge(person, org_node, "post", r.get("title") or humanise(r.get("role")), r)
        for r in rows.findings:
            topic = f"topic:{r['topic']}"
            if kept(topic):
                self.node(topic, "topic", _topic_label(r), topic=r["topic"], group=r.get("groupLabel"))
            else:
                topic = None
            council = self._council(r)
            if council is not None and topic is not None:
                self._finding(self.edge(council, topic, r["polarity"], r["polarity"], r), r["polarity"])
        for r in rows.judgements:
            grade = f"grade:{r['grade']}"
            grade = self.node(grade, "grade", _grade_label(r), grade=r["grade"]) if kept(grade) else None
            council = self._council(r)
            if council is not None and grade is not None:
                area = r.get("area") or "overall"
                label = " ".join(x for x in (humanise(area) if area != "overall" else "", r.get("date") or "") if x)
                self.edge(council, grade, "grade", label or "graded", r)
        for r in rows.inspections:
            council = self._council(r)
            node = _inspection_id(r)
            if kept(node):
                council_label = self._nodes[council]["label"] if council is not None else _council_label(r)
                self.node(node, "inspection", _inspection_label(r), visit=humanise(_inspection_kind(r)),
                          date=r.get("date"), council=council_label)
            else:
                node = None
            self.edge(node, council, "inspected", "of", r)
            self.edge(doc(r), node, "reports", "reports", r)
        return self

    @staticmethod
    def _finding(data: dict[str, Any], polarity: str) -> None:
        """Count a finding's polarity on its council-topic edge; the edge's kind names the polarities seen."""
        data[polarity] = data.get(polarity, 0) + 1
        if data[polarity] == 1:  # counts only grow, so the kind changes only when a polarity first comes
            data["kind"] = "-".join(p for p in ("concern", "strength") if data.get(p))

    def finish(self) -> nx.Graph:
        """The graph, with each edge's labels joined and each node's details as ``(name, value)`` pairs."""
        g = nx.Graph()
        for node, data in self._nodes.items():
            data["details"] = [(k, ", ".join(v)) for k, v in data["details"].items()]
            g.add_node(node, **data)
        for a, b, data in self._edges:
            data["label"] = "; ".join(data.pop("labels"))
            g.add_edge(a, b, **data)
        self._seen.clear()
        return g


@dataclass
class BatchShape:
    """The shape of one batch's entity graph: what ranking its nodes needs, without labels of links or evidence.

    ``nodes`` maps each node to its ``(kind, label)``, ``weight`` is its weighted degree (as networkx counts
    it: a loop twice) and ``near`` its neighbours (a node without facts has none).
    """

    nodes: dict[str, tuple[str, str]]
    weight: Counter[str]
    near: dict[str, set[str]]


class _Shaper:
    """Collects a batch's nodes (the first row naming a node gives its kind and label, as in ``EntityGraph``)
    and the two ends of each fact."""

    def __init__(self, rows: GraphRows) -> None:
        self.nodes: dict[str, tuple[str, str]] = {}
        self.a: list[str] = []
        self.b: list[str] = []
        self.docs: dict[str, str] = {}
        for r in rows.documents:
            node = self.docs[r["document"]] = _doc_id(r)
            if node not in self.nodes:
                self.nodes[node] = ("document", r.get("title") or r["document"])

    def doc(self, row: Row) -> str:
        d = row["document"]
        node = self.docs.get(d)
        if node is None:  # a fact whose document row is missing still gets its document node
            node = self.docs[d] = f"doc:{d}"
            self.nodes.setdefault(node, ("document", d))
        return node

    def council(self, row: Row) -> str:
        council = row["council"]
        if council not in self.nodes:
            self.nodes[council] = ("council", _council_label(row))
        return council

    def fact(self, a: str, b: str) -> None:
        self.a.append(a)
        self.b.append(b)

    def shape(self) -> BatchShape:
        weight = Counter(self.a)
        weight.update(self.b)
        near: dict[str, set[str]] = {}
        for a, b in set(zip(self.a, self.b, strict=True)):
            near.setdefault(a, set()).add(b)
            near.setdefault(b, set()).add(a)
        return BatchShape(self.nodes, weight, near)


def batch_shape(rows: GraphRows) -> BatchShape:
    """The shape of ``EntityGraph().add(rows)``'s graph, at a fraction of its cost: the build's views rank
    every node of the corpus by it, and keep the labels, details and evidence of the best only."""
    s = _Shaper(rows)
    nodes = s.nodes
    for r in rows.mentions:
        s.fact(s.doc(r), s.council(r))
    for r in rows.people:
        person = r["person"]
        if person not in nodes:
            nodes[person] = ("person", _person_label(r))
        s.fact(s.doc(r), person)
        org = r.get("organisation")
        if org:
            if org not in nodes:
                nodes[org] = (_org_kind(r), _org_label(r))
            s.fact(person, org)
    for r in rows.findings:
        topic = f"topic:{r['topic']}"
        if topic not in nodes:
            nodes[topic] = ("topic", _topic_label(r))
        s.fact(s.council(r), topic)
    for r in rows.judgements:
        grade = f"grade:{r['grade']}"
        if grade not in nodes:
            nodes[grade] = ("grade", _grade_label(r))
        s.fact(s.council(r), grade)
    for r in rows.inspections:
        council = s.council(r)
        node = _inspection_id(r)
        if node not in nodes:
            nodes[node] = ("inspection", _inspection_label(r))
        s.fact(node, council)
        s.fact(s.doc(r), node)
    return s.shape()


def entity_graph(rows: GraphRows) -> nx.Graph:
    """The entity graph of a built graph's rows (see the module docstring).

    >>> from graphkit.analyse.rows import GraphRows
    >>> rows = GraphRows(
    ...     documents=[{"doc": "D", "document": "d1", "type": "Article", "title": "T", "published": None}],
    ...     mentions=[{"document": "d1", "council": "C", "councilLabel": "Dudley", "quote": "In Dudley."}],
    ...     findings=[{"document": "d1", "council": "C", "councilLabel": "Dudley", "topic": "caseloads",
    ...                "topicLabel": "Caseloads", "polarity": "concern", "quote": "Caseloads are high."}])
    >>> g = entity_graph(rows)
    >>> sorted((g.nodes[n]["kind"], g.nodes[n]["label"]) for n in g)
    [('council', 'Dudley'), ('document', 'T'), ('topic', 'Caseloads')]
    >>> g.edges["C", "topic:caseloads"]["evidence"][0]["quote"]
    'Caseloads are high.'
    """
    return EntityGraph().add(rows).finish()


def neighbourhood(graph: nx.Graph, node: str, *, radius: int = 1, name: str | None = None) -> nx.Graph:
    """The subgraph of ``node`` and everything within ``radius`` hops (a council's page, say).

    ``name`` is what an error calls the node when the graph has no facts about it.
    """
    if node not in graph:
        raise AnalysisError(f"{name or node} has no facts in this graph")
    return graph.subgraph(nx.single_source_shortest_path_length(graph, node, cutoff=radius)).copy()


def top_nodes(graph: nx.Graph, limit: int) -> nx.Graph:
    """``graph`` cut to its ``limit`` best-connected nodes (ties by id), for views of huge graphs."""
    if graph.number_of_nodes() <= limit:
        return graph
    keep = sorted(graph.nodes, key=lambda n: (-graph.degree(n, weight="weight"), str(n)))[:limit]
    return graph.subgraph(keep).copy()
