"""Files of a built graph, written atomically: a reader sees the old file or the new one, never half.

``graph.trig`` holds every named graph; ``graph.ttl`` their union. Both are written by Oxigraph's
serialisers (rdflib's Turtle writer is ~250x slower at this size) from quads given in a stable order, so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from graphkit.rdf.namespaces import PREFIXES

__all__ = ["atomic_writer", "write_atomic", "write_trig", "write_turtle", "parse_nquads", "Removals"]


@contextmanager
def atomic_writer(path: Path, mode: str = "wb", *, sync: bool = True):
    """Write to a temporary file beside ``path`` and move it into place only when the block succeeds.

    ``sync`` flushes the data to disk before the rename, so even a power cut leaves the old file or the
    new one; caches that can be made again skip it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are as readable as any new file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, *, sync: bool = True) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path, sync=sync) as f:
        f.write(payload)


class Removals:
    """Files (or folders) removed by a background thread while the caller goes on; leaving the block waits
    for them.

    Removing a 150 MB file already on disk takes a tenth of a second here (ext4 frees its blocks and, on a
    disk mounted with ``discard``, trims them), a fifth of a one-document rebuild for the two graph files,
    and small files removed meanwhile wait their turn. Overlapped with writing the next file and finishing
    the build, it costs next to nothing. One thread removes them in order (ext4 takes them one at a time
    anyway). A file that cannot be removed is left, for whoever made it to sweep up later (see
    ``publish._recover_files``).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Path | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def remove(self, path: Path) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="graphkit-removals", daemon=True)
            self._thread.start()
        self._queue.put(path)

    def _run(self) -> None:
        while (path := self._queue.get()) is not None:
            _remove_quietly(path)

    def join(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Removals:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.join()


def _remove_quietly(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def parse_nquads(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def _serialise(path: Path, items: Iterable, fmt: ox.RdfFormat) -> None:
    with atomic_writer(path) as f:
        ox.serialize(items, f, format=fmt, prefixes=PREFIXES)


def write_trig(path: Path, quads: Iterable[ox.Quad]) -> None:
    """All named graphs, in the order given (callers give them sorted)."""
    _serialise(path, quads, ox.RdfFormat.TRIG)


def write_turtle(path: Path, quads: Iterable[ox.Quad]) -> None:
    """The union of all graphs as Turtle: each triple once, sorted."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    _serialise(path, ordered, ox.RdfFormat.TURTLE)


