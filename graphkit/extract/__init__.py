"""Extract facts with evidence from documents: councils, people, grades, inspections, findings.

``extract_document`` chooses the extractor by the kind of document: news articles and Ofsted reports
have different shapes and different cues.
"""

from __future__ import annotations

from graphkit.documents.model import Document
from graphkit.extract.model import Extraction

__all__ = ["extract_document"]


def extract_document(doc: Document) -> Extraction:
    if doc.kind == "report":
        from graphkit.extract.report import extract_report

        return extract_report(doc)
    from graphkit.extract.article import extract_article

    return extract_article(doc)
