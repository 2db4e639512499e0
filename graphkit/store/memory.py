"""rdflib in memory: the built graph as an ``rdflib.Dataset``, for notebooks, tests and interop.

It is read from ``DIR/graph.trig`` (every named graph), so it needs nothing but the files of a build. It
is one to two orders of magnitude slower than Oxigraph on large graphs (``benchmarks/bench_queries.py``),
which is why it is not the default; it is there for code that wants rdflib objects.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graphkit.errors import QueryError, StoreError
from graphkit.store.base import GraphStore, Results, Term

__all__ = ["RdflibStore", "load_dataset", "to_oxigraph"]


@contextmanager
def _quiet() -> Iterator[None]:
    """rdflib 7 warns about its own deprecated internals on every triple of a Dataset: not our news."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def load_dataset(trig: Path) -> Dataset:
    """An rdflib Dataset of a TriG file, its default graph the union of the named graphs."""
    ds = Dataset(default_union=True)
    try:
        with _quiet():
            ds.parse(str(trig), format="trig")
    except FileNotFoundError:
        raise StoreError(f"{trig}: no such file; run `graphkit build ... --out {trig.parent}` first "
                         f"(or `graphkit export {trig.parent}` after a build with --no-files)") from None
    except Exception as exc:  # rdflib's parsers raise many kinds
        raise StoreError(f"{trig}: could not be parsed as TriG: {exc}") from None
    return ds


def to_oxigraph(node: Node | None) -> Term | None:
    """An rdflib term as the pyoxigraph term of ``Results``."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise QueryError(f"rdflib returned a term graphkit cannot read: {node!r}")


class RdflibStore(GraphStore):
    """Read-only SPARQL over an rdflib ``Dataset`` whose default graph is the union of its named graphs."""

    kind = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        if not dataset.default_union:
            raise StoreError("the rdflib Dataset must have default_union=True: graphkit's queries are "
                             "written against the union of the named graphs")
        self.dataset = dataset

    @classmethod
    def open(cls, out_dir: Path) -> RdflibStore:
        """The graph ``graphkit build`` wrote into ``out_dir``, read from its ``graph.trig``."""
        return cls(load_dataset(Path(out_dir) / "graph.trig"))

    def _execute(self, sparql: str) -> Results:
        try:
            with _quiet():
                result = self.dataset.query(sparql)
                if result.type == "SELECT":
                    names = [str(v) for v in result.vars or []]
                    rows = [tuple(to_oxigraph(row[i]) for i in range(len(names))) for row in result]
                    return Results(names, rows)
        except QueryError:
            raise
        except Exception as exc:  # pyparsing's ParseException and rdflib's own errors
            raise QueryError(f"rdflib could not run the query: {' '.join(str(exc).split())}") from None
        if result.type == "ASK":
            return Results([], [], bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            return Results(["subject", "predicate", "object"],
                           [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in result.graph])
        raise QueryError(f"rdflib gave a result of an unknown kind: {result.type}")

    def named_graphs(self) -> list[str]:
        with _quiet():
            return sorted(str(g.identifier) for g in self.dataset.graphs()
                          if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g))
