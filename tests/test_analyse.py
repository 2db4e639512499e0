"""The analyses: pure functions checked on hand-made rows, their doctests, the seeds against hand counts,
and the ``graphkit analyze`` command."""

from __future__ import annotations

import doctest
import importlib
import json
import math
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest

from graphkit.analyse import (
    AnalysisError,
    GraphRows,
    centrality,
    communities,
    communities_table,
    cooccurrence_graph,
    cooccurrence_table,
    council_similarity,
    entity_graph,
    grade_timeline,
    neighbourhood,
    resolve_council,
    similarity_table,
    timeline_table,
    topic_baskets,
    topic_frequency,
    view_rows,
)
from graphkit.cli import main

ROOT = Path(__file__).resolve().parent.parent


def pairs(g: nx.Graph) -> list[tuple]:
    """A graph's edges as sorted pairs, sorted (networkx gives them in node order)."""
    return sorted(tuple(sorted(e)) for e in g.edges())


def finding(document: str, council: str, topic: str, polarity: str = "concern", **extra: str) -> dict:
    return {"document": document, "council": council, "topic": topic, "polarity": polarity, **extra}


#: Four documents about council A, one about A and B. Baskets (document, council) of concerns:
#: (d1,A) {caseloads, turnover}  (d2,A) {caseloads, turnover, agency}  (d3,A) {caseloads}
#: (d4,A) {agency}               (d4,B) {caseloads, turnover}
ROWS = [
    finding("d1", "A", "caseloads"), finding("d1", "A", "turnover"),
    finding("d2", "A", "caseloads"), finding("d2", "A", "turnover"), finding("d2", "A", "agency"),
    finding("d3", "A", "caseloads"),
    finding("d4", "A", "agency"),
    finding("d4", "B", "caseloads"), finding("d4", "B", "turnover"),
    # strengths: never counted with polarity="concern"
    finding("d1", "A", "training", "strength"), finding("d3", "A", "training", "strength"),
    finding("d3", "A", "caseloads", "strength"),  # caseloads both ways in (d3,A): once under "any"
]


# ---------------------------------------------------------------- co-occurrence


def test_baskets_are_document_and_council_pairs():
    baskets = topic_baskets(ROWS, polarity="concern")
    assert baskets == {
        ("d1", "A"): {"caseloads", "turnover"},
        ("d2", "A"): {"caseloads", "turnover", "agency"},
        ("d3", "A"): {"caseloads"},
        ("d4", "A"): {"agency"},
        ("d4", "B"): {"caseloads", "turnover"},
    }


def test_counts_jaccard_lift_by_hand():
    g = cooccurrence_graph(ROWS, polarity="concern")
    assert g.graph["baskets"] == 5
    assert {t: g.nodes[t]["frequency"] for t in g} == {"caseloads": 4, "turnover": 3, "agency": 2}
    e = g["caseloads"]["turnover"]
    assert e["weight"] == 3                                   # d1, d2, d4/B
    assert e["jaccard"] == pytest.approx(3 / (4 + 3 - 3))     # 0.75
    assert e["expected"] == pytest.approx(4 * 3 / 5)          # 2.4
    assert e["lift"] == pytest.approx(3 / 2.4)                # 1.25
    e = g["agency"]["caseloads"]
    assert e["weight"] == 1                                   # d2 only
    assert e["jaccard"] == pytest.approx(1 / (2 + 4 - 1))
    assert e["lift"] == pytest.approx(1 / (2 * 4 / 5))        # 0.625: less often than chance
    assert not g.has_edge("training", "caseloads")            # training is a strength only


def test_min_count_filters_edges_and_rare_topics():
    g = cooccurrence_graph(ROWS, polarity="concern", min_count=2)
    assert pairs(g) == [("caseloads", "turnover")]
    assert set(g) == {"caseloads", "turnover", "agency"}      # agency is in 2 baskets: kept, alone
    g3 = cooccurrence_graph(ROWS, polarity="concern", min_count=3)
    assert set(g3) == {"caseloads", "turnover"} and g3["caseloads"]["turnover"]["weight"] == 3
    assert cooccurrence_graph(ROWS, polarity="concern", min_count=5).number_of_nodes() == 0


