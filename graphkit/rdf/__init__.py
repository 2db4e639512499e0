"""Build RDF from extracted facts: one named graph per document, with provenance and evidence."""

from graphkit.rdf.build import councils_quads, document_quads, nquads

__all__ = ["document_quads", "councils_quads", "nquads"]
