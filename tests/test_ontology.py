"""The ontology, the SKOS schemes and the SHACL shapes agree with each other and with what the builder emits.

A user relies on three promises here: every issue topic of ``issues.tsv`` is a concept the graph declares;
every class and property the builder writes is defined for analysts; and ``graphkit validate`` accepts a
graph the builder makes and rejects a broken one for the reason it names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from graphkit.cli import main
from graphkit.documents.model import Document, DocumentMetadata
from graphkit.extract import model as m
from graphkit.rdf import namespaces as ns
from graphkit.rdf.build import Quad, councils_quads, document_quads
from graphkit.rdf.namespaces import GK, OA, SKOS
from graphkit.rdf.terms import nt
from graphkit.rdf.validate import ValidationResult, validate
from graphkit.rdf.vocabulary import (
    AREA_SCHEME,
    FRAMEWORK_SCHEME,
    GRADE_SCHEME,
    KIND_SCHEME,
    POLARITY_SCHEME,
    ROLE_SCHEME,
    TOPIC_SCHEME,
    read_topics,
    topics_turtle,
    vocabulary_quads,
)
from graphkit.resources import lexicon_file, ontology_dir, ontology_file

SHARED_ISSUES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "issues.tsv"
DUDLEY = "E08000027"
WOLVERHAMPTON = "E08000031"

# --------------------------------------------------------------------------------------------------
# A small hand-made article and report, built as the pipeline would build them
# --------------------------------------------------------------------------------------------------

ARTICLE_TEXT = (
    "Dudley children's services were rated inadequate by Ofsted in April 2016. "
    "Caseloads remain too high, said Councillor Angus Lees, cabinet member for children. "
    "A monitoring visit on 10 July 2018 found managers' oversight had improved. "
    "Inspectors also made a focused visit, a joint targeted area inspection and a full inspection in 2019. "
    "Ofsted inspector Peter McEntee led a visit to Wolverhampton in March 2019."
)
REPORT_TEXT = (
    "Inspection of Dudley local authority children's services. "
    "Inspection dates: 29 October to 9 November 2018. Lead inspector: Peter McEntee. "
    "Overall effectiveness: Requires improvement to be good. "
    "Social workers' supervision is regular and reflective."
)


def _evidence(doc_id: str, text: str, quote: str, rule: str, page: int | None = None) -> m.Evidence:
    start = text.index(quote)
    return m.Evidence(doc_id, start, start + len(quote), quote, rule, page)


def _article() -> tuple[Document, m.Extraction]:
    d, t = "001_test_article", ARTICLE_TEXT

    def ev(quote: str, rule: str) -> m.Evidence:
        return _evidence(d, t, quote, rule)

    s_rated = "Dudley children's services were rated inadequate by Ofsted in April 2016."
    s_caseloads = "Caseloads remain too high, said Councillor Angus Lees, cabinet member for children."
    s_visit = "A monitoring visit on 10 July 2018 found managers' oversight had improved."
    s_more = "Inspectors also made a focused visit, a joint targeted area inspection and a full inspection in 2019."
    s_wolves = "Ofsted inspector Peter McEntee led a visit to Wolverhampton in March 2019."
    doc = Document(
        id=d,
        text=t,
        source=f"{d}.html",
        media_type="text/html",
        content_hash="a" * 64,
        metadata=DocumentMetadata(
            title="Dudley children's services", published="2018-08-31", author="Jo Reporter",
            publisher="Express & Star", url="https://example.org/dudley",
        ),
    )
    extraction = m.Extraction(
        document=d,
        councils=(m.CouncilMention(DUDLEY, ev("Dudley", "council:name")),
                  m.CouncilMention(WOLVERHAMPTON, ev("Wolverhampton", "council:name"))),
        people=(
            m.PersonRole("Angus Lees", "councillor", DUDLEY, ev(s_caseloads, "person:councillor"),
                         title="cabinet member for children"),
            m.PersonRole("Peter McEntee", "inspector", "Ofsted", ev(s_wolves, "person:inspector")),
            m.PersonRole("Jo Reporter", "journalist", None, ev("Dudley", "person:byline")),
        ),
        ratings=(m.Rating(DUDLEY, "inadequate", "2016-04", ev(s_rated, "rating:rated")),),
        inspections=(
            m.Inspection(DUDLEY, "monitoring-visit", "2018-07-10", ev(s_visit, "inspection:monitoring")),
            m.Inspection(DUDLEY, "focused-visit", "2019", ev(s_more, "inspection:focused")),
            m.Inspection(DUDLEY, "jtai", "2019", ev(s_more, "inspection:jtai")),
            m.Inspection(DUDLEY, "inspection", "2019", ev(s_more, "inspection:full"), end_date="2019-12"),
            m.Inspection(WOLVERHAMPTON, "visit", "2019-03", ev(s_wolves, "inspection:visit")),
        ),
        findings=(
            m.Finding(DUDLEY, "caseloads", "concern", ev(s_caseloads, "issue:caseloads")),
            m.Finding(DUDLEY, "management-oversight", "strength", ev(s_visit, "issue:oversight")),
        ),
    )
    return doc, extraction


def _report() -> tuple[Document, m.Extraction]:
    d, t = "report_dudley_2018", REPORT_TEXT

    def ev(quote: str, rule: str) -> m.Evidence:
        return _evidence(d, t, quote, rule, page=1)

    s_dates = "Inspection dates: 29 October to 9 November 2018."
    s_overall = "Overall effectiveness: Requires improvement to be good."
    s_supervision = "Social workers' supervision is regular and reflective."
    doc = Document(id=d, text=t, source=f"{d}.pdf", media_type="application/pdf", kind="report",
                   content_hash="b" * 64, pages=(0,),
                   metadata=DocumentMetadata(title="Inspection of Dudley", published="2018-12-14",
                                             publisher="Ofsted"))
    extraction = m.Extraction(
        document=d,
        councils=(m.CouncilMention(DUDLEY, ev("Dudley", "council:name")),),
        ratings=(m.Rating(DUDLEY, "requires-improvement", "2018-11", ev(s_overall, "rating:report")),),
        inspections=(m.Inspection(DUDLEY, "inspection", "2018-10-29", ev(s_dates, "inspection:report"),
                                  end_date="2018-11-09"),),
        findings=(m.Finding(DUDLEY, "supervision", "strength", ev(s_supervision, "issue:supervision")),),
        report=m.Report(
            council=DUDLEY, framework="ilacs-standard", lead_inspector="Peter McEntee",
            inspection_start="2018-10-29", inspection_end="2018-11-09",
            judgements=(("overall", "requires-improvement"), ("care-leavers", None)),
            inspectors=("Peter McEntee",), evidence=ev(s_dates, "report:header"),
        ),
    )
    return doc, extraction


@pytest.fixture(scope="module")
def document_quads_() -> list[Quad]:
    """The quads of the two hand-made documents' graphs."""
    return [q for doc, ex in (_article(), _report()) for q in document_quads(doc, ex)]


