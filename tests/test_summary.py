"""The build's views read in batches (graphkit.analyse.summary, document_rows) say what the whole graph says.

The build reads its cached chunks a batch of documents at a time so that its memory does not grow with the
corpus. These tests build the seeds and a few real Ofsted reports (grades by area, visits, inspectors) and
check that every batch size gives the rows, counts and graphs that reading the whole store at once gives,
and that the cut to the best-connected nodes is the cut of the whole entity graph.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphkit.analyse import GraphRows, entity_graph, grade_timeline, load_graph_rows, top_nodes
from graphkit.analyse.entities import BatchShape, batch_shape
from graphkit.analyse.rows import document_rows
from graphkit.analyse.summary import GraphSummary, summarise
from graphkit.analyse.timeline import MAX_SOURCES
from graphkit.build_index import BuildIndex
from graphkit.pipeline import build
from graphkit.publish import base_graphs, chunk_paths
from graphkit.store.embedded import open_store


@pytest.fixture(scope="module")
def mixed_out(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, shared_dir: Path) -> Path:
    src = tmp_path_factory.mktemp("mixed-src")
    for path in sorted(seeds_dir.iterdir()):
        if path.is_file():
            shutil.copy(path, src / path.name)
    for pdf in sorted((shared_dir / "corpus" / "ofsted-reports").glob("*.pdf"))[:4]:
        shutil.copy(pdf, src / pdf.name)
    out = tmp_path_factory.mktemp("mixed") / "out"
    report = build([src], out, views=False)
    assert report.ok and report.documents >= 9, report.errors
    return out


def _batches(out: Path, size: int) -> list[GraphRows]:
    return list(document_rows(_docs(out), base_graphs(out / "cache").trig, batch=size))


def _whole(out: Path) -> GraphRows:
    return load_graph_rows(open_store(out))


def _sorted(rows: list[dict[str, Any]]) -> list[tuple]:
    return sorted(tuple(sorted((k, v or "") for k, v in r.items())) for r in rows)


@pytest.mark.parametrize("size", [1, 3, 250])
def test_document_rows_are_the_rows_of_the_store(mixed_out: Path, size: int) -> None:
    whole = _whole(mixed_out)
    batches = _batches(mixed_out, size)
    assert len(batches) == -(-len(whole.documents) // size)
    for name in GraphRows.__dataclass_fields__:
        together = [r for b in batches for r in getattr(b, name)]
        assert _sorted(together) == _sorted(getattr(whole, name)), name
    assert whole.findings and whole.judgements and whole.inspections and whole.people


def _nodes(g: nx.Graph) -> dict[str, tuple]:
    return {n: (d["kind"], d["label"], {k: set(v.split(", ")) for k, v in d["details"]}) for n, d in g.nodes(data=True)}


def _edges(g: nx.Graph) -> dict[frozenset, tuple]:
    def quotes(d: dict) -> frozenset:
        return frozenset((e["quote"], e["document"], e["title"]) for e in d["evidence"])
    return {frozenset((a, b)): (d["kind"], d["weight"], set(d["label"].split("; ")), quotes(d), d["evidence_total"])
            for a, b, d in g.edges(data=True)}


def _same(a: GraphSummary, b: GraphSummary) -> None:
    assert _nodes(a.entities) == _nodes(b.entities)
    assert _edges(a.entities) == _edges(b.entities)
    assert dict(a.entities.nodes(data="links")) == dict(b.entities.nodes(data="links"))
    assert nx.utils.graphs_equal(a.cooccurrence, b.cooccurrence)
    assert a.frequency == b.frequency
    assert nx.utils.graphs_equal(a.similarity, b.similarity)
    assert a.timeline == b.timeline
    assert a.counts == b.counts
    assert a.most_connected == b.most_connected


@pytest.mark.parametrize("size", [1, 4])
def test_a_summary_in_batches_is_the_summary_of_the_whole(mixed_out: Path, size: int, tmp_path: Path) -> None:
    whole = summarise([_whole(mixed_out)], spill_dir=tmp_path)
    _same(summarise(_batches(mixed_out, size), spill_dir=tmp_path), whole)
    assert whole.counts["documents"] >= 9 and whole.counts["grades"] > 0
    assert whole.entities.number_of_nodes() == whole.entities.graph["total_nodes"]
    assert list(tmp_path.iterdir()) == []  # the spilled batches are gone


def test_the_cut_keeps_the_best_connected_nodes_of_the_whole_graph(mixed_out: Path) -> None:
    rows = _whole(mixed_out)
    full = entity_graph(rows)
    limit = 12
    cut = summarise(_batches(mixed_out, 2), max_nodes=limit, evidence_cap=1).entities
    assert set(cut) == set(top_nodes(full, limit))
    assert cut.graph["total_nodes"] == full.number_of_nodes() > limit
    for node, links in cut.nodes(data="links"):
        assert links == full.degree(node), node
    assert cut.number_of_edges() == full.subgraph(cut).number_of_edges() > 0
    for a, b, d in cut.edges(data=True):
        assert len(d["evidence"]) <= 1
        assert d["evidence_total"] == len(full.edges[a, b]["evidence"])
        assert d["weight"] == full.edges[a, b]["weight"]


def _shape_of_graph(g: nx.Graph) -> tuple[dict, dict, dict]:
    return ({n: (d["kind"], d["label"]) for n, d in g.nodes(data=True)}, dict(g.degree(weight="weight")),
            {n: set(g[n]) for n in g})


def _shape(shape: BatchShape) -> tuple[dict, dict, dict]:
    return (shape.nodes, {n: shape.weight[n] for n in shape.nodes},
            {n: shape.near.get(n, set()) for n in shape.nodes})


@pytest.mark.parametrize("size", [1, 3, 250])
def test_a_batch_shape_is_the_shape_of_its_entity_graph(mixed_out: Path, size: int) -> None:
    """The views rank nodes by ``batch_shape``: kinds, labels, weighted degrees and neighbours as networkx has them."""
    batches = _batches(mixed_out, size)
    for rows in batches:
        assert _shape(batch_shape(rows)) == _shape_of_graph(entity_graph(rows))
    assert sum(len(batch_shape(rows).nodes) for rows in batches) > len(batches)


def test_a_batch_shape_counts_loops_and_facts_without_a_document_row() -> None:
    """A loop (a person recorded as their own organisation) counts twice, as networkx counts it, and a fact
    whose document has no row still gets its document node."""
    rows = GraphRows(
        documents=[{"doc": "D1", "document": "d1", "title": "T"}],
        people=[{"document": "d1", "person": "P", "name": "Ann", "organisation": "P", "organisationLabel": "Ann",
                 "isCouncil": "false", "quote": "q"},
                {"document": "d2", "person": "P", "name": "Ann", "organisation": "P", "isCouncil": "false",
                 "quote": "r"}],
        mentions=[{"document": "d2", "council": "C", "quote": "s"}])
    shape, graph = batch_shape(rows), entity_graph(rows)
    assert _shape(shape) == _shape_of_graph(graph)
    assert shape.weight["P"] == graph.degree("P", weight="weight") and "P" in shape.near["P"]
    assert shape.nodes["doc:d2"] == ("document", "d2")


def test_the_cut_has_the_data_and_order_of_the_whole_graph(mixed_out: Path) -> None:
    """Pass 2 works out labels and details for kept nodes only: the cut must still be the whole graph's
    subgraph, node for node and link for link, in the same order."""
    rows = _whole(mixed_out)
    full = entity_graph(rows)
    limit = full.number_of_nodes() // 3
    cut = summarise([rows], max_nodes=limit).entities
    assert 0 < cut.number_of_nodes() == limit
    assert [(n, {k: v for k, v in d.items() if k != "links"}) for n, d in cut.nodes(data=True)] == \
        [(n, d) for n, d in full.nodes(data=True) if n in cut]
    assert list(cut.edges(data=True)) == [(a, b, d) for a, b, d in full.edges(data=True) if a in cut and b in cut]
    assert any(d["details"] for _, d in cut.nodes(data=True)) and cut.number_of_edges() > 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_fold_leaves_the_garbage_collector_as_it_found_it(mixed_out: Path, enabled: bool, tmp_path: Path) -> None:
    """The fold pauses the cyclic garbage collector (its rows make no cycles); the caller's setting comes back,
    also when the batches fail."""
    import gc

    def failing() -> Iterator[GraphRows]:
        yield from _batches(mixed_out, 3)
        raise OSError("a chunk went away")

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert summarise(_batches(mixed_out, 3), spill_dir=tmp_path).counts["documents"] >= 9
        assert gc.isenabled() is enabled
        with pytest.raises(OSError, match="went away"):
            summarise(failing(), spill_dir=tmp_path)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_timeline_lists_the_first_sources_and_counts_them_all() -> None:
    rows = [{"document": f"d{i:03d}", "council": "C", "councilLabel": "Dudley", "grade": "good", "date": "2019-01"}
            for i in range(MAX_SOURCES + 7, 0, -1)]
    (event,) = grade_timeline(rows)["Dudley"]
    assert event.reports == MAX_SOURCES + 7
    assert event.sources == tuple(f"d{i:03d}" for i in range(1, MAX_SOURCES + 1))


def _docs(out: Path) -> list[tuple[str, Path]]:
    cache = out / "cache"
    with BuildIndex(cache) as index:
        return [(doc_id, chunk_paths(cache / "docs", key)[0]) for doc_id, key, _ in index.last_entries()]


@pytest.mark.parametrize("size", [1, 3])
def test_cached_rows_are_the_rows_queried_in_the_same_order(mixed_out: Path, size: int, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document's rows are cached on first reading; read back, the batches are exactly the same."""
    from graphkit.analyse import rows as rows_module

    base = base_graphs(mixed_out / "cache").trig
    cache_dir = tmp_path / "rows"
    cache_dir.mkdir()
    first = list(document_rows(_docs(mixed_out), base, cache_dir=cache_dir, batch=size))
    assert len(list(cache_dir.glob("*.json"))) == len(_docs(mixed_out))
    for name in GraphRows.__dataclass_fields__:  # the same rows as the whole store has
        together = [r for b in first for r in getattr(b, name)]
        assert _sorted(together) == _sorted(getattr(_whole(mixed_out), name)), name

    def no_query(*args: object) -> None:
        raise AssertionError("a cached document was queried again")

    monkeypatch.setattr(rows_module, "_query", no_query)
    assert list(document_rows(_docs(mixed_out), base, cache_dir=cache_dir, batch=size)) == first
    monkeypatch.undo()
    # A damaged cache file is queried again, and the batches stay the same.
    victim = sorted(cache_dir.glob("*.json"))[2]
    victim.write_text("{not json", encoding="utf-8")
    assert list(document_rows(_docs(mixed_out), base, cache_dir=cache_dir, batch=size)) == first
    assert victim.read_text(encoding="utf-8").startswith("{\"documents\"")


def test_analyses_read_the_rows_of_the_store_from_the_cache(mixed_out: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """``graphkit analyze`` and ``viz`` read a build's cached rows: exactly the store's rows, in its order."""
    from graphkit.analyse.built import built_rows
    from graphkit.cli import main

    out = tmp_path / "out"
    shutil.copytree(mixed_out, out)
    shutil.rmtree(out / "cache" / "rows", ignore_errors=True)
    store = open_store(out)
    whole = load_graph_rows(store)
    assert built_rows(out, store) == whole  # rows queried from the chunks, and cached
    rows_dir, = (out / "cache" / "rows").iterdir()
    assert len(list(rows_dir.glob("*.json"))) == len(whole.documents)
    assert built_rows(out, store) == whole  # read back from the cache
    assert built_rows(out, store, ["findings"]).findings == whole.findings

    def printed(folder: Path) -> list[str]:
        said = []
        for analysis in ("cooccurrence", "similarity", "centrality", "communities", "timeline"):
            assert main(["analyze", str(folder), analysis, "--format", "json"]) == 0
            said.append(capsys.readouterr().out)
        return said

    from_cache = printed(out)
    shutil.rmtree(out / "cache")  # no cache: the store answers, and must say the same
    assert printed(out) == from_cache
