"""Property tests over readers and extractors: any text or bytes gives no crash, every evidence span slices
back to its quote, and the same input always gives the same graph."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.documents.furniture import find_furniture
from graphkit.documents.model import Document
from graphkit.documents.readers import Source, read_source
from graphkit.errors import ReadError
from graphkit.extract import extract_document
from graphkit.rdf.build import document_nquads

WORDS = ["Dudley", "Council", "children's", "services", "judged", "inadequate", "Ofsted", "caseloads", "too",
         "high", "not", "but", "remain", "Inspector", "Jane", "Doe", "said", "monitoring", "visit", "last",
         "month", "in", "April", "2016", "good", "rating", "\n", ".", ",", "“", "”", "'", "Sandwell", "the",
         "local", "authority", "Councillor", "Ann", "Lee", "cabinet", "member", "Subscribe", "drift", "delay",
         "2 Responses to", "March 5, 2019 at 10:46 pm", "Picture: Dudley Council", "<script>", "£15 / month"]

article_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def facts_of(text: str):
    doc = Document(id="p", text=text, furniture=tuple(find_furniture(text)))
    return doc, extract_document(doc)


@FAST
@given(article_text)
def test_any_text_extracts_and_evidence_slices_back(text: str) -> None:
    doc, ex = facts_of(text)
    for fact in [*ex.councils, *ex.people, *ex.ratings, *ex.inspections, *ex.findings]:
        ev = fact.evidence
        assert 0 <= ev.start <= ev.end <= len(doc.text)
        assert doc.text[ev.start:ev.end] == ev.quote
        assert not doc.is_furniture(ev.start, ev.end)


@FAST
@given(article_text)
def test_same_text_same_graph(text: str) -> None:
    doc, ex = facts_of(text)
    doc2, ex2 = facts_of(str(text))
    assert document_nquads(doc, ex) == document_nquads(doc2, ex2)


@FAST
@given(article_text)
def test_any_text_gives_strictly_valid_nquads_and_the_same_chunks(text: str) -> None:
    """The build parses its own N-Quads leniently (``serialise_chunks``): they must be valid for any text,
    checked here strictly, or a bad IRI would reach the store's load and fail a whole batch."""
    import pyoxigraph as ox

    from graphkit.store.chunks import header, serialise_chunks

    doc, ex = facts_of(text)
    nq = document_nquads(doc, ex)
    quads = list(ox.parse(nq.encode(), format=ox.RdfFormat.N_QUADS))  # strict: raises on any bad term
    chunks = serialise_chunks(nq)
    assert chunks.quads == len(quads)
    assert len(list(ox.parse(header("trig") + chunks.trig, format=ox.RdfFormat.TRIG))) == len(quads)


@FAST
@given(st.binary(max_size=600), st.sampled_from([".txt", ".html", ".htm"]))
def test_any_bytes_read_or_refused_with_a_reason(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"doc{suffix}"
    path.write_bytes(data)
    try:
        doc = read_source(Source(path, "doc"))
    except ReadError as err:
        assert str(path) in str(err) and err.reason
        return
    ex = extract_document(doc)
    document_nquads(doc, ex)


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60))
def test_document_ids_of_any_characters_give_valid_iris(doc_id: str) -> None:
    import pyoxigraph as ox

    text = "Dudley Council's children's services were judged inadequate. Caseloads remain too high.\n"
    doc = Document(id=doc_id, text=text, furniture=())
    nq = document_nquads(doc, extract_document(doc))
    quads = list(ox.parse(nq.encode(), format=ox.RdfFormat.N_QUADS))
    assert quads
    assert nq == document_nquads(doc, extract_document(doc))


HTML_SHAPES = st.lists(st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->", "<article>", "</article>",
    "<a href='x'>", "</a>", "&amp;", "&#0;", "<![CDATA[", "]]>", "<meta charset='latin-1'>", "<title>", "</title>",
    "Dudley Council was judged inadequate by Ofsted.", "Caseloads remain too high.", "\x00", "\ufeff",
]), max_size=60).map("".join)


@FAST
@given(HTML_SHAPES)
def test_html_reader_fuzz(tmp_path_factory, html: str) -> None:
    path = Path(tmp_path_factory.mktemp("html")) / "page.html"
    path.write_text(html, encoding="utf-8")
    try:
        doc = read_source(Source(path, "page"))
    except ReadError as err:
        assert err.reason
        return
    ex = extract_document(doc)
    for f in ex.findings:
        assert doc.text[f.evidence.start:f.evidence.end] == f.evidence.quote
