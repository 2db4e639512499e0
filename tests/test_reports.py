"""Ofsted report PDFs: reading (pdf.py), extraction (extract/report.py), RDF (rdf/report.py, rdf/links.py)
and the facts view's ``report`` object (facts/report.rq, query/facts_report.py).

The corpus tests read the 46 real reports of ``../shared/corpus/ofsted-reports`` and are skipped when it
is not there. The expected values below were read by hand from the PDFs (the outcomes table is blank for
most single inspection framework reports, and wrong in a few places: see ``TABLE_ERRORS``).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest

from graphkit.documents.model import Document, DocumentMetadata
from graphkit.documents.readers import Source
from graphkit.errors import ExtractError, ReadError
from graphkit.extract import findings as findings_module
from graphkit.extract.gazetteer import load_gazetteer
from graphkit.extract.model import Extraction
from graphkit.extract.report import extract_report, resolve_council
from graphkit.extract.report_patterns import load_report_patterns

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ofsted-reports"
SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score_reports.py"
DUDLEY, WOLVERHAMPTON, SANDWELL, SLOUGH = "E08000027", "E08000031", "E08000028", "E06000039"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/ofsted-reports is not there")


@cache
def _read(stem: str) -> Document:
    from graphkit.documents.pdf import read_pdf

    path = CORPUS / f"{stem}.pdf"
    return read_pdf(Source(path, stem), path.read_bytes())


@cache
def _extract(stem: str) -> Extraction:
    return extract_report(_read(stem))


def _corpus_stems() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.stem for p in CORPUS.glob("*.pdf") if p.read_bytes()[:5] == b"%PDF-")


# ---------------------------------------------------------------------------------------------------
# Reading PDFs
# ---------------------------------------------------------------------------------------------------


@needs_corpus
def test_reads_a_report_with_pages_and_clean_text() -> None:
    import pypdfium2 as pdfium

    path = CORPUS / "dudley_2018-12-10.pdf"
    doc = _read("dudley_2018-12-10")
    assert doc.kind == "report" and doc.media_type == "application/pdf"
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(doc.pages) == len(pdfium.PdfDocument(str(path))) == 11
    assert doc.pages[0] == 0 and list(doc.pages) == sorted(doc.pages)
    assert "\ufffe" not in doc.text and not re.search(r"[\ue000-\uf8ff]", doc.text)
    assert "good-quality planning" in doc.text  # PDFium's line-end hyphen marker, restored
    assert not re.search(r"(?m)^\d+$", doc.text)  # page numbers are left out
    # Lines of a paragraph are joined, and a paragraph runs on over a page break.
    assert "caring arrangements made for them, including adoption." in doc.text
    assert doc.page_of(doc.text.index("them, including adoption.")) == 2
    assert doc.page_of(doc.text.index("There is a well-developed early help offer in Dudley")) == 3


@needs_corpus
def test_running_heads_and_feet_are_left_out() -> None:
    doc = _read("blackpool_2026-07-28")
    assert doc.text.count("Inspection of Blackpool local authority children’s services") == 1  # the title
    assert "8 to 19 June 2026 2" not in doc.text


@needs_corpus
@pytest.mark.parametrize("stem", _corpus_stems())
def test_every_corpus_pdf_is_read_as_a_report(stem: str) -> None:
    doc = _read(stem)
    assert doc.kind == "report" and doc.metadata.publisher == "Ofsted"
    assert len(doc.text) > 5000


def _pdf(text: str, user_password: str | None = None) -> bytes:
    """A one-page PDF showing ``text``; with a password, encrypted (standard handler, RC4 40-bit, R2)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

    def rc4(key: bytes, data: bytes) -> bytes:
        s, j = list(range(256)), 0
        for i in range(256):
            j = (j + s[i] + key[i % len(key)]) % 256
            s[i], s[j] = s[j], s[i]
        out, i, j = bytearray(), 0, 0
        for byte in data:
            i = (i + 1) % 256
            j = (j + s[i]) % 256
            s[i], s[j] = s[j], s[i]
            out.append(byte ^ s[(s[i] + s[j]) % 256])
        return bytes(out)

    content = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    ident = hashlib.md5(text.encode()).digest()
    key = b""
    encrypt = b""
    if user_password is not None:
        padded_user = (user_password.encode() + pad)[:32]
        owner_key = hashlib.md5((b"owner" + pad)[:32]).digest()[:5]
        o_value = rc4(owner_key, padded_user)
        perms = (-44).to_bytes(4, "little", signed=True)
        key = hashlib.md5(padded_user + o_value + perms + ident).digest()[:5]
        u_value = rc4(key, pad)
        encrypt = (f"<< /Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> /P -44 >>").encode()
        object_key = hashlib.md5(key + (4).to_bytes(3, "little") + b"\0\0").digest()[:10]
        content = rc4(object_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        objects.append(encrypt)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /ID [<{ident.hex()}> <{ident.hex()}>]"
    trailer += f" /Encrypt {len(objects)} 0 R >>" if encrypt else " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _figure_pdf(text: str | None) -> bytes:
    """A PDF made by matplotlib: a page of unrelated text, or (``None``) an image and no text at all."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    buf = io.BytesIO()
    fig = plt.figure(figsize=(8.27, 11.69))
    if text is None:
        ax = fig.add_axes((0, 0, 1, 1))
        ax.imshow(np.random.default_rng(0).random((64, 64)))
        ax.axis("off")
    else:
        for i, line in enumerate(text.split("\n")):
            fig.text(0.1, 0.9 - 0.03 * i, line, fontsize=11)
    fig.savefig(buf, format="pdf")
    plt.close(fig)
    return buf.getvalue()


def test_encrypted_test_pdf_is_genuine() -> None:
    """The encrypted PDF the tests use opens with its password: PDFium refuses it for the password only."""
    import pypdfium2 as pdfium

    data = _pdf("Children who need help and protection", user_password="secret")
    text = pdfium.PdfDocument(data, password="secret")[0].get_textpage().get_text_range()
    assert "Children who need help and protection" in text


def _bad_pdfs() -> list:
    cases = [
        pytest.param(lambda: _pdf("Inspection of Dudley children's services", "secret"), "PDF is encrypted",
                     id="encrypted"),
        pytest.param(lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "PDF is damaged or truncated",
                     id="corrupt"),
        pytest.param(lambda: _figure_pdf(None), "PDF has no text layer (image-only?)", id="image-only"),
        pytest.param(lambda: _figure_pdf("Quarterly review of the county's bus timetables\n"
                                          "Routes 12 and 14 will run every twenty minutes from March.\n"
                                          "The transport board meets on 4 June 2024 at County Hall."),
                     "not an Ofsted children's services report", id="not-ofsted"),
        pytest.param(lambda: _pdf("Minutes of the parish council, 3 May 2024: the hall roof is to be mended."),
                     "not an Ofsted children's services report", id="not-ofsted-small"),
        pytest.param(lambda: b"<!DOCTYPE html>\n<html><title>Report not found - Ofsted</title></html>",
                     "not a PDF (an HTML page)", id="html-page"),
    ]
    if CORPUS.is_dir():
        whole = (CORPUS / "dudley_2018-12-10.pdf").read_bytes()
        cases.append(pytest.param(lambda: whole[: len(whole) // 2], "PDF is damaged or truncated", id="truncated"))
    return cases


@pytest.mark.parametrize(("make", "reason"), _bad_pdfs())
def test_bad_pdfs_each_give_one_clear_reason(tmp_path: Path, make, reason: str) -> None:  # noqa: ANN001
    from graphkit.documents.pdf import read_pdf
    from graphkit.documents.readers import read_source

    path = tmp_path / "bad.pdf"
    path.write_bytes(make())
    with pytest.raises(ReadError) as info:
        read_source(Source(path, "bad"))
    assert info.value.reason.startswith(reason), info.value.reason
    assert str(path) in str(info.value)
    with pytest.raises(ReadError):  # the same through the reader itself
        read_pdf(Source(path, "bad"), path.read_bytes())


# ---------------------------------------------------------------------------------------------------
# Reading reports: each framework and layout, checked by hand against the PDFs
# ---------------------------------------------------------------------------------------------------

RI, G, OUT, INAD = "requires-improvement", "good", "outstanding", "inadequate"


Grade = str | None


def _j(overall: Grade, leaders: Grade, help_and_protection: Grade, in_care: Grade, care_leavers: Grade,
       adoption: Grade) -> dict[str, Grade]:
    """The judgements of a report, in the order of its table."""
    return {"overall": overall, "leaders": leaders, "help-and-protection": help_and_protection,
            "in-care": in_care, "care-leavers": care_leavers, "adoption": adoption}


EXPECTED = {
    # Single inspection framework (hand-checked: the outcomes table is blank for these).
    "dudley_2016-04-05": (DUDLEY, "sif", "Peter McEntee", "2016-01-11", "2016-02-08",
                          _j(INAD, INAD, INAD, INAD, RI, INAD)),
    "enfield_2015-03-27": ("E09000010", "sif", "Brenda McLaughlin", "2015-01-20", "2015-02-11",
                           _j(G, G, RI, G, G, G)),
    "slough_2014-02-14": (SLOUGH, "sif", "Gary Lamb", "2013-11-19", "2013-12-11",
                          _j(INAD, INAD, INAD, INAD, INAD, RI)),
    "southampton_2014-09-15": ("E06000045", "sif", "Nicholas McMullen", "2014-07-08", "2014-07-30",
                               _j(RI, RI, RI, RI, INAD, RI)),
    "wolverhampton_2017-03-31": (WOLVERHAMPTON, "sif", "Nigel Parkes", "2017-01-16", "2017-02-09",
                                 _j(G, G, RI, G, G, G)),
    "sandwell_2018-01-29": (SANDWELL, "sif", "Karen Wareing", "2017-11-06", "2017-11-30",
                            _j(INAD, INAD, INAD, INAD, RI, INAD)),
    "doncaster_2018-01-19": ("E08000017", "sif", "Neil Penswick", "2017-11-09", "2017-11-24",
                             _j(G, G, G, G, G, G)),
    # The looked after children inspection before SIF: one overall grade of the services for them.
    "sandwell_2013-08-02": (SANDWELL, "other", "Christopher Sands", "2013-06-24", "2013-06-28",
                            _j(None, None, None, INAD, None, None)),
    # ILACS, 2018 layout: children in care and care leavers graded together (under in-care).
    "dudley_2018-12-10": (DUDLEY, "ilacs-standard", "Peter McEntee", "2018-10-29", "2018-11-09",
                          _j(RI, G, RI, G, None, None)),
    "east-riding-of-yorkshire_2020-03-13": ("E06000011", "ilacs-short", "Neil Penswick", "2019-12-02", "2019-12-06",
                                            _j(INAD, INAD, INAD, G, None, None)),
    "wolverhampton_2022-05-18": (WOLVERHAMPTON, "ilacs-short", "Andy Waugh", "2022-03-28", "2022-04-01",
                                 _j(G, OUT, G, G, None, None)),
    # ILACS from 2023: care leavers graded apart; a three-day short inspection.
    "isles-of-scilly_2023-08-25": ("E06000053", "ilacs-short", "Tracey Ledder", "2023-07-11", "2023-07-13",
                                   _j(INAD, INAD, INAD, RI, RI, None)),
    "slough_2023-03-17": (SLOUGH, "ilacs-standard", "Amanda Maxwell", "2023-01-23", "2023-02-03",
                          _j(RI, INAD, RI, RI, RI, None)),
    "brighton-and-hove_2024-05-16": ("E06000043", "ilacs-short", "Máire Atherton", "2024-03-11", "2024-03-15",
                                     _j(OUT, OUT, G, OUT, OUT, None)),
    # The framework of April 2026: no overall grade.
    "blackpool_2026-07-28": ("E06000009", "ilacs-standard", "Margaret Burke", "2026-06-08", "2026-06-19",
                             _j(None, OUT, G, OUT, OUT, None)),
    "brent_2026-06-17": ("E09000005", "ilacs-short", "Monique Lindsay", "2026-04-27", "2026-05-01",
                         _j(None, G, G, G, G, None)),
}


@needs_corpus
@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_report_is_read_as_the_pdf_states(stem: str) -> None:
    council, framework, lead, start, end, judgements = EXPECTED[stem]
    report = _extract(stem).report
    assert report is not None
    assert (report.council, report.framework, report.lead_inspector) == (council, framework, lead)
    assert (report.inspection_start, report.inspection_end) == (start, end)
    assert dict(report.judgements) == judgements


@needs_corpus
def test_sif_team_and_the_people_of_a_report() -> None:
    ex = _extract("barking-and-dagenham_2014-07-07")
    assert ex.report is not None and ex.report.lead_inspector == "Brendan Parkinson"
    # "Team inspectors: Mike Ferguson, Wendy Ghaffar, Graham Tilby, Penny Fisher (HMIs) and Sara Goodinge and
    # Nick Stacey (associate inspectors)"
    assert ex.report.inspectors == ("Mike Ferguson", "Wendy Ghaffar", "Graham Tilby", "Penny Fisher",
                                    "Sara Goodinge", "Nick Stacey")
    assert {(p.name, p.role, p.organisation) for p in ex.people} == {
        (n, "inspector", "Ofsted") for n in ("Brendan Parkinson", *ex.report.inspectors)}


@needs_corpus
def test_ratings_inspection_and_council_of_a_report() -> None:
    ex = _extract("dudley_2016-04-05")
    assert [c.council for c in ex.councils] == [DUDLEY]
    assert {(r.area, r.grade, r.date) for r in ex.ratings} == {
        (area, INAD, "2016-04") for area in ("overall", "leaders", "help-and-protection", "in-care", "adoption")
    } | {("care-leavers", RI, "2016-04")}  # dated by "Report published: 5 April 2016"
    (inspection,) = ex.inspections
    assert (inspection.council, inspection.kind, inspection.date, inspection.end_date) == (
        DUDLEY, "inspection", "2016-01-11", "2016-02-08")
    ilacs = _extract("dudley_2018-12-10")
    assert {r.date for r in ilacs.ratings} == {"2018-11"}  # no publication date printed: the end month


@needs_corpus
@pytest.mark.parametrize("stem", _corpus_stems())
def test_evidence_slices_back_and_sits_on_its_page(stem: str) -> None:
    import pypdfium2 as pdfium

    doc, ex = _read(stem), _extract(stem)
    assert ex.report is not None, ex.warnings
    evidence = [m.evidence for m in ex.councils] + [p.evidence for p in ex.people] + [
        r.evidence for r in ex.ratings] + [i.evidence for i in ex.inspections] + [f.evidence for f in ex.findings]
    assert ex.report.evidence is not None
    evidence.append(ex.report.evidence)
    pdf = pdfium.PdfDocument(str(CORPUS / f"{stem}.pdf"))
    page_words: dict[int, str] = {}
    for ev in evidence:
        assert doc.text[ev.start:ev.end] == ev.quote and ev.document == stem and ev.rule
        assert ev.page == doc.page_of(ev.start)
        # The first words of the quote are on that page of the PDF itself.
        if ev.page not in page_words:
            raw = pdf[ev.page - 1].get_textpage().get_text_range().replace("\ufffe", "-")
            page_words[ev.page] = " ".join(raw.split())
        page_end = doc.pages[ev.page] if ev.page < len(doc.pages) else len(doc.text)
        head = " ".join(doc.text[ev.start:min(ev.end, page_end)].split()[:4])
        assert head in page_words[ev.page], (ev.page, ev.quote)


@needs_corpus
def test_improvement_points_are_concerns_on_hand_checked_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a stand-in classifier, every point is a finding; the pages were looked up in the PDFs."""
    def stub(sentence: str) -> list[tuple[str, str, str]]:
        return [("planning", "strength", "stub")] if sentence else []

    monkeypatch.setattr(findings_module, "sentence_findings", stub)
    ex = extract_report(_read("dudley_2016-04-05"))
    by_quote = {f.evidence.quote: f for f in ex.findings}
    emergency = next(f for q, f in by_quote.items() if q.startswith("Ensure that there is sufficient capacity in the "
                                                                      "emergency duty service"))
    pathway = by_quote["Ensure that pathway plans are reviewed rigorously by a non-case holder (Page 28, "
                       "paragraph 111)."]
    assert (emergency.polarity, emergency.evidence.page) == ("concern", 7)
    assert (pathway.polarity, pathway.evidence.page) == ("concern", 8)
    assert pathway.evidence.rule == "section.recommendations+stub"
    ilacs = extract_report(_read("dudley_2018-12-10"))
    missing = next(f for f in ilacs.findings if f.evidence.quote == "When children go missing, all are offered and "
                                                                    "receive a timely return home interview.")
    assert (missing.polarity, missing.evidence.page, missing.evidence.rule) == (
        "concern", 2, "section.what-needs-to-improve+stub")
    summary = [f for f in ilacs.findings if f.evidence.rule.startswith("section.opening-summary")]
    assert summary and all(f.polarity == "strength" for f in summary)  # the classifier's polarity is kept
    assert not any("Overall effectiveness" in f.evidence.quote for f in ilacs.findings)  # not the table


@needs_corpus
def test_later_sections_of_the_safeguarding_board_review_are_not_read() -> None:
    ex = _extract("enfield_2015-03-27")
    assert ex.findings
    lscb_start = _read("enfield_2015-03-27").text.rindex("What does the LSCB need to improve?")
    assert all(f.evidence.start < lscb_start for f in ex.findings)


# ---------------------------------------------------------------------------------------------------
# Letters: visits and joint inspections (no such PDF in the corpus; text as Ofsted words them)
# ---------------------------------------------------------------------------------------------------

FOCUSED = ("""Ms Jane Doe
Director of Children's Services
Dudley Metropolitan Borough Council
Dear Ms Doe
Focused visit to Dudley local authority children’s services
This letter summarises the findings of the focused visit to Dudley local authority children’s services on """
           """5 and 6 October 2020. The visit was carried out by Her Majesty’s Inspectors Peter McEntee and """
           """Linda Steele.
Areas for priority action
• The quality and timeliness of assessments for children in need.
Findings
Senior leaders know their services well.
Yours sincerely
Peter McEntee
Her Majesty’s Inspector
Ofsted, Piccadilly Gate, Store Street, Manchester
""")
MONITORING = ("""Monitoring visit to Sandwell children’s services
This letter summarises the findings of the monitoring visit to Sandwell children’s services on 24 and 25 July """
              """2018. This visit was the fourth monitoring visit since the local authority was judged inadequate """
              """in January 2018.
Yours sincerely
Alison Smale
Her Majesty’s Inspector
""")
JTAI = ("""Joint targeted area inspection of the multi-agency response to children's mental health in Slough
Between 4 and 8 March 2019, Ofsted, the Care Quality Commission, HMICFRS and HMI Probation carried out a """
        """joint inspection.
Lead inspector: Nick Stacey, Her Majesty’s Inspector
""")


@pytest.mark.parametrize(("text", "framework", "council", "start", "end", "lead", "kind"), [
    pytest.param(FOCUSED, "focused-visit", DUDLEY, "2020-10-05", "2020-10-06", "Peter McEntee", "focused-visit",
                 id="focused-visit"),
    pytest.param(MONITORING, "monitoring-visit", SANDWELL, "2018-07-24", "2018-07-25", "Alison Smale",
                 "monitoring-visit", id="monitoring-visit"),
    pytest.param(JTAI, "jtai", SLOUGH, "2019-03-04", "2019-03-08", "Nick Stacey", "jtai", id="jtai"),
])
def test_letters_are_read(text: str, framework: str, council: str, start: str, end: str, lead: str,
                          kind: str) -> None:
    doc = Document(id="letter", text=text, kind="report", metadata=DocumentMetadata(publisher="Ofsted"))
    ex = extract_report(doc)
    report = ex.report
    assert report is not None, ex.warnings
    assert (report.framework, report.council, report.inspection_start, report.inspection_end) == (
        framework, council, start, end)
    assert report.lead_inspector == lead
    assert all(grade is None for _, grade in report.judgements) and not ex.ratings
    assert [(i.kind, i.date, i.end_date) for i in ex.inspections] == [(kind, start, end)]


def test_focused_visit_team_and_priority_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(findings_module, "sentence_findings",
                        lambda s: [("assessment-timeliness", "strength", "stub")] if "assessments" in s else [])
    ex = extract_report(Document(id="letter", text=FOCUSED, kind="report"))
    assert ex.report is not None and ex.report.inspectors == ("Linda Steele",)
    assert [(f.topic, f.polarity, f.evidence.quote) for f in ex.findings] == [
        ("assessment-timeliness", "concern", "The quality and timeliness of assessments for children in need.")]


SYNTHETIC_ILACS = """Inspection of Bath & North East Somerset local authority children’s services
Inspection dates: 27 February–10 March 2023
Lead Inspector: Ann O’Neill HMI
Judgement Grade
The impact of leaders on social work practice with children and families
Good1
The experiences and progress of children who need help and protection
Requires Improvement to be good
The experiences and progress of children in care
Good
The experiences and progress of care leavers
Outstanding
Overall effectiveness Good
Children in the area are well served.
What needs to improve?
• The timeliness of assessments.
"""


def test_wordings_seen_in_other_reports() -> None:
    """Variants the corpus does not hold: '&', a dash without spaces, 'Inspector', a footnote mark."""
    report = extract_report(Document(id="r", text=SYNTHETIC_ILACS, kind="report")).report
    assert report is not None
    assert (report.council, report.framework, report.lead_inspector) == (
        "E06000022", "ilacs-standard", "Ann O’Neill")
    assert (report.inspection_start, report.inspection_end) == ("2023-02-27", "2023-03-10")
    assert dict(report.judgements) == _j(G, G, RI, G, OUT, None)
    short = SYNTHETIC_ILACS.replace("27 February–10 March 2023", "29 December 2025 to 2 January 2026")
    report = extract_report(Document(id="r", text=short, kind="report")).report
    assert report is not None and (report.framework, report.inspection_start) == ("ilacs-short", "2025-12-29")
    reformed = SYNTHETIC_ILACS.replace("Overall effectiveness Good\n", "")
    report = extract_report(Document(id="r", text=reformed, kind="report")).report
    assert report is not None and dict(report.judgements)["overall"] is None


def test_extract_report_refuses_articles() -> None:
    with pytest.raises(ExtractError, match="not|reads Ofsted reports"):
        extract_report(Document(id="a", text="Dudley council said...", kind="article"))


@pytest.mark.parametrize(("name", "gss"), [
    ("Dudley Metropolitan Borough Council", DUDLEY),
    ("London Borough of Barnet", "E09000003"),
    ("City of Wolverhampton Council", WOLVERHAMPTON),
    ("City of Wolverhampton", WOLVERHAMPTON),
    ("Leicester City Council", "E06000016"),
    ("Kingston upon Hull City Council", "E06000010"),
    ("Bristol City Council", "E06000023"),
    ("Bedford", "E06000055"),
    ("Brighton & Hove City Council", "E06000043"),
    ("St Helens Council", "E08000013"),  # the gazetteer writes "St. Helens"
    ("Council of the Isles of Scilly", "E06000053"),
    ("City of London Corporation", "E09000001"),
    ("Atlantis Borough Council", None),
])
def test_council_names_resolve(name: str, gss: str | None) -> None:
    assert resolve_council(name, load_gazetteer()) == gss


def test_patterns_file_is_checked(tmp_path: Path) -> None:
    pats = load_report_patterns()
    assert pats.judgements and pats.sections and pats.frameworks
    ids = [r.id for r in (*pats.judgements, *pats.sections, *pats.frameworks, *pats.dates)]
    assert len(ids) == len(set(ids))
    from graphkit.resources import lexicon_file

    data = json.loads(lexicon_file("report_patterns.json").read_text(encoding="utf-8"))
    data["judgements"][0]["area"] = "everything"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ExtractError, match="everything"):
        load_report_patterns(bad)


