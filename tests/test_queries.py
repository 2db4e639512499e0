"""Every named query, answered on the seed articles, with answers worked out by hand from their texts.

Each query runs on two graphs of the same five seeds:

- ``gold``: built by ``graphkit.rdf.build.document_quads`` from extractions written by hand below (what
  the texts state, after ``../shared/eval/gold/seeds``), so it tests the queries alone;
- ``seeds``: built by ``graphkit.pipeline.build`` from ``seeds/``, so it tests extraction and queries
  together. These fail while the extractor does not yet find what the texts state; that is the point.

Both must give the answers below. The answers are kept to what the texts state for sure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.documents.model import Document, DocumentMetadata
from graphkit.documents.readers import Source, read_source
from graphkit.errors import QueryError
from graphkit.extract.model import CouncilMention, Evidence, Extraction, Finding, Inspection, PersonRole, Rating
from graphkit.query.named import bind_params, get_query, load_queries, load_query, run_named
from graphkit.rdf.build import councils_quads, document_quads, nquads
from graphkit.store.embedded import EmbeddedStore, replace_store
from graphkit.store.files import parse_nquads, write_trig

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DUDLEY, WOLVERHAMPTON, SANDWELL, SLOUGH = "E08000027", "E08000031", "E08000028", "E06000039"
D000, D001, D002, D003, D004 = ("000_98eb236581e79c9e", "001_078784c2a139c614", "002_34e286d561c827e3",
                                "003_24a248bf162cc743", "004_b140504b39b2d1b6")

# ---------------------------------------------------------------------------------------------------
# The hand-made reading of the seeds: (kind, fields..., quote). Every quote is sliced from the text.
# ---------------------------------------------------------------------------------------------------

C, S = "concern", "strength"
GOLD: dict[str, dict] = {
    D000: {
        "councils": [(DUDLEY, "High caseloads hampering Dudley Council")],
        "people": [("Nick Bennison", "inspector", "Ofsted", None, "Inspector Nick Bennison said"),
                   ("Wayne Little", "councillor", DUDLEY, "cabinet member for children and young people",
                    "Councillor Wayne Little, Dudley Council cabinet member for children and young people")],
        "ratings": [],
        "inspections": [(DUDLEY, "visit", None, "During a visit in October, inspectors from Ofsted found")],
        "findings": [
            (DUDLEY, "caseloads", C, "alongside high caseloads for some social workers"),
            (DUDLEY, "assessment-quality", C, "the quality of assessments by staff can vary"),
            (DUDLEY, "timeliness", C, "This can lead to drift and delay for these children having their needs met"),
            (DUDLEY, "supervision", C, "The supervision of social workers is too irregular and lacks reflection"),
            (DUDLEY, "quality-assurance", C, "Inspectors highlighted a problem with quality assurance"),
            (DUDLEY, "direct-work", S, "carry out sensitive work with children and families"),
            (DUDLEY, "timeliness", S, "most children receive timely help and support"),
            (DUDLEY, "workforce-morale", S, "The workforce in Dudley is positive about working in Dudley"),
        ],
    },
    D001: {
        "published": "2018-08-31",
        "councils": [(DUDLEY, "A monitoring visit by Ofsted to Dudley Council last month")],
        "people": [("Joe Lepper", "journalist", None, None, "Joe Lepper"),
                   ("Angus Lees", "councillor", DUDLEY, "lead member for children's services",
                    "Dudley's lead member for children's services Angus Lees said")],
        "ratings": [(DUDLEY, "inadequate", "2016-04", "which was handed Ofsted's lowest rating in April 2016")],
        "inspections": [
            (DUDLEY, "monitoring-visit", "2018-07", "A monitoring visit by Ofsted to Dudley Council last month"),
            (DUDLEY, "inspection", "2016-04", "handed Ofsted's lowest rating in April 2016"),
        ],
        "findings": [
            (DUDLEY, "staff-turnover", C, "High staff turnover presents challenges"),
            (DUDLEY, "caseloads", C, "But despite the efforts caseloads remain too high, inspectors found."),
            (DUDLEY, "recruitment-retention", C,
             "problems around staff retention are threatening to undermine progress"),
            (DUDLEY, "timeliness", C, "Some children experience delay in social workers progressing their plans"),
            (DUDLEY, "management-oversight", C, "management oversight of frontline social work was variable"),
            (DUDLEY, "leadership", S, "councillors and senior officers having clear strategic plans in place"),
            (DUDLEY, "training", S, "offering comprehensive training for new staff"),
        ],
    },
    D002: {
        "councils": [(DUDLEY, "Ofsted praises progress at Dudley")],
        "people": [],
        "ratings": [(DUDLEY, "inadequate", "2016-04", "judged to be inadequate in April 2016")],
        "inspections": [(DUDLEY, "monitoring-visit", None, "In the fourth monitoring visit since"),
                        (DUDLEY, "inspection", "2016-04",
                         "the local authority was judged to be inadequate in April 2016")],
        "findings": [
            (DUDLEY, "assessment-quality", C, "assessments are not yet consistently good"),
            (DUDLEY, "staff-turnover", C, "sustaining a stable workforce continues to be a challenge"),
            (DUDLEY, "agency-staff", C, "social workers are agency staff"),
            (DUDLEY, "recruitment-retention", C,
             "The recruitment and retention of team managers remain particularly challenging"),
            (DUDLEY, "management-oversight", C,
             "management oversight and decision-making are not consistently effective"),
            (DUDLEY, "planning", C, "planning for these children is not as robust as it needs to be"),
            (DUDLEY, "child-safety", S,
             "Children are safe and in the vast majority of cases receive appropriate levels"),
            (DUDLEY, "direct-work", S,
             "Social workers use a number of direct work tools effectively to understand children."),
            (DUDLEY, "thresholds", S, "thresholds for intervention are applied consistently"),
            (DUDLEY, "front-door", S, "Strategy meetings held in the MASH are timely and effective"),
            (DUDLEY, "multi-agency-working", S, "partner agencies contribute positively"),
            (DUDLEY, "planning", S, "plans are appropriately focused on the needs of the child"),
            (DUDLEY, "workforce-morale", S, "Social workers and managers are very proud of their work"),
        ],
    },
    D003: {
        "councils": [(DUDLEY, "The Department for Education has sent a troubleshooter into Dudley council"),
                     (SANDWELL, "Last year Brazil was appointed commissioner of Sandwell"),
                     (SLOUGH, "previously fulfilled the same role in Slough")],
        "people": [("Nicky Morgan", "minister", None, None, "Nicky Morgan announced"),
                   ("Eleanor Brazil", "commissioner", "Department for Education", None,
                    "Eleanor Brazil would be brought in as a"),
                   ("Sarah Norman", "chief-executive", DUDLEY, "chief executive",
                    "Sarah Norman, chief executive of Dudley Council")],
        "ratings": [(DUDLEY, "inadequate", None, "The children's services were rated 'inadequate' by Ofsted")],
        "inspections": [
            (DUDLEY, "inspection", None, "The inspection report found widespread failures across provision in Dudley"),
        ],
        "findings": [
            (DUDLEY, "visits", C, "Social workers in Dudley were not visiting young people often enough"),
            (DUDLEY, "assessment-timeliness", C, "Some assessments took too long"),
            (DUDLEY, "assessment-quality", C, "lacked a clear risk analysis"),
            (DUDLEY, "allocation", C, "did not have an allocated social worker"),
            (DUDLEY, "caseloads", C, "while others continue to have high ones"),
            (DUDLEY, "recording", C, "recording in many cases was"),
            (DUDLEY, "exploitation-missing", C, "sexual exploitation panel"),
            (DUDLEY, "timeliness", C, "young people experiencing drift"),
            (DUDLEY, "performance-data", C, "poor infrastructure to track performance information"),
            (DUDLEY, "quality-assurance", C, "introduce quality assurance processes"),
        ],
    },
    D004: {
        "councils": [(WOLVERHAMPTON, "special visit to Wolverhampton Council")],
        "people": [("Emma Bennett", "director", WOLVERHAMPTON, "director of Children's Services",
                    "Emma Bennett, director of Children"),
                   ("Paul Sweet", "councillor", WOLVERHAMPTON, "Cabinet Member for Children and Young People",
                    "Councillor Paul Sweet, Cabinet Member for Children and Young People")],
        "ratings": [(WOLVERHAMPTON, "good", None, "remain with a Good rating")],
        "inspections": [(WOLVERHAMPTON, "visit", None, "during a special visit to Wolverhampton Council")],
        "findings": [
            (WOLVERHAMPTON, "caseloads", C, "unacceptably high caseloads for social workers"),
            (WOLVERHAMPTON, "staff-turnover", C, "in the face of high staff turnover"),
            (WOLVERHAMPTON, "recruitment-retention", C, "difficulty in recruiting and retaining social workers"),
            (WOLVERHAMPTON, "management-oversight", C, "These have affected the quality of management oversight"),
            (WOLVERHAMPTON, "timeliness", C, "could be to blame for delays in supporting abused children"),
            (WOLVERHAMPTON, "assessment-quality", S, "our assessment work is generally a strength"),
            (WOLVERHAMPTON, "thresholds", S, "thresholds are appropriate and well applied"),
            (WOLVERHAMPTON, "timeliness", S, "timely decisions are made"),
            (WOLVERHAMPTON, "direct-work", S, "very powerful examples of direct work with children"),
        ],
    },
}


def seed_document(doc_id: str, folder: Path = SEEDS) -> Document:
    return read_source(Source(folder / f"{doc_id}.txt", doc_id))


def gold_extraction(doc: Document, spec: dict) -> Extraction:
    """The hand-made extraction of one document; a quote not found in the text fails loudly."""

    def ev(quote: str) -> Evidence:
        start = doc.text.find(quote)
        assert start >= 0, f"{doc.id}: quote not in the text: {quote!r}"
        return Evidence(doc.id, start, start + len(quote), quote, "gold")

    published = spec.get("published")
    return Extraction(
        document=doc.id,
        councils=tuple(CouncilMention(c, ev(q)) for c, q in spec["councils"]),
        people=tuple(PersonRole(n, r, o, ev(q), title=t) for n, r, o, t, q in spec["people"]),
        ratings=tuple(Rating(c, g, d, ev(q)) for c, g, d, q in spec["ratings"]),
        inspections=tuple(Inspection(c, k, d, ev(q)) for c, k, d, q in spec["inspections"]),
        findings=tuple(Finding(c, t, p, ev(q)) for c, t, p, q in spec["findings"]),
        metadata=DocumentMetadata(published=published) if published else doc.metadata,
    )


def gold_quads(extra: dict[str, tuple[Document, dict]] | None = None) -> list[ox.Quad]:
    """The vocabulary, the councils and the hand-made graphs of the seeds (plus ``extra`` documents)."""
    from graphkit.rdf.vocabulary import vocabulary_quads

    chunks = [nquads(vocabulary_quads()), nquads(councils_quads())]
    docs = {d: (seed_document(d), spec) for d, spec in GOLD.items()}
    docs.update(extra or {})
    for doc, spec in docs.values():
        chunks.append(nquads(document_quads(doc, gold_extraction(doc, spec))))
    return parse_nquads("".join(chunks))


def write_graph_dir(out: Path, quads: list[ox.Quad]) -> Path:
    """A folder shaped like a build's output (graph.trig and the store), for stores and servers to read."""
    out.mkdir(parents=True, exist_ok=True)
    write_trig(out / "graph.trig", quads)
    replace_store(out, quads)
    return out


