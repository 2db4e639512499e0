"""Split a document's body into sentences with offsets, skipping page furniture.

A rule-based splitter: sentence ends at ``.``, ``!`` or ``?`` (optionally followed by closing quotes or
brackets) before white space and an upper-case letter, digit or opening quote, and at every line break
that closes a paragraph or list item. Abbreviations common in the field ("Mr.", "Cllr.", "e.g.") do not
end a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graphkit.documents.model import Document

__all__ = ["Sentence", "split_sentences", "split_text"]

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "cllr", "prof", "st", "e.g", "i.e", "etc", "no", "vs", "rev",
                  "sir", "gov", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                  "oct", "nov", "dec", "inc", "ltd", "co"}
_END = re.compile(r"""[.!?]+['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9•])""")
_LINES = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.!?]*$")  # the word a full stop closes: an abbreviation?


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n•·*-–\u00a0\u2022":
        start += 1
    while end > start and text[end - 1] in " \t\r\n\u00a0":
        end -= 1
    return start, end


def split_text(text: str, start: int = 0, end: int | None = None) -> Iterator[Sentence]:
    """Sentences of ``text[start:end]``, with offsets into ``text``."""
    end = len(text) if end is None else end
    for line in _LINES.finditer(text, start, end):
        pos = line.start()
        for m in _END.finditer(text, line.start(), line.end()):
            word = _LAST_WORD.search(text[max(pos, m.start() - 12):m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and text[m.start()] == ".":
                continue
            s, e = _trim(text, pos, m.end())
            if e > s:
                yield Sentence(s, e, text[s:e])
            pos = m.end()
        s, e = _trim(text, pos, line.end())
        if e > s:
            yield Sentence(s, e, text[s:e])


def split_sentences(doc: Document) -> list[Sentence]:
    """The sentences of a document's body (its furniture left out), in order."""
    out: list[Sentence] = []
    for span in doc.body_spans():
        out.extend(split_text(doc.text, span.start, span.end))
    return out
