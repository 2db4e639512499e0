"""The ``Document`` every reader produces and every extractor consumes.

A document holds one text; every offset in graphkit (evidence spans, furniture, pages) indexes that text,
so a quote can always be sliced back out of it. Page furniture (menus, subscription blurbs, lists of other
stories, reader comments, repeated captions) is not cut out, which would shift offsets: it is marked as
``furniture`` spans that extractors skip.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

__all__ = ["Span", "DocumentMetadata", "Document", "content_hash"]


def content_hash(data: bytes) -> str:
    """The sha256 of a source's bytes: the key of incremental builds."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` of a document's text, with what it is."""

    start: int
    end: int
    kind: str = "body"


@dataclass(frozen=True)
class DocumentMetadata:
    """What the page states about this article itself (never about other items on the page)."""

    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    author: str | None = None
    publisher: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """One source document, read and cleaned, ready for extraction.

    ``id`` is the file name without its extension. ``kind`` is ``article`` or ``report`` (an Ofsted
    report PDF). ``pages`` holds the offset at which each page starts (PDFs only).
    """

    id: str
    text: str
    source: str = ""
    media_type: str = "text/plain"
    kind: str = "article"
    content_hash: str = ""
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    furniture: tuple[Span, ...] = ()
    pages: tuple[int, ...] = ()

    def body_spans(self) -> list[Span]:
        """The parts of the text that are the document's own content (the complement of furniture)."""
        spans: list[Span] = []
        pos = 0
        for f in sorted(self.furniture):
            if f.start > pos:
                spans.append(Span(pos, f.start))
            pos = max(pos, f.end)
        if pos < len(self.text):
            spans.append(Span(pos, len(self.text)))
        return spans

    def is_furniture(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps any furniture span."""
        return any(f.start < end and start < f.end for f in self.furniture)

    def page_of(self, offset: int) -> int | None:
        """The 1-based page number holding ``offset``, or None for documents without pages."""
        if not self.pages:
            return None
        return bisect.bisect_right(self.pages, offset)
