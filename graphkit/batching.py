"""Work in batches, and in worker processes with a bounded number of batches in flight.

``ProcessPoolExecutor.map`` takes its whole input at once; a build's documents are read from the index
as the workers need them instead, so memory does not grow with the number of documents.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["groups", "map_in_processes"]

T = TypeVar("T")
R = TypeVar("R")


def groups(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read as they are needed.

    >>> list(groups(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    group: list[T] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def map_in_processes(fn: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """``fn`` over ``items``, in order, in ``jobs`` processes (in this one when ``jobs`` is 1).

    At most ``4 * jobs`` items are submitted and not yet handed back, whatever the length of ``items``.
    """
    if jobs <= 1:
        yield from map(fn, items)
        return
    pool = ProcessPoolExecutor(max_workers=jobs)
    in_flight: deque[Future[R]] = deque()
    try:
        for item in items:
            in_flight.append(pool.submit(fn, item))
            while len(in_flight) > jobs * 4:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        pool.shutdown(cancel_futures=True)