# ---------------------------------------------------------------------------------------------------
# RDF, links and the facts view's report object
# ---------------------------------------------------------------------------------------------------


def _store(stems: list[str]):  # -> pyoxigraph.Store
    import pyoxigraph as ox

    from graphkit.rdf.build import councils_quads, document_quads, nquads
    from graphkit.rdf.vocabulary import vocabulary_quads
    from graphkit.store.files import parse_nquads

    text = nquads(vocabulary_quads()) + nquads(councils_quads())
    text += "".join(nquads(document_quads(_read(s), _extract(s))) for s in stems)
    store = ox.Store()
    store.bulk_extend(parse_nquads(text))
    return store


def _report_triples(stem: str) -> set:
    from graphkit.rdf.build import document_quads

    return {q[:3] for q in document_quads(_read(stem), _extract(stem))}


@needs_corpus
def test_report_graph_states_its_inspection_and_links_its_judgements() -> None:
    from rdflib.namespace import DCTERMS, RDF

    from graphkit.rdf.namespaces import GK, ID, doc_iri, framework_iri, kind_iri, person_iri

    triples = _report_triples("dudley_2018-12-10")
    doc = doc_iri("dudley_2018-12-10")
    node = ID["inspection/E08000027/2018-10-29"]
    assert {o for s, p, o in triples if s == doc and p == GK.reportsOn} == {node}
    for p, o in [(RDF.type, GK.Inspection), (RDF.type, GK.FullInspection), (GK.kind, kind_iri("inspection")),
                 (GK.framework, framework_iri("ilacs-standard")), (DCTERMS.source, doc),
                 (GK.leadInspector, person_iri("Peter McEntee", "Ofsted"))]:
        assert (node, p, o) in triples
    judgements = {s for s, p, o in triples if p == RDF.type and o == GK.Judgement}
    assert len(judgements) == 4 and all((j, GK.inspection, node) in triples for j in judgements)
    sif = _report_triples("dudley_2016-04-05")
    team = {o for s, p, o in sif if s == ID["inspection/E08000027/2016-01-11"] and p == GK.inspector}
    assert person_iri("Linda Steele", "Ofsted") in team and len(team) == 7


