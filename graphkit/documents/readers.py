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

__all__ = ["READERS", "Source", "discover", "read_source", "read_bytes", "size_limit", "MAX_BYTES"]

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


def _walk(root: str) -> Iterator[str]:
    """Paths of the readable files under ``root``, skipping hidden files and folders.

    ``os.scandir`` on strings: at 10k files ``Path.rglob`` took most of a no-change rebuild.
    """
    for entry in os.scandir(root):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry.path)
        elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in READERS:
            yield entry.path


def discover(paths: Iterable[str | Path]) -> tuple[list[Source], list[ReadError]]:
    """Expand files and folders (recursively) into sources, sorted by path; collect errors.

    A path that does not exist, a file of an unknown kind given by name, or a second file with an id
    already taken, each gives one error; the rest are still returned.
    """
    sources: list[Source] = []
    errors: list[ReadError] = []
    seen: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = [Path(f) for f in sorted(_walk(str(path)), key=lambda f: f.split(os.sep))]  # as Paths sort
        elif path.is_file():
            if path.suffix.lower() not in READERS:
                errors.append(ReadError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                              f"expected one of {', '.join(sorted(READERS))}"))
                continue
            files = [path]
        else:
            errors.append(ReadError(path, "no such file or folder"))
            continue
        for f in files:
            doc_id = f.stem
            if doc_id in seen:
                if seen[doc_id].resolve() != f.resolve():
                    errors.append(ReadError(f, f"document id {doc_id!r} is already taken by {seen[doc_id]}"))
                continue
            seen[doc_id] = f
            sources.append(Source(f, doc_id))
    return sources, errors


def read_source(source: Source, data: bytes | None = None) -> Document:
    """Read one source into a Document; raises ``ReadError`` naming the file and the reason."""
    path = source.path
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise ReadError(path, "file is empty")
    return _reader(path.suffix.lower())(source, data)