@pytest.fixture(scope="module")
def good_quads(document_quads_: list[Quad]) -> list[Quad]:
    """A whole small graph: two documents, the councils and the vocabulary."""
    return document_quads_ + councils_quads() + vocabulary_quads()


def _trig(quads: list[Quad]) -> str:
    """TriG text of ``quads``: each named graph as a block of N-Triples lines."""
    by_graph: dict[URIRef, list[str]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append(f"  {nt(s)} {nt(p)} {nt(o)} .\n")
    return "".join(f"{nt(g)} {{\n{''.join(lines)}}}\n" for g, lines in sorted(by_graph.items()))


def _dataset(quads: list[Quad]) -> Dataset:
    ds = Dataset()
    for q in quads:
        ds.add(q)
    return ds


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file("graphkit.ttl"))


@pytest.fixture(scope="module")
def schemes() -> Graph:
    g = Graph()
    for s, p, o, _ in vocabulary_quads():
        g.add((s, p, o))
    return g


# --------------------------------------------------------------------------------------------------
# Topics: issues.tsv and topics.ttl stay in step
# --------------------------------------------------------------------------------------------------


def _issue_tsvs() -> list:
    return [
        pytest.param(lexicon_file("issues.tsv"), id="ontology/lexicon"),
        pytest.param(
            SHARED_ISSUES, id="shared/eval",
            marks=pytest.mark.skipif(not SHARED_ISSUES.is_file(), reason=f"{SHARED_ISSUES} is absent"),
        ),
    ]


