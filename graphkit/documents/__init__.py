"""Read documents: plain text, HTML and Ofsted report PDFs, with page furniture set apart."""

from graphkit.documents.model import Document, DocumentMetadata, Span, content_hash

__all__ = ["Document", "DocumentMetadata", "Span", "content_hash"]