def test_polarity_filter():
    strength = cooccurrence_graph(ROWS, polarity="strength")
    assert strength.graph["baskets"] == 2                     # (d1,A) {training}, (d3,A) {training, caseloads}
    assert pairs(strength) == [("caseloads", "training")]
    both = cooccurrence_graph(ROWS, polarity="any")
    assert both.nodes["caseloads"]["frequency"] == 4          # (d3,A) holds caseloads twice, counted once
    assert both["caseloads"]["training"]["weight"] == 2       # d1 and d3
    with pytest.raises(AnalysisError, match="unknown polarity 'bad'"):
        cooccurrence_graph(ROWS, polarity="bad")
    with pytest.raises(AnalysisError, match="min_count"):
        cooccurrence_graph(ROWS, min_count=0)


def test_council_filter_and_table_order():
    g = cooccurrence_graph(ROWS, polarity="concern", council="B")
    assert g.graph["baskets"] == 1 and pairs(g) == [("caseloads", "turnover")]
    table = cooccurrence_table(cooccurrence_graph(ROWS, polarity="concern"))
    assert [(r["topic_a"], r["topic_b"], r["count"]) for r in table] == [
        ("caseloads", "turnover", 3), ("agency", "turnover", 1), ("agency", "caseloads", 1)]


def test_topic_frequency_by_polarity():
    rows = {r["topic"]: (r["concern"], r["strength"]) for r in topic_frequency(ROWS)}
    assert rows == {"caseloads": (4, 1), "turnover": (3, 0), "agency": (2, 0), "training": (0, 2)}


# ---------------------------------------------------------------- similarity


def test_council_similarity_by_hand():
    rows = [finding("d1", "A", "x"), finding("d2", "A", "x"), finding("d1", "A", "y"),
            finding("d3", "B", "x"), finding("d3", "B", "z"), finding("d4", "C", "w"),
            finding("d5", "C", "x", "strength")]
    g = council_similarity(rows)                              # concerns: A {x:2, y:1}, B {x:1, z:1}, C {w:1}
    assert pairs(g) == [("A", "B")]
    e = g["A"]["B"]
    assert e["shared"] == 1
    assert e["jaccard"] == pytest.approx(1 / 3)
    assert e["cosine"] == pytest.approx(2 / (math.sqrt(5) * math.sqrt(2)))
    assert council_similarity(rows, polarity="any").has_edge("A", "C")   # via the strength x of C
    assert council_similarity(rows, min_shared=2).number_of_edges() == 0
    assert [r["council_b"] for r in similarity_table(g, council="B")] == ["A"]


# ---------------------------------------------------------------- entity graph, centrality, communities


def hand_rows() -> GraphRows:
    doc = {"doc": "D1", "document": "d1", "type": "Article", "title": "Dudley story", "published": "2018-08-31"}
    return GraphRows(
        documents=[doc, {"doc": "D2", "document": "d2", "type": "Article", "title": None, "published": None}],
        mentions=[{"document": "d1", "council": "C1", "councilLabel": "Dudley", "quote": "In Dudley."},
                  {"document": "d2", "council": "C1", "councilLabel": "Dudley", "quote": "Dudley again."},
                  {"document": "d2", "council": "C2", "councilLabel": "Sandwell", "quote": "And Sandwell."}],
        findings=[finding("d1", "C1", "caseloads", quote="Caseloads are high.", councilLabel="Dudley"),
                  finding("d2", "C1", "caseloads", quote="Still high.", councilLabel="Dudley"),
                  finding("d2", "C1", "caseloads", "strength", quote="Falling.", councilLabel="Dudley")],
        people=[{"document": "d1", "person": "P1", "name": "Eleanor Brazil", "role": "commissioner",
                 "organisation": "C1", "organisationLabel": "Dudley", "isCouncil": "true", "title": None,
                 "quote": "Commissioner Eleanor Brazil."},
                {"document": "d2", "person": "P1", "name": "Eleanor Brazil", "role": "commissioner",
                 "organisation": "C2", "organisationLabel": "Sandwell", "isCouncil": "true", "title": None,
                 "quote": "Eleanor Brazil in Sandwell."}],
        judgements=[{"document": "d1", "council": "C1", "councilLabel": "Dudley", "grade": "inadequate",
                     "area": "overall", "date": "2016-04", "quote": "Judged inadequate."}],
        inspections=[{"document": "d1", "council": "C1", "councilLabel": "Dudley", "kind": "monitoring-visit",
                      "date": "2018-07", "quote": "A visit in July."}],
    )