@pytest.mark.parametrize("tsv", _issue_tsvs())
def test_every_issue_id_is_a_described_topic_concept(tsv: Path, schemes: Graph) -> None:
    ids = [row.id for row in read_topics(tsv)]
    assert ids, f"{tsv} lists no topics"
    for topic_id in ids:
        concepts = [c for c in schemes.subjects(SKOS.notation, Literal(topic_id))
                    if (c, SKOS.inScheme, TOPIC_SCHEME) in schemes]
        assert concepts == [ns.topic_iri(topic_id)], f"{topic_id!r}: not exactly one topic concept"
        c = concepts[0]
        assert (c, RDF.type, SKOS.Concept) in schemes
        assert schemes.value(c, SKOS.prefLabel), f"{topic_id}: no skos:prefLabel"
        assert schemes.value(c, SKOS.definition), f"{topic_id}: no skos:definition"
        group = schemes.value(c, SKOS.broader)
        assert group is not None, f"{topic_id}: no broader group"
        assert str(group).startswith(ns.BASE + "topic-group/")
        assert (group, SKOS.topConceptOf, TOPIC_SCHEME) in schemes
        assert (group, SKOS.narrower, c) in schemes
        assert (TOPIC_SCHEME, SKOS.hasTopConcept, group) in schemes


def test_topic_groups_do_not_collide_with_topics(schemes: Graph) -> None:
    """The group "front door" and the topic front-door are different nodes; a notation names one topic."""
    front_door = ns.topic_iri("front-door")
    group = schemes.value(front_door, SKOS.broader)
    assert group == URIRef(ns.BASE + "topic-group/front-door") != front_door
    notations = [str(n) for c in schemes.subjects(SKOS.inScheme, TOPIC_SCHEME)
                 for n in schemes.objects(c, SKOS.notation)]
    assert len(notations) == len(set(notations)) == len(read_topics(lexicon_file("issues.tsv")))


def test_topics_ttl_is_what_the_tsv_generates() -> None:
    expected = topics_turtle(lexicon_file("issues.tsv"))
    actual = ontology_file("topics.ttl").read_text(encoding="utf-8")
    assert actual == expected, "ontology/topics.ttl is stale: run `python -m graphkit.rdf.vocabulary`"


def test_lexicon_issues_tsv_matches_the_shared_one() -> None:
    if not SHARED_ISSUES.is_file():
        pytest.skip(f"{SHARED_ISSUES} is absent")
    assert read_topics(lexicon_file("issues.tsv")) == read_topics(SHARED_ISSUES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("id\tgroup\tlabel\twhat\nx\tg\tX\n", "4 non-empty", id="missing-column"),
        pytest.param("id\tgroup\tlabel\twhat\nBad Id\tg\tX\tx\n", "not a lower-case slug", id="bad-id"),
        pytest.param("id\tgroup\tlabel\twhat\na\tg\tA\ta\na\tg\tA\ta\n", "appears twice", id="repeated-id"),
        pytest.param("topic\tgroup\tlabel\twhat\n", "header", id="bad-header"),
    ],
)
def test_malformed_issues_tsv_is_rejected_with_the_line(tmp_path: Path, content: str, message: str) -> None:
    tsv = tmp_path / "issues.tsv"
    tsv.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        topics_turtle(tsv)