@needs_corpus
def test_report_graph_has_one_inspection_node() -> None:
    from rdflib.namespace import RDF

    from graphkit.rdf.namespaces import GK, ID

    triples = _report_triples("dudley_2018-12-10")
    assert {s for s, p, o in triples if p == RDF.type and o == GK.Inspection} == {
        ID["inspection/E08000027/2018-10-29"]}


@needs_corpus
def test_report_objects_from_the_built_graph() -> None:
    from graphkit.query.facts import select_rows
    from graphkit.query.facts_report import report_objects
    from graphkit.resources import ontology_file

    store = _store(["dudley_2018-12-10", "blackpool_2026-07-28"])
    rows = select_rows(store, ontology_file("facts/report.rq").read_text(encoding="utf-8"))
    objects = report_objects(rows)
    assert objects["dudley_2018-12-10"] == {
        "council": "Dudley", "framework": "ilacs-standard", "lead_inspector": "Peter McEntee",
        "inspection_start": "2018-10-29", "inspection_end": "2018-11-09",
        "judgements": {"overall": RI, "leaders": G, "help-and-protection": RI, "in-care": G, "care-leavers": None},
    }
    assert objects["blackpool_2026-07-28"]["judgements"]["overall"] is None


def test_report_objects_without_the_vocabulary_graph() -> None:
    from graphkit.query.facts_report import report_objects

    rows = [
        {"document": "r", "inspection": "i", "council": "Slough", "framework": None,
         "frameworkIri": "https://w3id.org/graphkit/framework/sif", "lead": "Gary Lamb", "start": "2013-11-19",
         "end": "2013-12-11", "area": None, "areaIri": "https://w3id.org/graphkit/area/adoption",
         "grade": None, "gradeIri": "https://w3id.org/graphkit/grade/requires-improvement"},
        {"document": "r", "inspection": "i", "council": "Slough", "framework": "sif", "lead": "Gary Lamb",
         "start": "2013-11-19", "end": "2013-12-11", "area": "overall", "grade": "inadequate"},
        {"document": "s", "inspection": "j", "council": "Slough", "framework": "focused-visit", "lead": None,
         "start": "2019-09-04", "end": "2019-09-05", "area": None, "grade": None},
    ]
    objects = report_objects(rows)
    assert objects["r"]["framework"] == "sif"
    assert objects["r"]["judgements"] == {"overall": INAD, "leaders": None, "help-and-protection": None,
                                          "in-care": None, "care-leavers": None}
    assert objects["s"]["lead_inspector"] is None and set(objects["s"]["judgements"].values()) == {None}


