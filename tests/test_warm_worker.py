"""The warm worker: a rebuild extracts its few changed documents in a process that was forked and warmed
up while the build looked for them, with the same result as in the build's own process.

Also the other parts of a quick rebuild: chunk sizes kept in the index, old files removed in the
background, and no networkx imported by a build that writes no views.
"""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit import pipeline
from graphkit.build_index import BuildIndex
from graphkit.publish import CHUNK_SUFFIXES, chunk_paths
from graphkit.store.files import Removals


@pytest.fixture()
def src(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(seeds_dir, folder)
    return folder


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("graph.trig", "graph.ttl")}


def _change(path: Path, year: int) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nOfsted rated Dudley Council inadequate in {year}.\n")


def _clean_build(src: Path, clean: Path) -> dict[str, bytes]:
    shutil.rmtree(clean, ignore_errors=True)
    pipeline.build([src], clean, views=False, full=True)  # --full: no warm worker, every document here
    return _files(clean)


#: A rebuild in a fresh process (as ``graphkit build`` runs: a process that has opened a store has RocksDB's
#: threads, and forks no warm worker), with ``_work`` noting the pid of the process that runs it, and
#: dying there if that is not the build's process and ``die`` is given.
_DRIVER = """
import multiprocessing, os, sys
from graphkit import pipeline
real_work, parent, log, die = pipeline._work, os.getpid(), sys.argv[3], sys.argv[4] == "die"
def work(item):
    with open(log, "a") as f:
        f.write(f"{os.getpid()}\\n")
    if die and os.getpid() != parent:
        os._exit(3)
    return real_work(item)
pipeline._work = work
report = pipeline.build([sys.argv[1]], sys.argv[2], views=False)
print(parent, report.extracted, report.store_update, len(report.errors), len(multiprocessing.active_children()))
"""


