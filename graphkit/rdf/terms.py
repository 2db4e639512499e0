"""Typed literals for graphkit's values (dates of mixed precision, offsets, plain strings)."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["date_literal", "int_literal", "text_literal", "nt"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` as xsd:date, ``YYYY-MM`` as xsd:gYearMonth, ``YYYY`` as xsd:gYear."""
    if _DAY.match(value):
        return Literal(value, datatype=XSD.date)
    if _MONTH.match(value):
        return Literal(value, datatype=XSD.gYearMonth)
    if _YEAR.match(value):
        return Literal(value, datatype=XSD.gYear)
    raise ValueError(f"not a date of YYYY-MM-DD, YYYY-MM or YYYY precision: {value!r}")


def int_literal(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def text_literal(value: str) -> Literal:
    return Literal(value)


#: IRIs recur in every document (predicates, classes, councils): their N-Triples form is kept.
_IRI_CACHE: dict[URIRef, str] = {}

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def nt(term: object) -> str:
    """A term in N-Triples syntax (rdflib's ``n3()`` writes long literals in Turtle's triple quotes)."""
    if type(term) is URIRef:
        cached = _IRI_CACHE.get(term)
        if cached is None:
            if len(_IRI_CACHE) > 100_000:
                _IRI_CACHE.clear()
            cached = _IRI_CACHE[term] = f"<{term}>"
        return cached
    if isinstance(term, Literal):
        body = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != str(XSD.string):
            return f"{body}^^<{term.datatype}>"
        return body
    return f"<{term}>"
