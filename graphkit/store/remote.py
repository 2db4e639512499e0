"""Any SPARQL 1.1 store over HTTP: query it (SPARQL 1.1 Protocol), and push a built graph into it.

A push writes every named graph of ``DIR/graph.trig`` with the Graph Store Protocol (one ``PUT`` per graph,
which replaces that graph whole) or with SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA``), so the
target ends up with the same named graphs as the build. When the target can be queried, graphs of graphkit's
namespace that the build no longer has (a document removed from the sources) are dropped there too.

One URL names the target; the endpoints are worked out from it (see :meth:`Endpoints.from_url`): an
Oxigraph server's root (``/query``, ``/update``, ``/store``), a Fuseki dataset (which answers all three at
its own URL), or one endpoint given directly. Only the standard library is used for HTTP, so pushing needs
no extra package.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graphkit.errors import QueryError, StoreError
from graphkit.rdf.namespaces import GRAPH
from graphkit.store.base import GraphStore, Results, python_value, sparql_term
from graphkit.store.embedded import oxigraph_results

__all__ = ["Endpoints", "RemoteStore", "PushReport", "push", "push_quads", "is_url"]

#: Bytes of SPARQL Update text per request when pushing with ``--method update``.
UPDATE_CHUNK = 4 * 2**20
USER_AGENT = "graphkit (+https://w3id.org/graphkit/)"


def is_url(text: str | Path) -> bool:
    return isinstance(text, str) and text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Endpoints:
    """Where to query, update and PUT graphs on one store; None where it has no such endpoint."""

    query: str | None
    update: str | None
    store: str | None

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        """Work out the endpoints from one URL.

        - ``http://host:7878`` (no path): an Oxigraph server, ``/query``, ``/update`` and ``/store``;
        - ``.../store`` or ``.../data``: a Graph Store endpoint, with ``query`` and ``update`` beside it;
        - ``.../update``: an update endpoint, with ``query`` beside it;
        - ``.../query`` or ``.../sparql``: a query endpoint (a ``/sparql`` one also takes updates);
        - anything else, a Fuseki-style dataset URL answering all three itself.
        """
        if not is_url(url):
            raise StoreError(f"not an http(s) URL: {url!r}")
        parts = urllib.parse.urlsplit(url)
        path = parts.path.rstrip("/")

        def at(p: str) -> str:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, p, "", ""))

        head, _, last = path.rpartition("/")
        if not path:
            return cls(at("/query"), at("/update"), at("/store"))
        if last in ("store", "data"):
            return cls(at(head + "/query"), at(head + "/update"), url)
        if last == "update":
            return cls(at(head + "/query"), url, None)
        if last == "query":
            return cls(url, None, None)
        if last == "sparql":
            return cls(url, url, None)
        return cls(url, url, url)


def _request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None,
             timeout: float = 60.0) -> bytes:
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only, checked above
            return resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:300].decode("utf-8", "replace")
        raise StoreError(f"{method} {url} failed: HTTP {exc.code} {exc.reason}: {' '.join(body.split())}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"{method} {url} failed: {reason}") from None


class RemoteStore(GraphStore):
    """A SPARQL endpoint queried over HTTP (POST, results as SPARQL JSON).

    ``union=True`` makes the union of the named graphs the default graph of every query by naming them all
    as ``default-graph-uri`` (and as ``named-graph-uri``, so that ``GRAPH ?g`` still finds them: the
    standard way, understood by any store, at the cost of a longer request);
    pass ``union=False`` for a store that already does so (``oxigraph serve --union-default-graph``,
    ``graphkit serve``, Fuseki's ``unionDefaultGraph``).
    """

    kind = "remote"

    def __init__(self, url: str, *, union: bool = True, timeout: float = 60.0,
                 endpoints: Endpoints | None = None) -> None:
        self.endpoints = endpoints or Endpoints.from_url(url)
        if not self.endpoints.query:
            raise StoreError(f"{url}: no query endpoint known for this URL")
        self.url = url
        self.union = union
        self.timeout = timeout
        self._graphs: list[str] | None = None

    def _post(self, sparql: str, default_graphs: Sequence[str] = ()) -> tuple[bytes, str]:
        # The protocol leaves no named graphs in a dataset given by default-graph-uri alone: name them too,
        # so that GRAPH ?g still sees every document's graph.
        form = [("query", sparql)] + [("default-graph-uri", g) for g in default_graphs] \
            + [("named-graph-uri", g) for g in default_graphs]
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        assert self.endpoints.query
        req = urllib.request.Request(
            self.endpoints.query, method="POST", data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"User-Agent": USER_AGENT, "Accept": accept,
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            body = " ".join(exc.read()[:300].decode("utf-8", "replace").split())
            if exc.code == 400:
                raise QueryError(f"{self.endpoints.query} rejected the query: {body}") from None
            raise StoreError(f"{self.endpoints.query}: HTTP {exc.code} {exc.reason}: {body}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.endpoints.query}: {getattr(exc, 'reason', exc)}") from None

    def _execute(self, sparql: str) -> Results:
        graphs = self.named_graphs() if self.union else []
        body, ctype = self._post(sparql, graphs)
        return _parse(body, ctype)

    def named_graphs(self) -> list[str]:
        if self._graphs is None:
            body, ctype = self._post("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            res = _parse(body, ctype)
            self._graphs = sorted(python_value(r[0]) for r in res.rows if isinstance(r[0], ox.NamedNode))
        return self._graphs

    def graph_sizes(self) -> dict[str, int]:
        body, ctype = self._post("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        res = _parse(body, ctype)
        return {python_value(g): int(python_value(n)) for g, n in res.rows if isinstance(g, ox.NamedNode)}


def _parse(body: bytes, ctype: str) -> Results:
    media = ctype.split(";")[0].strip().lower()
    try:
        if media in ("application/n-triples", "text/plain", "text/turtle"):
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            triples = [(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
            return Results(["subject", "predicate", "object"], triples)
        if media and "json" not in media:
            raise StoreError(f"the endpoint answered with {media}, not SPARQL JSON results")
        json.loads(body)  # a clear error for a body that is not JSON at all
        return oxigraph_results(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    except (ValueError, SyntaxError) as exc:
        raise StoreError(f"the endpoint's answer could not be read: {exc}") from None


# ---------------------------------------------------------------------------------------------------
# Push
# ---------------------------------------------------------------------------------------------------


@dataclass
class PushReport:
    """What a push did: graphs and triples written, stale graphs dropped, and the endpoint used."""

    graphs: int = 0
    triples: int = 0
    removed: int = 0
    method: str = ""
    target: str = ""


def _by_graph(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]]:
    graphs: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[return-value]


def _gsp_url(store_url: str, graph: ox.NamedNode | ox.DefaultGraph) -> str:
    sep = "&" if "?" in store_url else "?"
    if isinstance(graph, ox.DefaultGraph):
        return f"{store_url}{sep}default"
    return f"{store_url}{sep}{urllib.parse.urlencode({'graph': graph.value})}"


def _push_gsp(store_url: str, graphs: dict, timeout: float) -> None:
    for graph, triples in graphs.items():
        _request(_gsp_url(store_url, graph), method="PUT", data=_ntriples(triples),
                 headers={"Content-Type": "application/n-triples"}, timeout=timeout)


def _update(update_url: str, text: str, timeout: float) -> None:
    _request(update_url, method="POST", data=text.encode("utf-8"),
             headers={"Content-Type": "application/sparql-update"}, timeout=timeout)


def _push_update(update_url: str, graphs: dict, timeout: float) -> None:
    batch: list[str] = []
    size = 0
    for graph, triples in graphs.items():
        body = _ntriples(triples).decode("utf-8")
        if isinstance(graph, ox.DefaultGraph):
            batch.append(f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{body}}} ;\n")
        else:
            g = sparql_term(graph)
            batch.append(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}}} }} ;\n")
        size += len(batch[-1])
        if size >= UPDATE_CHUNK:
            _update(update_url, "".join(batch), timeout)
            batch, size = [], 0
    if batch:
        _update(update_url, "".join(batch), timeout)


def _stale_graphs(endpoints: Endpoints, keep: set[str], timeout: float) -> list[str]:
    """graphkit's graphs on the target that the build no longer has (only graphkit's namespace is touched)."""
    remote = RemoteStore(endpoints.query or "", union=False, timeout=timeout, endpoints=endpoints)
    return [g for g in remote.named_graphs() if g.startswith(str(GRAPH)) and g not in keep]


def push_quads(quads: Iterable[ox.Quad], url: str, *, method: str = "auto", prune: bool = True,
               timeout: float = 120.0, endpoints: Endpoints | None = None) -> PushReport:
    """Write ``quads`` into the store at ``url``, one named graph at a time (see the module docstring)."""
    ends = endpoints or Endpoints.from_url(url)
    if method == "auto":
        method = "gsp" if ends.store else "update" if ends.update else ""
    if method == "gsp" and not ends.store:
        raise StoreError(f"{url}: no Graph Store endpoint known for this URL; give its .../store or .../data "
                         f"URL, or use --method update")
    if method == "update" and not ends.update:
        raise StoreError(f"{url}: no SPARQL Update endpoint known for this URL; give its .../update URL")
    if method not in ("gsp", "update"):
        raise StoreError(f"{url}: cannot write there: neither a Graph Store nor an Update endpoint is known")
    graphs = _by_graph(quads)
    if method == "gsp":
        assert ends.store
        _push_gsp(ends.store, graphs, timeout)
        target = ends.store
    else:
        assert ends.update
        _push_update(ends.update, graphs, timeout)
        target = ends.update
    report = PushReport(graphs=len(graphs), triples=sum(len(t) for t in graphs.values()), method=method,
                        target=target)
    if prune and ends.query:
        keep = {g.value for g in graphs if isinstance(g, ox.NamedNode)}
        stale = _stale_graphs(ends, keep, timeout)
        for g in stale:
            if method == "gsp" and ends.store:
                _request(_gsp_url(ends.store, ox.NamedNode(g)), method="DELETE", timeout=timeout)
            elif ends.update:
                _update(ends.update, f"DROP SILENT GRAPH {sparql_term(ox.NamedNode(g))}", timeout)
        report.removed = len(stale)
    return report


def push(out_dir: Path | str, url: str, *, method: str = "auto", prune: bool = True,
         timeout: float = 120.0) -> PushReport:
    """Push the graph built in ``out_dir`` (its ``graph.trig``) to the store at ``url``."""
    trig = Path(out_dir) / "graph.trig"
    if not trig.is_file():
        raise StoreError(f"{trig}: no such file; run `graphkit build ... --out {out_dir}` first "
                         f"(or `graphkit export {out_dir}` after a build with --no-files)")
    try:
        with trig.open("rb") as f:
            quads = list(ox.parse(f, format=ox.RdfFormat.TRIG))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"{trig}: could not be read: {exc}") from None
    return push_quads(quads, url, method=method, prune=prune, timeout=timeout)