def build_gold_dir(base: Path) -> Path:
    """The hand-made graph of the seeds as a folder, written once per session (later callers reuse it)."""
    out = base / "gold-graph"
    if not (out / "graph.trig").is_file():
        write_graph_dir(out, gold_quads())
    return out


@pytest.fixture(scope="session")
def gold_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_gold_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session", params=["gold", "seeds"])
def graph(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The store of each graph; ``seeds`` is the session's build of seeds/ (``seed_build`` in conftest)."""
    if request.param == "gold":
        return EmbeddedStore.open(build_gold_dir(tmp_path_factory.getbasetemp()))
    return EmbeddedStore.open(request.getfixturevalue("seed_build"))


def rows(store: EmbeddedStore, name: str, **params: object) -> list[dict]:
    return run_named(store, name, params).dicts()


def seed_text(doc_id: str) -> str:
    return seed_document(doc_id).text


# ---------------------------------------------------------------------------------------------------
# The files themselves
# ---------------------------------------------------------------------------------------------------

REQUIRED = {"councils-by-grade", "council-findings", "concern-cooccurrence", "officials-quoted", "inspectors",
            "council-timeline", "similar-councils", "claim-evidence", "topics-by-grade", "persistent-issues",
            "region-concern", "grade-disagreements"}


def test_every_required_query_is_there_with_a_full_header() -> None:
    queries = load_queries()
    assert REQUIRED <= set(queries)
    for q in queries.values():
        assert q.question.endswith("?"), q.name
        assert q.examples and all(e.startswith("graphkit query") for e in q.examples), q.name
        for p in q.params:
            assert p.default, f"{q.name}: parameter {p.name} has no default"
            assert p.meaning, q.name


@pytest.fixture(scope="module")
def no_documents() -> EmbeddedStore:
    """The vocabulary and the councils, and no document."""
    from graphkit.rdf.vocabulary import vocabulary_quads

    return EmbeddedStore.in_memory(parse_nquads(nquads(vocabulary_quads()) + nquads(councils_quads())))


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_query_parses_and_runs_on_a_graph_without_documents(name: str, no_documents: EmbeddedStore) -> None:
    assert run_named(no_documents, name).rows == []


def test_every_named_query_has_a_test_here() -> None:
    """Each named query is exercised by a test of this module (a query added without a test fails)."""
    text = Path(__file__).read_text(encoding="utf-8")
    for name in load_queries():
        assert f'"{name}"' in text, f"no test runs the named query {name!r}"


# ---------------------------------------------------------------------------------------------------
# (1) councils with a grade
# ---------------------------------------------------------------------------------------------------


def test_councils_by_grade_inadequate(graph: EmbeddedStore) -> None:
    got = rows(graph, "councils-by-grade")
    dated = {(r["council"], r["date"], r["document"]) for r in got if r["date"]}
    assert {("Dudley", "2016-04", D001), ("Dudley", "2016-04", D002)} <= dated
    assert {r["council"] for r in got} == {"Dudley"}
    assert all(r["gss"] == DUDLEY and r["grade_id"] == "inadequate" for r in got)
    assert got[0]["date"] == "2016-04"  # dated rows first


def test_councils_by_grade_good_and_spelling(graph: EmbeddedStore) -> None:
    got = rows(graph, "councils-by-grade", grade="Good")
    assert {(r["council"], r["document"]) for r in got} == {("Wolverhampton", D004)}
    assert rows(graph, "councils-by-grade", grade="requires improvement") == []


# ---------------------------------------------------------------------------------------------------
# (2) every finding about a council
# ---------------------------------------------------------------------------------------------------


def test_council_findings(graph: EmbeddedStore) -> None:
    got = rows(graph, "council-findings", council="Wolverhampton")
    found = {(r["topic"], r["polarity"]) for r in got}
    assert {("caseloads", "concern"), ("staff-turnover", "concern"),
            ("recruitment-retention", "concern")} <= found
    assert {r["document"] for r in got} == {D004}
    text = seed_text(D004)
    for r in got:  # the evidence is the sentence at its offsets
        assert text[r["start"]:r["end"]] == r["evidence"]


def test_council_findings_by_gss_code_and_case(graph: EmbeddedStore) -> None:
    by_name = rows(graph, "council-findings", council="Dudley")
    assert by_name == rows(graph, "council-findings", council="E08000027")
    assert by_name == rows(graph, "council-findings", council="  dUDLEY ")
    assert {r["document"] for r in by_name} >= {D000, D001, D002, D003}
    assert ("caseloads", "concern") in {(r["topic"], r["polarity"]) for r in by_name}


# ---------------------------------------------------------------------------------------------------
# (3) co-occurrence of concerns
# ---------------------------------------------------------------------------------------------------


def test_concern_cooccurrence(graph: EmbeddedStore) -> None:
    got = {(r["topic_a"], r["topic_b"]): r for r in rows(graph, "concern-cooccurrence")}
    # caseloads and staff turnover: Dudley in 001, Wolverhampton in 004
    assert got[("caseloads", "staff-turnover")]["together"] >= 2
    assert all(a < b for a, b in got)
    counts = [r["together"] for r in got.values()]
    assert counts == sorted(counts, reverse=True) or len(counts) < 2


# ---------------------------------------------------------------------------------------------------
# (4) officials quoted about a council
# ---------------------------------------------------------------------------------------------------


def test_officials_quoted_dudley(graph: EmbeddedStore) -> None:
    got = rows(graph, "officials-quoted", council="Dudley")
    people = {(r["name"], r["role"]) for r in got}
    assert {("Nick Bennison", "inspector"), ("Wayne Little", "councillor"), ("Angus Lees", "councillor"),
            ("Sarah Norman", "chief-executive"), ("Eleanor Brazil", "commissioner")} <= people
    assert "Nicky Morgan" in {r["name"] for r in got}  # of no organisation, named in a document about Dudley
    assert "Joe Lepper" not in {r["name"] for r in got}  # the journalist is not an official
    assert "Emma Bennett" not in {r["name"] for r in got}


def test_officials_quoted_wolverhampton(graph: EmbeddedStore) -> None:
    got = rows(graph, "officials-quoted", council="wolverhampton")
    assert {(r["name"], r["role"], r["organisation"]) for r in got} == {
        ("Emma Bennett", "director", "Wolverhampton"), ("Paul Sweet", "councillor", "Wolverhampton")}


def test_officials_quoted_other_council_of_the_same_document(graph: EmbeddedStore) -> None:
    """Sandwell is named in 003: the DfE's commissioner counts for it, Dudley's chief executive does not."""
    names = {r["name"] for r in rows(graph, "officials-quoted", council="Sandwell")}
    assert "Eleanor Brazil" in names
    assert "Sarah Norman" not in names


# ---------------------------------------------------------------------------------------------------
# (5) inspectors
# ---------------------------------------------------------------------------------------------------


def test_inspectors(graph: EmbeddedStore) -> None:
    got = rows(graph, "inspectors")
    assert {r["inspector"] for r in got} == {"Nick Bennison"}
    assert {(r["council"], r["kind"], r["document"]) for r in got} == {("Dudley", "visit", D000)}


# ---------------------------------------------------------------------------------------------------
# (6) a council's timeline
# ---------------------------------------------------------------------------------------------------


def test_council_timeline_dudley(graph: EmbeddedStore) -> None:
    got = rows(graph, "council-timeline", council="Dudley")
    dated = [r for r in got if r["date"]]
    assert dated and dated == got[: len(dated)]  # dated events first
    assert [r["date"] for r in dated] == sorted(r["date"] for r in dated)
    events = {(r["date"], r["event"], r["kind"] or r["grade"], r["document"]) for r in got}
    assert {("2016-04", "grade", "inadequate", D001), ("2016-04", "grade", "inadequate", D002),
            ("2018-07", "inspection", "monitoring-visit", D001)} <= events
    assert dated[0]["date"] == "2016-04"
    assert (None, "grade", "inadequate", D003) in events


def test_council_timeline_wolverhampton(graph: EmbeddedStore) -> None:
    got = rows(graph, "council-timeline", council="Wolverhampton")
    assert ("grade", "good") in {(r["event"], r["grade"]) for r in got}
    assert {r["document"] for r in got} == {D004}


# ---------------------------------------------------------------------------------------------------
# (7) similar councils
# ---------------------------------------------------------------------------------------------------


def test_similar_councils(graph: EmbeddedStore) -> None:
    got = rows(graph, "similar-councils", council="Dudley")
    assert got and got[0]["similar"] == "Wolverhampton"
    top = got[0]
    assert top["shared"] >= 3
    assert {"caseloads", "staff-turnover", "recruitment-retention"} <= set(top["topics"].split())
    assert 0 < top["jaccard"] <= 1
    assert "Dudley" not in {r["similar"] for r in got}
    back = rows(graph, "similar-councils", council="Wolverhampton")
    assert back[0]["similar"] == "Dudley" and back[0]["shared"] == top["shared"]


# ---------------------------------------------------------------------------------------------------
# (8) evidence for a claim
# ---------------------------------------------------------------------------------------------------


def test_claim_evidence(graph: EmbeddedStore) -> None:
    got = rows(graph, "claim-evidence", council="Dudley", topic="caseloads")
    assert {D000, D001} <= {r["document"] for r in got}
    for r in got:
        assert seed_text(r["document"])[r["start"]:r["end"]] == r["evidence"]
        assert r["polarity"] in ("concern", "strength")
    assert rows(graph, "claim-evidence", council="Dudley", topic="Caseloads") == got


def test_claim_evidence_by_topic_label(graph: EmbeddedStore) -> None:
    got = rows(graph, "claim-evidence", council="Wolverhampton", topic="staff turnover")
    assert [r["document"] for r in got] and {r["document"] for r in got} == {D004}


# ---------------------------------------------------------------------------------------------------
# (9) topics by grade
# ---------------------------------------------------------------------------------------------------


def test_topics_by_grade(graph: EmbeddedStore) -> None:
    got = {r["topic"]: r for r in rows(graph, "topics-by-grade")}
    # Dudley (inadequate) and Wolverhampton (good) both have caseloads raised as a concern
    assert (got["caseloads"]["grade_councils"], got["caseloads"]["versus_councils"]) == (1, 1)
    assert got["caseloads"]["grade_pct"] == 100 and got["caseloads"]["versus_pct"] == 100
    # visits were a concern for Dudley (003) and not for Wolverhampton
    assert (got["visits"]["grade_councils"], got["visits"]["versus_councils"]) == (1, 0)


def test_topics_by_grade_other_grades_give_nothing(graph: EmbeddedStore) -> None:
    assert rows(graph, "topics-by-grade", grade="outstanding", versus="requires-improvement") == []


# ---------------------------------------------------------------------------------------------------
# (10) persistent issues
# ---------------------------------------------------------------------------------------------------


def test_persistent_issues(graph: EmbeddedStore) -> None:
    got = {r["topic"]: r for r in rows(graph, "persistent-issues", council="Dudley")}
    # caseloads: 000, 001 (published 2018-08-31), 003; staff turnover: 001 and 002
    assert got["caseloads"]["documents"] >= 2
    assert {D000, D001} <= set(got["caseloads"]["in_documents"].split())
    assert got["staff-turnover"]["documents"] >= 2
    assert all(r["documents"] >= 2 for r in got.values())
    # Wolverhampton has a single document: nothing can recur
    assert rows(graph, "persistent-issues", council="Wolverhampton") == []


# ---------------------------------------------------------------------------------------------------
# (11) councils of a region with a concern
# ---------------------------------------------------------------------------------------------------


def test_region_concern(graph: EmbeddedStore) -> None:
    got = {r["council"]: r["documents"] for r in rows(graph, "region-concern")}
    assert set(got) == {"Dudley", "Wolverhampton"}  # both West Midlands
    assert got["Dudley"] >= 2 and got["Wolverhampton"] == 1
    assert rows(graph, "region-concern", region="london") == []
    assert rows(graph, "region-concern", topic="Caseloads", region="west midlands") == rows(graph, "region-concern")
    assert {r["council"] for r in rows(graph, "region-concern", region="west midlands",
                                       topic="staff-turnover")} == {"Dudley", "Wolverhampton"}


# ---------------------------------------------------------------------------------------------------
# (12) documents that disagree about a grade
# ---------------------------------------------------------------------------------------------------


def test_grade_disagreements_none_in_the_seeds(graph: EmbeddedStore) -> None:
    """001 and 002 agree (inadequate, April 2016); 003's grade is undated, 004 is about Wolverhampton."""
    assert rows(graph, "grade-disagreements") == []


def test_grade_disagreements_found(tmp_path: Path) -> None:
    """An invented report grading Dudley good in 2016 disagrees with 001 and 002 (inadequate, 2016-04)."""
    text = "Ofsted rated Dudley good in 2016, says this invented report."
    src = tmp_path / "900_invented.txt"
    src.write_text(text, encoding="utf-8")
    doc = seed_document("900_invented", tmp_path)
    spec = {"councils": [(DUDLEY, "Ofsted rated Dudley good")], "people": [], "inspections": [], "findings": [],
            "ratings": [(DUDLEY, "good", "2016", "Ofsted rated Dudley good in 2016")]}
    store = EmbeddedStore.in_memory(gold_quads({"900_invented": (doc, spec)}))
    got = run_named(store, "grade-disagreements").dicts()
    pairs = {(r["document_a"], r["grade_a"], r["document_b"], r["grade_b"], r["period"]) for r in got}
    assert pairs == {(D001, "inadequate", "900_invented", "good", "2016"),
                     (D002, "inadequate", "900_invented", "good", "2016")}


# ---------------------------------------------------------------------------------------------------
# Parameters: bound as terms, checked
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['Dudley" } ; DROP ALL ; #', "Dudley' } } #", 'x") || true || ("',
                                   "Dudley\n} INSERT DATA { <a:b> <a:c> <a:d> }", "<https://w3id.org/x>"])
