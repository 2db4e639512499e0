"""Typed literals for graphkit's values (dates of mixed precision, offsets, plain strings)."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["date_literal", "int_literal", "text_literal", "nt", "cached_nt", "NTerm", "lit", "int_lit", "date_lit",
           "typed_lit", "to_rdflib"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def date_literal(value: str) -> Literal:
    """``YYYY-MM-DD`` as xsd:date, ``YYYY-MM`` as xsd:gYearMonth, ``YYYY`` as xsd:gYear."""
    return to_rdflib(date_lit(value))  # type: ignore[return-value]


def int_literal(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


def text_literal(value: str) -> Literal:
    return Literal(value)


#: IRIs recur in every document (predicates, classes, councils): their N-Triples form is kept. A document's
#: own IRIs (evidence, facts) never recur, so the cache is emptied when full: a worker's memory must not grow
#: with the documents it has extracted (at 100,000 entries it grew by about 30 MB from 1k to 10k documents).
_IRI_CACHE: dict[URIRef, str] = {}
_IRI_CACHE_MAX = 8192

#: The N-Triples form ``nt`` gave an IRI lately, or None: one dict lookup, where a call of ``nt`` costs
#: several (the build writes about a thousand terms a document, most of them recurring IRIs).
cached_nt = _IRI_CACHE.get

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


class NTerm(str):
    """A literal already in N-Triples syntax.

    The build writes tens of literals per document; making each an rdflib ``Literal`` (about 10 us, with
    its lexical checks) only to print it again was a fifth of extraction's time. ``to_rdflib`` turns one
    back into an rdflib term for callers that want terms.
    """

    __slots__ = ()


_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')


def lit(value: str) -> NTerm:
    """A plain string literal."""
    return NTerm('"' + (value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value) + '"')


def typed_lit(value: str, datatype: str) -> NTerm:
    return NTerm('"' + value.translate(_ESCAPES) + '"^^<' + datatype + ">")


_XSD_INTEGER = str(XSD.integer)
_DATE_TYPES = ((_DAY, str(XSD.date)), (_MONTH, str(XSD.gYearMonth)), (_YEAR, str(XSD.gYear)))


def int_lit(value: int) -> NTerm:
    return NTerm(f'"{int(value)}"^^<{_XSD_INTEGER}>')


def date_lit(value: str) -> NTerm:
    """``date_literal`` in N-Triples syntax."""
    for shape, datatype in _DATE_TYPES:
        if shape.match(value):
            return NTerm(f'"{value}"^^<{datatype}>')
    raise ValueError(f"not a date of YYYY-MM-DD, YYYY-MM or YYYY precision: {value!r}")


_NT_LITERAL = re.compile(r'"(.*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?', re.DOTALL)
_UNESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t"}
_UNESCAPE = re.compile(r'\\[\\"nrt]')


def to_rdflib(term: object) -> object:
    """An rdflib term for an ``NTerm``; any other term as it is."""
    if type(term) is not NTerm:
        return term
    m = _NT_LITERAL.fullmatch(term)
    if m is None:
        raise ValueError(f"not an N-Triples literal: {term[:80]!r}")
    value = _UNESCAPE.sub(lambda e: _UNESCAPES[e.group()], m.group(1))
    return Literal(value, datatype=URIRef(m.group(2)) if m.group(2) else None, lang=m.group(3))


def nt(term: object) -> str:
    """A term in N-Triples syntax (rdflib's ``n3()`` writes long literals in Turtle's triple quotes)."""
    if type(term) is NTerm:
        return term
    if type(term) is URIRef:
        cached = _IRI_CACHE.get(term)
        if cached is None:
            if len(_IRI_CACHE) >= _IRI_CACHE_MAX:
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
