"""Check a built graph against the SHACL shapes of ``ontology/shapes.ttl``.

Validation reads the data and never writes into it: the triples of every named graph are copied into one
fresh rdflib ``Graph`` (pySHACL needs rdflib), the ontology ``graphkit.ttl`` is mixed into that copy so that
``sh:targetClass`` and ``sh:class`` see the class hierarchy, and pySHACL runs with no inference. The builder
states every class a node has, so nothing needs inferring; and RDFS inference would be wrong as well as
about ten times slower: from ``gk:topic rdfs:range skos:Concept`` it would make any IRI put in a finding's
topic a ``skos:Concept``, hiding the very error the ``sh:class`` check is there to catch.

Files are parsed with pyoxigraph, which is about ten times faster than rdflib's parsers, and its terms
converted to rdflib's; ``xsd:string`` literals become plain literals, as rdflib's own parser makes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import XSD
from rdflib.term import Node

from graphkit.resources import ontology_file

__all__ = ["ValidationResult", "validate", "load_graph", "FORMATS"]

#: The RDF files :func:`load_graph` reads, by suffix, with the name of their pyoxigraph ``RdfFormat``.
FORMATS = {".trig": "TRIG", ".nq": "N_QUADS", ".ttl": "TURTLE", ".nt": "N_TRIPLES"}
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class ValidationResult:
    """What pySHACL found: whether the graph conforms, its report as text and as a graph."""

    conforms: bool
    text: str
    results_graph: Graph = field(repr=False)
    triples: int = 0  # triples of data checked, without the ontology mixed in

    def __bool__(self) -> bool:
        return self.conforms


@cache
def _shapes() -> Graph:
    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")


@cache
def _ontology() -> Graph:
    return Graph().parse(ontology_file("graphkit.ttl"), format="turtle")


def _format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"{path}: cannot tell the RDF format from {path.suffix!r}; use one of {known}") from None


def _triples_of_file(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of every graph of an RDF file, as rdflib terms."""
    import pyoxigraph

    iris: dict[str, URIRef] = {}  # the same IRIs recur on every line: convert each once

    def term(t: object) -> Node:
        if isinstance(t, pyoxigraph.NamedNode):
            iri = iris.get(t.value)
            if iri is None:
                iri = iris[t.value] = URIRef(t.value)
            return iri
        if isinstance(t, pyoxigraph.BlankNode):
            return BNode(t.value)
        if isinstance(t, pyoxigraph.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            datatype = t.datatype.value
            return Literal(t.value, datatype=None if datatype == _XSD_STRING else term(t.datatype))
        raise ValueError(f"{path}: unsupported RDF term {t!r}")

    rdf_format = getattr(pyoxigraph.RdfFormat, _format_of(path))
    for q in pyoxigraph.parse(path=str(path), format=rdf_format):
        yield term(q.subject), term(q.predicate), term(q.object)


def load_graph(path: Path | str) -> Graph:
    """One rdflib ``Graph`` holding the triples of all graphs of a .trig, .nq, .ttl or .nt file.

    Raises ``FileNotFoundError`` if the file is missing and ``ValueError`` if it cannot be parsed.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file")
    g = Graph()
    try:
        _add_all(g, _triples_of_file(p))
    except SyntaxError as exc:  # pyoxigraph's parse errors
        raise ValueError(f"{p}: not valid {p.suffix.lstrip('.')}: {exc}") from None
    return g


def _add_all(g: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    add = g.add
    for t in triples:
        add(t)


def _union(data: Graph) -> Graph:
    """A fresh graph of all triples of ``data``: of every named graph when it is a dataset."""
    g = Graph()
    if isinstance(data, Dataset | ConjunctiveGraph):  # a plain Graph has no quads: it is one graph
        _add_all(g, ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None))))
    else:
        _add_all(g, data)
    return g


def validate(data: Graph | Path | str) -> ValidationResult:
    """Validate a graph, a dataset (the union of its named graphs) or an RDF file against the shapes.

    Parameters
    ----------
    data:
        An rdflib ``Graph`` or ``Dataset``, or the path of a .trig, .nq, .ttl or .nt file. The graph must
        include the councils and vocabulary graphs, since the shapes check that facts point at known
        councils and at concepts of the schemes.

    Returns
    -------
    ValidationResult
        ``conforms`` is True when no shape is violated; ``text`` is pySHACL's report.
    """
    from pyshacl import validate as shacl_validate  # heavy; only validation needs it

    graph = load_graph(data) if isinstance(data, str | Path) else _union(data)
    triples = len(graph)
    conforms, results_graph, text = shacl_validate(
        graph,
        shacl_graph=_shapes(),
        ont_graph=_ontology(),
        inference="none",
        abort_on_first=False,
        meta_shacl=False,
        advanced=False,
        inplace=True,  # ``graph`` is our own copy: mixing the ontology into it spares a second copy
    )
    return ValidationResult(bool(conforms), str(text), results_graph, triples)
