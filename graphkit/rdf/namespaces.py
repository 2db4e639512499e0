"""The IRIs graphkit mints and the vocabularies it reuses.

Every IRI is made from content and keys (a GSS code, a document id, a topic id, a hash of a fact's key
fields), never from counters, clocks or random numbers, so the same inputs give the same graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import Namespace as _RdflibNamespace
from rdflib import URIRef

__all__ = [
    "BASE", "GK", "ID", "TOPIC", "GRADE", "ROLE", "KIND", "POLARITY", "AREA", "FRAMEWORK", "GRAPH",
    "PROV", "ORG", "SCHEMA", "FOAF", "OA", "DCTERMS", "SKOS", "PREFIXES",
    "slug", "short_hash", "doc_iri", "doc_graph_iri", "council_iri", "org_iri", "person_iri",
    "evidence_iri", "topic_iri", "grade_iri", "role_iri", "kind_iri", "polarity_iri", "area_iri",
    "framework_iri", "VOCABULARY_GRAPH", "COUNCILS_GRAPH", "Namespace", "RDF", "RDFS", "XSD",
]

class Namespace(_RdflibNamespace):
    """rdflib's ``Namespace`` with ``NS.name`` made once and kept.

    rdflib builds and checks a new ``URIRef`` on every attribute access (about 7 us); the build names
    a class or property a few hundred times per document.
    """

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends probe for dunders
            raise AttributeError(name)
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found directly from now on, without coming here again
        return term


BASE = "https://w3id.org/graphkit/"
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
GK = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
TOPIC = Namespace(BASE + "topic/")
GRADE = Namespace(BASE + "grade/")
ROLE = Namespace(BASE + "role/")
KIND = Namespace(BASE + "kind/")
POLARITY = Namespace(BASE + "polarity/")
AREA = Namespace(BASE + "area/")
FRAMEWORK = Namespace(BASE + "framework/")
GRAPH = Namespace(BASE + "graph/")

PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OA = Namespace("http://www.w3.org/ns/oa#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

#: The graph holding the SKOS schemes (topics, grades, roles, kinds), and the one describing councils.
VOCABULARY_GRAPH = GRAPH["vocabulary"]
COUNCILS_GRAPH = GRAPH["councils"]

PREFIXES: dict[str, str] = {
    "gk": str(GK),
    "gkid": str(ID),
    "topic": str(TOPIC),
    "grade": str(GRADE),
    "role": str(ROLE),
    "kind": str(KIND),
    "polarity": str(POLARITY),
    "area": str(AREA),
    "framework": str(FRAMEWORK),
    "graph": str(GRAPH),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "oa": str(OA),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def slug(text: str) -> str:
    """A lower-case ASCII slug: ``"Nick  Bennison"`` -> ``"nick-bennison"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def short_hash(*parts: object) -> str:
    """A 16-hex-digit digest of the key fields of a fact: stable across runs and machines."""
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def _seg(text: str) -> str:
    return quote(text, safe="-._~")


def doc_iri(doc_id: str) -> URIRef:
    return ID[f"doc/{_seg(doc_id)}"]


def doc_graph_iri(doc_id: str) -> URIRef:
    return GRAPH[f"doc/{_seg(doc_id)}"]


@lru_cache(maxsize=4096)
def council_iri(gss: str) -> URIRef:
    return ID[f"council/{_seg(gss)}"]


def org_iri(name: str) -> URIRef:
    return ID[f"org/{slug(name)}"]


def person_iri(name: str, context: str | None) -> URIRef:
    """A person is one node when name and context (their organisation, or else their role) agree."""
    return ID[f"person/{slug(name)}" + (f"--{slug(context)}" if context else "")]


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return ID[f"evidence/{_seg(doc_id)}/{start}-{end}"]


@lru_cache(maxsize=4096)
def topic_iri(topic: str) -> URIRef:
    return TOPIC[_seg(topic)]


@lru_cache(maxsize=4096)
def grade_iri(grade: str) -> URIRef:
    return GRADE[_seg(grade)]


@lru_cache(maxsize=4096)
def role_iri(role: str) -> URIRef:
    return ROLE[_seg(role)]


@lru_cache(maxsize=4096)
def kind_iri(kind: str) -> URIRef:
    return KIND[_seg(kind)]


@lru_cache(maxsize=4096)
def polarity_iri(polarity: str) -> URIRef:
    return POLARITY[_seg(polarity)]


@lru_cache(maxsize=4096)
def area_iri(area: str) -> URIRef:
    return AREA[_seg(area)]


@lru_cache(maxsize=4096)
def framework_iri(framework: str) -> URIRef:
    return FRAMEWORK[_seg(framework)]
