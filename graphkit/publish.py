"""The last step of a build: the store, ``graph.trig`` and ``graph.ttl`` from the cached chunks.

Memory stays flat however large the corpus: every output is streamed from the per-document chunk files
(``graphkit.store.chunks``), one at a time. Time follows what changed: when the store in place was built
from the same base graphs (vocabulary and councils) and few documents changed, the new store starts as a
checkpoint copy of it (hard links, milliseconds) and only the changed documents' graphs are dropped and
loaded; otherwise it is bulk-loaded whole. ``cache/store.json`` records which chunk of each document the
store holds; it is removed before a store is swapped in and written after, so a build killed in between
leaves no record and the next build reloads the store whole rather than trust it.

Nothing a reader sees changes until the end: files are staged under temporary names, the store in a
folder beside the live one, and they are moved into place together.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from graphkit.rdf.namespaces import PREFIXES, doc_graph_iri, short_hash
from graphkit.store.chunks import Chunks, header, serialise_chunks, write_concatenated
from graphkit.store.files import atomic_writer

__all__ = ["publish", "STATE", "chunk_paths"]

STATE = "store.json"
#: Above this share of documents changed, loading the store whole is quicker than editing a copy.
MAX_CHANGED_SHARE = 0.25
_ALWAYS_INCREMENTAL = 64  # ...but so few changed documents are always edited in place


def chunk_paths(docs_dir: Path, key: str) -> tuple[Path, Path]:
    """The cached TriG and Turtle chunk of the document extraction ``key``."""
    return docs_dir / f"{key}.trig", docs_dir / f"{key}.ttl"


def _base() -> tuple[Chunks, str]:
    """The graphs every build holds whatever its documents: the vocabulary and the councils."""
    from graphkit.rdf.build import councils_quads, nquads
    from graphkit.rdf.vocabulary import vocabulary_quads

    text = nquads(vocabulary_quads()) + nquads(councils_quads())
    return serialise_chunks(text), short_hash(text)


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Quads per bulk load: Oxigraph's loader holds a batch in memory, so several small loads keep the peak
#: flat whatever the corpus (one load of 3.4M quads peaked at 1.6 GB).
LOAD_BATCH_QUADS = 250_000


def _batches(base: Chunks, docs_dir: Path, keys: Mapping[str, str], manifest: Mapping[str, Mapping[str, object]]):
    """The TriG chunks to load, in groups of about ``LOAD_BATCH_QUADS`` quads."""
    batch: list[bytes | Path] = [base.trig]
    size = base.quads
    for doc_id, key in keys.items():
        batch.append(chunk_paths(docs_dir, key)[0])
        size += int(manifest[doc_id].get("quads", 0))  # type: ignore[call-overload]
        if size >= LOAD_BATCH_QUADS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _holds_report(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether ``graph`` holds an Ofsted report (whose inspections articles link to)."""
    report = ox.NamedNode(PREFIXES["gk"] + "InspectionReport")
    return next(store.quads_for_pattern(None, RDF_TYPE, report, graph), None) is not None


def _drop_links_from(store: ox.Store, graphs: Iterable[ox.NamedNode], links_graph: ox.NamedNode) -> None:
    """Remove the links whose article inspection is stated in one of ``graphs``."""
    same = ox.NamedNode(PREFIXES["gk"] + "sameInspectionAs")
    for graph in graphs:
        for quad in list(store.quads_for_pattern(None, same, None, links_graph)):
            if next(store.quads_for_pattern(quad.subject, None, None, graph), None) is not None:
                store.remove(quad)


