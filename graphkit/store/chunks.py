"""Per-document TriG and Turtle chunks, and the whole files and stores made by streaming them.

A build caches each document's named graph twice, as the body of a TriG file and of a Turtle file
(Oxigraph's serialisers, prefix lines cut off). ``graph.trig`` and ``graph.ttl`` are then the prefix
lines followed by the chunks in document order, copied file by file, and a store is loaded from the same
chunks (``graphkit.store.whole_load``): however large the corpus, a build holds a batch of chunks at a
time, and an unchanged document costs a file copy rather than a parse and a serialisation.
``graph.ttl`` is the union of the graphs: a triple that several documents state (a council's type, say)
is written once per document, which Turtle readers merge.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

import pyoxigraph as ox

from graphkit.rdf.namespaces import PREFIXES
from graphkit.store.files import atomic_writer

__all__ = ["Chunks", "Span", "serialise_chunks", "header", "write_concatenated"]

_PREFIX = b"@prefix "


class Chunks(tuple):
    """(TriG body, Turtle body, number of quads) of one or more named graphs."""

    __slots__ = ()

    @property
    def trig(self) -> bytes:
        return self[0]

    @property
    def turtle(self) -> bytes:
        return self[1]

    @property
    def quads(self) -> int:
        return self[2]


def _body(data: bytes) -> bytes:
    """``data`` without its leading prefix lines."""
    view = memoryview(data)
    pos = 0
    while data.startswith(_PREFIX, pos):
        pos = data.index(b"\n", pos) + 1
    return bytes(view[pos:])


@cache
def header(fmt: str) -> bytes:
    """The prefix lines Oxigraph writes for ``fmt`` ("trig" or "turtle") with graphkit's prefixes."""
    node = ox.NamedNode(PREFIXES["gk"] + "x")
    if fmt == "trig":
        data = ox.serialize([ox.Quad(node, node, node, node)], format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    else:
        data = ox.serialize([ox.Triple(node, node, node)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data[:len(data) - len(_body(data))]


def _parse(data: bytes) -> Iterator[ox.Quad]:
    """The quads of N-Quads ``data``, leniently: the text is graphkit's own, written from terms it made
    (IRIs percent-encoded or slugged, literals escaped), and checking every IRI again took half the parse."""
    return ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True)


def serialise_chunks(nquads_text: str) -> Chunks:
    """TriG and Turtle bodies of sorted N-Quads text, in the order given (each triple once in Turtle).

    The text is graphkit's own, one quad a line (N-Quads escapes line breaks inside literals), so its
    quads are counted by its lines: counting them on their way to the serialiser cost a Python step per
    quad, 3% of an extraction.
    """
    if not nquads_text:
        return Chunks((b"", b"", 0))
    data = nquads_text.encode("utf-8")
    quads = data.count(b"\n") + (not data.endswith(b"\n"))
    trig = _body(ox.serialize(_parse(data), format=ox.RdfFormat.TRIG, prefixes=PREFIXES))
    if trig.count(b"\n}\n") == 1 and trig.endswith(b"\n}\n"):
        # One graph (Oxigraph escapes line breaks inside literals, so a "}" line closes a graph): "name {",
        # its triples in Turtle's syntax, then "}". The inside of the block is the Turtle body.
        inner = trig[trig.index(b"{\n") + 2:-2]
        turtle = inner.removeprefix(b"\t").replace(b"\n\t", b"\n")  # one tab of indentation less
        return Chunks((trig, turtle, quads))
    quads = list(_parse(data))  # several graphs (rare): the quads again, for the union's triples
    triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    turtle = ox.serialize(list(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return Chunks((trig, _body(turtle), len(quads)))


class Span(NamedTuple):
    """``length`` bytes of the file ``path`` from ``offset``: a run of chunks in a graph file already written."""

    path: Path
    offset: int
    length: int


def write_concatenated(path: Path, head: bytes, parts: Iterable[bytes | Path | Span], *, sync: bool = True) -> None:
    """Write ``head`` and the parts to ``path`` atomically; files and spans are copied by the kernel where
    it can (``copy_file_range``), without passing through Python.

    ``sync`` as for ``atomic_writer``.
    """
    with atomic_writer(path, sync=sync) as f:
        f.write(head)
        for part in parts:
            if isinstance(part, bytes):
                f.write(part)
                continue
            source, offset, size = (part, 0, None) if isinstance(part, Path) else part
            with source.open("rb") as src:
                if size is None:
                    size = os.fstat(src.fileno()).st_size
                f.flush()
                if not _copy_range(src.fileno(), f.fileno(), size, offset):
                    src.seek(offset)
                    _copy_exactly(src, f, size)


def _copy_exactly(src: BinaryIO, dst: BinaryIO, size: int) -> None:
    while size > 0:
        block = src.read(min(size, 1 << 20))
        if not block:
            raise OSError(f"{src.name}: ends before the {size} bytes still to copy")
        dst.write(block)
        size -= len(block)


def _copy_range(src: int, dst: int, size: int, offset: int = 0) -> bool:
    """``copy_file_range`` ``size`` bytes of ``src`` from ``offset`` to ``dst``'s end; False where the
    system cannot (nothing copied then). A source shorter than asked for is an error."""
    if not hasattr(os, "copy_file_range"):
        return False
    done = 0
    try:
        while done < size:
            n = os.copy_file_range(src, dst, size - done, offset + done)
            if n == 0:
                raise OSError(f"the source ends before the {size - done} bytes still to copy")
            done += n
    except OSError:
        if done:
            raise
        return False
    return True