def test_entity_graph_folds_facts_and_keeps_evidence():
    g = entity_graph(hand_rows())
    kinds = sorted(d["kind"] for _, d in g.nodes(data=True))
    assert kinds == ["council", "council", "document", "document", "grade", "inspection", "person", "topic"]
    edge = g.edges["C1", "topic:caseloads"]
    assert edge["weight"] == 3 and edge["concern"] == 2 and edge["strength"] == 1
    assert edge["kind"] == "concern-strength"
    assert [e["quote"] for e in edge["evidence"]] == ["Caseloads are high.", "Still high.", "Falling."]
    assert edge["evidence"][0] == {"quote": "Caseloads are high.", "document": "d1", "title": "Dudley story"}
    assert g.nodes["D2"]["label"] == "d2"                    # no title: the document id
    assert g.edges["C1", "grade:inadequate"]["label"] == "2016-04"
    assert set(neighbourhood(g, "C2")) == {"C2", "D2", "P1"}
    with pytest.raises(AnalysisError, match="Slough has no facts"):
        neighbourhood(g, "C9", name="Slough")


def test_centrality_finds_the_bridge():
    g = entity_graph(hand_rows())
    rows = centrality(g)
    assert {r["kind"] for r in rows} == {"council", "person"}
    assert rows[0]["label"] == "Dudley"
    brazil = next(r for r in rows if r["label"] == "Eleanor Brazil")
    assert brazil["betweenness"] > 0                         # she links Dudley and Sandwell
    assert [r["node"] for r in centrality(g, kinds=None)][:1] == ["C1"]


def test_centrality_sampling_is_seeded():
    g = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=3)
    first = centrality(g, kinds=None, exact_limit=100, sample=50, seed=7)
    again = centrality(g, kinds=None, exact_limit=100, sample=50, seed=7)
    assert first == again


def test_communities_are_seeded_and_stable():
    g = nx.planted_partition_graph(4, 25, 0.5, 0.02, seed=11)
    runs = [communities(g, seed=5) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0]) == 4 and all(len(c) == 25 for c in runs[0])
    sizes = [len(c) for c in communities(nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(3)))]
    assert sizes == [5, 3]                                   # largest first
    table = communities_table(g, runs[0])
    assert [r["community"] for r in table] == [1, 2, 3, 4] and table[0]["size"] == 25
    assert communities(nx.Graph()) == []


# ---------------------------------------------------------------- timeline, councils


def test_grade_timeline_folds_repeats_and_puts_undated_last():
    rows = [
        {"document": "d3", "council": "C", "councilLabel": "Dudley", "grade": "inadequate", "date": None},
        {"document": "d2", "council": "C", "councilLabel": "Dudley", "grade": "good", "date": "2018-12"},
        {"document": "d1", "council": "C", "councilLabel": "Dudley", "grade": "inadequate", "date": "2016-04"},
        {"document": "d5", "council": "C", "councilLabel": "Dudley", "grade": "inadequate", "date": "2016-04"},
        {"document": "d4", "council": "C", "councilLabel": "Dudley", "grade": "good", "date": "2018-12",
         "area": "leaders"},
        {"document": "d6", "council": "W", "councilLabel": "Wolverhampton", "grade": "good", "date": "2017"},
    ]
    timeline = grade_timeline(rows)
    assert list(timeline) == ["Dudley", "Wolverhampton"]
    assert [(e.date, e.grade, e.sources) for e in timeline["Dudley"]] == [
        ("2016-04", "inadequate", ("d1", "d5")), ("2018-12", "good", ("d2",)), (None, "inadequate", ("d3",))]
    assert len(grade_timeline(rows, area=None)["Dudley"]) == 4
    assert list(grade_timeline(rows, council="W")) == ["Wolverhampton"]
    assert timeline_table(timeline)[0] == {"council": "Dudley", "date": "2016-04", "grade": "inadequate",
                                           "area": "overall", "sources": ["d1", "d5"], "reports": 2}


