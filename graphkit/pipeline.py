"""Wire the stages for the CLI and notebooks alike: sources -> documents -> facts -> RDF -> store.

Builds are incremental. Each document's named graph is cached as TriG and Turtle chunks under
``DIR/cache/docs/`` by a key of its id, its bytes' hash and the extractor's version: a build re-extracts
only documents that are new or changed (or all of them when the extractor changed), reuses the rest, and
drops the graphs of documents that are gone from the sources. ``graphkit.publish`` then streams the
chunks into ``graph.trig``, ``graph.ttl`` and the embedded store, staged and moved into place together.
What the build knows of each document (its file, its key, what the store holds) is kept in an on-disk
index (``graphkit.build_index``), so a build killed at any point leaves the previous outputs usable, the
next build completes, and no step holds more than one document, or a list of all of them, at a time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import EXTRACTOR_NAME, EXTRACTOR_VERSION
from graphkit.batching import groups, map_in_processes
from graphkit.build_index import INDEX_FILE, BuildIndex, Entry, build_lock
from graphkit.documents.model import content_hash
from graphkit.documents.readers import Source, id_clash, iter_source_paths, read_bytes, read_source
from graphkit.errors import ReadError
from graphkit.rdf.namespaces import short_hash

if TYPE_CHECKING:
    from graphkit.store.files import Removals
    from graphkit.warm_worker import WarmWorker

__all__ = ["BuildReport", "build", "extract_to_nquads", "DEFAULT_SOURCES", "DEFAULT_OUT"]

DEFAULT_SOURCES = ("seeds",)
DEFAULT_OUT = "out"
CACHE_DIR = "cache"


@dataclass
class BuildReport:
    """What a build did: counts a user can check, and where the outputs are."""

    out_dir: Path
    extracted: int = 0
    reused: int = 0
    removed: int = 0
    errors: list[ReadError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    quads: int = 0
    #: How the store was made: "unchanged", "edited" (a copy of the previous one with only the changed
    #: documents reloaded) or "loaded" (whole).
    store_update: str = "loaded"
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@cache
def extractor_fingerprint() -> str:
    """The extractor's version and the content of the code and every lexicon and gazetteer file it reads.

    Editing a cue file or the extraction code changes what extraction finds, so it must re-extract as a
    new version would; a cached graph is only ever reused for exactly the extractor that made it.
    """
    from graphkit.resources import ontology_dir

    digest = hashlib.sha256(f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}".encode())
    root = ontology_dir()
    package = Path(__file__).resolve().parent
    files = [*root.glob("lexicon/*"), *root.glob("gazetteer/*"), *root.glob("*.ttl")]
    files += [p for sub in ("documents", "extract", "rdf") for p in (package / sub).glob("*.py")]
    for path in sorted(files):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(doc_id: str, digest: str) -> str:
    return short_hash(doc_id, digest, extractor_fingerprint())


def extract_to_nquads(source: Source, data: bytes) -> str:
    """Read, extract and build one document: its named graph as sorted N-Quads text."""
    from graphkit.extract import extract_document
    from graphkit.rdf.build import document_nquads

    doc = read_source(source, data)
    return document_nquads(doc, extract_document(doc))


#: What ``_work`` gives back: (doc id, source, key, quads, what the manifest keeps to know the file again,
#: the sizes of the TriG and Turtle chunks, error).
_Result = tuple[str, str, str, int, dict[str, object], tuple[int, int], str | None]


def _work(item: tuple[str, str, str]) -> _Result:
    """Extract one document into its cached chunks (in a worker process when ``--jobs`` > 1).

    The worker reads the file itself, so the parent never holds the corpus's bytes; a file changed since
    the parent hashed it gets the key of what was read now. ``item`` is (doc id, source path, cache
    folder); see ``_Result`` for what it returns.
    """
    from graphkit.publish import chunk_paths
    from graphkit.store.chunks import serialise_chunks
    from graphkit.store.files import write_atomic

    doc_id, source, docs_dir = item
    path = Path(source)
    try:
        stat = os.stat(path)
        data = read_bytes(path)
        digest = content_hash(data)
        key = _key(doc_id, digest)
        chunks = serialise_chunks(extract_to_nquads(Source(path, doc_id), data))
        trig, turtle = chunk_paths(Path(docs_dir), key)
        # No fsync: a cache file is only ever a copy of what the extractor makes again; the rename keeps
        # a killed build from leaving half a file under a real name.
        write_atomic(trig, chunks.trig, sync=False)
        write_atomic(turtle, chunks.turtle, sync=False)
        stamp = {"hash": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        return doc_id, source, key, chunks.quads, stamp, (len(chunks.trig), len(chunks.turtle)), None
    except ReadError as exc:
        return doc_id, source, "", 0, {}, (0, 0), exc.reason
    except OSError as exc:
        return doc_id, source, "", 0, {}, (0, 0), exc.strerror or str(exc)
    except Exception as exc:  # one bad document must not stop the batch
        return doc_id, source, "", 0, {}, (0, 0), f"extraction failed ({type(exc).__name__}: {exc})"


def _work_many(items: list[tuple[str, str, str]]) -> list[_Result]:
    return [_work(item) for item in items]


def _extract_all(items: Iterable[tuple[str, str, str]], jobs: int, total: int,
                 warm: WarmWorker[tuple[str, str, str], _Result] | None = None) -> Iterator[_Result]:
    """``_work`` over ``items`` in order: in the ``warm`` worker if given (see ``graphkit.warm_worker``;
    what it does not finish is done here), else in ``jobs`` processes, in groups read as they need them."""
    if warm is not None:
        from graphkit.warm_worker import WorkerLost

        pending = list(items)  # a few documents: ``_build`` hands the warm worker no more
        try:
            yield from warm.map(pending)
            return
        except WorkerLost as lost:
            items = pending[lost.done:]
        finally:
            warm.stop()
    if jobs <= 1 or total <= 1:
        yield from map(_work, items)
        return
    size = max(1, min(32, total // (jobs * 4)))
    for results in map_in_processes(_work_many, groups(items, size), jobs):
        yield from results


#: A small article the warm worker extracts to have every pattern compiled and table loaded; ``{council}``
#: is the first council of the gazetteer, for the findings about a council to be looked for.
_WARM_UP_TEXT = (
    "{council} children's services judged inadequate by Ofsted\n\n"
    "Ofsted inspectors judged {council}'s children's services inadequate on 3 March 2024; they had been "
    "rated good in 2019. Caseloads were high and staff turnover left children waiting, said Jane Smith, the "
    "director of children's services at {council}. Leaders have a good understanding of practice.\n"
)


def _warm_up() -> None:
    """Extract ``_WARM_UP_TEXT`` as a build would (into no file), for what it loads and compiles on the way."""
    from graphkit.extract.gazetteer import load_gazetteer
    from graphkit.publish import chunk_paths  # noqa: F401 - imported by ``_work``
    from graphkit.store.chunks import serialise_chunks
    from graphkit.store.files import write_atomic  # noqa: F401 - imported by ``_work``

    text = _WARM_UP_TEXT.format(council=next(iter(load_gazetteer())).name)
    serialise_chunks(extract_to_nquads(Source(Path("warm-up.txt"), "warm-up"), text.encode()))


def build(
    sources: Sequence[str | Path] = DEFAULT_SOURCES,
    out_dir: str | Path = DEFAULT_OUT,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    views: bool = True,
    files: bool = True,
    full: bool = False,
) -> BuildReport:
    """Build the graph of ``sources`` into ``out_dir``; see the module docstring for what is written.

    ``files`` writes ``graph.trig`` and ``graph.ttl``; without them, a rebuild costs what changed rather
    than a copy of the whole graph, and ``graphkit export`` writes them when wanted. ``full`` rereads and
    rehashes every source (rather than trust an unchanged size and modification time) and loads the store
    whole; cached extractions whose key still matches are reused.
    """
    out = Path(out_dir)
    cache = out / CACHE_DIR
    docs_dir = cache / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    from graphkit.warm_worker import WarmWorker

    # A rebuild warms an extractor up in another process while it looks for what changed (see
    # ``graphkit.warm_worker``): forked before the lock and the index are opened, so it holds neither.
    warm = None if full or not (cache / INDEX_FILE).is_file() else WarmWorker.start(_work, _warm_up)
    try:
        report = _locked_build(sources, out, cache, warm, jobs=jobs, progress=progress, views=views, files=files,
                               full=full)
    finally:
        if warm is not None:
            warm.stop()
    return report


def _locked_build(sources: Sequence[str | Path], out: Path, cache: Path,
                  warm: WarmWorker[tuple[str, str, str], _Result] | None, *, jobs: int,
                  progress: Callable[[int, int], None] | None, views: bool, files: bool, full: bool) -> BuildReport:
    from graphkit.store.files import Removals

    with build_lock(cache, out):
        for older in ("manifest.json", "store.json"):  # the bookkeeping of earlier versions, now in the index
            (cache / older).unlink(missing_ok=True)
        with BuildIndex(cache) as index:
            # Old graph files are removed in the background, until the build is done (see ``Removals``).
            with Removals() as removals:
                report = _build(sources, out, index, removals, warm, jobs=jobs, progress=progress, files=files,
                                full=full)
                if views:
                    _write_views(out, report, index, jobs)
            index.record_chunks_folder(_folder_stamp(cache / "docs"))  # as left: see the end of ``_scan``
    return report


def _scan(sources: Sequence[str | Path], docs_dir: str, index: BuildIndex, report: BuildReport, full: bool) -> bool:
    """Enter every source in the new manifest: reused as it was (its key set) or still to extract.

    Three steps, each holding a page of sources at most. The walk records every source with its size and
    modification time. Documents whose file looks as it did (``Entry.looks_unchanged``) are then entered
    as last built in one SQL statement, and the few others (new, changed, or all of them with ``full``
    or a new extractor) are hashed and looked up here. Last, every key entered is checked to have its
    cached chunks. Returns whether an entry of the last build was kept for a file that could not be read.
    """
    seq = 0
    for page in groups(iter_source_paths(sources, report.errors), 500):
        walked: list[tuple[int, str, str, int | None, int | None]] = []
        for doc_id, source in page:
            seq += 1
            try:
                stat = os.stat(source)
                walked.append((seq, doc_id, source, stat.st_size, stat.st_mtime_ns))
            except OSError:  # reported below, if this file is the one that has the id
                walked.append((seq, doc_id, source, None, None))
        index.add_walked(walked)
    for doc_id, first, source in index.clashes():
        clash = id_clash(doc_id, Path(first), Path(source))
        if clash is not None:
            report.errors.append(clash)
    report.reused += 0 if full else index.reuse_unchanged(extractor_fingerprint())
    kept_old = False
    for page in index.walked_rest():
        olds = index.last([doc_id for _, doc_id, _ in page])
        rows: list[tuple[int, Entry]] = []
        for seq, doc_id, source in page:
            old = olds.get(doc_id)
            try:
                stat = os.stat(source)
                if not full and old is not None and old.looks_unchanged(source, stat):
                    digest = str(old.hash)  # same path, size and modification time as last time: trust its hash
                else:
                    digest = content_hash(read_bytes(Path(source)))
            except (ReadError, OSError) as exc:
                report.errors.append(exc if isinstance(exc, ReadError) else ReadError(Path(source), str(exc)))
                if old is not None:  # keep what was built before rather than lose it
                    rows.append((seq, old))
                    kept_old = True
                continue
            key = _key(doc_id, digest)
            if old is not None and old.key == key:
                rows.append((seq, Entry(doc_id, key, old.quads, source, digest, stat.st_size, stat.st_mtime_ns)))
                report.reused += 1
            else:  # to extract: no key yet
                rows.append((seq, Entry(doc_id, None, 0, source, None, None, None)))
        index.add(rows)
    # A chunk deleted by hand: extract that document again. A worker writes the Turtle chunk after the TriG
    # one and the index learns of both after that, so one look is enough (on a plain string: every document).
    # Not looked for when the folder is as the last build left it (a folder's modification time changes
    # with every name added or removed): 10k looks took a tenth of a one-document rebuild.
    from graphkit.publish import CHUNK_SUFFIXES

    if index.chunks_folder_seen() == _folder_stamp(docs_dir):
        return kept_old
    for page in index.keyed():
        gone = [doc_id for doc_id, key, _ in page if not os.path.exists(f"{docs_dir}/{key}{CHUNK_SUFFIXES[1]}")]
        index.unkey(gone)
        report.reused -= len(gone)
    return kept_old


def _folder_stamp(folder: str | Path) -> str:
    """A folder's modification time, which changes whenever a name in it is added, removed or renamed."""
    try:
        return str(os.stat(folder).st_mtime_ns)
    except OSError:
        return ""


