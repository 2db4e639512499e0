"""A store loaded whole from cached TriG chunks in a background thread, while a build still extracts.

Oxigraph's bulk loader runs on one core at about 60k quads a second here (parsing alone runs at 360k),
so a build that loaded its store only after extracting every document spent a third of its time
loading while the other cores waited. A bulk load of bytes runs without Python's lock, so a thread can
load the chunks of the documents extracted so far while the workers (and, with one job, the main thread)
go on extracting; the load then mostly ends with the extraction.

The thread reads the chunk files itself and loads them in batches of about ``LOAD_BATCH_QUADS`` quads:
Oxigraph's loader holds a batch in memory, so several small loads keep the peak flat whatever the corpus.
(Fed through a Python file object, the loader would need Python's lock for every read and crawl while
the main thread works: 21 s for what took 1.5 s from bytes.) The order in which documents arrive does not
matter: a store is a set of quads.
"""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from graphkit.store.chunks import header

__all__ = ["WholeLoad", "LOAD_BATCH_QUADS"]

#: Quads per bulk load. At 10k articles (3.4M quads) one load took 41 s and peaked at 1.6 GB; batches of
#: 1M, 250k and 100k quads took 53-58 s and peaked at 1.1 GB, 312 MB and 157 MB.
LOAD_BATCH_QUADS = 100_000


class WholeLoad:
    """A new store staged at ``path`` (see ``graphkit.store.embedded.stage_store``), filled by a thread.

    ``add`` hands over a document's TriG chunk; ``finish`` waits for the thread and gives the store, or
    raises what stopped the thread; ``abandon`` stops it and removes the staged folder. The queue holds
    chunk paths, not their bytes, so a load that falls behind costs a path per document waiting.
    """

    def __init__(self, path: Path, first: bytes = b"", first_quads: int = 0) -> None:
        self.path = path
        self.store: ox.Store | None = ox.Store(str(path))
        self._head = header("trig")
        self._queue: queue.SimpleQueue[tuple[Path | bytes, int] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="graphkit-store-load", daemon=True)
        if first:
            self._queue.put((first, first_quads))
        self._thread.start()

    def add(self, chunk: Path | bytes, quads: int) -> None:
        """Load a document's TriG chunk (a file, or its body as bytes) with its number of quads."""
        self._queue.put((chunk, quads))

    def _run(self) -> None:
        batch: list[bytes] = [self._head]
        size = 0
        try:
            while (item := self._queue.get()) is not None and not self._stop.is_set():
                chunk, quads = item
                batch.append(chunk.read_bytes() if isinstance(chunk, Path) else chunk)
                size += quads
                if size >= LOAD_BATCH_QUADS:
                    self._load(batch)
                    batch, size = [self._head], 0
            if len(batch) > 1 and not self._stop.is_set():
                self._load(batch)
        except BaseException as exc:  # handed to the caller by ``finish``
            self._error = exc

    def _load(self, batch: list[bytes]) -> None:
        assert self.store is not None
        self.store.bulk_load(b"".join(batch), format=ox.RdfFormat.TRIG)

    def finish(self) -> ox.Store:
        """Wait for every chunk handed over to be loaded; the store (this object lets go of it), or the
        error that stopped the load."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        store, self.store = self.store, None
        assert store is not None, "finish() called twice"
        return store

    def abandon(self) -> None:
        """Stop loading (after the batch in hand) and remove the staged store; safe to call again."""
        self._stop.set()
        self._queue.put(None)
        self._thread.join()
        self.store = None
        shutil.rmtree(self.path, ignore_errors=True)