def _row(news: str, when: str, kind: str, report: str, start: str, end: str, published: str | None = None,
         report_kind: str = "inspection") -> dict[str, str | None]:
    return {"news": news, "newsDate": when, "newsKind": kind, "report": report, "reportKind": report_kind,
            "start": start, "end": end, "published": published}


def test_link_quads_window_publication_and_kinds() -> None:
    from graphkit.rdf.links import LINKS_GRAPH, link_quads
    from graphkit.rdf.namespaces import GK

    r16, r18 = "https://x/inspection/D/2016-01-11", "https://x/inspection/D/2018-10-29"
    rows = [
        _row("https://x/n/in-window", "2016-01-20", "inspection", r16, "2016-01-11", "2016-02-08", "2016-04-05"),
        _row("https://x/n/published", "2016-04", "inspection", r16, "2016-01-11", "2016-02-08", "2016-04-05"),
        _row("https://x/n/month-after", "2016-05-02", "inspection", r16, "2016-01-11", "2016-02-08", "2016-04-05"),
        _row("https://x/n/too-late", "2016-07", "inspection", r16, "2016-01-11", "2016-02-08", "2016-04-05"),
        _row("https://x/n/a-visit", "2016-04", "monitoring-visit", r16, "2016-01-11", "2016-02-08", "2016-04-05"),
        # An ILACS report prints no publication date: the end month and the two after it stand in.
        _row("https://x/n/ilacs", "2018-12", "inspection", r18, "2018-10-29", "2018-11-09"),
        _row("https://x/n/year", "2018", "inspection", r18, "2018-10-29", "2018-11-09"),
        # Two candidates: the window beats the publication months.
        _row("https://x/n/both", "2018-11-01", "inspection", r18, "2018-10-29", "2018-11-09"),
        _row("https://x/n/both", "2018-11-01", "inspection", r16, "2018-09-01", "2018-09-20"),
    ]
    quads = link_quads(lambda sparql: rows)
    linked = {(str(s).rsplit("/", 1)[-1], str(o)) for s, p, o, g in quads if p == GK.sameInspectionAs}
    assert linked == {("in-window", r16), ("published", r16), ("month-after", r16), ("ilacs", r18),
                      ("year", r18), ("both", r18)}
    assert all(g == LINKS_GRAPH for *_, g in quads)
    assert len(quads) == len(set(quads))
    assert link_quads(lambda sparql: rows) == quads  # deterministic


