"""Named queries: ``ontology/queries/*.rq``, each a SPARQL SELECT with a header saying what it answers.

A header is a run of comment lines at the top of the file::

    # name: councils-by-grade
    # question: Which councils were given a grade, when, and according to which document?
    # param: grade = inadequate — an Ofsted grade: outstanding, good, requires-improvement, inadequate
    # example: graphkit query out councils-by-grade --param grade=good

A parameter is a variable of the query (``?grade``) that the caller gives a value, bound as an RDF term
and never pasted into the query as text:

- a parameter that names a thing of the graph (see ``KINDS``: a council, a topic, a grade, a judgement
  area, a region) is looked up among the names the graph gives such things (case and ``-``/``_``/space
  insensitive: ``dudley``, ``E08000027``, ``requires improvement``), and the thing itself, an IRI taken
  from the graph, is what gets bound. An unknown name is a one-line error with the closest names, so a
  value such as ``Dudley" } ; DROP ALL ; #`` is only a council that does not exist;
- any other parameter is bound as a literal (an integer when its default is one, else a string).

The terms replace the variable's occurrences in the text (:func:`graphkit.store.base.substitute`, the
text form of pyoxigraph's ``substitutions``), so they reach subqueries too and every engine plans the
query around a constant: a lookup of one council stays a lookup. A parameter whose default is left empty
must be given.

A column that gathers several values with ``GROUP_CONCAT`` is named in a ``# list: COLUMN`` line: engines
concatenate in whatever order they meet the values (Oxigraph on disk and in memory differ), so the
values of such a column are sorted after the query runs, and the same graph gives the same answer.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from graphkit.errors import QueryError, UsageError
from graphkit.resources import query_dir
from graphkit.store.base import GraphStore, Results, Term, substitute

__all__ = ["Param", "NamedQuery", "KINDS", "load_query", "load_queries", "get_query", "run_named", "bind_params",
           "resolve", "parse_param_args"]

_HEADER = re.compile(r"^#\s*(name|question|param|example|list)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s+(?:—|–|--)\s+(.+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query: the variable it binds, its default (None: required), its meaning."""

    name: str
    default: str | None
    meaning: str

    @property
    def integer(self) -> bool:
        return self.default is not None and bool(_INTEGER.match(self.default))

    def term(self, value: str | int) -> Term:
        """``value`` as the literal to bind: an integer for integer parameters, a string otherwise."""
        if self.integer:
            text = str(value).strip()
            if not _INTEGER.match(text):
                raise QueryError(f"parameter {self.name!r} takes a whole number, not {value!r}")
            return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        return ox.Literal(str(value).strip())


@dataclass(frozen=True)
class NamedQuery:
    """A named query read from its ``.rq`` file."""

    name: str
    question: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    sparql: str
    path: Path
    #: Columns of space-separated values (``GROUP_CONCAT``), sorted after the query runs.
    lists: tuple[str, ...] = ()

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; its parameters are: {known}")

    def bind(self, store: GraphStore, params: Mapping[str, object]) -> str:
        """The query's text with ``params`` (over the defaults) bound as terms, names looked up in ``store``."""
        return substitute(self.sparql, bind_params(self, params, store))

    def signature(self) -> str:
        """``name grade=inadequate area=overall``: how the query is called, with defaults."""
        parts = [self.name] + [f"{p.name}={p.default if p.default is not None else '?'}" for p in self.params]
        return " ".join(parts)


def load_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file; a header that is missing a field or names a parameter the query does not
    use is an error, so a broken file is found when the queries are listed, not when one is run."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"name": [], "question": [], "param": [], "example": [], "list": []}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            fields[m.group(1)].append(m.group(2))
    where = f"{path}"
    if len(fields["name"]) != 1 or not fields["name"][0]:
        raise QueryError(f"{where}: the header needs exactly one '# name:' line")
    name = fields["name"][0]
    if name != path.stem:
        raise QueryError(f"{where}: '# name: {name}' does not match the file name {path.stem!r}")
    if len(fields["question"]) != 1:
        raise QueryError(f"{where}: the header needs exactly one '# question:' line")
    if not fields["example"]:
        raise QueryError(f"{where}: the header needs at least one '# example:' line")
    params: list[Param] = []
    for raw in fields["param"]:
        if raw.lower() == "none":
            continue
        m = _PARAM.match(raw)
        if not m:
            raise QueryError(f"{where}: '# param: {raw}' is not 'NAME = default — meaning'")
        pname, default, meaning = m.groups()
        if not re.search(rf"[?$]{pname}\b", text):
            raise QueryError(f"{where}: parameter {pname!r} is not a variable of the query")
        params.append(Param(pname, default if default else None, meaning))
    lists = tuple(c.strip() for raw in fields["list"] for c in raw.split(",") if c.strip())
    for column in lists:
        if not re.search(rf"AS\s+\?{re.escape(column)}\b", text):
            raise QueryError(f"{where}: '# list: {column}' names no column made with AS ?{column}")
    return NamedQuery(name, fields["question"][0], tuple(params), tuple(fields["example"]), text, path, lists)


