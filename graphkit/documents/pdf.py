"""Read a PDF (an Ofsted inspection report) into a ``Document`` with pypdfium2.

pypdfium2 is used because it is permissively licensed and fast (~2 ms a page; PyMuPDF is AGPL).
PDFium hands out the text of a page line by line, in content-stream order, which for the Word-made
reports Ofsted publishes is reading order. This module turns those lines into a text that extractors
can split into sentences:

- lines of one paragraph are joined with a space, paragraphs end with ``\\n``. Whether a line ends a
  paragraph is decided from the page geometry the way a word processor lays text out: a line that
  stops short although the next line's first word would have fitted after it was ended by hand; so is
  one followed by extra vertical space, a change of font size, a bullet or a numbered paragraph.
  A paragraph running over a page break is joined too;
- page numbers and running heads or feet (lines in the page margins that repeat from page to page)
  are left out, so sentences run on across page breaks. A PDF's text is built here, not sliced from a
  source, so nothing else refers to offsets of the dropped lines; ``Document.pages`` keeps the offset
  at which each page's text starts;
- ligatures are expanded, PDFium's end-of-line hyphen marker becomes ``-`` (the reports hyphenate only
  compound words such as "multi-agency"), symbol-font bullets become ``•`` and odd spaces plain ones.

Every offset anyone takes is into the returned ``Document.text``; nothing is changed after it is built.

A file that is not a PDF, is encrypted, damaged or truncated, has no text layer, or is not an Ofsted
children's services report raises ``ReadError`` with one reason. Recognition is by content (cue
patterns of ``ontology/lexicon/report_patterns.json``), never by file name.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.documents.model import Document, DocumentMetadata, content_hash
from graphkit.documents.readers import Source
from graphkit.errors import ReadError
from graphkit.resources import lexicon_file

if TYPE_CHECKING:  # pypdfium2 is imported only when a PDF turns up
    from pypdfium2 import PdfDocument

__all__ = ["read_pdf", "recognise_report", "MEDIA_TYPE"]

MEDIA_TYPE = "application/pdf"

#: Characters replaced wherever they occur: PDFium's line-end hyphen, ligatures, odd spaces, control
#: characters; symbol-font glyphs (U+F000-U+F0FF, where Word's bullets land) become "•", the rest of the
#: private use area goes.
_CHARMAP: dict[int, str | None] = {
    **dict.fromkeys(range(0xE000, 0xF900)),
    **dict.fromkeys(range(0xF000, 0xF100), "•"),
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F]),
    **str.maketrans({
        "\n": " ", "\r": " ", "\ufffe": "-", "\u00ad": "", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
        "\u2007": " ", "\t": " ", "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
        "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st",
    }),
}
#: Glyphs that open a list item; symbol fonts put bullets in the private use area.
_BULLETS = re.compile(r"^(?:[•◼▪■●◦○➢➤►]|-(?=\s))\s*")
_SPACES = re.compile(r" {2,}")
_BULLET_CHARS = frozenset("•◼▪■●◦○➢➤►-")
#: A numbered paragraph or list item: "1. ", "10.The", "2.1 Adoption" (not a year such as "2015.").
_NUMBERED = re.compile(r"^\d{1,3}\.(?:\d{1,2}\.?)?\s*[A-Z‘'\"(]")
_LETTER = re.compile(r"[^\W\d_]")
_TERMINAL = re.compile(r"[.:;?!]['’\")\]]*$")

# Geometry thresholds, in points or as shares of the page height.
_MARGIN_SHARE = 0.09  # lines wholly inside the top or bottom 9% of a page may be running heads/feet
_PITCH_FACTOR = 1.45  # a baseline step this much above the page's usual one means a new paragraph
_FIT_SLACK = 2.0  # points of tolerance when asking whether a word would have fitted on the line before
_RUN_ON_SHARE = 0.2  # a paragraph runs on to the next page only from a line in the page's lowest 20%
_MIN_TEXT_CHARS = 20  # a page with fewer characters than this has, for our purposes, no text


@dataclass
class _Line:
    """One line of a page as PDFium gives it, with the boxes of its first and last characters."""

    text: str
    page: int
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0  # of the first character
    base: float = 0.0  # bottom of the first character
    bottom: float = 0.0  # of the last character (a hyphen-joined line ends on the next visual line)
    size: float = 0.0  # font size of the first letter (not of a bullet or footnote mark)
    first_word: float = 0.0  # width of the first word
    page_height: float = 0.0
    geometry: bool = False


@cache
def _patterns() -> dict:
    """The reader's part of ``report_patterns.json``: recognition cues and the publication date."""
    data = json.loads(lexicon_file("report_patterns.json").read_text(encoding="utf-8"))
    return {
        "recognise": [
            (e["id"], re.compile(e["head"], re.I), [re.compile(p) for p in e.get("anywhere", ())])
            for e in data["recognise"]
        ],
        "window": int(data.get("recognise_window", 12000)),
        "published": [(e["id"], re.compile(e["pattern"])) for e in data["published"]],
        "months": {m.lower()[:3]: i + 1 for i, m in enumerate(data["months"])},
    }