def test_injection_is_just_an_unknown_council(gold_dir: Path, value: str) -> None:
    store = EmbeddedStore.open(gold_dir)
    before = store.graph_sizes()
    for name in ("council-findings", "council-timeline", "similar-councils"):
        with pytest.raises(QueryError, match=r"^no council is called .*; did you mean 'Dudley'\?$|^no council is"):
            rows(store, name, council=value)
    assert store.graph_sizes() == before


def test_names_are_looked_up_in_the_graph(gold_dir: Path) -> None:
    store = EmbeddedStore.open(gold_dir)
    with pytest.raises(QueryError, match=r"no council is called 'Dudly'; did you mean 'Dudley'\?"):
        rows(store, "council-findings", council="Dudly")
    with pytest.raises(QueryError, match=r"no topic is called 'caseload'; did you mean 'caseloads'\?"):
        rows(store, "claim-evidence", topic="caseload")
    with pytest.raises(QueryError, match=r"no grade is called 'bad'"):
        rows(store, "councils-by-grade", grade="bad")
    assert rows(store, "region-concern", region="WEST-MIDLANDS") == rows(store, "region-concern")


def test_unknown_param_lists_the_params() -> None:
    with pytest.raises(QueryError, match=r"has no parameter 'colour'; its parameters are: grade, area"):
        bind_params(get_query("councils-by-grade"), {"colour": "red"})


