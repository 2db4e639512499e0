"""Findings: the issue topics a sentence raises, each as a concern or a strength.

(Placeholder API: the cue-based classifier lands shortly.)
"""

from __future__ import annotations

__all__ = ["sentence_findings"]


def sentence_findings(sentence: str) -> list[tuple[str, str, str]]:
    """The (topic id, polarity, rule id) triples that one sentence states."""
    return []