def _recognise(text: str) -> tuple[str, re.Match[str]] | None:
    pats = _patterns()
    head = text[: pats["window"]]
    for rule_id, head_pattern, anywhere in pats["recognise"]:
        m = head_pattern.search(head)
        if m and all(r.search(text) for r in anywhere):
            return rule_id, m
    return None


def recognise_report(text: str) -> str | None:
    """The id of the recognition rule that marks ``text`` as an Ofsted children's services report.

    A rule holds when its ``head`` pattern matches in the first ``recognise_window`` characters (where
    a report names its subject) and each of its ``anywhere`` patterns matches somewhere (Ofsted's own
    name is often only in the closing boilerplate).
    """
    found = _recognise(text)
    return found[0] if found else None


def _title(text: str, m: re.Match[str]) -> str:
    """The report's title: the line of its title cue, after the council's name when that heads the page.

    "Inspection of Dudley local authority children's services"; "Dudley: Inspection of children's social
    care services" (2018 reports put the council on the line above).
    """
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    title = re.sub(r"\s+and$", "", text[start: end if end >= 0 else len(text)].strip())
    above = text[:start].strip()
    if above and "\n" not in above and len(above) <= 80:
        title = f"{above}: {title}"
    return title[:200]


def _published(text: str) -> str | None:
    """The publication date the report states about itself ("Report published: 5 April 2016")."""
    pats = _patterns()
    for _, regex in pats["published"]:
        m = regex.search(text[: pats["window"]])
        if m:
            month = pats["months"].get(m["month"].lower()[:3])
            if month:
                return f"{int(m['year']):04d}-{month:02d}-{int(m['day']):02d}"
    return None


def _check_bytes(path: Path, data: bytes) -> None:
    """Refuse what is not a PDF at all (an HTML error page saved as .pdf), or lacks its end (truncated)."""
    head = data[:1024].lstrip()
    if b"%PDF-" not in data[:1024]:
        lowered = head[:200].lower()
        what = "an HTML page" if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered \
            else f"starts with {head[:16]!r}"
        raise ReadError(path, f"not a PDF ({what})")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError(path, "PDF is damaged or truncated: no end-of-file marker")


def _open(path: Path, data: bytes) -> PdfDocument:
    """The opened PDF, or ``ReadError`` saying why it cannot be read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(path, "PDF is encrypted (a password is needed to open it)") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError(path, "PDF is encrypted with an unsupported security handler") from None
        raise ReadError(path, f"PDF is damaged or truncated: {exc}") from None
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        # Encrypted with an empty user password: readable, unless the author forbade extracting text.
        if not pdfium_c.FPDF_GetDocPermissions(pdf.raw) & 0x10:
            pdf.close()
            raise ReadError(path, "PDF is encrypted and its permissions forbid extracting text")
    if len(pdf) == 0:
        pdf.close()
        raise ReadError(path, "PDF is damaged or truncated: it has no pages")
    return pdf


def _clean(text: str) -> str:
    """One line as PDFium gives it, tidied (the offsets of what it returns are never mapped back)."""
    text = text.translate(_CHARMAP).strip()
    if text[:1] in _BULLET_CHARS:
        text = _BULLETS.sub("• ", text, count=1)
    return _SPACES.sub(" ", text).strip() if "  " in text else text


def _page_lines(pdf: PdfDocument, index: int, path: Path) -> tuple[list[_Line], float]:
    """The non-empty lines of one page, with geometry where PDFium's char indices line up; page height.

    PDFium's C API is called directly (through ``pypdfium2.raw``): the object wrappers cost more than
    the text extraction itself on reports of a few thousand characters a page.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise ReadError(path, f"PDF is damaged or truncated: page {index + 1} cannot be read")
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        height = pdfium_c.FPDF_GetPageHeightF(page)
        count = pdfium_c.FPDFText_CountChars(textpage) if textpage else 0
        raw = ""
        if count > 0:
            buffer = ctypes.create_string_buffer((count + 1) * 2)
            written = pdfium_c.FPDFText_GetText(textpage, 0, count,
                                                ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
            raw = buffer.raw[: max(0, written - 1) * 2].decode("utf-16-le", errors="ignore")
        geometry = len(raw) == count  # characters outside the BMP would shift the indices
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)

        def box(i: int) -> tuple[float, float, float, float]:
            pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect_ref)
            return rect.left, rect.bottom, rect.right, rect.top

        lines: list[_Line] = []
        pos = 0
        for piece in raw.split("\r\n"):
            text = _clean(piece) if piece.strip() else ""
            if text:
                line = _Line(text, index)
                if geometry:
                    first = pos + len(piece) - len(piece.lstrip())
                    last = pos + len(piece.rstrip()) - 1
                    line.left, line.base, _, line.top = box(first)
                    _, line.bottom, line.right, _ = box(last)
                    if not text[0].islower():  # only a line that may start a paragraph needs its first word
                        space = piece.find(" ", first - pos)
                        word_end = (pos + space - 1) if 0 <= space < len(piece.rstrip()) else last
                        line.first_word = max(0.0, box(word_end)[2] - line.left)
                    letter = _LETTER.search(piece, first - pos)
                    line.size = pdfium_c.FPDFText_GetFontSize(textpage, pos + letter.start() if letter else first)
                    line.page_height = height
                    line.geometry = True
                lines.append(line)
            pos += len(piece) + 2
    finally:
        if textpage:
            pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
    return lines, height


