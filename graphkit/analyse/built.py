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

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from graphkit.analyse.rows import BATCH_DOCS, GraphRows, Row, document_rows, rows_cache, view_rows
from graphkit.build_index import INDEX_FILE, last_manifest

__all__ = ["built_rows", "rows_of_build"]


def _order(row: Row) -> tuple:
    """``rows._tidy``'s order. Its first column is each view's key, so ids sort as the IRIs they came from."""
    return tuple((k, v or "") for k, v in row.items())


def rows_of_build(cache: Path, manifest: Iterable[tuple[str, str, int]], *, jobs: int = 1,
                  documents: int | None = None) -> Iterator[GraphRows]:
    """The rows of the documents of a build's ``manifest`` ((doc id, key, quads), as ``BuildIndex`` gives
    them), batch by batch, from the cached rows under ``cache`` or else the documents' chunks.

    Cached rows are read quicker in this process than sent back from worker processes (2 s against 4 s
    at 10k documents), so given the number of ``documents``, the ``jobs`` processes are used only when
    more than a batch of them has no cached rows yet.
    """
    from graphkit.publish import base_graphs, chunk_paths

    base = base_graphs(cache).trig
    rows_dir = rows_cache(cache, base)
    if documents is not None and documents - sum(1 for _ in os.scandir(rows_dir)) <= BATCH_DOCS:
        jobs = 1
    docs = ((doc_id, chunk_paths(cache / "docs", key)[0]) for doc_id, key, _ in manifest)
    return document_rows(docs, base, cache_dir=rows_dir, jobs=jobs)


def _from_cache(out: Path, names: Sequence[str], jobs: int) -> GraphRows | None:
    cache = out / "cache"
    if not (cache / INDEX_FILE).is_file():
        return None
    merged: dict[str, list[Row]] = {name: [] for name in GraphRows.__dataclass_fields__}
    for batch in rows_of_build(cache, last_manifest(cache), jobs=jobs):
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
