"""HTML pages: the article's main text and its own metadata, through trafilatura.

trafilatura drops navigation, scripts, comments and most link lists; what it leaves is then passed through
the same furniture rules as plain text. Its metadata (title, date, author, site name, URL) describes the
article itself, not the other items on the page.

trafilatura's ``deduplicate`` drops a paragraph seen more than twice before. By default it counts in one
cache for the whole process, so a paragraph that several earlier pages shared (a council's standard
statement, a site's boilerplate) was dropped from the next page read by the same process: what a page
gave depended on the pages read before it, on ``--jobs`` and on what a rebuild re-read. Each page gets a
cache of its own, so repeats are counted within the page only.
"""

from __future__ import annotations

import re

from graphkit.documents.furniture import find_furniture
from graphkit.documents.model import Document, DocumentMetadata, content_hash
from graphkit.documents.readers import Source
from graphkit.documents.text import decode_text, normalise_spaces
from graphkit.errors import ReadError

__all__ = ["read_html"]

_DATE = re.compile(r"^(\d{4})(-\d{2})?(-\d{2})?")
#: How far into the extracted text (beyond the headline's own length) the <h1> may stand: past a byline,
#: a dateline or a kicker, not deep in the body where a sentence may quote the headline.
_HEADLINE_REACH = 300


def _squash(text: str) -> str:
    """Case and runs of white space folded, for comparing a headline with the text."""
    return " ".join(text.split()).casefold()


def _clean(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return text or None


def read_html(source: Source, data: bytes) -> Document:
    html = decode_text(source, data)
    import trafilatura  # imported here: only HTML batches pay for it
    from trafilatura.deduplication import LRUCache
    from trafilatura.settings import LRU_SIZE

    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, fast=True,
            deduplicate=LRUCache(maxsize=LRU_SIZE),  # this page's own repeats only: see the module's docstring
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise ReadError(source.path, f"HTML could not be parsed ({type(exc).__name__})") from None
    if result is None:
        raise ReadError(source.path, "no article text found in the HTML page")
    fields = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = normalise_spaces(fields.get("text") or "").strip()
    if not text:
        raise ReadError(source.path, "no article text found in the HTML page")
    title = _clean(fields.get("title"))
    author = _clean(fields.get("author"))
    # The headline and byline are part of what the article says: keep them in the text, so that facts
    # read from them (the author, say) have evidence that slices back out of it. trafilatura often keeps the
    # <h1> itself, first or after a byline or kicker: look for it near the top before the byline is added,
    # so the headline is not stated twice.
    has_title = bool(title) and _squash(title) in _squash(text[:len(title or "") + _HEADLINE_REACH])
    if author and author not in text:
        text = f"By {author}\n\n{text}"
    if title and not has_title:
        text = f"{title}\n\n{text}"
    date = _clean(fields.get("date"))
    m = _DATE.match(date or "")
    meta = DocumentMetadata(
        title=title,
        published=m.group(0) if m else None,
        author=author,
        publisher=_clean(fields.get("sitename")) or _clean(fields.get("hostname")),
        url=_clean(fields.get("url")),
    )
    return Document(
        id=source.doc_id,
        text=text,
        source=str(source.path),
        media_type="text/html",
        content_hash=content_hash(data),
        metadata=meta,
        furniture=tuple(find_furniture(text)),
    )
