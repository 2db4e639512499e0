"""Incremental builds, checked through what ``graphkit build`` prints and what the graph then holds.

The seeds are copied to a temporary folder; one is changed, then one is deleted, and each rebuild must
re-extract only what changed, reuse the rest, and drop the graph of a document that is gone.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.build_index import INDEX_FILE, BuildIndex
from graphkit.cli import main
from graphkit.store.embedded import EmbeddedStore

GRAPH = "https://w3id.org/graphkit/graph/doc/"
COUNTS = re.compile(r"built (\d+) documents \((\d+) extracted, (\d+) reused, (\d+) removed, (\d+) failed\)")


def build(src: Path, out: Path, capsys: pytest.CaptureFixture) -> dict[str, int]:
    """Run ``graphkit build SRC --out OUT`` and read the counts it prints."""
    assert main(["build", str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    m = COUNTS.search(printed)
    assert m, printed
    docs, extracted, reused, removed, failed = map(int, m.groups())
    return {"documents": docs, "extracted": extracted, "reused": reused, "removed": removed, "failed": failed}


def doc_graphs(out: Path) -> dict[str, int]:
    """The document graphs of the built store, by document id, with their sizes."""
    with EmbeddedStore.open(out) as store:
        return {g[len(GRAPH):]: n for g, n in store.graph_sizes().items() if g.startswith(GRAPH)}


def content_hash(out: Path, doc_id: str) -> str:
    with EmbeddedStore.open(out) as store:
        rows = store.query("SELECT ?h WHERE { ?d <http://purl.org/dc/terms/identifier> ?id ; "
                           "<https://w3id.org/graphkit/ontology#contentHash> ?h }",
                           {"id": ox.Literal(doc_id)}).dicts()
    assert len(rows) == 1
    return rows[0]["h"]


@pytest.fixture()
def src(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(seeds_dir, folder)
    return folder


def test_change_one_then_delete_one(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    ids = sorted(p.stem for p in src.glob("*.txt"))
    assert len(ids) == 5

    first = build(src, out, capsys)
    assert first == {"documents": 5, "extracted": 5, "reused": 0, "removed": 0, "failed": 0}
    assert set(doc_graphs(out)) == set(ids)

    # nothing changed: nothing is extracted again
    assert build(src, out, capsys) == {"documents": 5, "extracted": 0, "reused": 5, "removed": 0, "failed": 0}

    # change one seed: 1 extracted, 4 reused, and its graph now describes the new bytes
    changed = src / f"{ids[4]}.txt"
    old_hash = content_hash(out, ids[4])
    before = doc_graphs(out)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nInspectors said caseloads remain too high.\n",
                       encoding="utf-8")
    second = build(src, out, capsys)
    assert second == {"documents": 5, "extracted": 1, "reused": 4, "removed": 0, "failed": 0}
    assert content_hash(out, ids[4]) != old_hash
    after = doc_graphs(out)
    assert {d: after[d] for d in ids[:4]} == {d: before[d] for d in ids[:4]}  # the others untouched

    # delete one: 1 removed, and its graph is gone from the store and from graph.trig
    gone = ids[0]
    (src / f"{gone}.txt").unlink()
    third = build(src, out, capsys)
    assert third == {"documents": 4, "extracted": 0, "reused": 4, "removed": 1, "failed": 0}
    assert set(doc_graphs(out)) == set(ids[1:])
    assert gone not in (out / "graph.trig").read_text(encoding="utf-8")
    with EmbeddedStore.open(out) as store:
        assert not store.query("ASK { ?d <http://purl.org/dc/terms/identifier> ?id }",
                               {"id": ox.Literal(gone)}).boolean
    # the cache keeps one TriG and one Turtle chunk per live document
    assert len(list((out / "cache" / "docs").glob("*.trig"))) == 4
    assert len(list((out / "cache" / "docs").glob("*.ttl"))) == 4


def test_restoring_a_file_reuses_nothing_stale(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Put a deleted seed back: it is extracted again (its cache entry was dropped) and comes back whole."""
    out = tmp_path / "out"
    build(src, out, capsys)
    full = doc_graphs(out)
    victim = sorted(src.glob("*.txt"))[1]
    saved = victim.read_bytes()
    victim.unlink()
    assert build(src, out, capsys)["removed"] == 1
    victim.write_bytes(saved)
    again = build(src, out, capsys)
    assert (again["extracted"], again["reused"], again["removed"]) == (1, 4, 0)
    assert doc_graphs(out) == full