def _build(sources: Sequence[str | Path], out: Path, index: BuildIndex, removals: Removals,
           warm: WarmWorker[tuple[str, str, str], _Result] | None, *, jobs: int,
           progress: Callable[[int, int], None] | None, files: bool, full: bool) -> BuildReport:
    from graphkit.analyse.rows import rows_folders
    from graphkit.publish import chunk_paths, publish, start_files, start_whole_load

    docs_dir = out / CACHE_DIR / "docs"
    report = BuildReport(out)
    kept_old = _scan(sources, str(docs_dir), index, report, full)
    total = index.count_unkeyed()
    # A store to be loaded whole is loaded while the documents are extracted (see ``WholeLoad``).
    load = start_whole_load(out, out / CACHE_DIR, index, full=full)
    if warm is not None and not (total and load is None and (jobs <= 1 or total <= 1)):
        warm.stop()  # nothing to extract, or enough for the --jobs workers or a whole load to be wanted
        warm = None
    writer = None
    try:
        if files and total and load is None:  # the graph files are copied from those in place meanwhile
            writer = start_files(out, out / CACHE_DIR, index, full=full)
        items = ((doc_id, source, str(docs_dir)) for doc_id, source in index.unkeyed())
        extracted = _extract_all(items, jobs, total, warm)
        for done, (doc_id, source, key, quads, stamp, chunk_bytes, error) in enumerate(extracted, 1):
            if progress:
                progress(done, total)
            if error is not None:
                report.errors.append(ReadError(Path(source), error))
                old = index.last([doc_id]).get(doc_id)
                kept_old |= _keep_or_drop(index, doc_id, old)
                if load is not None and old is not None and old.key is not None:
                    load.add(chunk_paths(docs_dir, old.key)[0], old.quads)
                continue
            index.put(Entry(doc_id, key, quads, source, **stamp))  # type: ignore[arg-type]
            index.note_chunk_bytes([(key, *chunk_bytes)])
            if load is not None:
                load.add(chunk_paths(docs_dir, key)[0], quads)
            report.extracted += 1

        report.removed = index.removed()
        report.documents, _ = index.summary()
        stale = index.stale_keys()
        report.quads, report.store_update, base_key, files_record = publish(
            out, out / CACHE_DIR, index, files=files, full=full, load=load, removals=removals, writer=writer)
    finally:
        if load is not None:
            load.abandon()  # a build stopped before ``publish`` finished the load leaves no staged store
        if writer is not None:
            writer.abandon()  # nor staged graph files
    fingerprint = extractor_fingerprint()
    index.finish(base_key, report.quads, fingerprint if not kept_old or index.keys_by() == fingerprint else "",
                 files=files_record, stale=stale)
    report.outputs = {"trig": out / "graph.trig", "turtle": out / "graph.ttl"} if files else {}
    report.outputs["store"] = out / "store"
    rows_dirs = rows_folders(out / CACHE_DIR)  # the views' cached rows of each document
    for key in stale:  # in the background: they would wait for the old graph files' removal (see ``Removals``)
        for path in (*chunk_paths(docs_dir, key), *(folder / f"{key}.json" for folder in rows_dirs)):
            removals.remove(path)
    if report.store_update == "loaded":  # a whole load is the time to sweep files a killed build left
        for folder in (docs_dir, *rows_dirs):
            for found in os.scandir(folder):
                if not index.knows_key(found.name.partition(".")[0]):
                    Path(found.path).unlink(missing_ok=True)
        index.forget_unknown_chunk_bytes()
    return report


def _keep_or_drop(index: BuildIndex, doc_id: str, old: Entry | None) -> bool:
    """A document that could not be read now keeps what was built of it before, if anything (then True)."""
    if old is not None:
        index.put(old)
        return True
    index.drop(doc_id)
    return False


def _write_views(out: Path, report: BuildReport, index: BuildIndex, jobs: int) -> None:
    """Write the HTML views from the rows of the documents the store now holds, a batch at a time."""
    from graphkit.analyse.built import rows_of_build
    from graphkit.viz import BUILD_VIEWS, write_build_views

    if report.store_update == "unchanged" and all((out / rel).is_file() for rel in BUILD_VIEWS.values()):
        report.outputs.update({name: out / rel for name, rel in BUILD_VIEWS.items()})
        return  # the views in place show this very graph
    cache = out / CACHE_DIR
    try:
        batches = rows_of_build(cache, index.last_entries(), jobs=jobs, documents=report.documents)
        report.outputs.update(write_build_views(out, batches, spill_dir=cache))
    except Exception as exc:  # the graph is built; a view that fails must not hide that
        report.warnings.append(f"{out}: the HTML views could not be written ({type(exc).__name__}: {exc})")