def _rebuild_in_a_fresh_process(src: Path, out: Path, log: Path, die: bool = False) -> tuple[list[int], list[str]]:
    """(pids that ran ``_work``, [build's pid, extracted, store update, errors, children left])."""
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(src), str(out), str(log), "die" if die else "live"],
                          capture_output=True, text=True, check=True)
    pids = [int(line) for line in log.read_text(encoding="utf-8").split()] if log.exists() else []
    return pids, done.stdout.split()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_rebuild_extracts_its_changes_in_the_warm_worker_with_the_same_result(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline.build([src], out, views=False)
    seeds = sorted(src.glob("*.txt"))
    _change(seeds[1], 2031)
    _change(seeds[3], 2032)
    pids, printed = _rebuild_in_a_fresh_process(src, out, tmp_path / "pids")
    assert printed[1:] == ["2", "edited", "0", "0"]  # extracted 2, the store edited, no error, no child left
    assert len(pids) == 2 and len(set(pids)) == 1 and str(pids[0]) != printed[0], (pids, printed)
    assert _files(out) == _clean_build(src, tmp_path / "clean")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_warm_worker_that_dies_leaves_its_documents_to_the_build(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline.build([src], out, views=False)
    _change(sorted(src.glob("*.txt"))[2], 2033)
    pids, printed = _rebuild_in_a_fresh_process(src, out, tmp_path / "pids", die=True)
    assert printed[1:] == ["1", "edited", "0", "0"]
    assert len(pids) == 2 and str(pids[0]) != printed[0] and str(pids[1]) == printed[0], (pids, printed)
    assert _files(out) == _clean_build(src, tmp_path / "clean")


def test_a_rebuild_with_nothing_to_extract_stops_its_worker(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline.build([src], out, views=False)
    pids, printed = _rebuild_in_a_fresh_process(src, out, tmp_path / "pids")
    assert (pids, printed[1:]) == ([], ["0", "unchanged", "0", "0"])


_UNIT_DRIVER = """
import multiprocessing, os, threading
from graphkit.warm_worker import WarmWorker, WorkerLost
def double(x):
    if x < 0:
        os._exit(1)
    return 2 * x
warmed = threading.Event()
worker = WarmWorker.start(double, warmed.set)
print(list(worker.map([3, 1, 2])), warmed.is_set())
try:
    list(worker.map([5, -1, 7]))
except WorkerLost as lost:
    print("lost after", lost.done)
worker.stop()
worker.stop()
print(len(multiprocessing.active_children()))
"""


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_the_warm_worker_answers_in_order_and_says_when_it_is_lost() -> None:
    """In a fresh process: this one has opened stores, and RocksDB's threads keep it from forking."""
    done = subprocess.run([sys.executable, "-c", _UNIT_DRIVER], capture_output=True, text=True, check=True)
    # In order; the warm-up ran in the worker, not here; lost after one answer; stopped twice; none left.
    assert done.stdout.splitlines() == ["[6, 2, 4] False", "lost after 1", "0"]


_THREAD_DRIVER = """
import threading
from graphkit.warm_worker import WarmWorker
alone = WarmWorker.start(abs, lambda: None)
print(alone is not None)
if alone is not None:
    alone.stop()
release = threading.Event()
other = threading.Thread(target=release.wait)
other.start()
print(WarmWorker.start(abs, lambda: None) is None)
release.set()
other.join()
"""


def test_no_warm_worker_is_forked_beside_another_thread() -> None:
    """A fork copies other threads' locks as they are; in a fresh process, so that only the one started counts."""
    done = subprocess.run([sys.executable, "-c", _THREAD_DRIVER], capture_output=True, text=True, check=True)
    forks = "fork" in multiprocessing.get_all_start_methods()
    assert done.stdout.split() == [str(forks), "True"]


def test_the_index_keeps_each_chunks_size_and_learns_those_it_lacks(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipeline.build([src], out, views=False)
    cache = out / "cache"

    def sizes() -> dict[str, tuple[int | None, int | None]]:
        with BuildIndex(cache) as index:
            return {key: (trig, ttl) for _doc, key, _quads, trig, ttl in index._sized_by_id("docs")}

    kept = sizes()
    assert kept and all(
        (trig, ttl) == tuple(p.stat().st_size for p in chunk_paths(cache / "docs", key))
        for key, (trig, ttl) in kept.items())
    # An index made before it kept sizes: the next rebuild that writes the files measures and keeps them.
    with BuildIndex(cache) as index:
        index._db.execute("DELETE FROM chunk_bytes")
        index._db.commit()
    assert set(sizes().values()) == {(None, None)}
    _change(sorted(src.glob("*.txt"))[0], 2034)
    pipeline.build([src], out, views=False)
    after = sizes()
    assert None not in {size for pair in after.values() for size in pair}
    assert _files(out) == _clean_build(src, tmp_path / "clean")
    stale = set(kept) - set(after)
    assert len(stale) == 1 and not any((cache / "docs" / f"{key}{suffix}").exists()
                                       for key in stale for suffix in CHUNK_SUFFIXES)
    # Sizes not kept and a chunk to measure gone (the old chunk of the document changed next): the files
    # are written from the chunks, and are still right.
    victim = sorted(src.glob("*.txt"))[3]
    with BuildIndex(cache) as index:
        index._db.execute("DELETE FROM chunk_bytes")
        index._db.commit()
        old_key = next(key for doc, key, _quads in index.last_entries() if doc == victim.stem)
    (cache / "docs" / f"{old_key}{CHUNK_SUFFIXES[0]}").unlink()
    _change(victim, 2035)
    pipeline.build([src], out, views=False)
    assert _files(out) == _clean_build(src, tmp_path / "clean")


def test_removals_remove_files_and_folders_by_the_end_of_the_block(tmp_path: Path) -> None:
    folder, file = tmp_path / "folder", tmp_path / "file"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "x").write_bytes(b"x" * 1000)
    file.write_bytes(b"y")
    with Removals() as removals:
        removals.remove(folder)
        removals.remove(file)
        removals.remove(tmp_path / "never-there")
    assert sorted(tmp_path.iterdir()) == []


def test_a_build_without_views_does_not_import_networkx(seeds_dir: Path, tmp_path: Path) -> None:
    """networkx is for the views and the analyses: importing it cost a quarter of a second of every rebuild."""
    code = ("import sys; from graphkit.pipeline import build; build([sys.argv[1]], sys.argv[2], views=False); "
            "print('networkx' in sys.modules)")
    for _ in range(2):  # the first build, then a rebuild
        done = subprocess.run([sys.executable, "-c", code, str(seeds_dir), str(tmp_path / "out")],
                              capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "False"


def test_files_copied_while_extracting_leave_out_a_new_document_that_fails(src: Path, tmp_path: Path) -> None:
    """The copies start before extraction with a place for each document still to extract; a new one that
    cannot be read is left out of the files."""
    out = tmp_path / "out"
    pipeline.build([src], out, views=False)
    seeds = sorted(src.glob("*.txt"))
    _change(seeds[0], 2036)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really a PDF")
    report = pipeline.build([src], out, views=False)
    errors = [Path(e.path).name for e in report.errors]
    assert (report.extracted, report.store_update, errors) == (1, "edited", ["broken.pdf"])
    assert _files(out) == _clean_build(src, tmp_path / "clean")