HULL = ("C2", "Kingston upon Hull, City of")
NAMES = {"dudley": ("C1", "Dudley"), "e08000027": ("C1", "Dudley"), "kingston upon hull, city of": HULL, "hull": HULL}


@pytest.mark.parametrize("name", ["Dudley", "DUDLEY", "  dudley ", "E08000027"], ids=["label", "case", "space", "gss"])
def test_resolve_council(name):
    assert resolve_council(name, NAMES) == ("C1", "Dudley")


def test_resolve_council_alias_and_typo():
    assert resolve_council("Hull", NAMES)[1] == "Kingston upon Hull, City of"
    with pytest.raises(AnalysisError, match="did you mean Dudley"):
        resolve_council("Dudly", NAMES)
    with pytest.raises(AnalysisError, match="no council called 'Atlantis'"):
        resolve_council("Atlantis", NAMES)


# ---------------------------------------------------------------- doctests

MODULES = ["graphkit.analyse.rows", "graphkit.analyse.cooccurrence", "graphkit.analyse.similarity",
           "graphkit.analyse.entities", "graphkit.analyse.centrality", "graphkit.analyse.communities",
           "graphkit.analyse.timeline", "graphkit.viz.page", "graphkit.viz.views", "graphkit.viz.layout",
           "graphkit.viz.charts", "graphkit.viz.report"]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


# ---------------------------------------------------------------- the seeds, against hand counts


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    """The seeds built once for this module (the analyses only read it)."""
    from graphkit.pipeline import build

    out = tmp_path_factory.mktemp("seeds-analyse")
    report = build([ROOT / "seeds"], out)
    assert report.ok, report.errors
    return out


@pytest.fixture(scope="module")
def seed_findings(seed_out):
    from graphkit.store.embedded import open_store

    return view_rows(open_store(seed_out), "findings")


#: Concern baskets of the seeds, from the required concern items of ../shared/eval/gold/seeds/*.json
#: (optional items and the one either-or item of 003 left out):
#:   000 Dudley: assessment-quality caseloads quality-assurance supervision timeliness
#:   001 Dudley: caseloads management-oversight recruitment-retention staff-turnover timeliness
#:   002 Dudley: agency-staff assessment-quality management-oversight planning recruitment-retention
#:               staff-turnover   (+ timeliness, optional)
#:   003 Dudley: allocation assessment-quality assessment-timeliness caseloads performance-data
#:               quality-assurance recording timeliness visits
#:   004 Wolverhampton: caseloads management-oversight recruitment-retention staff-turnover timeliness
#: Timeliness is optional in 002, so its pairs are checked only with caseloads (absent from 002).
HAND_TOPICS = ["agency-staff", "allocation", "assessment-quality", "assessment-timeliness", "caseloads",
               "management-oversight", "performance-data", "planning", "quality-assurance", "recording",
               "recruitment-retention", "staff-turnover", "supervision", "visits"]
HAND_FREQUENCY = {
    "caseloads": 4,               # 000 001 003 004
    "assessment-quality": 3,      # 000 002 003
    "management-oversight": 3,    # 001 002 004
    "recruitment-retention": 3,   # 001 002 004
    "staff-turnover": 3,          # 001 002 004
    "quality-assurance": 2,       # 000 003
    "agency-staff": 1,            # 002
    "allocation": 1,              # 003
    "assessment-timeliness": 1,   # 003
    "performance-data": 1,        # 003
    "planning": 1,                # 002
    "recording": 1,               # 003
    "supervision": 1,             # 000
    "visits": 1,                  # 003
}
#: Every pair of HAND_TOPICS found together at least twice; all other pairs of them fewer times.
HAND_PAIRS = {
    ("management-oversight", "recruitment-retention"): 3,   # 001 002 004
    ("management-oversight", "staff-turnover"): 3,          # 001 002 004
    ("recruitment-retention", "staff-turnover"): 3,         # 001 002 004
    ("assessment-quality", "caseloads"): 2,                 # 000 003
    ("assessment-quality", "quality-assurance"): 2,         # 000 003
    ("caseloads", "quality-assurance"): 2,                  # 000 003
    ("caseloads", "management-oversight"): 2,               # 001 004
    ("caseloads", "recruitment-retention"): 2,              # 001 004
    ("caseloads", "staff-turnover"): 2,                     # 001 004
    ("caseloads", "timeliness"): 4,                         # 000 001 003 004
}


