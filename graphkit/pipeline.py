"""Wire the stages for the CLI and notebooks alike: sources -> documents -> facts -> RDF -> store.

Builds are incremental. Each document's named graph is cached as N-Quads under ``DIR/cache/`` by a key of
its id, its bytes' hash and the extractor's version: a build re-extracts only documents that are new or
changed (or all of them when the extractor changed), reuses the rest, and drops the graphs of documents
that are gone from the sources. Outputs are then written whole and atomically: ``graph.trig``,
``graph.ttl`` and the embedded store, and the manifest last, so a build killed at any point leaves the
previous outputs usable and the next build completes.
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
from graphkit.errors import GraphkitError, ReadError
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


def _work(item: tuple[Source, bytes]) -> tuple[str, str | None, str | None]:
    source, data = item
    try:
        return source.doc_id, extract_to_nquads(source, data), None
    except ReadError as exc:
        return source.doc_id, None, exc.reason
    except Exception as exc:  # one bad document must not stop the batch
        return source.doc_id, None, f"extraction failed ({type(exc).__name__}: {exc})"


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
) -> BuildReport:
    """Build the graph of ``sources`` into ``out_dir``; see the module docstring for what is written."""
    from graphkit.store.files import atomic_writer, write_atomic

    out = Path(out_dir)
    cache = out / CACHE_DIR
    (cache / "docs").mkdir(parents=True, exist_ok=True)
    report = BuildReport(out)
    found, errors = discover(sources)
    report.errors.extend(errors)
    old_manifest = _load_manifest(cache)
    manifest: dict[str, dict[str, str]] = {}
    todo: list[tuple[Source, bytes, str]] = []
    for src in found:
        try:
            data = read_bytes(src.path)
        except ReadError as exc:
            report.errors.append(exc)
            if src.doc_id in old_manifest:  # keep what was built before rather than lose it
                manifest[src.doc_id] = old_manifest[src.doc_id]
            continue
        key = _key(src.doc_id, content_hash(data))
        if (cache / "docs" / f"{key}.nq").is_file():
            manifest[src.doc_id] = {"key": key, "source": src.path.as_posix()}
            report.reused += 1
        else:
            todo.append((src, data, key))

    total = len(todo)
    done = 0
    items = [(s, d) for s, d, _ in todo]
    keys = {s.doc_id: (k, s) for s, _, k in todo}
    results: Iterable[tuple[str, str | None, str | None]]
    if jobs > 1 and total > 1:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_work, items, chunksize=max(1, min(32, total // (jobs * 4) or 1)))
    else:
        pool = None
        results = map(_work, items)
    try:
        for doc_id, text, error in results:
            key, src = keys[doc_id]
            done += 1
            if progress:
                progress(done, total)
            if error is not None:
                report.errors.append(ReadError(src.path, error))
                if doc_id in old_manifest:  # keep what was built before rather than lose it
                    manifest[doc_id] = old_manifest[doc_id]
                continue
            write_atomic(cache / "docs" / f"{key}.nq", text or "")
            manifest[doc_id] = {"key": key, "source": src.path.as_posix()}
            report.extracted += 1
    finally:
        if pool is not None:
            pool.shutdown()

    report.removed = sum(1 for d in old_manifest if d not in manifest)
    report.documents = len(manifest)
    report.quads = _publish(out, cache, manifest, report, views)
    with atomic_writer(cache / MANIFEST, "w") as f:
        json.dump(dict(sorted(manifest.items())), f, indent=1, sort_keys=True)
    keep = {f"{m['key']}.nq" for m in manifest.values()}
    for stale in (cache / "docs").glob("*.nq"):
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
    return report


def _publish(out: Path, cache: Path, manifest: dict[str, dict[str, str]], report: BuildReport,
             views: bool) -> int:
    """Assemble every graph in a stable order and write TriG, Turtle, the store and the views."""
    import pyoxigraph as ox

    from graphkit.query.facts import select_rows
    from graphkit.rdf.build import councils_quads, nquads
    from graphkit.rdf.links import link_quads
    from graphkit.rdf.vocabulary import vocabulary_quads
    from graphkit.store import embedded
    from graphkit.store.files import parse_nquads, write_trig, write_turtle

    chunks = [nquads(vocabulary_quads()), nquads(councils_quads())]
    for doc_id in sorted(manifest):
        path = cache / "docs" / f"{manifest[doc_id]['key']}.nq"
        try:
            chunks.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GraphkitError(f"{path}: cached graph of {doc_id} could not be read: {exc}") from None
    quads = parse_nquads("".join(chunks))
    del chunks
    # Joins run 5-10x faster in memory than on disk: links across documents and the views use this copy.
    mem = ox.Store()
    mem.bulk_extend(quads)
    links = parse_nquads(nquads(link_quads(lambda sparql: select_rows(mem, sparql))))
    mem.bulk_extend(links)
    quads.extend(links)
    # Files go to temporary names first and into place only once the store is in place too, so a failed
    # or killed build leaves the previous outputs together.
    staged = {name: out / f".{name}.new" for name in ("graph.trig", "graph.ttl")}
    try:
        write_trig(staged["graph.trig"], quads)
        write_turtle(staged["graph.ttl"], quads)
        embedded.replace_store(out, quads)
        for name, path in staged.items():
            os.replace(path, out / name)
    finally:
        for path in staged.values():
            path.unlink(missing_ok=True)
    report.outputs = {"trig": out / "graph.trig", "turtle": out / "graph.ttl", "store": out / "store"}
    if views:
        from graphkit.viz import write_build_views

        try:
            report.outputs.update(write_build_views(out, mem))
        except Exception as exc:  # the graph is built; a view that fails must not hide that
            report.warnings.append(f"{out}: the HTML views could not be written ({type(exc).__name__}: {exc})")
    return len(quads)
