"""Find source files and read each into a ``Document``, choosing the reader by file suffix.

Readers are looked up by suffix in ``READERS`` (``"module:function"``), imported only when a file of
that kind turns up, so a batch of text files never imports the PDF or HTML libraries.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphkit.documents.model import Document
from graphkit.errors import ReadError

__all__ = [
    "READERS", "Source", "discover", "iter_sources", "iter_source_paths", "id_clash", "read_source", "read_bytes",
    "size_limit", "MAX_BYTES",
]

READERS: dict[str, str] = {
    ".txt": "graphkit.documents.text:read_text",
    ".text": "graphkit.documents.text:read_text",
    ".md": "graphkit.documents.text:read_text",
    ".html": "graphkit.documents.html:read_html",
    ".htm": "graphkit.documents.html:read_html",
    ".pdf": "graphkit.documents.pdf:read_pdf",
}
#: Larger sources are refused: no article or report comes near these sizes, and they bound the memory one
#: document can take. Text and HTML articles are tens of kilobytes; Ofsted report PDFs a few megabytes.
MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_BY_SUFFIX = {".pdf": MAX_BYTES}
MAX_TEXT_BYTES = 10 * 1024 * 1024


def size_limit(path: Path) -> int:
    """The largest file of this kind graphkit reads."""
    return MAX_BYTES_BY_SUFFIX.get(path.suffix.lower(), MAX_TEXT_BYTES)


def read_bytes(path: Path) -> bytes:
    """A source's bytes, refusing files over their kind's size limit before reading them."""
    try:
        size = path.stat().st_size
        limit = size_limit(path)
        if size > limit:
            raise ReadError(path, f"file is {size / 1e6:.1f} MB, over the {limit / 2**20:.0f} MiB limit "
                                  f"for {path.suffix.lower() or 'this kind of'} files")
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from None


@dataclass(frozen=True)
class Source:
    """A file to read, with the document id it will get (its name without extension)."""

    path: Path
    doc_id: str


def _reader(suffix: str) -> Callable[[Source, bytes], Document]:
    module, _, func = READERS[suffix].partition(":")
    return getattr(importlib.import_module(module), func)


def _walk(root: str) -> Iterator[tuple[str, str]]:
    """(name without extension, path) of the readable files under ``root`` in sorted order, skipping hidden
    files and folders.

    ``os.scandir`` on strings (at 10k files ``Path.rglob`` took most of a no-change rebuild), one folder
    listed at a time: a tree is walked holding its deepest path of folders' names, not all its files.
    Names sorted at each level give the order of paths sorted component by component.
    """
    with os.scandir(root) as listing:
        entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir():
            yield from _walk(entry.path)
            continue
        stem, dot, suffix = entry.name.rpartition(".")
        if dot and f".{suffix.lower()}" in READERS and entry.is_file():
            yield stem, entry.path


def iter_source_paths(paths: Iterable[str | Path], errors: list[ReadError]) -> Iterator[tuple[str, str]]:
    """(document id, path) of every source under ``paths`` (files and folders, recursively), lazily.

    Sorted per path given. A path that does not exist or a file of an unknown kind given by name adds an
    error to ``errors``. Ids are not checked for clashes here (see ``discover``): a build checks them
    against its on-disk index, so that walking a corpus holds one folder's listing at a time whatever its
    size. Plain strings: a build walks every source on every run, and ``Path`` objects cost more than
    the rest of a no-change rebuild's per-file work.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(str(path))
        elif path.is_file():
            if path.suffix.lower() not in READERS:
                errors.append(ReadError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                              f"expected one of {', '.join(sorted(READERS))}"))
                continue
            yield path.stem, str(path)
        else:
            errors.append(ReadError(path, "no such file or folder"))


def iter_sources(paths: Iterable[str | Path], errors: list[ReadError]) -> Iterator[Source]:
    """``iter_source_paths`` as ``Source``-s."""
    for doc_id, path in iter_source_paths(paths, errors):
        yield Source(Path(path), doc_id)


def id_clash(doc_id: str, taken: Path, path: Path) -> ReadError | None:
    """The error for a second file ``path`` with the id ``doc_id`` of ``taken``; None if it is that file."""
    if taken.resolve() == path.resolve():
        return None
    return ReadError(path, f"document id {doc_id!r} is already taken by {taken}")


def discover(paths: Iterable[str | Path]) -> tuple[list[Source], list[ReadError]]:
    """Expand files and folders (recursively) into sources, sorted by path; collect errors.

    A path that does not exist, a file of an unknown kind given by name, or a second file with an id
    already taken, each gives one error; the rest are still returned.
    """
    sources: list[Source] = []
    errors: list[ReadError] = []
    seen: dict[str, Path] = {}
    for src in iter_sources(paths, errors):
        if src.doc_id in seen:
            clash = id_clash(src.doc_id, seen[src.doc_id], src.path)
            if clash is not None:
                errors.append(clash)
            continue
        seen[src.doc_id] = src.path
        sources.append(src)
    return sources, errors


def read_source(source: Source, data: bytes | None = None) -> Document:
    """Read one source into a Document; raises ``ReadError`` naming the file and the reason."""
    path = source.path
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise ReadError(path, "file is empty")
    return _reader(path.suffix.lower())(source, data)