def test_unknown_query_suggests_a_name() -> None:
    with pytest.raises(QueryError, match=r"did you mean 'councils-by-grade'"):
        get_query("councils-by-grad")


def test_seed_copy_is_untouched(tmp_path: Path) -> None:
    """The hand-made reading quotes the seeds verbatim: a copy of the folder gives the same documents."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for doc_id in GOLD:
        assert seed_document(doc_id, tmp_path / "seeds").text == seed_text(doc_id)


def test_an_empty_grouped_answer_is_empty_in_every_engine(seed_build: Path) -> None:
    """rdflib gave one unbound group for an empty GROUP BY, and its OPTIONAL label then matched every label."""
    from graphkit.store import connect

    for engine in ("oxigraph", "rdflib"):
        store = connect(seed_build, engine=engine)
        assert run_named(store, "region-concern", {"region": "London", "topic": "caseloads"}).rows == [], engine
        assert len(run_named(store, "region-concern", {"region": "West Midlands", "topic": "caseloads"}).rows) == 2


@pytest.mark.parametrize("name", ["persistent-issues", "similar-councils"])
def test_gathered_lists_are_the_same_in_every_engine(name: str, seed_build: Path) -> None:
    """GROUP_CONCAT order is the engine's: a ``# list:`` column is sorted, so every engine gives one answer."""
    from graphkit.store import connect

    query = get_query(name)
    assert query.lists, "the query gathers values with GROUP_CONCAT"
    answers = {}
    for engine in ("oxigraph", "oxigraph-memory", "rdflib"):
        got = run_named(connect(seed_build, engine=engine), name, {"council": "Dudley"}).dicts()
        answers[engine] = sorted(map(str, got))
        for row in got:
            for column in query.lists:
                values = str(row[column]).split()
                assert values == sorted(values), (engine, row)
    assert answers["oxigraph"], "Dudley has rows to compare"
    assert answers["oxigraph"] == answers["oxigraph-memory"] == answers["rdflib"]


def test_a_list_header_must_name_a_column(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# name: q\n# question: Which?\n# example: graphkit query out q\n# list: nope\n"
                    "SELECT (GROUP_CONCAT(?x) AS ?xs) WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="nope"):
        load_query(path)
