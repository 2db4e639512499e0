"""Span checks the extractors share, in n log n rather than pairwise.

Most sentences hold a handful of cue matches, but a text without full stops (a table dumped as one line,
a hostile page) is one sentence holding thousands: pairwise checks over it took a minute and a half for a
200 kB text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

__all__ = ["DisjointSpans", "inside_longer", "within"]


def inside_longer(spans: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans that lie within another, longer span of ``spans``.

    >>> sorted(inside_longer([(0, 10), (2, 5), (2, 5), (8, 12), (0, 10)]))
    [(2, 5)]
    """
    # By start, the longer first: a span lies within a longer one exactly when one before it in this
    # order reaches as far as it does.
    out = set()
    reach = -1
    for a, b in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if reach >= b:
            out.add((a, b))
        reach = max(reach, b)
    return out


def within(items: Sequence[tuple], starts: Sequence[int], start: int, end: int) -> list[tuple]:
    """The ``items`` ((start, end, ...) tuples sorted by start, whose starts are ``starts``) that lie
    wholly inside ``[start, end)``, in their order.

    >>> items = [(0, 3, "a"), (4, 9, "b"), (5, 7, "c"), (8, 12, "d")]
    >>> within(items, [i[0] for i in items], 4, 10)
    [(4, 9, 'b'), (5, 7, 'c')]
    """
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [item for item in items[lo:hi] if item[1] <= end]


class DisjointSpans:
    """Spans that do not overlap, kept by start: whether a new one overlaps any, by bisection.

    >>> taken = DisjointSpans()
    >>> taken.add(30, 35), taken.add(10, 20)
    (0, 0)
    >>> taken.overlaps(18, 25), taken.overlaps(20, 30), taken.overlaps(0, 11), taken.overlaps(34, 40)
    (True, False, True, True)
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def _place(self, a: int) -> int:
        return bisect.bisect_right(self.starts, a)

    def overlaps(self, a: int, b: int) -> bool:
        i = self._place(a)
        return bool(i and self.ends[i - 1] > a or i < len(self.starts) and self.starts[i] < b)

    def add(self, a: int, b: int) -> int:
        """Keep ``[a, b)``, which overlaps none kept; its place among them by start."""
        i = self._place(a)
        self.starts.insert(i, a)
        self.ends.insert(i, b)
        return i