def test_rebuild_gives_the_same_files(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """An incremental rebuild after a change and its undoing writes the very same graph as a clean build."""
    out = tmp_path / "out"
    build(src, out, capsys)
    clean = (out / "graph.trig").read_bytes()
    target = sorted(src.glob("*.txt"))[2]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "\nMore text.\n", encoding="utf-8")
    build(src, out, capsys)
    target.write_text(text, encoding="utf-8")
    build(src, out, capsys)
    assert (out / "graph.trig").read_bytes() == clean


def _dataset(out: Path) -> set[str]:
    with EmbeddedStore.open(out) as store:
        return {str(q) for q in store.quads()}


def _append_a_grade(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\nOfsted rated Walsall Council inadequate.\n", encoding="utf-8")


def test_a_store_edited_in_place_equals_one_loaded_whole(src: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    """Change, delete and add documents: the edited store and files equal those of a clean build."""
    out = tmp_path / "out"
    build(src, out, capsys)
    files = sorted(src.glob("*.txt"))
    _append_a_grade(files[0])
    files[1].unlink()
    (src / "new.txt").write_text("Sandwell Council's children's services were judged good by Ofsted in 2024.\n",
                                 encoding="utf-8")
    assert main(["build", str(src), "--out", str(out)]) == 0
    assert "store edited in place" in capsys.readouterr().out
    clean = tmp_path / "clean"
    assert main(["build", str(src), "--out", str(clean)]) == 0
    assert "store loaded whole" in capsys.readouterr().out
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert _dataset(out) == _dataset(clean)


def test_a_store_without_its_record_is_loaded_whole(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A build killed between swapping the store in and recording it leaves no record: reload, not trust."""
    out = tmp_path / "out"
    build(src, out, capsys)
    before = _dataset(out)
    with BuildIndex(out / "cache") as index:  # as a build killed just after swapping the store in leaves it
        index.forget_held()
    assert main(["build", str(src), "--out", str(out)]) == 0
    assert "store loaded whole" in capsys.readouterr().out
    assert _dataset(out) == before


def test_a_damaged_index_costs_a_build_from_scratch_not_a_wrong_graph(src: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture) -> None:
    """The build's on-disk index overwritten with junk: the next build starts it again and the graph is right."""
    out = tmp_path / "out"
    build(src, out, capsys)
    before = _dataset(out)
    trig = (out / "graph.trig").read_bytes()
    for suffix in ("-wal", "-shm"):
        (out / "cache" / f"{INDEX_FILE}{suffix}").unlink(missing_ok=True)
    (out / "cache" / INDEX_FILE).write_bytes(b"not a database" * 100)
    assert main(["build", str(src), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "store loaded whole" in said and "0 reused" in said
    assert _dataset(out) == before
    assert (out / "graph.trig").read_bytes() == trig


def test_links_to_reports_follow_incremental_changes(tmp_path: Path, seeds_dir: Path, shared_dir: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    """Links from news inspections to a report's are redone for what changed, and equal a clean build's."""
    report = shared_dir / "corpus" / "ofsted-reports" / "dudley_2016-04-05.pdf"
    if not report.is_file():
        pytest.skip("the Dudley 2016 report is not in ../shared/corpus")
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    shutil.copy(report, src / report.name)
    out = tmp_path / "out"

    def links() -> int:
        with EmbeddedStore.open(out) as store:
            return len(store.query("SELECT * WHERE { ?a <https://w3id.org/graphkit/ontology#sameInspectionAs> ?b }"))

    build(src, out, capsys)
    assert links() == 2  # the two Dudley 2016 articles
    article = sorted(src.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nMore work is needed, Ofsted said.\n",
                       encoding="utf-8")
    build(src, out, capsys)
    assert links() == 2
    (src / report.name).unlink()
    assert build(src, out, capsys)["removed"] == 1
    assert links() == 0
    shutil.copy(report, src / report.name)
    build(src, out, capsys)
    assert links() == 2
    clean = tmp_path / "clean"
    build(src, clean, capsys)
    assert (out / "graph.trig").read_bytes() == (clean / "graph.trig").read_bytes()
    assert _dataset(out) == _dataset(clean)


def test_a_touched_file_is_reused_and_full_rereads_what_size_and_time_hide(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Size and modification time stand for a file's bytes, as in make and git; ``--full`` rereads all."""
    import os

    out = tmp_path / "out"
    build(src, out, capsys)
    target = sorted(src.glob("*.txt"))[3]
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same bytes
    assert build(src, out, capsys)["reused"] == 5
    # same size, and the old time put back: the change goes unseen until --full
    text = target.read_bytes()
    swapped = text.replace(b"Ofsted", b"OFSTED", 1)
    assert swapped != text and len(swapped) == len(text)
    stat = target.stat()
    target.write_bytes(swapped)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert build(src, out, capsys)["extracted"] == 0
    assert main(["build", str(src), "--out", str(out), "--full"]) == 0
    assert "(1 extracted, 4 reused" in capsys.readouterr().out


def test_no_files_then_export_gives_the_files_of_a_build_with_them(src: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    """``--no-files`` leaves graph.trig/ttl out (removing stale ones); ``export`` writes a build's very files."""
    out = tmp_path / "out"
    build(src, out, capsys)
    files = sorted(src.glob("*.txt"))
    _append_a_grade(files[0])
    assert main(["build", str(src), "--out", str(out), "--no-files", "--no-views"]) == 0
    said = capsys.readouterr().out
    assert "store edited in place" in said and f"graphkit export {out}" in said
    assert not (out / "graph.trig").exists() and not (out / "graph.ttl").exists()  # they would not match the store
    assert main(["validate", str(out)]) != 0
    assert "graphkit export" in capsys.readouterr().err
    assert main(["export", str(out)]) == 0
    clean = tmp_path / "clean"
    build(src, clean, capsys)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    # A build with files after one without writes them even though the store is unchanged.
    (out / "graph.ttl").unlink()
    assert main(["build", str(src), "--out", str(out), "--no-views"]) == 0
    assert "store unchanged" in capsys.readouterr().out
    assert (out / "graph.ttl").read_bytes() == (clean / "graph.ttl").read_bytes()


def test_export_without_a_build_says_so(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", str(tmp_path / "nothing")]) != 0
    err = capsys.readouterr().err
    assert "run graphkit build first" in err and len(err.strip().splitlines()) == 1


def test_a_new_extractor_reextracts_every_document_then_reuses_them(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files that look unchanged are taken over in one SQL step, but only for the extractor that made them."""
    import graphkit.pipeline as pipeline

    out = tmp_path / "out"
    build(src, out, capsys)
    monkeypatch.setattr(pipeline, "extractor_fingerprint", lambda: "a-new-extractor")
    assert build(src, out, capsys)["extracted"] == 5
    assert build(src, out, capsys)["reused"] == 5
    with BuildIndex(out / "cache") as index:
        assert index.keys_by() == "a-new-extractor"


def test_a_kept_old_extraction_is_never_taken_for_a_new_extractors(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be read keeps the graph an older extractor made; once readable, it is redone."""
    import graphkit.pipeline as pipeline
    from graphkit.errors import ReadError

    out = tmp_path / "out"
    build(src, out, capsys)
    victim = str(sorted(src.glob("*.txt"))[2])
    real_read = pipeline.read_bytes

    def flaky_read(path: Path) -> bytes:
        if str(path) == victim:
            raise ReadError(path, "could not be read just now")
        return real_read(path)

    monkeypatch.setattr(pipeline, "extractor_fingerprint", lambda: "a-new-extractor")
    monkeypatch.setattr(pipeline, "read_bytes", flaky_read)
    report = pipeline.build([src], out, views=False)
    assert (report.extracted, [str(e.path) for e in report.errors]) == (4, [victim])
    monkeypatch.setattr(pipeline, "read_bytes", real_read)
    # The victim's file looks as it did, but its key is the old extractor's: it must be extracted again.
    assert build(src, out, capsys)["extracted"] == 1
    assert build(src, out, capsys)["reused"] == 5


def test_a_second_file_with_a_taken_id_is_reported_and_the_first_kept(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    first = sorted(src.glob("*.txt"))[0]
    (src / "zz").mkdir()
    (src / "zz" / first.name).write_text("Walsall Council was judged inadequate by Ofsted.\n", encoding="utf-8")
    for _ in range(2):  # and the same when nothing changed
        assert main(["build", str(src), "--out", str(out), "--no-views"]) == 1
        captured = capsys.readouterr()
        errors = captured.err.strip().splitlines()
        assert len(errors) == 1 and "already taken by" in errors[0] and str(src / "zz" / first.name) in errors[0]
        assert "built 5 documents" in captured.out
    assert content_hash(out, first.stem) == content_hash_of(first)


def content_hash_of(path: Path) -> str:
    from graphkit.documents.model import content_hash as digest

    return digest(path.read_bytes())


def test_a_cached_chunk_deleted_by_hand_is_extracted_again(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    build(src, out, capsys)
    before = (out / "graph.trig").read_bytes()
    chunk = sorted((out / "cache" / "docs").glob("*.ttl"))[1]
    chunk.unlink()
    counts = build(src, out, capsys)
    assert (counts["extracted"], counts["reused"]) == (1, 4)
    assert chunk.is_file() and (out / "graph.trig").read_bytes() == before


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.trig", "graph.ttl")}


def test_files_rewritten_from_the_files_in_place_equal_a_clean_build(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged documents are copied from the graph files in place, in runs; the files must be a clean build's.

    Changed, added and removed documents at the start, middle and end of the id order, one step at a time;
    then a file in place edited by hand, which must not be trusted.
    """
    import graphkit.publish as publish
    from graphkit.store.chunks import Span

    spans: list[Span] = []
    done: list[Path] = []  # the files whose layout held to the end (no fall-back to the chunks)
    real_plans = publish._copy_plans

    def counted(*args: object) -> dict[str, list[object]]:
        plans = real_plans(*args)  # type: ignore[arg-type]
        for name, parts in plans.items():
            spans.extend(part for part in parts if isinstance(part, Span))
            done.append(Path(name))
        return plans  # type: ignore[return-value]

    monkeypatch.setattr(publish, "_copy_plans", counted)
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(src, out, capsys)
    seeds = sorted(src.glob("*.txt"))
    steps = [
        lambda: _append_a_grade(seeds[2]),                       # middle changed
        lambda: seeds[0].unlink(),                               # first removed
        lambda: (src / "000_first.txt").write_text("Ofsted rated Dudley Council good.\n", encoding="utf-8"),
        lambda: (src / "zzz_last.txt").write_text("Ofsted rated Walsall Council inadequate.\n", encoding="utf-8"),
        lambda: _append_a_grade(seeds[4]),                       # last of the seeds changed
    ]
    for step in steps:
        step()
        spans.clear()
        done.clear()
        build(src, out, capsys)
        assert spans and len(done) == 2, "unchanged documents were not copied from the files in place"
        shutil.rmtree(clean, ignore_errors=True)
        build(src, clean, capsys)
        assert _files(out) == _files(clean)
    # A graph file edited by hand (its size and time no longer those recorded) is written from the chunks.
    with open(out / "graph.trig", "ab") as f:
        f.write(b"# a note\n")
    _append_a_grade(seeds[3])
    spans.clear()
    done.clear()
    build(src, out, capsys)
    shutil.rmtree(clean)
    build(src, clean, capsys)
    assert _files(out) == _files(clean)
    assert [p.name for p in done] == ["graph.ttl"] and all(span.path.name == "graph.ttl" for span in spans)


def test_a_build_killed_between_moving_a_file_aside_and_in_leaves_it_recoverable(
        src: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    build(src, out, capsys)
    before = _files(out)
    (out / "graph.trig").rename(out / ".graph.trig.old")  # killed after the first rename
    (out / ".graph.ttl.old").write_bytes(b"an older file")  # killed after the second, before the removal
    assert build(src, out, capsys)["reused"] == 5
    assert _files(out) == before
    assert not any(out.glob(".graph.*"))


VIEW_PAGES = ("graph.html", "cooccurrence.html", "report.html")


def test_views_made_from_cached_rows_equal_a_clean_builds(src: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    """The views read unchanged documents' rows from the cache; after a change, a removal and an addition
    the pages must be a clean build's, and the rows of documents gone must be gone from the cache."""
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(src, out, capsys)
    rows_dir, = (out / "cache" / "rows").iterdir()
    assert len(list(rows_dir.glob("*.json"))) == 5
    seeds = sorted(src.glob("*.txt"))
    _append_a_grade(seeds[1])
    seeds[3].unlink()
    (src / "zzz_new.txt").write_text("Ofsted rated Walsall Council inadequate.\n", encoding="utf-8")
    build(src, out, capsys)
    build(src, clean, capsys)
    for name in VIEW_PAGES:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    with BuildIndex(out / "cache") as index:
        keys = {key for _, key, _ in index.last_entries()}
    assert {p.stem for p in rows_dir.glob("*.json")} == keys