def _margin_key(text: str) -> str:
    """A running head or foot with its page number and dates' digits taken out."""
    return re.sub(r"[\W\d_]+", "", text.lower())


def _furniture(pages: list[tuple[list[_Line], float]]) -> set[tuple[int, int]]:
    """(page, line) indices of page numbers and running heads/feet: margin lines that repeat or are numbers."""
    candidates: list[tuple[int, int, str]] = []
    for p, (lines, height) in enumerate(pages):
        for i, line in enumerate(lines):
            if not line.geometry:
                continue
            low = line.top < height * _MARGIN_SHARE
            high = line.bottom > height * (1 - _MARGIN_SHARE)
            if low or high:
                candidates.append((p, i, ("b:" if low else "t:") + _margin_key(line.text)))
    pages_with = Counter(key for _, key in {(p, k) for p, _, k in candidates})
    return {(p, i) for p, i, k in candidates if k in ("b:", "t:") or pages_with[k] >= 2}


def _pitches(lines: list[_Line]) -> dict[float, float]:
    """The usual step between baselines of consecutive lines, for each font size on a page."""
    steps: dict[float, list[float]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        if a.geometry and b.geometry and abs(a.size - b.size) < 0.5 and 0 < a.bottom - b.base < 3 * a.size:
            steps.setdefault(round(a.size), []).append(a.bottom - b.base)
    return {size: statistics.median(values) for size, values in steps.items()}


def _breaks(prev: _Line, line: _Line, right: float, pitches: dict[float, float], same_page: bool) -> bool:
    """Whether ``line`` starts a new paragraph rather than continuing ``prev``."""
    if line.text.startswith("• ") or _NUMBERED.match(line.text):
        return True
    if not (prev.geometry and line.geometry):
        return bool(_TERMINAL.search(prev.text))
    if abs(prev.size - line.size) > 1.0:
        return True
    if same_page:
        if line.top > prev.bottom + prev.size:  # a block placed above the last one: not a continuation
            return True
        pitch = pitches.get(round(line.size)) or 1.2 * line.size
        if prev.bottom - line.base > pitch * _PITCH_FACTOR:
            return True
    elif prev.bottom > prev.page_height * _RUN_ON_SHARE:  # the page ended early: a page break, or a
        return True  # heading kept with what follows it
    if line.text[0].islower():  # a paragraph hardly ever starts in lower case: the line runs on
        return False
    space = 0.28 * (line.size or 10.0)
    return prev.right + space + line.first_word < right - _FIT_SLACK


def _assemble(pages: list[tuple[list[_Line], float]]) -> tuple[str, tuple[int, ...]]:
    """Join lines into paragraphs and pages into one text; the offset at which each page starts."""
    skip = _furniture(pages)
    parts: list[str] = []
    length = 0
    starts: list[int] = []
    prev: _Line | None = None
    prev_right = 0.0
    for p, (lines, _) in enumerate(pages):
        body = [line for i, line in enumerate(lines) if (p, i) not in skip]
        right = max((line.right for line in body if line.geometry), default=0.0)
        pitches = _pitches(body)
        page_start: int | None = None
        for line in body:
            if prev is not None:
                same = prev.page == line.page
                joiner = "\n" if _breaks(prev, line, right if same else prev_right, pitches, same) else " "
                parts.append(joiner)
                length += 1
            if page_start is None:
                page_start = length
            parts.append(line.text)
            length += len(line.text)
            prev = line
            prev_right = right
        starts.append(length if page_start is None else page_start)
    return "".join(parts), tuple(starts)


def read_pdf(source: Source, data: bytes) -> Document:
    """Read one PDF into a ``Document`` of kind ``report``; raises ``ReadError`` naming the reason."""
    path = source.path
    _check_bytes(path, data)
    pdf = _open(path, data)
    try:
        pages = [_page_lines(pdf, i, path) for i in range(len(pdf))]
    finally:
        pdf.close()
    if not any(sum(len(line.text) for line in lines) >= _MIN_TEXT_CHARS for lines, _ in pages):
        raise ReadError(path, "PDF has no text layer (image-only?)")
    text, starts = _assemble(pages)
    found = _recognise(text)
    if found is None:
        raise ReadError(path, "not an Ofsted children's services report")
    return Document(
        id=source.doc_id,
        text=text,
        source=str(path),
        media_type=MEDIA_TYPE,
        kind="report",
        content_hash=content_hash(data),
        metadata=DocumentMetadata(title=_title(text, found[1]), published=_published(text), publisher="Ofsted"),
        pages=starts,
    )
