"""The last step of a build: the store, ``graph.trig`` and ``graph.ttl`` from the cached chunks.

Memory stays flat however large the corpus: every output is streamed from the per-document chunk files
(``graphkit.store.chunks``), a batch at a time. Time follows what changed: when the store in place was
built from the same base graphs (vocabulary and councils) and few documents changed, the new store starts
as a checkpoint copy of it (hard links, milliseconds) and only the changed documents' graphs are dropped
and loaded; otherwise it is bulk-loaded whole, in a thread that a build starts before extracting
(``start_whole_load``, ``graphkit.store.whole_load``). The build index (``graphkit.build_index``) records
which chunk of each document the store holds; the record is cleared before a store is swapped in and
written after (by the caller, with the manifest), so a build killed in between leaves no record and the
next build reloads the store whole rather than trust it.

Nothing a reader sees changes until the end: files are staged under temporary names, the store in a
folder beside the live one, and they are moved into place together. The files are a copy of the whole
graph (about 300 MB at 10k articles): after a change, the runs of documents unchanged since the files in
place were written are copied from those files by the kernel (their layout is recorded in the index), and
only changed documents are read from their chunks; the files replaced are removed in the background
(``graphkit.store.files.Removals``) while the build finishes. ``graphkit build --no-files`` leaves them
out (and removes any older ones, which would no longer match the store), and ``graphkit export`` writes
them from the cache when wanted.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from graphkit.build_index import BuildIndex, build_lock
from graphkit.rdf.namespaces import PREFIXES, doc_graph_iri, short_hash
from graphkit.store.chunks import Chunks, Span, header, serialise_chunks, write_concatenated
from graphkit.store.files import Removals
from graphkit.store.whole_load import WholeLoad

__all__ = ["publish", "start_whole_load", "start_files", "export_files", "chunk_paths", "base_graphs", "GRAPH_FILES"]

#: Above this share of documents changed, loading the store whole is quicker than editing a copy.
MAX_CHANGED_SHARE = 0.25
_ALWAYS_INCREMENTAL = 64  # ...but so few changed documents are always edited in place


#: The file suffixes of a document's cached TriG and Turtle chunks.
CHUNK_SUFFIXES = (".trig", ".ttl")


def chunk_paths(docs_dir: Path, key: str) -> tuple[Path, Path]:
    """The cached TriG and Turtle chunk of the document extraction ``key``."""
    return docs_dir / f"{key}{CHUNK_SUFFIXES[0]}", docs_dir / f"{key}{CHUNK_SUFFIXES[1]}"


def base_graphs(cache: Path) -> Chunks:
    """The chunks of the vocabulary and councils graphs (see ``_base``)."""
    return _base(cache)[0]


def _base(cache: Path) -> tuple[Chunks, str]:
    """The graphs every build holds whatever its documents: the vocabulary and the councils, and their key.

    Made from the ontology and the gazetteer (a fifth of a second, most of a build that changes nothing),
    so they are cached under ``cache/base/`` by the fingerprint of those files and of the code that reads
    them, as documents' chunks are.
    """
    from graphkit.pipeline import extractor_fingerprint
    from graphkit.store.files import write_atomic

    folder = cache / "base"
    stem = folder / extractor_fingerprint()
    paths = [stem.with_suffix(suffix) for suffix in (".trig", ".ttl", ".json")]
    try:
        meta = json.loads(paths[2].read_text(encoding="utf-8"))
        trig, turtle = paths[0].read_bytes(), paths[1].read_bytes()
        if [len(trig), len(turtle)] == meta["bytes"]:
            return Chunks((trig, turtle, int(meta["quads"]))), str(meta["key"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not made yet for this version, or damaged: make it again
    from graphkit.rdf.build import councils_quads, nquads
    from graphkit.rdf.vocabulary import vocabulary_quads

    text = nquads(vocabulary_quads()) + nquads(councils_quads())
    chunks, key = serialise_chunks(text), short_hash(text)
    shutil.rmtree(folder, ignore_errors=True)  # the base of other versions is not wanted again
    write_atomic(paths[0], chunks.trig, sync=False)
    write_atomic(paths[1], chunks.turtle, sync=False)
    meta = {"quads": chunks.quads, "key": key, "bytes": [len(chunks.trig), len(chunks.turtle)]}
    write_atomic(paths[2], json.dumps(meta), sync=False)  # last, with the sizes it vouches for
    return chunks, key


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


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


#: The whole-graph files a build writes, with the chunk format and the position of its chunk in ``Chunks``.
GRAPH_FILES = {"graph.trig": ("trig", 0), "graph.ttl": ("turtle", 1)}


def _links(store: ox.Store) -> Chunks:
    """The links graph of ``store`` as chunks, in N-Quads order (its chunk goes last in the files)."""
    from graphkit.rdf.links import LINKS_GRAPH

    held = sorted(store.quads_for_pattern(None, None, None, ox.NamedNode(str(LINKS_GRAPH))), key=str)
    return serialise_chunks("".join(f"{q} .\n" for q in held))


Entries = Callable[[], Iterable[tuple[str, str, int]]]
#: (doc id, key, quads, TriG chunk bytes, Turtle chunk bytes), sizes None where not known.
SizedEntries = Callable[[], Iterable[tuple[str, str, int, int | None, int | None]]]


class LastFiles(NamedTuple):
    """What a build needs to copy from the graph files in place: the new manifest and the last one, sized,
    and the layout of the files (``_layout_in_place``)."""

    entries: SizedEntries
    last: SizedEntries
    layout: dict[str, list[int]]
    #: Chunk sizes the index did not know, measured on the way: key -> (TriG, Turtle), for it to keep.
    measured: dict[str, tuple[int, int]]


class _FileWriter:
    """``graph.trig`` and ``graph.ttl``, staged beside their final names for the caller to move into place
    (``_move_in``) once the store is, or to remove (``abandon``).

    With ``last``, the documents unchanged since the files in place were written are copied from those
    files in long runs (at 10k documents a tenth of a second, where opening 20k chunk files took two).
    Those copies start at once, both files in threads (the kernel copies without holding Python's lock):
    a rebuild starts them before it extracts (``start_files``), and they wait only where a document still
    to extract goes (its key, given by ``resolve``) and for the links at the end (given by ``finish``).
    Files without a usable layout are written from the chunks by ``finish``.
    """

    def __init__(self, out: Path, docs_dir: Path, entries: Entries, base: Chunks, last: LastFiles | None) -> None:
        self.docs_dir, self.entries, self.base = docs_dir, entries, base
        self.staged = {name: out / f".{name}.new" for name in GRAPH_FILES}
        try:
            self.plans = _copy_plans(out, docs_dir, last) if last is not None else {}
        except OSError:  # a chunk of the last build to measure is gone: every file from the chunks
            self.plans = {}
        #: The documents without a key yet, whose chunks go where the plans say ``_Pending``.
        self.pending = sorted({part.doc_id for parts in self.plans.values() for part in parts
                               if isinstance(part, _Pending)})
        self._keys: Future[dict[str, str | None]] = Future()
        self._links: Future[Chunks] = Future()
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(self.plans)), thread_name_prefix="graphkit-files")
        self._copies = {name: self._pool.submit(_write_file, self.staged[name], name, base,
                                                self._resolved(parts, GRAPH_FILES[name][1]),
                                                self._links_later(GRAPH_FILES[name][1]))
                        for name, parts in self.plans.items()}

    def _resolved(self, parts: list[Path | Span | _Pending], pick: int) -> Iterator[Path | Span]:
        for part in parts:
            if not isinstance(part, _Pending):
                yield part
            elif (key := self._keys.result().get(part.doc_id)) is not None:  # None: left out of the build
                yield chunk_paths(self.docs_dir, key)[pick]

    def _links_later(self, pick: int) -> Iterator[bytes]:
        yield self._links.result()[pick]

    def resolve(self, keys: dict[str, str | None]) -> None:
        """The keys the ``pending`` documents got (None: the document is not in the build after all)."""
        self._keys.set_result(keys)

    def finish(self, links: Chunks) -> dict[str, Path]:
        """The staged files, with ``links`` at their ends."""
        if not self._keys.done():
            self._keys.set_result({})
        self._links.set_result(links)
        try:
            written = set()
            for name, copy in self._copies.items():
                try:
                    copy.result()
                    written.add(name)
                except OSError:  # the file in place is not what the record says: from the chunks below
                    pass
            for name, (_fmt, pick) in GRAPH_FILES.items():
                if name not in written:
                    parts = (chunk_paths(self.docs_dir, key)[pick] for _doc_id, key, _quads in self.entries())
                    _write_file(self.staged[name], name, self.base, parts, [links[pick]])
        except BaseException:
            self.abandon()
            raise
        self._pool.shutdown()
        return self.staged

    def abandon(self) -> None:
        """Stop the copies (they end where they wait) and remove whatever is staged."""
        for waited in (self._keys, self._links):
            if not waited.done():
                waited.set_exception(_Abandoned())
        self._pool.shutdown(wait=True)
        for path in self.staged.values():
            path.unlink(missing_ok=True)


class _Pending(NamedTuple):
    """Where the chunk of a document still to extract goes in a graph file being copied."""

    doc_id: str


class _Abandoned(Exception):
    """The links a copy waits for will not come: the build stopped."""


def _write_file(staged: Path, name: str, base: Chunks, parts: Iterable[Path | Span], tail: Iterable[bytes]) -> None:
    """The graph file ``name`` at ``staged``: its header, the base graphs, ``parts`` and the links (``tail``)."""
    fmt, pick = GRAPH_FILES[name]
    # Not flushed to disk, which took most of a one-document rebuild: the rename keeps a killed build
    # from leaving half a file, and a power cut before the kernel writes them out (half a minute) is
    # mended by ``graphkit build --full`` or ``graphkit export``, which write them again from the cache.
    write_concatenated(staged, header(fmt), chain([base[pick]], parts, tail), sync=False)


def _copy_plans(out: Path, docs_dir: Path, last: LastFiles) -> dict[str, list[Path | Span | _Pending]]:
    """The parts of each graph file whose layout in place is known and holds: the chunks of
    ``last.entries`` in order, with the runs of documents that have the same key as in the file in place
    (whose chunks span ``layout[0]`` to ``layout[1]`` of it, in ``last.last``'s order) as spans of that file.

    A document still to extract (no key yet) is a ``_Pending`` part. One pass over both manifests for both
    files: each pass over 10k sized rows costs 30 ms. Sizes come from the index; the chunks whose sizes it
    does not know (an index made before it kept them) are measured with ``os.stat`` on plain strings
    (``Path`` objects for 20k chunks cost half a second) and noted in ``last.measured``.
    """
    folder = f"{docs_dir}{os.sep}"

    def sizes(row: tuple[str, str, int, int | None, int | None]) -> tuple[int, int]:
        if row[3] is not None and row[4] is not None:
            return row[3], row[4]
        key = row[1]
        if key not in last.measured:
            trig, ttl = (os.stat(folder + key + suffix).st_size for suffix in CHUNK_SUFFIXES)
            last.measured[key] = trig, ttl
        return last.measured[key]

    plans = [_Plan(out / name, GRAPH_FILES[name][1], last.layout[name], folder) for name in GRAPH_FILES
             if name in last.layout]
    if not plans:
        return {}
    olds = iter(last.last())
    old = next(olds, None)
    for row in last.entries():
        doc_id, key = row[0], row[1]
        while old is not None and old[0] < doc_id:  # gone since: skip its bytes in the old file
            for plan in plans:
                plan.skip(sizes(old))
            old = next(olds, None)
        if old is not None and old[0] == doc_id:
            same = old[1] == key
            for plan in plans:
                if same:
                    plan.keep(sizes(old))
                else:  # changed since: skip its old bytes, then its new chunk
                    plan.skip(sizes(old))
                    plan.add(doc_id, key)
            old = next(olds, None)
            continue
        for plan in plans:
            plan.add(doc_id, key)
    while old is not None:
        for plan in plans:
            plan.skip(sizes(old))
        old = next(olds, None)
    return {plan.file.name: plan.parts for plan in plans if plan.finish()}


class _Plan:
    """The parts of one graph file, made from the one in place (see ``_copy_plans``): its documents' bytes
    are followed through the old file while the new one is laid out."""

    def __init__(self, file: Path, pick: int, layout: list[int], folder: str) -> None:
        self.file, self.pick, self.suffix, self.folder = file, pick, CHUNK_SUFFIXES[pick], folder
        self.offset, self.end = layout
        self.run_at = self.run = 0
        self.parts: list[Path | Span | _Pending] = []

    def skip(self, sizes: tuple[int, int]) -> None:
        """A document of the old file that is not copied: the run being copied ends before it."""
        self._close_run()
        self.offset += sizes[self.pick]

    def keep(self, sizes: tuple[int, int]) -> None:
        """A document copied from the old file: it extends the run being copied, or starts one."""
        if not self.run:
            self.run_at = self.offset
        self.run += sizes[self.pick]
        self.offset += sizes[self.pick]

    def add(self, doc_id: str, key: str | None) -> None:
        """A document written from its chunk (``_Pending`` while it has no key)."""
        self._close_run()
        self.parts.append(_Pending(doc_id) if key is None else Path(self.folder + key + self.suffix))

    def finish(self) -> bool:
        """Close the plan; False when the old file's documents do not end where its record says."""
        self._close_run()
        return self.offset == self.end

    def _close_run(self) -> None:
        if self.run:
            self.parts.append(Span(self.file, self.run_at, self.run))
            self.run = 0


def _layout_in_place(out: Path, index: BuildIndex) -> dict[str, list[int]]:
    """Where the documents' chunks start and end in each graph file in place, for the files that are exactly
    what the last finished build wrote (the size and modification time it recorded)."""
    layout: dict[str, list[int]] = {}
    for name, (size, mtime_ns, start, end) in index.files_record().items():
        try:
            stat = (out / name).stat()
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
            layout[name] = [start, end]
    return layout


def _files_record(out: Path, base: Chunks, links: Chunks) -> dict[str, list[int]]:
    """What the index records of the graph files just moved into place: size, modification time, and where
    the documents' chunks start and end (the base graphs come before them, the links after)."""
    record: dict[str, list[int]] = {}
    for name, (fmt, pick) in GRAPH_FILES.items():
        stat = (out / name).stat()
        start = len(header(fmt)) + len(base[pick])
        record[name] = [stat.st_size, stat.st_mtime_ns, start, stat.st_size - len(links[pick])]
    return record


def _move_in(out: Path, staged: dict[str, Path], removals: Removals) -> None:
    """Move staged graph files into place; whatever is left staged (a failed move) is removed.

    Each file in place is first moved aside and removed after, in the background (see ``Removals``):
    renamed over an existing file, ext4 writes the new file's 150 MB out at once (its guard against empty
    files after a crash), which made the rename and the next flush (the index's) cost a second of a
    one-document rebuild. ``_recover_files`` puts a file moved aside back if a build is killed between
    the two renames.
    """
    try:
        for name, path in staged.items():
            live, aside = out / name, out / f".{name}.old"
            try:
                os.replace(live, aside)
            except FileNotFoundError:
                os.replace(path, live)
                continue
            os.replace(path, live)
            removals.remove(aside)
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)


def _key_of(index: BuildIndex, doc_id: str) -> str | None:
    """The key a document has in the new manifest (None: not in it, or never built)."""
    entry = index.entry(doc_id)
    return entry.key if entry is not None else None


def _recover_files(out: Path) -> None:
    """Finish what a build killed while moving graph files into place left: a file moved aside and not
    replaced goes back; one replaced is removed."""
    for name in GRAPH_FILES:
        live, aside = out / name, out / f".{name}.old"
        if aside.exists():
            if live.exists():
                aside.unlink()
            else:
                os.replace(aside, live)


def _files_of_store_in_place(out: Path, docs_dir: Path, index: BuildIndex, entries: Entries, base: Chunks) -> None:
    """Write the graph files of the store in place (its links read from it) from the cached chunks, move them
    into place and record them."""
    from graphkit.store import embedded

    links = _links(embedded.open_store(out))
    with Removals() as removals:
        _move_in(out, _FileWriter(out, docs_dir, entries, base, None).finish(links), removals)
    index.record_files(_files_record(out, base, links))  # the files of the last manifest, as they are


def _remove_files(out: Path, removals: Removals) -> None:
    """Files left by an earlier build would no longer match the store: a build without files removes them
    (in the background, by the end of the build)."""
    for name in GRAPH_FILES:
        if (out / name).exists():
            removals.remove(out / name)


def _redo_changed(store: ox.Store, docs_dir: Path, index: BuildIndex, changed: list[str]) -> list[str] | None:
    """In a copy of the store in place, drop and load again the graphs of the ``changed`` documents.

    Returns the graphs whose links to reports must be made again, or None for all of them (a report
    changed, which articles anywhere may link to).
    """
    trig_head = header("trig")
    from graphkit.rdf.links import LINKS_GRAPH

    graphs = {doc_id: ox.NamedNode(str(doc_graph_iri(doc_id))) for doc_id in changed}
    relink_all = any(_holds_report(store, g) for g in graphs.values())
    _drop_links_from(store, graphs.values(), ox.NamedNode(str(LINKS_GRAPH)))
    present: list[str] = []  # the changed documents still in the sources
    for doc_id, graph in graphs.items():
        store.remove_graph(graph)
        key = _key_of(index, doc_id)
        if key is not None:
            present.append(doc_id)
            body = chunk_paths(docs_dir, key)[0].read_bytes()
            store.load(trig_head + body, format=ox.RdfFormat.TRIG)
    relink_all = relink_all or any(_holds_report(store, graphs[d]) for d in present)
    return None if relink_all else [graphs[d].value for d in present]


def _relink(store: ox.Store, scope: list[str] | None) -> None:
    """Make the links from articles' inspections to reports' again: of the graphs ``scope``, or all."""
    from graphkit.query.facts import select_rows
    from graphkit.rdf.build import nquads
    from graphkit.rdf.links import LINKS_GRAPH, link_quads

    if scope is None:
        store.remove_graph(ox.NamedNode(str(LINKS_GRAPH)))
    new_links = link_quads(partial(select_rows, store), scope)
    if new_links:
        store.extend(ox.parse(nquads(new_links).encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def _edit_plan(out: Path, index: BuildIndex, full: bool,
               base_key: str) -> tuple[tuple[str, int] | None, list[str] | None]:
    """(the record of the store in place, the documents to redo in a copy of it); None: load it whole.

    A document not extracted yet counts as changed, so that a build can decide before extracting.
    """
    from graphkit.store import embedded

    held = None if full else index.held_base()
    if held is None or held[0] != base_key or not embedded.store_path(out).exists():
        return held, None
    changed = index.changed_since_held()
    documents, _ = index.summary()
    if len(changed) > max(_ALWAYS_INCREMENTAL, MAX_CHANGED_SHARE * documents):
        return held, None
    return held, changed


def _whole_load(out: Path, cache: Path, index: BuildIndex) -> WholeLoad:
    """Stage a new store and start loading the base graphs and every document the manifest has a key for."""
    from graphkit.store import embedded

    base = base_graphs(cache)
    load = WholeLoad(embedded.stage_store(out, copy_live=False), base.trig, base.quads)
    try:
        for page in index.keyed():
            for _doc_id, key, quads in page:
                load.add(chunk_paths(cache / "docs", key)[0], quads)
    except BaseException:
        load.abandon()
        raise
    return load


def start_whole_load(out: Path, cache: Path, index: BuildIndex, *, full: bool = False) -> WholeLoad | None:
    """Before extracting: when the store will be loaded whole, start loading it (see ``WholeLoad``).

    The documents already keyed go in now; the caller adds each one it extracts and hands the load to
    ``publish``, or abandons it. None when the store in place will be edited instead.
    """
    _, base_key = _base(cache)
    if _edit_plan(out, index, full, base_key)[1] is not None:
        return None
    return _whole_load(out, cache, index)


def start_files(out: Path, cache: Path, index: BuildIndex, *, full: bool = False) -> _FileWriter:
    """Start writing the graph files of ``index``'s new manifest (see ``_FileWriter``): before extracting,
    the copies from the files in place run while the documents are extracted. For ``publish``, which
    finishes them, or to ``abandon``."""
    _recover_files(out)
    base, _ = _base(cache)
    last = None if full else LastFiles(index.sized_entries, index.sized_last_entries, _layout_in_place(out, index), {})
    writer = _FileWriter(out, cache / "docs", index.entries, base, last)
    try:
        if last is not None:
            index.note_chunk_bytes((key, *sizes) for key, sizes in sorted(last.measured.items()))
    except BaseException:
        writer.abandon()  # its copies would wait for ever
        raise
    return writer


def publish(out: Path, cache: Path, index: BuildIndex, *, files: bool = True, full: bool = False,
            load: WholeLoad | None = None, removals: Removals | None = None,
            writer: _FileWriter | None = None) -> tuple[int, str, str, dict[str, list[int]] | None]:
    """Write the store (and with ``files``, the graph files) of the documents of ``index``'s new manifest.

    ``load`` is a whole load started by ``start_whole_load`` and fed every document; without it, the
    store in place is edited, or loaded whole now, whichever costs less. Old graph files are removed by
    ``removals`` in the background (waited for here if not given). Returns the number of quads, how the
    store was made ("unchanged", "edited": a copy with the changed documents reloaded, or "loaded" whole),
    ``writer`` the graph files started by ``start_files`` (the caller abandons it if this does not get to
    finish it), the key of the base graphs and the record of the graph files written (None: none written), for the
    caller to record with the new manifest (``BuildIndex.finish``): the files' layout is that manifest's,
    so a build killed before it is finished must not leave it recorded.
    """
    if removals is None:
        with Removals() as removals:
            return publish(out, cache, index, files=files, full=full, load=load, removals=removals, writer=writer)
    from graphkit.store import embedded

    docs_dir = cache / "docs"
    _recover_files(out)
    base, base_key = _base(cache)
    _, doc_quads = index.summary()
    changed: list[str] | None = None
    if load is None:
        held, changed = _edit_plan(out, index, full, base_key)
        if held is not None and changed == []:  # the store in place is this build's already
            if not files:
                _remove_files(out, removals)
            elif not all((out / name).is_file() for name in GRAPH_FILES):
                _files_of_store_in_place(out, docs_dir, index, index.entries, base)
            return held[1], "unchanged", base_key, None
        if changed is None:
            load = _whole_load(out, cache, index)
    record: dict[str, list[int]] | None = None
    new = load.path if load is not None else embedded.stage_store(out, copy_live=True)
    try:
        if files:  # the copies from the files in place run beside the store's work (see ``_FileWriter``)
            if writer is None:
                writer = start_files(out, cache, index, full=full)
            writer.resolve({doc_id: _key_of(index, doc_id) for doc_id in writer.pending})
        if load is not None:
            store = load.finish()
            _relink(store, None)
        else:
            assert changed is not None
            store = ox.Store(str(new))
            _relink(store, _redo_changed(store, docs_dir, index, changed))
        links = _links(store)
        store.flush()
        if load is not None:
            store.optimize()
        del store
        staged = writer.finish(links) if writer is not None else {}
        index.forget_held()
        embedded.swap_in(out, new, removals)
        if files:  # after the store: a build that fails before leaves the previous files with their store
            _move_in(out, staged, removals)
            record = _files_record(out, base, links)
        else:
            _remove_files(out, removals)
        quads = base.quads + links.quads + doc_quads
    finally:
        if load is not None:
            load.abandon()  # only stops a load that ``finish`` did not reach
        if writer is not None:
            writer.abandon()  # only removes what ``_move_in`` did not take
        shutil.rmtree(new, ignore_errors=True)
    return quads, "loaded" if load is not None else "edited", base_key, record


def export_files(out: Path) -> dict[str, Path]:
    """Write ``graph.trig`` and ``graph.ttl`` of the graph built in ``out`` (by ``graphkit build --no-files``).

    They are made from the cached chunks of the last finished build and the links in its store, as a
    build would write them.
    """
    from graphkit.errors import GraphkitError
    from graphkit.store import embedded

    cache = out / "cache"
    if not (cache / "index.sqlite").is_file() or not embedded.store_path(out).exists():
        raise GraphkitError(f"{out}: no built graph here; run graphkit build first")
    with build_lock(cache, out), BuildIndex(cache) as index:
        _recover_files(out)
        base, base_key = _base(cache)
        held = index.held_base()
        if held is None or held[0] != base_key:
            raise GraphkitError(f"{out}: the store does not match the last build's record; run graphkit build again")
        _files_of_store_in_place(out, cache / "docs", index, index.last_entries, base)
    return {"trig": out / "graph.trig", "turtle": out / "graph.ttl"}
