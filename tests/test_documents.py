"""Readers: text and HTML into Documents; folders, several paths, ids; furniture set apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.documents.furniture import find_furniture
from graphkit.documents.readers import Source, discover, read_source
from graphkit.errors import ReadError

PAGE = b"""<!doctype html><html><head><title>Ofsted rates Sandwell inadequate | Birmingham Mail</title>
<meta property="article:published_time" content="2019-03-05T10:00:00Z">
<meta name="author" content="Jane Smith"><meta property="og:site_name" content="Birmingham Mail"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<script>document.write("Walsall judged outstanding")</script>
<article><h1>Ofsted rates Sandwell inadequate</h1>
<p>Sandwell Council's children's services have been rated inadequate by Ofsted, inspectors said after an
inspection in January.</p>
<p>Inspectors found caseloads were too high and management oversight was weak across the service.</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Dudley praised by inspectors</a> 12/02/2019</li></ul></aside>
<div class="comments"><h3>Comments</h3><p>John Doe, March 5, 2019 at 10:46 pm: Walsall is worse</p></div>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "mail.html"
    path.write_bytes(PAGE)
    doc = read_source(Source(path, "mail"))
    assert doc.id == "mail" and doc.media_type == "text/html"
    assert "caseloads were too high" in doc.text
    assert "Walsall" not in doc.text  # scripts and comments are not the article
    assert doc.metadata.published == "2019-03-05"
    assert doc.metadata.author == "Jane Smith"
    assert doc.metadata.publisher == "Birmingham Mail"


def test_html_facts(tmp_path: Path) -> None:
    from graphkit.extract import extract_document

    path = tmp_path / "mail.htm"
    path.write_bytes(PAGE)
    ex = extract_document(read_source(Source(path, "mail")))
    assert {m.council for m in ex.councils} == {"E08000028"}
    assert {(r.grade, r.date) for r in ex.ratings} == {("inadequate", "2019-01")}
    assert {("caseloads", "concern"), ("management-oversight", "concern")} <= {(f.topic, f.polarity)
                                                                              for f in ex.findings}
    assert ("Jane Smith", "journalist") in {(p.name, p.role) for p in ex.people}


def test_html_byline_with_a_job_title_gives_the_journalist_s_name(tmp_path: Path) -> None:
    """trafilatura joins a byline's parts with "; " ("Chris Young; Local Democracy Reporter"): the journalist
    is the part that is a name, "Young" though a stopword ("Young People")."""
    from graphkit.extract import extract_document

    path = tmp_path / "ta.html"
    path.write_text(
        "<html><head><title>Bradford children's services rated inadequate</title>"
        '<meta property="article:published_time" content="2021-11-19T16:05:00+00:00"></head><body><article>'
        "<h1>Bradford children's services rated inadequate</h1>"
        '<div class="byline">By Chris Young, Local Democracy Reporter</div>'
        "<p>Bradford Council's children's services have been rated inadequate by Ofsted after an inspection "
        "found that caseloads were too high.</p><p>Inspectors said management oversight was weak and that too "
        "many children waited too long for help.</p></article></body></html>", encoding="utf-8")
    doc = read_source(Source(path, "ta"))
    journalists = {p.name for p in extract_document(doc).people if p.role == "journalist"}
    assert journalists == {"Chris Young"}, (doc.metadata.author, journalists)


def test_text_spaces_normalised_without_moving_offsets(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Support the\u00a0#Cause campaign today\r\nDudley Council caseloads are high.\r\n".encode())
    doc = read_source(Source(path, "a"))
    assert "\u00a0" not in doc.text and "\r" not in doc.text
    assert [f.kind for f in doc.furniture] == ["campaign-line"]


def test_folders_recursive_several_paths_and_ids(tmp_path: Path) -> None:
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "deep" / "two.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a" / "deep" / "skip.csv").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "one.txt").write_text("y", encoding="utf-8")
    sources, errors = discover([tmp_path / "a", tmp_path / "b.txt", tmp_path / "c"])
    assert [s.doc_id for s in sources] == ["two", "one", "b"]  # in path order within a folder
    assert len(errors) == 1 and "already taken" in str(errors[0])


@pytest.mark.parametrize(
    "data, reason",
    [
        pytest.param(b"   \n", "empty", id="blank"),
        pytest.param(b"\x00\x01\x02binary", "binary", id="nul"),
        pytest.param(b"caf\xe9", "UTF-8", id="latin-1"),
    ],
)
def test_bad_text(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_source(Source(path, "bad"))
    assert reason in str(err.value) and str(path) in str(err.value)


def test_seed_furniture_kinds(seeds_dir: Path) -> None:
    kinds = set()
    for path in seeds_dir.glob("*.txt"):
        kinds |= {f.kind for f in find_furniture(path.read_text(encoding="utf-8"))}
    # Captions shown twice, related links, subscription blurbs, menus, story lists and comments.
    assert {"caption-credit", "related-links", "membership-line", "price-line", "subscribe-line",
            "tail-more"} <= kinds


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<article><h1>Ofsted rates Sandwell inadequate</h1>", id="h1-first"),
        pytest.param('<article><p class="byline">By Jane Smith</p><h1>Ofsted rates Sandwell inadequate</h1>',
                     id="byline-before-h1"),
        pytest.param("<article><h1>Ofsted rates Sandwell inadequate</h1><p>By Jane Smith</p>", id="byline-after-h1"),
    ],
)
def test_html_headline_appears_once(tmp_path: Path, body: str) -> None:
    page = (b"<html><head><title>Ofsted rates Sandwell inadequate | Birmingham Mail</title>"
            b'<meta property="og:title" content="Ofsted rates Sandwell inadequate">'
            b'<meta name="author" content="Jane Smith"></head><body>' + body.encode()
            + b"<p>Sandwell Council's children's services have been rated inadequate by Ofsted, inspectors said "
            b"after an inspection in January.</p><p>Inspectors found caseloads were too high and management "
            b"oversight was weak across the service.</p></article></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(page)
    doc = read_source(Source(path, "page"))
    assert doc.text.count("Ofsted rates Sandwell inadequate") == 1, doc.text
    assert doc.metadata.title == "Ofsted rates Sandwell inadequate"
    assert doc.text.count("Jane Smith") == 1, doc.text


SHARED = ("The council said it accepted the findings in full and that an improvement plan, agreed with the "
          "Department for Education, was already under way across the service.")


def _page(council: str) -> bytes:
    return (f"<html><head><title>Ofsted visits {council}</title></head><body><article>"
            f"<h1>Ofsted visits {council}</h1><p>Inspectors visited {council} Council's children's services "
            f"in May and found that caseloads were too high.</p><p>{SHARED}</p></article></body></html>").encode()


def test_html_page_reads_the_same_whatever_was_read_before(tmp_path: Path) -> None:
    """A paragraph several pages share stays in each page, however many of them one process reads first."""
    paths = []
    for council in ("Sandwell", "Dudley", "Walsall", "Wolverhampton"):
        paths.append(tmp_path / f"{council.lower()}.html")
        paths[-1].write_bytes(_page(council))
    last = Source(paths[-1], paths[-1].stem)
    alone = read_source(last).text
    for path in paths[:-1]:
        assert SHARED in read_source(Source(path, path.stem)).text
    after_others = read_source(last).text
    assert SHARED in alone
    assert after_others == alone
