"""Wire the stages for the CLI and notebooks alike: sources -> documents -> facts -> RDF -> store.

Builds are incremental. Each document's named graph is cached as TriG and Turtle chunks under
``DIR/cache/docs/`` by a key of its id, its bytes' hash and the extractor's version: a build re-extracts
only documents that are new or changed (or all of them when the extractor changed), reuses the rest, and
drops the graphs of documents that are gone from the sources. ``graphkit.publish`` then streams the
chunks into ``graph.trig``, ``graph.ttl`` and the embedded store, staged and moved into place together,
and the manifest is written last, so a build killed at any point leaves the previous outputs usable and
the next build completes. Neither step holds more than one document at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from graphkit import EXTRACTOR_NAME, EXTRACTOR_VERSION
from graphkit.documents.model import content_hash
from graphkit.documents.readers import Source, discover, read_bytes, read_source
from graphkit.errors import ReadError
from graphkit.rdf.namespaces import short_hash

__all__ = ["BuildReport", "build", "extract_to_nquads", "DEFAULT_SOURCES", "DEFAULT_OUT"]

DEFAULT_SOURCES = ("seeds",)
DEFAULT_OUT = "out"
CACHE_DIR = "cache"
MANIFEST = "manifest.json"


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


def _work(item: tuple[Source, str]) -> tuple[str, str, int, dict[str, object], str | None]:
    """Extract one document into its cached chunks (in a worker process when ``--jobs`` > 1).

    The worker reads the file itself, so the parent never holds the corpus's bytes; a file changed since
    the parent hashed it gets the key of what was read now. Returns (doc id, key, quads, what the
    manifest keeps to know the file again, error).
    """
    from graphkit.publish import chunk_paths
    from graphkit.store.chunks import serialise_chunks
    from graphkit.store.files import write_atomic

    source, docs_dir = item
    try:
        stat = os.stat(source.path)
        data = read_bytes(source.path)
        digest = content_hash(data)
        key = _key(source.doc_id, digest)
        chunks = serialise_chunks(extract_to_nquads(source, data))
        trig, turtle = chunk_paths(Path(docs_dir), key)
        # No fsync: a cache file is only ever a copy of what the extractor makes again; the rename keeps
        # a killed build from leaving half a file under a real name.
        write_atomic(trig, chunks.trig, sync=False)
        write_atomic(turtle, chunks.turtle, sync=False)
        stamp = {"hash": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        return source.doc_id, key, chunks.quads, stamp, None
    except ReadError as exc:
        return source.doc_id, "", 0, {}, exc.reason
    except OSError as exc:
        return source.doc_id, "", 0, {}, exc.strerror or str(exc)
    except Exception as exc:  # one bad document must not stop the batch
        return source.doc_id, "", 0, {}, f"extraction failed ({type(exc).__name__}: {exc})"


def _unchanged(old: dict, src: Source, stat: os.stat_result) -> bool:
    """Whether a source looks as it did when last built: same path, size and modification time.

    As ``make`` and ``git`` do, a build trusts these rather than read and hash every file again, which
    at 10k documents costs more than the rest of a one-document rebuild. A file rewritten within the same
    nanosecond at the same size would be missed; ``--full`` rereads everything.
    """
    return (bool(old.get("hash")) and old.get("source") == src.path.as_posix()
            and old.get("size") == stat.st_size and old.get("mtime_ns") == stat.st_mtime_ns)


def _load_manifest(cache: Path) -> dict[str, dict[str, str]]:
    try:
        return json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(
    sources: Sequence[str | Path] = DEFAULT_SOURCES,
    out_dir: str | Path = DEFAULT_OUT,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    views: bool = True,
    full: bool = False,
) -> BuildReport:
    """Build the graph of ``sources`` into ``out_dir``; see the module docstring for what is written.

    ``full`` rereads and rehashes every source (rather than trust an unchanged size and modification
    time) and loads the store whole; cached extractions whose key still matches are reused.
    """
    from graphkit.publish import chunk_paths, publish
    from graphkit.store.files import atomic_writer

    out = Path(out_dir)
    cache = out / CACHE_DIR
    docs_dir = cache / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out)
    found, errors = discover(sources)
    report.errors.extend(errors)
    old_manifest = _load_manifest(cache)
    manifest: dict[str, dict[str, object]] = {}
    todo: list[Source] = []
    cached = {entry.name for entry in os.scandir(docs_dir)}
    for src in found:
        old = old_manifest.get(src.doc_id, {})
        try:
            stat = os.stat(src.path)
            if not full and _unchanged(old, src, stat):  # same path, size and mtime as last time: trust its hash
                digest = str(old["hash"])
            else:
                data = read_bytes(src.path)
                digest = content_hash(data)
                del data
        except (ReadError, OSError) as exc:
            report.errors.append(exc if isinstance(exc, ReadError) else ReadError(src.path, str(exc)))
            if old:  # keep what was built before rather than lose it
                manifest[src.doc_id] = old
            continue
        key = _key(src.doc_id, digest)
        if old.get("key") == key and "quads" in old and {c.name for c in chunk_paths(docs_dir, key)} <= cached:
            manifest[src.doc_id] = dict(old, source=src.path.as_posix(), hash=digest, size=stat.st_size,
                                        mtime_ns=stat.st_mtime_ns)
            report.reused += 1
        else:
            todo.append(src)

    total = len(todo)
    done = 0
    by_id = {s.doc_id: s for s in todo}
    items = [(s, str(docs_dir)) for s in todo]
    results: Iterable[tuple[str, str, int, dict[str, object], str | None]]
    if jobs > 1 and total > 1:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_work, items, chunksize=max(1, min(32, total // (jobs * 4) or 1)))
    else:
        pool = None
        results = map(_work, items)
    try:
        for doc_id, key, quads, stamp, error in results:
            src = by_id[doc_id]
            done += 1
            if progress:
                progress(done, total)
            if error is not None:
                report.errors.append(ReadError(src.path, error))
                if doc_id in old_manifest:  # keep what was built before rather than lose it
                    manifest[doc_id] = old_manifest[doc_id]
                continue
            manifest[doc_id] = {"key": key, "quads": quads, "source": src.path.as_posix(), **stamp}
            report.extracted += 1
    finally:
        if pool is not None:
            pool.shutdown()

    report.removed = sum(1 for d in old_manifest if d not in manifest)
    report.documents = len(manifest)
    report.quads, report.store_update = publish(out, cache, manifest, full=full)
    report.outputs = {"trig": out / "graph.trig", "turtle": out / "graph.ttl", "store": out / "store"}
    with atomic_writer(cache / MANIFEST, "w") as f:
        json.dump(dict(sorted(manifest.items())), f, sort_keys=True, separators=(",", ":"))
    keep = {c.name for m in manifest.values() for c in chunk_paths(docs_dir, str(m["key"]))}
    for stale in os.scandir(docs_dir):
        if stale.name not in keep:
            Path(stale.path).unlink(missing_ok=True)
    if views:
        from graphkit.store.embedded import open_store
        from graphkit.viz import BUILD_VIEWS, write_build_views

        if report.store_update == "unchanged" and all((out / rel).is_file() for rel in BUILD_VIEWS.values()):
            report.outputs.update({name: out / rel for name, rel in BUILD_VIEWS.items()})
            return report  # the views in place show this very graph

        try:
            report.outputs.update(write_build_views(out, open_store(out)))
        except Exception as exc:  # the graph is built; a view that fails must not hide that
            report.warnings.append(f"{out}: the HTML views could not be written ({type(exc).__name__}: {exc})")
    return report