@cache
def _load_dir(folder: Path) -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        q = load_query(path)
        queries[q.name] = q
    return queries


def load_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name, in name order (read once per process)."""
    return dict(_load_dir(Path(folder) if folder else query_dir()))


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """A named query by name; an unknown name is a one-line error suggesting the closest names."""
    queries = load_queries(folder)
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=2, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise QueryError(f"unknown query {name!r}{hint} (`graphkit queries` lists them)")


#: Parameters that name a thing of the graph, by parameter name, and the kind of thing they name.
KINDS: dict[str, str] = {"council": "council", "topic": "topic", "grade": "grade", "versus": "grade",
                         "area": "area", "region": "region"}

_PREFIXES = """PREFIX gk: <https://w3id.org/graphkit/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _scheme_keys(scheme: str) -> str:
    return (f"SELECT ?x ?key ?label WHERE {{ ?x skos:inScheme <https://w3id.org/graphkit/scheme/{scheme}> ; "
            "skos:notation ?label . { ?x skos:notation ?key } UNION { ?x skos:prefLabel ?key } "
            "UNION { ?x skos:altLabel ?key } }")


#: For each kind, every thing of that kind with each name it goes by (?key) and the name to suggest (?label).
_KEYS: dict[str, str] = {
    "council": ("SELECT ?x ?key ?label WHERE { ?x a gk:Council ; rdfs:label ?label . { ?x rdfs:label ?key } "
                "UNION { ?x skos:altLabel ?key } UNION { ?x gk:gssCode ?key } }"),
    "topic": _scheme_keys("topics"),
    "grade": _scheme_keys("grades"),
    "area": _scheme_keys("areas"),
    "region": "SELECT DISTINCT ?x ?key ?label WHERE { ?c a gk:Council ; gk:region ?x . BIND(?x AS ?key) "
              "BIND(?x AS ?label) }",
}
_key_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _normal(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


def _keys(store: GraphStore, kind: str) -> list[tuple[Term, str, str]]:
    """(thing, normalised name, label) of every thing of ``kind`` in ``store``; read once per store (read-only)."""
    per_store = _key_cache.setdefault(store, {})
    if kind not in per_store:
        res = store.query(_PREFIXES + _KEYS[kind])
        per_store[kind] = [(x, _normal(key.value), label.value) for x, key, label in res.rows
                           if x is not None and key is not None and label is not None]
    return per_store[kind]


def resolve(store: GraphStore, kind: str, value: str) -> Term:
    """The thing of ``kind`` that ``value`` names in ``store``; a one-line ``QueryError`` if none or several."""
    entries = _keys(store, kind)
    wanted = _normal(value)
    found = {x: label for x, key, label in entries if key == wanted}
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        names = ", ".join(sorted(set(found.values())))
        raise QueryError(f"{kind} {value!r} is ambiguous: it names {names}; give a code or the full name")
    labels = sorted({label for _, _, label in entries})
    by_normal = {_normal(label): label for label in labels}
    close = difflib.get_close_matches(wanted, list(by_normal), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(by_normal[c]) for c in close)}?" if close else ""
    if not entries:
        hint = f" (the graph has no {kind}s: was it built with graphkit?)"
    raise QueryError(f"no {kind} is called {value!r}{hint}")


def bind_params(query: NamedQuery, params: Mapping[str, object], store: GraphStore | None = None) -> dict[str, Term]:
    """The terms to bind: given values over defaults; unknown and missing parameters are errors.

    Parameters of ``KINDS`` are looked up in ``store`` (without a store they stay literals: for tests of
    the checks alone).
    """
    for key in params:
        query.param(key)  # raises for an unknown name
    bound: dict[str, Term] = {}
    for p in query.params:
        value = params.get(p.name, p.default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs a value for parameter {p.name!r} ({p.meaning})")
        kind = KINDS.get(p.name)
        if kind and store is not None:
            bound[p.name] = resolve(store, kind, str(value))
        else:
            bound[p.name] = p.term(value)  # type: ignore[arg-type]
    return bound


def run_named(store: GraphStore, name: str, params: Mapping[str, object] | None = None,
              folder: Path | None = None) -> Results:
    """Run the named query ``name`` on ``store`` with ``params`` (name -> value) bound as terms."""
    query = get_query(name, folder)
    results = store.query(query.bind(store, params or {}))
    return _sort_lists(results, query.lists) if query.lists else results


def _sort_lists(results: Results, columns: tuple[str, ...]) -> Results:
    """``results`` with the space-separated values of each of ``columns`` in sorted order."""
    at = [results.variables.index(c) for c in columns if c in results.variables]

    def tidy(term: Term | None) -> Term | None:
        if not isinstance(term, ox.Literal):
            return term
        return ox.Literal(" ".join(sorted(term.value.split())))

    rows = [tuple(tidy(t) if i in at else t for i, t in enumerate(row)) for row in results.rows]
    return Results(results.variables, rows, results.boolean)


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """``["grade=good", "council=Dudley"]`` (the CLI's ``--param``) as a dict."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes key=value, not {item!r}")
        out[key.strip()] = value
    return out
