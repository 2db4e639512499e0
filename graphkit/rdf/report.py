"""Quads for what an Ofsted report states about its own inspection.

``graphkit.rdf.build.document_quads`` calls :func:`add_report` for a document whose extraction has a
``report``. The inspection the report is about becomes one node with an IRI made from the council and
the start date (``gkid:inspection/E08000027/2018-10-29``), so that it is the same node whoever builds it
and whichever copy of the report is read, and news articles' inspection nodes can be linked to it
(``graphkit.rdf.links``). It carries the framework, the dates, the lead and other inspectors (person
IRIs with organisation "Ofsted", the same nodes build.py gives inspectors named in articles), and the
fact's source, evidence and rule like any other extracted fact. The document ``gk:reportsOn`` it.

Judgements: build.py already makes one ``gk:Judgement`` per ``Rating`` of the extraction (one per graded
area, each with its table row as evidence). Emitting them here too would duplicate them, so this module
only links them to the inspection (``gk:inspection``), finding them among the quads build.py's collector
already holds (``g.sorted()``).

The inspection: build.py also makes a node, with an IRI hashed from the fact, for the ``Inspection`` the
extraction lists (the same inspection). Until build.py mints that node with :func:`report_inspection_iri`
for a report, the report's graph describes the inspection twice: this node (with ``gk:reportsOn``,
framework and inspectors, which the facts view and the links read) and build.py's.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from graphkit.documents.model import Document
from graphkit.extract.gazetteer import Gazetteer
from graphkit.extract.model import Report
from graphkit.extract.report import OFSTED, inspection_kind
from graphkit.rdf import namespaces as ns
from graphkit.rdf.namespaces import GK, ID
from graphkit.rdf.terms import date_lit, lit

__all__ = ["add_report", "report_inspection_iri"]


def report_inspection_iri(council: str, start: str | None, doc_id: str = "") -> URIRef:
    """The stable IRI of a report's inspection: council and start date (the document when undated)."""
    if start:
        return ID[f"inspection/{council}/{start}"]
    return ID[f"inspection/{council}/doc-{ns.slug(doc_id)}"]


def _judgements(g: object, doc_node: URIRef) -> list[URIRef]:
    """The ``gk:Judgement`` nodes drawn from this document that build.py has already put in ``g``."""
    quads = list(g.lines.values()) if hasattr(g, "lines") else []
    typed = {q[0] for q in quads if q[1] == RDF.type and q[2] == GK.Judgement}
    return sorted({q[0] for q in quads if q[0] in typed and q[1] == DCTERMS.source and q[2] == doc_node})


def add_report(g, doc_node: URIRef, doc: Document, report: Report, gazetteer: Gazetteer) -> None:  # noqa: ANN001
    """Add the report's inspection node (framework, dates, inspectors) and link its judgements to it.

    ``g`` is build.py's per-document graph collector: ``g.add(s, p, o)`` adds a triple (``None``
    objects are skipped) to the document's named graph.
    """
    from graphkit.rdf.build import KIND_CLASSES, _evidence, _person  # build imports this module lazily

    node = report_inspection_iri(report.council, report.inspection_start, doc.id)
    kind = inspection_kind(report.framework)
    g.add(node, RDF.type, GK.Inspection)
    g.add(node, RDF.type, KIND_CLASSES.get(kind, GK.Inspection))
    g.add(node, GK.council, ns.council_iri(report.council))
    g.add(node, GK.kind, ns.kind_iri(kind))
    g.add(node, GK.framework, ns.framework_iri(report.framework))
    if report.inspection_start:
        g.add(node, GK.date, date_lit(report.inspection_start))
        g.add(node, GK.startDate, date_lit(report.inspection_start))
    if report.inspection_end:
        g.add(node, GK.endDate, date_lit(report.inspection_end))
    g.add(node, DCTERMS.source, doc_node)
    if report.evidence is not None:
        g.add(node, GK.evidence, _evidence(g, doc_node, report.evidence))
        g.add(node, GK.rule, lit(report.evidence.rule))
    if report.lead_inspector:
        g.add(node, GK.leadInspector, _person(g, report.lead_inspector, OFSTED))
    for name in report.inspectors:
        g.add(node, GK.inspector, _person(g, name, OFSTED))
    g.add(doc_node, GK.reportsOn, node)
    for judgement in _judgements(g, doc_node):
        g.add(judgement, GK.inspection, node)
