"""A worker process that gets the extractor ready while a build works out what to extract.

A fresh process spends about a quarter of a second importing the extraction modules and compiling their
patterns (cues, dates, names, page furniture) before its first document: most of what a one-document
rebuild spends extracting. A ``WarmWorker`` is forked as a rebuild starts and does that on another core
while the build walks its sources and checks them against its index (a fifth of a second at 10k files);
the build then hands it the few documents to extract, or stops it when there are none, or enough to
want the ``--jobs`` workers or the store loaded whole.

It is forked only where ``fork`` is available and the process runs no other thread (a fork copies other
threads' locks as they are, held or not). Elsewhere, and if the worker is lost, documents are extracted
in the build's own process, as before: the same function runs either way, so the output is the same.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

__all__ = ["WarmWorker", "WorkerLost"]

T = TypeVar("T")
R = TypeVar("R")

#: How often a build waiting for a result checks that the worker is still alive (seconds).
_POLL_S = 0.5


class WorkerLost(Exception):
    """The worker died or its pipe broke; ``done`` results had been handed back."""

    def __init__(self, done: int) -> None:
        super().__init__(f"the warm worker was lost after {done} results")
        self.done = done


def _single_threaded() -> bool:
    """Whether this process runs one thread, native ones included (Linux: ``/proc/self/task``)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False  # cannot tell: do not fork


class WarmWorker(Generic[T, R]):
    """One forked process that runs ``warm`` at once, then ``work`` over the items it is sent, in order."""

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self._process = process
        self._conn = conn

    @classmethod
    def start(cls, work: Callable[[T], R], warm: Callable[[], object]) -> WarmWorker[T, R] | None:
        """Fork the worker; None where it would not be safe or cannot be done."""
        if "fork" not in multiprocessing.get_all_start_methods() or not _single_threaded():
            return None
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, work, warm), name="graphkit-warm-worker", daemon=True)
        try:
            process.start()
        except OSError:
            return None
        theirs.close()
        return cls(process, mine)

    def map(self, items: Iterable[T]) -> Iterator[R]:
        """``work`` of each item, in order, one item in flight at a time; ``WorkerLost`` if the worker dies."""
        done = 0
        for item in items:
            try:
                self._conn.send(item)
                while not self._conn.poll(_POLL_S):
                    if not self._process.is_alive():
                        raise WorkerLost(done)
                result: R = self._conn.recv()
            except (EOFError, OSError):
                raise WorkerLost(done) from None
            done += 1
            yield result

    def stop(self) -> None:
        """End the worker, at once (it holds nothing that matters: its results are written atomically). Stopping
        it again does nothing."""
        if self._conn.closed:
            return
        self._conn.close()
        self._process.kill()
        self._process.join()


def _serve(conn: Connection, work: Callable[[T], R], warm: Callable[[], object]) -> None:
    """The worker: warm up, then answer each item with ``work``'s result until the pipe ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build; the build stops its worker
    try:
        warm()
    except Exception:  # noqa: BLE001 - a warm-up is only a head start; ``work`` reports any real problem
        pass
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(work(item))
