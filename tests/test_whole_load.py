"""A store loaded whole while documents are still being extracted (``graphkit.store.whole_load``).

The load runs in a thread fed document by document, so what matters to a user is that the store ends up
holding exactly the graph the files describe, and that a build stopped half way, or a load that fails,
leaves the previous graph in place and no staged store behind.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

import graphkit.pipeline as pipeline
from graphkit.query.facts import facts_view
from graphkit.store import whole_load
from graphkit.store.embedded import open_store


def store_quads(out: Path) -> set[str]:
    return {str(q) for q in open_store(out)}


def file_quads(out: Path) -> set[str]:
    return {str(q) for q in ox.parse((out / "graph.trig").read_bytes(), format=ox.RdfFormat.TRIG)}


def no_staged_store_or_loader(out: Path) -> bool:
    return (not any(out.glob(".store-*"))
            and not any(t.name == "graphkit-store-load" and t.is_alive() for t in threading.enumerate()))


@pytest.fixture()
def corpus(tmp_path: Path, seeds_dir: Path, shared_dir: Path) -> Path:
    """The seeds and two report PDFs (articles' inspections link to reports: the links graph is loaded too)."""
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    for pdf in sorted((shared_dir / "corpus" / "ofsted-reports").glob("*.pdf"))[:2]:
        shutil.copy(pdf, src)
    return src


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_store_holds_exactly_the_quads_of_the_graph_files(corpus: Path, tmp_path: Path, jobs: int,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whole_load, "LOAD_BATCH_QUADS", 300)  # many loads, fed while extracting
    out = tmp_path / "out"
    report = pipeline.build([corpus], out, jobs=jobs, views=False)
    assert report.ok and report.store_update == "loaded" and report.documents == 7
    held = store_quads(out)
    assert held == file_quads(out) and len(held) == report.quads


def test_a_build_stopped_while_extracting_leaves_the_previous_graph(corpus: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build([corpus], out, views=False)
    before = (store_quads(out), (out / "graph.trig").read_bytes())
    real_work, seen = pipeline._work, []

    def interrupted(item: tuple[str, str, str]) -> object:
        seen.append(item)
        if len(seen) == 4:
            raise KeyboardInterrupt
        return real_work(item)

    monkeypatch.setattr(pipeline, "_work", interrupted)
    # A new extractor: every document is extracted again, and (--full) the store loaded whole meanwhile.
    monkeypatch.setattr(pipeline, "extractor_fingerprint", lambda: "a-new-extractor")
    with pytest.raises(KeyboardInterrupt):
        pipeline.build([corpus], out, views=False, full=True)
    assert len(seen) == 4 and no_staged_store_or_loader(out)
    assert (store_quads(out), (out / "graph.trig").read_bytes()) == before
    monkeypatch.setattr(pipeline, "_work", real_work)
    report = pipeline.build([corpus], out, views=False, full=True)
    assert (report.extracted, report.store_update) == (7, "loaded")
    assert store_quads(out) == file_quads(out)


def test_a_load_that_fails_says_why_and_leaves_the_previous_graph(corpus: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build([corpus], out, views=False)
    before = store_quads(out)

    def no_space(self: whole_load.WholeLoad, batch: list[bytes]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(whole_load.WholeLoad, "_load", no_space)
    with pytest.raises(OSError, match="No space left"):
        pipeline.build([corpus], out, views=False, full=True)
    assert no_staged_store_or_loader(out)
    assert store_quads(out) == before and len(facts_view(open_store(out))) > 0