# --------------------------------------------------------------------------------------------------
# Schemes, shapes and the extraction model agree
# --------------------------------------------------------------------------------------------------

SCHEMES = [
    pytest.param(GRADE_SCHEME, ns.GRADE, m.GRADES, id="grades"),
    pytest.param(ROLE_SCHEME, ns.ROLE, m.ROLES, id="roles"),
    pytest.param(KIND_SCHEME, ns.KIND, m.INSPECTION_KINDS, id="kinds"),
    pytest.param(POLARITY_SCHEME, ns.POLARITY, m.POLARITIES, id="polarities"),
    pytest.param(AREA_SCHEME, ns.AREA, m.JUDGEMENT_AREAS, id="areas"),
    pytest.param(FRAMEWORK_SCHEME, ns.FRAMEWORK, m.FRAMEWORKS, id="frameworks"),
]


@pytest.mark.parametrize(("scheme", "namespace", "ids"), SCHEMES)
def test_each_scheme_has_one_concept_per_model_id(
    schemes: Graph, scheme: URIRef, namespace: Namespace, ids: tuple[str, ...]
) -> None:
    members = set(schemes.subjects(SKOS.inScheme, scheme))
    assert members == {namespace[i] for i in ids}
    for c in members:
        assert schemes.value(c, SKOS.notation) == Literal(str(c).removeprefix(str(namespace)))
        assert schemes.value(c, SKOS.prefLabel) and schemes.value(c, SKOS.definition), c
        assert (c, RDF.type, SKOS.Concept) in schemes


def test_requires_improvement_has_its_report_wording(schemes: Graph) -> None:
    labels = {str(x) for x in schemes.objects(ns.grade_iri("requires-improvement"), SKOS.altLabel)}
    assert "Requires improvement to be good" in labels


def _in_lists(shapes: Graph) -> dict[URIRef, set]:
    """The sh:in list of each property shape, by its path."""
    lists: dict[URIRef, set] = {}
    for shape, head in shapes.subject_objects(SH["in"]):
        lists[shapes.value(shape, SH.path)] = set(Collection(shapes, head))
    return lists


@pytest.mark.parametrize(
    ("path", "scheme"),
    [
        pytest.param(GK.grade, GRADE_SCHEME, id="grade"),
        pytest.param(GK.polarity, POLARITY_SCHEME, id="polarity"),
        pytest.param(GK.kind, KIND_SCHEME, id="kind"),
        pytest.param(GK.area, AREA_SCHEME, id="area"),
        pytest.param(GK.framework, FRAMEWORK_SCHEME, id="framework"),
        pytest.param(ns.ORG.role, ROLE_SCHEME, id="role"),
    ],
)
def test_shapes_sh_in_lists_equal_the_schemes(schemes: Graph, path: URIRef, scheme: URIRef) -> None:
    shapes = Graph().parse(ontology_file("shapes.ttl"))
    assert _in_lists(shapes)[path] == set(schemes.subjects(SKOS.inScheme, scheme))


def test_vocabulary_quads_are_sorted_stable_and_in_the_vocabulary_graph() -> None:
    quads = vocabulary_quads()
    assert quads == vocabulary_quads()
    assert {q[3] for q in quads} == {ns.VOCABULARY_GRAPH}
    assert quads == sorted(quads, key=lambda q: tuple(nt(t) for t in q))  # the builder's order
    assert not [q for q in quads if any(isinstance(t, BNode) for t in q)], "blank nodes make unstable quads"


