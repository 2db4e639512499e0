"""The graph from Python, for notebooks: ``open_graph(DIR)`` and ask it questions.

>>> g = open_graph("out")                                     # doctest: +SKIP
>>> g.query("councils-by-grade", grade="inadequate")[0]        # doctest: +SKIP
{'council': 'Dudley', 'gss': 'E08000027', 'grade_id': 'inadequate', 'date': '2016-04', ...}
>>> g.dataframe("concern-cooccurrence").head()                # doctest: +SKIP

Rows are lists of dicts of plain Python values (strings, ints, floats; None where a variable is unbound),
the same whichever store answers. The embedded store is opened read-only on first use, so a notebook can
sit beside ``graphkit serve`` or a rebuild.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import StoreError
from graphkit.query.named import NamedQuery, get_query, load_queries, run_named
from graphkit.store import connect
from graphkit.store.base import GraphStore, Results

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import rdflib

__all__ = ["open_graph", "Graph"]


class Graph:
    """A built graph (a folder of ``graphkit build``, or a SPARQL endpoint's URL) to query by name."""

    def __init__(self, source: str | Path, engine: str = "oxigraph") -> None:
        self.source = source
        self.engine = engine
        self._store: GraphStore | None = None

    def __repr__(self) -> str:
        return f"Graph({str(self.source)!r}, engine={self.engine!r})"

    @property
    def store(self) -> GraphStore:
        """The store behind the graph, opened on first use."""
        if self._store is None:
            self._store = connect(self.source, self.engine)
        return self._store

    def results(self, name: str, **params: Any) -> Results:
        """A named query's answer as ``Results`` (RDF terms, for code that needs datatypes)."""
        return run_named(self.store, name, params)

    def query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the named query ``name`` with ``params`` bound; rows as dicts of Python values."""
        return self.results(name, **params).dicts()

    def dataframe(self, name: str, **params: Any) -> pandas.DataFrame:
        """A named query's answer as a pandas DataFrame, columns in the query's order."""
        import pandas as pd  # optional: only notebooks need it

        res = self.results(name, **params)
        return pd.DataFrame(res.dicts(), columns=res.variables)

    def sparql(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """Run read-only SPARQL over the union of the graphs; ``params`` bind variables to string or
        number literals (as terms, never pasted into the text)."""
        import pyoxigraph as ox

        def term(value: Any) -> ox.Literal:
            if isinstance(value, bool):
                return ox.Literal("true" if value else "false",
                                  datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
            if isinstance(value, int):
                return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            if isinstance(value, float):
                return ox.Literal(repr(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
            return ox.Literal(str(value))

        return self.store.query(text, {k: term(v) for k, v in params.items()}).dicts()

    def queries(self) -> list[NamedQuery]:
        """The named queries, each with its question, parameters and examples."""
        return list(load_queries().values())

    def describe(self, name: str) -> NamedQuery:
        """One named query (raises ``QueryError`` with a suggestion for an unknown name)."""
        return get_query(name)

    def rdflib_dataset(self) -> rdflib.Dataset:
        """The whole graph as an rdflib Dataset (read from ``graph.trig``; its default graph is the union)."""
        from graphkit.store.memory import RdflibStore, load_dataset

        if isinstance(self._store, RdflibStore):
            return self._store.dataset
        if not isinstance(self.source, Path) and str(self.source).lower().startswith(("http://", "https://")):
            raise StoreError("rdflib_dataset() needs a folder written by `graphkit build`, not a URL")
        return load_dataset(Path(self.source) / "graph.trig")

    def facts(self) -> list[dict[str, Any]]:
        """The facts view (``FACTS.md``): one dict per document."""
        from graphkit.query.facts import facts_view
        from graphkit.store.embedded import EmbeddedStore

        store = self.store
        if not isinstance(store, EmbeddedStore):
            store = EmbeddedStore.open(Path(self.source))
        return facts_view(store.store)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(source: str | Path = "out", engine: str = "oxigraph") -> Graph:
    """The graph built in ``source`` (default ``out/``), or at a SPARQL endpoint's URL.

    ``engine``: ``oxigraph`` (the folder's on-disk store, default), ``oxigraph-memory`` (loaded from
    ``graph.trig`` into memory), or ``rdflib``. Nothing is opened until the first question.
    """
    if not str(source).lower().startswith(("http://", "https://")):
        folder = Path(source)
        if not folder.is_dir():
            raise StoreError(f"{folder}: no such folder; run `graphkit build ... --out {folder}` first")
        source = folder
    return Graph(source, engine)
