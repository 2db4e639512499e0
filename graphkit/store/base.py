"""One small interface over every store graphkit reads: embedded Oxigraph, rdflib in memory, remote SPARQL.

A store answers read-only SPARQL over the union of its named graphs (each document has its own graph, and
the named queries are written against their union) and gives ``Results``: variable names and rows of
pyoxigraph terms. pyoxigraph terms are the common currency because pyoxigraph is a core dependency and
parses the SPARQL results formats of remote stores; ``Results.dicts`` gives plain Python values.

Parameters are bound on the query's text, the same way for every store, since rdflib and remote
endpoints can only be given text (pyoxigraph's own ``substitutions`` also insists that the variable be
projected): :func:`substitute` replaces a variable's occurrences by a term (named queries: the constant
reaches subqueries, and every engine plans around it), :func:`inject_values` opens the top-level group
with a ``VALUES`` block (ad-hoc queries, whose variables may be projected). Terms are written with full
escaping, so user text can only ever be a literal's value.

Two traits of the engines that the named queries are written around (see ``ontology/queries``): in
Oxigraph the union default graph is a bag (a triple in N graphs is matched N times: people and
organisations are described again in each document's graph), and an OPTIONAL or a join on a variable
that may be unbound matches everything.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graphkit.errors import QueryError

__all__ = [
    "Term",
    "Results",
    "GraphStore",
    "python_value",
    "sparql_term",
    "inject_values",
    "substitute",
    "XSD",
    "query_form",
    "check_read_only",
    "READ_FORMS",
    "UPDATE_KEYWORDS",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                     "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                     "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}

READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH")


def python_value(term: Term | None) -> Any:
    """A term as a plain Python value: IRIs and strings as ``str``, numbers as ``int``/``float``,
    booleans as ``bool``, blank nodes as ``_:id``; dates stay strings (``2016-04`` has no Python type)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


@dataclass
class Results:
    """The answer to a query: variable names and rows of terms (None where a variable is unbound).

    An ASK query gives no variables and ``boolean``; CONSTRUCT and DESCRIBE give one row per triple with
    the variables ``subject``, ``predicate`` and ``object``.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (see :func:`python_value`)."""
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """One variable's values, as Python values, in row order."""
        i = self.variables.index(name)
        return [python_value(row[i]) for row in self.rows]


