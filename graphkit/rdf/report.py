"""Quads for what an Ofsted report states about its own inspection (placeholder until the report issue)."""

from __future__ import annotations

__all__ = ["add_report"]


def add_report(g, doc_node, doc, report, gazetteer) -> None:  # noqa: ANN001
    """Add the report's inspection node, framework, dates, lead inspector and judgements to ``g``."""