# --------------------------------------------------------------------------------------------------
# The ontology declares what the builder emits
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ontology_dir().rglob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef(ns.BASE + "ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo)
    assert ontology.value(onto, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://spdx.org/licenses/MIT")
    assert ontology.value(onto, RDFS.label) and ontology.value(onto, RDFS.comment)


def test_every_gk_term_the_builder_emits_is_declared(ontology: Graph, document_quads_: list[Quad]) -> None:
    used_classes = {o for _, p, o, _ in document_quads_ if p == RDF.type and o in GK}
    used_properties = {p for _, p, _, _ in document_quads_ if p in GK}
    other = {t for q in document_quads_ for t in q[:3] if isinstance(t, URIRef) and t in GK}
    assert other <= used_classes | used_properties, f"gk: terms in odd places: {other}"
    assert {GK.Finding, GK.Evidence, GK.Judgement, GK.FullInspection} <= used_classes  # the scan saw facts
    property_types = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    missing = sorted(str(c) for c in used_classes if (c, RDF.type, OWL.Class) not in ontology)
    missing += sorted(str(p) for p in used_properties if not set(ontology.objects(p, RDF.type)) & property_types)
    assert not missing, f"used by graphkit/rdf/build.py but not declared in graphkit.ttl: {missing}"


def test_every_gk_term_is_described_for_analysts(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and s in GK}
    assert len(terms) > 30
    for term in terms:
        assert ontology.value(term, RDFS.label), f"{term}: no rdfs:label"
        assert len(str(ontology.value(term, RDFS.comment) or "")) > 20, f"{term}: no rdfs:comment"


# --------------------------------------------------------------------------------------------------
# Validation: a built graph conforms; a broken one fails for the reason named
# --------------------------------------------------------------------------------------------------


def test_a_built_graph_conforms(good_quads: list[Quad]) -> None:
    result = validate(_dataset(good_quads))
    assert isinstance(result, ValidationResult)
    assert result.conforms, result.text
    assert result.triples > 0


def test_a_plain_graph_is_validated_too(good_quads: list[Quad]) -> None:
    g = Graph()
    for s, p, o, _ in good_quads:
        g.add((s, p, o))
    assert validate(g).conforms


def test_validation_does_not_change_the_data(good_quads: list[Quad]) -> None:
    ds = _dataset(good_quads)
    before = len(ds)
    validate(ds)
    assert len(ds) == before


def _subject(quads: list[Quad], cls: URIRef, prop: URIRef | None = None, value: object = None) -> URIRef:
    """The one node of class ``cls`` (with ``prop value`` when given) in ``quads``."""
    of_class = {s for s, p, o, _ in quads if p == RDF.type and o == cls}
    if prop is not None:
        of_class = {s for s, p, o, _ in quads if s in of_class and p == prop and o == value}
    assert len(of_class) == 1, f"expected one {cls}, found {of_class}"
    return next(iter(of_class))


def _graph_of(quads: list[Quad], node: URIRef) -> URIRef:
    return next(g for s, _, _, g in quads if s == node)


def _caseloads(quads: list[Quad]) -> URIRef:
    return _subject(quads, GK.Finding, GK.topic, ns.topic_iri("caseloads"))


def _second_topic(quads: list[Quad]) -> tuple[list[Quad], URIRef]:
    f = _caseloads(quads)
    return quads + [(f, GK.topic, ns.topic_iri("supervision"), _graph_of(quads, f))], f


def _no_evidence(quads: list[Quad]) -> tuple[list[Quad], URIRef]:
    f = _caseloads(quads)
    return [q for q in quads if not (q[0] == f and q[1] == GK.evidence)], f


def _grade_outside_scheme(quads: list[Quad]) -> tuple[list[Quad], URIRef]:
    j = _subject(quads, GK.Judgement, GK.grade, ns.grade_iri("inadequate"))
    swapped = [(s, p, ns.grade_iri("excellent") if (s == j and p == GK.grade) else o, g) for s, p, o, g in quads]
    return swapped, j


def _start_after_end(quads: list[Quad]) -> tuple[list[Quad], URIRef]:
    selector = next(s for s, p, _, _ in quads if p == OA.start)
    end = next(int(o) for s, p, o, _ in quads if s == selector and p == OA.end)
    moved = [(s, p, Literal(end + 1) if (s == selector and p == OA.start) else o, g) for s, p, o, g in quads]
    return moved, selector


def _topic_swap(new_topic: URIRef) -> Callable[[list[Quad]], tuple[list[Quad], URIRef]]:
    def mutate(quads: list[Quad]) -> tuple[list[Quad], URIRef]:
        f = _caseloads(quads)
        return [(s, p, new_topic if (s == f and p == GK.topic) else o, g) for s, p, o, g in quads], f

    return mutate


def _reasons(result: ValidationResult) -> set[tuple[URIRef, URIRef, URIRef]]:
    """(focus node, result path, constraint component) of every result, nested details included."""
    g = result.results_graph
    return {
        (g.value(r, SH.focusNode), g.value(r, SH.resultPath), g.value(r, SH.sourceConstraintComponent))
        for r in g.subjects(RDF.type, SH.ValidationResult)
    }


def _top_focus_nodes(result: ValidationResult) -> set:
    g = result.results_graph
    return {g.value(r, SH.focusNode) for report in g.subjects(RDF.type, SH.ValidationReport)
            for r in g.objects(report, SH.result)}


@pytest.mark.parametrize(
    ("mutate", "path", "component"),
    [
        pytest.param(_second_topic, GK.topic, SH.MaxCountConstraintComponent, id="finding-with-two-topics"),
        pytest.param(_no_evidence, GK.evidence, SH.MinCountConstraintComponent, id="finding-without-evidence"),
        pytest.param(_grade_outside_scheme, GK.grade, SH.InConstraintComponent, id="grade-not-in-scheme"),
        pytest.param(_start_after_end, OA.start, SH.LessThanOrEqualsConstraintComponent,
                     id="evidence-start-after-end"),
        pytest.param(_topic_swap(ns.topic_iri("no-such-topic")), GK.topic, SH.ClassConstraintComponent,
                     id="finding-topic-not-a-concept"),
        pytest.param(_topic_swap(ns.grade_iri("good")), GK.topic, SH.NodeConstraintComponent,
                     id="finding-topic-from-another-scheme"),
    ],
)
def test_a_broken_graph_fails_for_the_reason_named(
    good_quads: list[Quad], mutate: Callable, path: URIRef, component: URIRef
) -> None:
    quads, culprit = mutate(list(good_quads))
    result = validate(_dataset(quads))
    assert not result.conforms
    assert (culprit, path, component) in _reasons(result), result.text
    assert _top_focus_nodes(result) == {culprit}, f"other nodes failed too:\n{result.text}"


def test_validate_reads_a_trig_file(tmp_path: Path, good_quads: list[Quad]) -> None:
    path = tmp_path / "graph.trig"
    path.write_text(_trig(good_quads), encoding="utf-8")
    result = validate(path)
    assert result.conforms, result.text
    assert result.triples == len({q[:3] for q in good_quads})


# --------------------------------------------------------------------------------------------------
# graphkit validate DIR
# --------------------------------------------------------------------------------------------------


def test_cli_validate_exit_status(tmp_path: Path, good_quads: list[Quad], capsys: pytest.CaptureFixture) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "graph.trig").write_text(_trig(good_quads), encoding="utf-8")
    broken, _ = _no_evidence(list(good_quads))
    (bad / "graph.trig").write_text(_trig(broken), encoding="utf-8")

    assert main(["validate", str(good)]) == 0
    assert "conforms:" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 3
    assert "gk:evidence" in capsys.readouterr().out


def test_cli_validate_without_a_graph(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert "no such directory" in capsys.readouterr().err
    assert main(["validate", str(tmp_path)]) == 1
    assert "graph.trig" in capsys.readouterr().err


def test_cli_validate_an_unreadable_graph(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "graph.trig").write_text("<https://example.org/g> { <a> <b> }", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    assert "cannot read the graph" in capsys.readouterr().err