def test_seed_cooccurrence_matches_hand_counts(seed_findings):
    g = cooccurrence_graph(seed_findings, polarity="concern")
    differences = []
    for topic, expected in HAND_FREQUENCY.items():
        got = g.nodes[topic]["frequency"] if topic in g else 0
        if got != expected:
            differences.append(f"frequency of {topic}: {got}, by hand {expected}")
    pairs = [*combinations(HAND_TOPICS, 2), ("caseloads", "timeliness")]
    for a, b in pairs:
        got = g[a][b]["weight"] if g.has_edge(a, b) else 0
        expected = HAND_PAIRS.get((a, b))
        if (expected is not None and got != expected) or (expected is None and got >= 2):
            differences.append(f"{a} + {b}: {got}, by hand {expected if expected is not None else '0 or 1'}")
    assert not differences, "co-occurrence differs from the hand counts:\n  " + "\n  ".join(differences)


def test_seed_lift_and_jaccard_follow_from_counts(seed_findings):
    g = cooccurrence_graph(seed_findings, polarity="concern")
    n = g.graph["baskets"]
    for a, b, d in g.edges(data=True):
        fa, fb = g.nodes[a]["frequency"], g.nodes[b]["frequency"]
        assert d["lift"] == pytest.approx(d["weight"] * n / (fa * fb))
        assert d["jaccard"] == pytest.approx(d["weight"] / (fa + fb - d["weight"]))


# ---------------------------------------------------------------- the command


def test_analyze_command_formats(seed_out, capsys):
    assert main(["analyze", str(seed_out), "cooccurrence", "--polarity", "concern", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all({"topic_a", "topic_b", "count", "jaccard", "lift"} <= set(r) for r in rows)
    assert main(["analyze", str(seed_out), "cooccurrence", "--min-count", "2", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("topic_a,topic_b,count,jaccard,lift")
    assert all(int(line.split(",")[2]) >= 2 for line in lines[1:])
    for analysis in ("similarity", "centrality", "communities", "timeline"):
        assert main(["analyze", str(seed_out), analysis, "--limit", "3"]) == 0, analysis
        out = capsys.readouterr().out
        assert out.strip(), analysis


def test_analyze_command_council_and_errors(seed_out, capsys):
    assert main(["analyze", str(seed_out), "timeline", "--council", "wolverhampton", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["council"] for r in rows} <= {"Wolverhampton"}
    assert main(["analyze", str(seed_out), "timeline", "--council", "Dudly"]) == 1
    assert "did you mean Dudley?" in capsys.readouterr().err
    assert main(["analyze", str(seed_out), "cooccurrence", "--min-count", "0"]) == 2
    assert main(["analyze", str(seed_out), "nonsense"]) == 2
    assert main(["analyze", str(seed_out.parent / "nowhere"), "timeline"]) == 1
    err = capsys.readouterr().err
    assert "graphkit build" in err and err.count("\n") == 3


def test_every_public_name_of_the_analyses_is_imported_on_first_use() -> None:
    """``graphkit.analyse`` imports its modules lazily: a name listed in ``__all__`` but missing from the map
    of where names live (or the other way round) would fail only when someone asks for it."""
    import graphkit.analyse as analyse

    assert set(analyse.__all__) == set(analyse._HOME)
    assert all(getattr(analyse, name) is not None for name in analyse.__all__)