class GraphStore(ABC):
    """A store graphkit can read. Subclasses implement ``_execute``; the rest is shared.

    Every query runs over the union of the named graphs (the default graph, where a store has one, is
    part of it), which is how the named queries are written.
    """

    #: A short word for messages and benchmarks: ``oxigraph``, ``rdflib``, ``remote``.
    kind: str = "store"

    @abstractmethod
    def _execute(self, sparql: str) -> Results:
        """Run a read-only query whose parameters are already bound."""

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        """Run a read-only query, binding ``bindings`` (variable name -> term) with a VALUES block.

        Raises ``QueryError`` for updates and for queries the store rejects.
        """
        check_read_only(sparql)
        text = inject_values(sparql, bindings) if bindings else sparql
        return self._execute(text)

    def named_graphs(self) -> list[str]:
        """The IRIs of the store's non-empty named graphs, sorted."""
        res = self._execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(python_value(r[0]) for r in res.rows if isinstance(r[0], ox.NamedNode))

    def graph_sizes(self) -> dict[str, int]:
        """The number of triples in each named graph: what must survive a push to another store."""
        res = self._execute("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {python_value(g): int(python_value(n)) for g, n in res.rows if isinstance(g, ox.NamedNode)}

    def close(self) -> None:  # noqa: B027 - optional to override: most stores hold nothing to release
        """Release the store (files, locks, connections); the default has nothing to release."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------------
# SPARQL text: terms, VALUES injection, the form of a query. A small scanner that knows comments,
# strings and IRIs is enough for these; nothing here parses SPARQL in full.
# ---------------------------------------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[a-zA-Z]+(-[a-zA-Z0-9]+)*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value):
        raise QueryError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def sparql_term(term: Term) -> str:
    """A term in SPARQL syntax, every character that could end the token escaped."""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        body = '"' + "".join(_ESCAPES.get(ch, ch) for ch in term.value) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype.value != XSD + "string":
            return f"{body}^^{_iri(term.datatype.value)}"
        return body
    raise QueryError(f"cannot bind a {type(term).__name__} as a query parameter")


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "var", "brace"
    text: str
    start: int
    end: int = 0


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_VARNAME = re.compile(r"[A-Za-z0-9_\u00b7\u00c0-\ufffd]*")
_LOCAL = re.compile(r"[A-Za-z0-9_\-.%:]*")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                     r'"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'', re.S)


def _tokens(sparql: str) -> Iterator[_Token]:
    """Words and braces outside comments, strings and IRIs (enough to find keywords and groups)."""
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "#":
            nl = sparql.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif ch in "\"'":
            m = _STRING.match(sparql, i)
            i = m.end() if m else n
        elif ch == "<" and (m := _IRIREF.match(sparql, i)):
            i = m.end()
        elif ch in "?$":
            m = _VARNAME.match(sparql, i + 1)
            if m and m.end() > i + 1:
                yield _Token("var", m.group(), i, m.end())
                i = m.end()
            else:
                i += 1
        elif ch in "{}":
            yield _Token("brace", ch, i)
            i += 1
        elif ch == ":":  # a name with the empty prefix
            m = _LOCAL.match(sparql, i + 1)
            i = m.end() if m else i + 1
        elif ch.isalpha() or ch == "_":
            m = _WORD.match(sparql, i)
            assert m is not None
            end = m.end()
            if end < n and sparql[end] == ":":  # a prefixed name (gk:Finding) is not a keyword
                local = _LOCAL.match(sparql, end + 1)
                i = local.end() if local else end + 1
                continue
            yield _Token("word", m.group(), i)
            i = end
        else:
            i += 1


def query_form(sparql: str) -> str:
    """The form of a query or update: ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, ``UPDATE``, or
    ``""`` when there is no keyword to tell."""
    for tok in _tokens(sparql):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word in ("PREFIX", "BASE"):
            continue
        if word in READ_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
    return ""


def check_read_only(sparql: str) -> None:
    """Refuse updates with a one-line ``QueryError``: graphkit only ever reads a graph through queries."""
    if query_form(sparql) == "UPDATE":
        raise QueryError("updates are refused: graphkit only reads the graph (use SELECT, ASK, CONSTRUCT or "
                         "DESCRIBE; rebuild with `graphkit build` to change it)")


def _where_brace(sparql: str) -> int:
    """The offset of the ``{`` that opens the top-level WHERE group."""
    depth = 0
    after_where = False
    first: int | None = None
    form = ""
    for tok in _tokens(sparql):
        if tok.kind == "word" and depth == 0:
            word = tok.text.upper()
            if not form and word in READ_FORMS:
                form = word
            if word == "WHERE":
                after_where = True
        elif tok.kind == "brace":
            if tok.text == "{":
                if depth == 0:
                    if after_where:
                        return tok.start
                    if first is None:
                        first = tok.start
                        if form != "CONSTRUCT":  # a CONSTRUCT's first group is its template
                            return tok.start
                depth += 1
            else:
                depth -= 1
    if first is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return first


def inject_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with ``VALUES (?a ?b) { (term term) }`` opening its top-level WHERE group.

    A FILTER of the top-level group sees the bound values, as do the group's own patterns; patterns in
    nested groups and subqueries are joined with them (the standard bottom-up semantics of SPARQL).
    """
    if not bindings:
        return sparql
    names = []
    for name in bindings:
        if not _VARIABLE.match(name):
            raise QueryError(f"not a valid variable name: {name!r}")
        names.append(name)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    at = _where_brace(sparql) + 1
    return sparql[:at] + block + sparql[at:]


def substitute(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with every occurrence of the variables of ``bindings`` replaced by their terms.

    This is what pyoxigraph's ``substitutions`` (SEP-0007) does, done on the text so that every store
    gets the same query: the constant reaches FILTERs in nested groups and subqueries, where a parameter
    is best resolved (a subquery is evaluated first, so even rdflib finds the one council before joining).
    The variables must not be projected or assigned (``AS ?x``), which would not parse once replaced.
    Only variable tokens are replaced (never text inside strings, IRIs or comments), each by a fully
    escaped term.
    """
    for name in bindings:
        if not _VARIABLE.match(name):
            raise QueryError(f"not a valid variable name: {name!r}")
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    out: list[str] = []
    pos = 0
    for tok in _tokens(sparql):
        if tok.kind == "var" and tok.text in terms:
            out.append(sparql[pos:tok.start])
            out.append(terms[tok.text])
            pos = tok.end
    out.append(sparql[pos:])
    return "".join(out)
