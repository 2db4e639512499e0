"""News articles: councils, people, grades, inspections, findings and the article's own metadata."""

from __future__ import annotations

from graphkit.documents.model import Document
from graphkit.extract.model import Extraction

__all__ = ["extract_article"]


def extract_article(doc: Document) -> Extraction:
    return Extraction(document=doc.id, metadata=doc.metadata)
