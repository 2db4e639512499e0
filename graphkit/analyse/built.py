"""The rows of a built graph for ``graphkit analyze`` and ``graphkit viz``, read from the build's cache.

Read from the on-disk store, the view queries of a 10,000-article graph take minutes (each join step
costs about 35 µs a row there: 46 s for the findings alone). A build keeps each document's rows in its
cache (``rows.document_rows``), so they are read back here in a second or two; documents whose rows are
not cached yet (a build without the views) are queried from their cached chunks, a batch at a time, and
cached for next time. The rows are then sorted as ``view_rows`` sorts a store's, so every analysis gives
what it gives on the store. A folder without a build cache, or one the cache cannot serve, is read from
its store as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from graphkit.analyse.rows import GraphRows, Row, document_rows, rows_cache, view_rows

__all__ = ["built_rows"]


def _manifest(index: Path) -> Iterator[tuple[str, str]]:
    """(doc id, key) of the last finished build, read-only (a build may be running beside)."""
    db = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    try:
        last = ""
        while True:
            page = db.execute("SELECT doc_id, key FROM docs WHERE doc_id > ? AND key IS NOT NULL "
                              "ORDER BY doc_id LIMIT 500", (last,)).fetchall()
            if not page:
                return
            yield from page
            last = page[-1][0]
    finally:
        db.close()


def _order(row: Row) -> tuple:
    """``rows._tidy``'s order. Its first column is each view's key, so ids sort as the IRIs they came from."""
    return tuple((k, v or "") for k, v in row.items())


def _from_cache(out: Path, names: Sequence[str], jobs: int) -> GraphRows | None:
    from graphkit.publish import base_graphs, chunk_paths

    cache = out / "cache"
    index = cache / "index.sqlite"
    if not index.is_file():
        return None
    base = base_graphs(cache).trig
    docs = ((doc_id, chunk_paths(cache / "docs", key)[0]) for doc_id, key in _manifest(index))
    merged: dict[str, list[Row]] = {name: [] for name in GraphRows.__dataclass_fields__}
    for batch in document_rows(docs, base, cache_dir=rows_cache(cache, base), jobs=jobs):
        for name in names:
            merged[name] += getattr(batch, name)
    return GraphRows(**{name: sorted(rows, key=_order) for name, rows in merged.items()})


def built_rows(out_dir: Path, store: ox.Store, names: Sequence[str] | None = None, *, jobs: int = 1) -> GraphRows:
    """The rows of the views ``names`` (all by default) of the graph built in ``out_dir``; others empty."""
    wanted = list(names or GraphRows.__dataclass_fields__)
    try:
        cached = _from_cache(Path(out_dir), wanted, jobs)
    except (OSError, sqlite3.Error):  # no readable cache (or a chunk gone): the store has the graph
        cached = None
    if cached is not None:
        return cached
    return GraphRows(**{name: view_rows(store, name) for name in wanted})