def _read_state(cache: Path) -> dict | None:
    try:
        state = json.loads((cache / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("docs"), dict) else None


def publish(out: Path, cache: Path, manifest: Mapping[str, Mapping[str, object]], *,
            full: bool = False) -> tuple[int, str]:
    """Write the store and the files of ``manifest`` (doc id -> {"key", "quads"}).

    Returns the number of quads and how the store was made: "unchanged", "edited" (a copy with the
    changed documents reloaded) or "loaded" (whole).
    """
    from graphkit.query.facts import select_rows
    from graphkit.rdf.build import nquads
    from graphkit.rdf.links import LINKS_GRAPH, link_quads
    from graphkit.store import embedded

    docs_dir = cache / "docs"
    base, base_key = _base()
    keys = {doc_id: str(manifest[doc_id]["key"]) for doc_id in sorted(manifest)}
    state = None if full else _read_state(cache)
    live = embedded.store_path(out)
    changed: list[str] = []
    if state is not None and state.get("base") == base_key and live.exists():
        held: dict[str, str] = state["docs"]
        changed = sorted({d for d in held if keys.get(d) != held[d]} | {d for d in keys if held.get(d) != keys[d]})
        incremental = len(changed) <= max(_ALWAYS_INCREMENTAL, MAX_CHANGED_SHARE * len(keys))
    else:
        incremental = False
    if incremental and not changed and all((out / name).is_file() for name in ("graph.trig", "graph.ttl")):
        quads = int(state.get("quads", -1)) if state else -1
        if quads >= 0:
            return quads, "unchanged"  # the store and files in place are this build's already
    staged = {name: out / f".{name}.new" for name in ("graph.trig", "graph.ttl")}
    new = embedded.stage_store(out, copy_live=incremental)
    try:
        store = ox.Store(str(new))
        trig_head = header("trig")
        links_graph = ox.NamedNode(str(LINKS_GRAPH))
        if incremental:
            graphs = {doc_id: ox.NamedNode(str(doc_graph_iri(doc_id))) for doc_id in changed}
            relink_all = any(_holds_report(store, g) for g in graphs.values())
            _drop_links_from(store, graphs.values(), links_graph)
            for doc_id, graph in graphs.items():
                store.remove_graph(graph)
                if doc_id in keys:
                    body = chunk_paths(docs_dir, keys[doc_id])[0].read_bytes()
                    store.load(trig_head + body, format=ox.RdfFormat.TRIG)
            relink_all = relink_all or any(_holds_report(store, graphs[d]) for d in changed if d in keys)
            scope = None if relink_all else [g.value for d, g in graphs.items() if d in keys]
        else:
            from graphkit.store.chunks import ChainedReader

            for batch in _batches(base, docs_dir, keys, manifest):
                store.bulk_load(ChainedReader(trig_head, batch), format=ox.RdfFormat.TRIG)
            scope = None
        if scope is None:
            store.remove_graph(links_graph)
        new_links = link_quads(partial(select_rows, store), scope)
        if new_links:
            store.extend(ox.parse(nquads(new_links).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
        held_links = sorted(store.quads_for_pattern(None, None, None, links_graph), key=str)  # N-Quads order
        links = serialise_chunks("".join(f"{q} .\n" for q in held_links))
        store.flush()
        if not incremental:
            store.optimize()
        del store
        def write(fmt: str, name: str, pick: int) -> None:
            parts = [base[pick], *(chunk_paths(docs_dir, key)[pick] for key in keys.values()), links[pick]]
            write_concatenated(staged[name], header(fmt), parts)

        # The two files are written side by side: the copying and the flush to disk wait on the disk.
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(write, "trig", "graph.trig", 0), pool.submit(write, "turtle", "graph.ttl", 1)]:
                done.result()
        (cache / STATE).unlink(missing_ok=True)
        embedded.swap_in(out, new)
        for name, path in staged.items():
            os.replace(path, out / name)
        quads = base.quads + links.quads + sum(int(manifest[d].get("quads", 0)) for d in keys)  # type: ignore[call-overload]
        with atomic_writer(cache / STATE, "w") as f:
            json.dump({"base": base_key, "docs": keys, "quads": quads}, f, sort_keys=True, separators=(",", ":"))
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
        shutil.rmtree(new, ignore_errors=True)
    return quads, "edited" if incremental else "loaded"
