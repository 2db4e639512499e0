"""Where built graphs live: files (TriG/Turtle), the embedded Oxigraph store, rdflib, remote SPARQL stores.

Every store that can be queried is a :class:`~graphkit.store.base.GraphStore`; :func:`connect` picks one
for a built folder or a URL. The modules behind it are imported only when asked for.
"""

from __future__ import annotations

from pathlib import Path

from graphkit.errors import StoreError
from graphkit.store.base import GraphStore, Results

__all__ = ["GraphStore", "Results", "connect", "ENGINES"]

#: How a built folder can be opened: the on-disk Oxigraph store, Oxigraph in memory loaded from
#: ``graph.trig`` (faster joins, ~4 s per million triples to load), or rdflib in memory.
ENGINES = ("oxigraph", "oxigraph-memory", "rdflib")


def connect(source: str | Path, engine: str = "oxigraph", *, union: bool = True) -> GraphStore:
    """A store for a folder written by ``graphkit build`` or for a SPARQL endpoint's URL.

    ``engine`` chooses how a folder is opened (see ``ENGINES``); ``union`` is for URLs (see
    :class:`~graphkit.store.remote.RemoteStore`).
    """
    from graphkit.store.remote import RemoteStore, is_url

    if is_url(str(source)):
        return RemoteStore(str(source), union=union)
    out_dir = Path(source)
    if engine == "oxigraph":
        from graphkit.store.embedded import EmbeddedStore

        return EmbeddedStore.open(out_dir)
    if engine == "oxigraph-memory":
        from graphkit.store.embedded import EmbeddedStore

        return EmbeddedStore.from_trig(out_dir / "graph.trig")
    if engine == "rdflib":
        from graphkit.store.memory import RdflibStore

        return RdflibStore.open(out_dir)
    raise StoreError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
