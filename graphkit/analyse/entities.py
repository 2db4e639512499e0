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

from collections.abc import Container, Iterator, Mapping
from typing import Any

import networkx as nx

from graphkit.analyse.errors import AnalysisError
from graphkit.analyse.rows import GraphRows, iri_id

__all__ = ["NODE_KINDS", "EDGE_KINDS", "EntityGraph", "entity_graph", "neighbourhood", "humanise", "top_nodes"]

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


class EntityGraph:
    """Builds the entity graph from rows, one batch of whole documents at a time (see the module docstring).

    ``keep`` limits the graph to those nodes (a fact between a kept node and another is left out), and
    ``evidence_cap`` keeps that many quotes per edge while ``evidence_total`` counts them all: together
    they bound what a view of a huge graph holds. Nodes and edges keep the order they were first seen in,
    so the same rows in the same batches give the same graph.

    Nodes and edges are plain dicts until ``finish`` makes the networkx graph: a build's views fold every
    document through here (twice), and networkx's views cost about half of that.
    """

    def __init__(self, *, keep: Container[str] | None = None, evidence_cap: int | None = None,
                 shape_only: bool = False) -> None:
        self.keep = keep
        self.cap = evidence_cap
        #: Only nodes' kinds and labels and edges' weights: what the views' degree pass needs, at half the cost.
        self.shape_only = shape_only
        self._nodes: dict[str, dict[str, Any]] = {}
        self._adj: dict[str, dict[str, dict[str, Any]]] = {}
        self._edges: list[tuple[str, str, dict[str, Any]]] = []  # in the order they were made
        self._titles: dict[str, str] = {}
        self._seen: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def node(self, node: str, node_kind: str, label: str, **details: Any) -> str | None:
        if self.keep is not None and node not in self.keep:
            return None
        data = self._nodes.get(node)
        if data is None:
            data = self._nodes[node] = {"kind": node_kind, "label": label, "details": {}}
            self._adj[node] = {}
        if self.shape_only:
            return node
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
        if self.shape_only:
            if data is None:
                data = self._adj[a][b] = self._adj[b][a] = {"kind": kind, "weight": 0}
                self._edges.append((a, b, data))
            data["weight"] += 1
            return data
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
        seen = self._seen.setdefault((a, b), set())  # a document's quotes are all in its batch
        if (quote or doc) and (quote, doc) not in seen:
            seen.add((quote, doc))
            data["evidence_total"] += 1
            if self.cap is None or len(data["evidence"]) < self.cap:
                data["evidence"].append({"quote": quote, "document": doc, "title": self._titles.get(doc, "")})
        return data

    def degrees(self) -> Iterator[tuple[str, dict[str, Any], int, list[str]]]:
        """(node, its kind/label/details, weighted degree, neighbours) of every node, as networkx counts them
        (a loop's weight twice)."""
        for node, data in self._nodes.items():
            near = self._adj[node]
            weight = sum(d["weight"] for d in near.values()) + (near[node]["weight"] if node in near else 0)
            yield node, data, weight, list(near)

    def kind(self, node: str) -> str:
        return self._nodes[node]["kind"]

    def _council(self, row: Row) -> str | None:
        return self.node(row["council"], "council", row.get("councilLabel") or iri_id(row["council"]) or "?")

    def add(self, rows: GraphRows) -> EntityGraph:
        """Fold in the rows of a batch of whole documents (none of them seen before)."""
        self._seen.clear()
        self._titles = {r["document"]: r.get("title") or "" for r in rows.documents}
        doc_nodes: dict[str, str | None] = {}
        for r in rows.documents:
            doc_nodes[r["document"]] = self.node(
                r.get("doc") or f"doc:{r['document']}", "document", r.get("title") or r["document"],
                document=r["document"], title=r.get("title"), published=r.get("published"),
                type=_DOC_TYPES.get(r.get("type") or "", r.get("type")))

        def doc(row: Row) -> str | None:
            d = row["document"]
            if d not in doc_nodes:  # a fact whose document row is missing still gets its document node
                doc_nodes[d] = self.node(f"doc:{d}", "document", d, document=d)
            return doc_nodes[d]

        for r in rows.mentions:
            self.edge(doc(r), self._council(r), "about", "about", r)
        for r in rows.people:
            name = r.get("name") or iri_id(r["person"]) or "?"
            role = humanise(r.get("role"))
            person = self.node(r["person"], "person", name, role=role, title=r.get("title"))
            self.edge(doc(r), person, "names", "names", r)
            if r.get("organisation"):
                org = r["organisation"]
                kind = "council" if r.get("isCouncil") == "true" else "organisation"
                org_node = self.node(org, kind, r.get("organisationLabel") or iri_id(org) or "?")
                self.edge(person, org_node, "post", r.get("title") or role, r)
        for r in rows.findings:
            topic = self.node(f"topic:{r['topic']}", "topic", r.get("topicLabel") or r["topic"],
                              topic=r["topic"], group=r.get("groupLabel"))
            data = self.edge(self._council(r), topic, r["polarity"], r["polarity"], r)
            if data is not None:
                data[r["polarity"]] = data.get(r["polarity"], 0) + 1
                data["kind"] = "-".join(p for p in ("concern", "strength") if data.get(p))
        for r in rows.judgements:
            grade = self.node(f"grade:{r['grade']}", "grade", humanise(r["grade"]).capitalize(), grade=r["grade"])
            area = r.get("area") or "overall"
            label = " ".join(x for x in (humanise(area) if area != "overall" else "", r.get("date") or "") if x)
            self.edge(self._council(r), grade, "grade", label or "graded", r)
        for r in rows.inspections:
            kind = r.get("kind") or "inspection"
            key = f"inspection:{r['council']}|{kind}|{r.get('date') or r['document']}"
            label = " ".join(x for x in (humanise(kind), r.get("date") or "") if x)
            council = self._council(r)
            council_label = (self._nodes[council]["label"] if council is not None
                             else r.get("councilLabel") or iri_id(r["council"]) or "?")
            node = self.node(key, "inspection", label, visit=humanise(kind), date=r.get("date"),
                             council=council_label)
            self.edge(node, council, "inspected", "of", r)
            self.edge(doc(r), node, "reports", "reports", r)
        return self

    def finish(self) -> nx.Graph:
        """The graph, with each edge's labels joined and each node's details as ``(name, value)`` pairs."""
        if self.shape_only:
            raise ValueError("a shape-only entity graph has no labels or evidence to finish")
        g = nx.Graph()
        for node, data in self._nodes.items():
            data["details"] = [(k, ", ".join(v)) for k, v in data["details"].items()]
            g.add_node(node, **data)
        for a, b, data in self._edges:
            data["label"] = "; ".join(data.pop("labels"))
            g.add_edge(a, b, **data)
        self._seen.clear()
        return g


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
