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
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from graphkit.rdf.namespaces import doc_graph_iri, short_hash
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


def _read_state(cache: Path) -> dict | None:
    try:
        state = json.loads((cache / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("docs"), dict) else None


def publish(out: Path, cache: Path, manifest: Mapping[str, Mapping[str, object]], *,
            full: bool = False) -> tuple[int, bool]:
    """Write the store and the files of ``manifest`` (doc id -> {"key", "quads"}); (quads, incremental)."""
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
    staged = {name: out / f".{name}.new" for name in ("graph.trig", "graph.ttl")}
    new = embedded.stage_store(out, copy_live=incremental)
    try:
        store = ox.Store(str(new))
        trig_head = header("trig")
        if incremental:
            store.remove_graph(ox.NamedNode(str(LINKS_GRAPH)))
            for doc_id in changed:
                store.remove_graph(ox.NamedNode(str(doc_graph_iri(doc_id))))
                if doc_id in keys:
                    body = chunk_paths(docs_dir, keys[doc_id])[0].read_bytes()
                    store.load(trig_head + body, format=ox.RdfFormat.TRIG)
        else:
            from graphkit.store.chunks import ChainedReader

            parts = [base.trig, *(chunk_paths(docs_dir, key)[0] for key in keys.values())]
            store.bulk_load(ChainedReader(trig_head, parts), format=ox.RdfFormat.TRIG)
        link_text = nquads(link_quads(partial(select_rows, store)))
        links = serialise_chunks(link_text)
        if link_text:
            store.extend(ox.parse(link_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
        store.flush()
        if not incremental:
            store.optimize()
        del store
        for fmt, name, pick in (("trig", "graph.trig", 0), ("turtle", "graph.ttl", 1)):
            parts = [base[pick], *(chunk_paths(docs_dir, key)[pick] for key in keys.values()), links[pick]]
            write_concatenated(staged[name], header(fmt), parts)
        (cache / STATE).unlink(missing_ok=True)
        embedded.swap_in(out, new)
        for name, path in staged.items():
            os.replace(path, out / name)
        with atomic_writer(cache / STATE, "w") as f:
            json.dump({"base": base_key, "docs": keys}, f, indent=0, sort_keys=True)
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
        shutil.rmtree(new, ignore_errors=True)
    quads = base.quads + links.quads + sum(int(manifest[d].get("quads", 0)) for d in keys)  # type: ignore[call-overload]
    return quads, incremental
