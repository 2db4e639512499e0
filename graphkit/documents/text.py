"""Plain-text articles: decoded strictly as UTF-8, line ends normalised, furniture marked."""

from __future__ import annotations

import re

from graphkit.documents.furniture import find_furniture
from graphkit.documents.model import Document, content_hash
from graphkit.documents.readers import Source
from graphkit.errors import ReadError

__all__ = ["read_text", "decode_text", "normalise_spaces"]

#: Non-breaking and other odd spaces become plain spaces (same length, so offsets do not move).
_ODD_SPACE = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u2002\u2003]")
#: Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(source: Source, data: bytes) -> str:
    """Bytes to text, refusing binary data and invalid UTF-8 with a reason a user can act on."""
    head = data[:8192]
    if b"\x00" in head:
        raise ReadError(source.path, "binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(source.path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    controls = len(_CONTROL.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 20):
        raise ReadError(source.path, "binary file, not text (too many control characters)")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return normalise_spaces(text)


def normalise_spaces(text: str) -> str:
    """Odd spaces to plain ones, keeping every offset where it was."""
    return _ODD_SPACE.sub(" ", text) if _ODD_SPACE.search(text) else text


def read_text(source: Source, data: bytes) -> Document:
    text = decode_text(source, data)
    if not text.strip():
        raise ReadError(source.path, "file has no text")
    return Document(
        id=source.doc_id,
        text=text,
        source=str(source.path),
        media_type="text/plain",
        content_hash=content_hash(data),
        furniture=tuple(find_furniture(text)),
    )