@needs_corpus
def test_link_quads_over_a_real_graph() -> None:
    from graphkit.extract.model import Evidence, Inspection
    from graphkit.query.facts import select_rows
    from graphkit.rdf.build import document_quads, nquads
    from graphkit.rdf.links import link_quads
    from graphkit.rdf.namespaces import ID
    from graphkit.store.files import parse_nquads

    store = _store(["dudley_2018-12-10"])
    text = "Ofsted inspected Dudley's children's services in November 2018."
    article = Document(id="news", text=text, kind="article")
    ev = Evidence("news", 0, len(text), text, "test")
    extraction = Extraction(document="news", inspections=(Inspection(DUDLEY, "inspection", "2018-11", ev),))
    store.bulk_extend(parse_nquads(nquads(document_quads(article, extraction))))
    quads = link_quads(lambda sparql: select_rows(store, sparql))
    assert len(quads) == 1 and quads[0][2] == ID["inspection/E08000027/2018-10-29"]


@needs_corpus
@pytest.mark.skipif(not SCORER.is_file(), reason="../shared/eval/score_reports.py is not there")
def test_agreement_with_the_outcomes_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The facts view's report objects, from the graph, agree with the table on >= 98% of its cells."""
    import importlib.util

    from graphkit.query.facts import select_rows
    from graphkit.query.facts_report import report_objects
    from graphkit.resources import ontology_file

    store = _store(_corpus_stems())
    objects = report_objects(select_rows(store, ontology_file("facts/report.rq").read_text(encoding="utf-8")))
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps([{"document": d, "report": r} for d, r in objects.items()]), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("score_reports", SCORER)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    scorer.main(["--table", str(CORPUS / "outcomes.csv"), "--facts", str(facts), "--explain"])
    out = capsys.readouterr().out
    share = float(re.search(r"^agreement ([\d.]+)", out, re.M).group(1))
    assert share >= 0.98, out
    # Every disagreement left is one where the PDF proves the table wrong (see the report of issue 5).
    assert set(re.findall(r"^  (\S+) (\S+):", out, re.M)) <= TABLE_ERRORS, out


#: Cells of outcomes.csv that the PDFs contradict: (file, field).
TABLE_ERRORS = {
    # "Re-inspection of services for children in need of help and protection, children looked after and
    # care leavers", graded under the SIF headings: not an ILACS standard inspection.
    ("doncaster_2018-01-19", "framework"),
    # 2022 reports grade "children in care and care leavers" together (Requires improvement to be good);
    # the table puts a separate care leavers grade (Nottingham's even differs: "inadequate").
    ("nottingham_2022-09-05", "judgements.care-leavers"),
    ("redcar-and-cleveland_2022-09-22", "judgements.care-leavers"),
}
