"""The synthetic article generator of the scale benchmarks (``benchmarks/synth.py``).

It must be deterministic (a benchmark run is only comparable with another on the same bytes), shaped like
real articles, and honest: what it says it planted in a document, the real pipeline must mostly find
there. Recovery well below the figures asserted here means the generator or the extractor broke.
"""

from __future__ import annotations

import csv
import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from graphkit.pipeline import build
from graphkit.query.facts import facts_view
from graphkit.resources import gazetteer_file
from graphkit.store.embedded import open_store

ROOT = Path(__file__).resolve().parents[1]
N_DOCS = 40


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    """``benchmarks/synth.py`` loaded by path: ``benchmarks/`` is a folder of scripts, not a package."""
    spec = importlib.util.spec_from_file_location("graphkit_bench_synth", ROOT / "benchmarks" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look the module up by name
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_realistic_files(synth: ModuleType, tmp_path: Path) -> None:
    a = synth.generate_corpus(tmp_path / "a", N_DOCS, seed=3)
    b = synth.generate_corpus(tmp_path / "b", N_DOCS, seed=3)
    files_a, files_b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert files_a == files_b
    assert len(files_a) == N_DOCS == a.n_docs
    assert all(name.startswith("0000/synth-") and name.endswith((".txt", ".html")) for name in files_a)
    assert (a.n_bytes, a.n_html, a.largest_bytes) == (b.n_bytes, b.n_html, b.largest_bytes)
    sizes = [len(data) for data in files_a.values()]
    assert a.n_bytes == sum(sizes) and a.largest_bytes == max(sizes)
    assert 1_500 <= min(sizes) and max(sizes) <= 24_000, sizes
    assert 2_500 <= statistics.median(sizes) <= 5_000, sizes
    assert 1 <= a.n_html <= N_DOCS // 4  # about one in ten
    texts = [data.decode("utf-8") for data in files_a.values()]
    assert len(set(texts)) == N_DOCS
    synth.generate_corpus(tmp_path / "c", N_DOCS, seed=4)
    assert _files(tmp_path / "c") != files_a


def test_sub_folders_and_jobs_do_not_change_the_files(synth: ModuleType, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "PER_FOLDER", 16)
    one = synth.generate_corpus(tmp_path / "one", N_DOCS, seed=1, truth=True)
    two = synth.generate_corpus(tmp_path / "two", N_DOCS, seed=1, truth=True, jobs=2)
    files = _files(tmp_path / "one")
    assert files == _files(tmp_path / "two")
    assert sorted({name.split("/")[0] for name in files}) == ["0000", "0001", "0002"]
    assert one.truth == two.truth
    assert sorted(one.truth) == sorted(name.split("/")[1].rsplit(".", 1)[0] for name in files)


def test_cli_prints_one_line(synth: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main([str(tmp_path / "out"), "--docs", "3", "--seed", "2", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("wrote 3 documents"), out
    assert len(_files(tmp_path / "out")) == 3


def _recovery(truth: dict[str, dict[str, Any]], facts: list[dict[str, Any]]) -> dict[str, float]:
    """Shares of the planted council, grades, inspection kinds, findings and finding topics found."""
    with gazetteer_file().open(encoding="utf-8", newline="") as f:
        gss = {row["name"]: row["gss_code"] for row in csv.DictReader(f)}
    by_id = {d["document"]: d for d in facts}
    hits = dict.fromkeys(("council", "only_council", "grades", "inspection", "findings", "topics", "people"), 0)
    totals = dict.fromkeys(hits, 0)
    for doc_id, planted in truth.items():
        got = by_id.get(doc_id, {"councils": [], "ratings": [], "inspections": [], "issues": [], "people": []})
        council = planted["council"]

        def mine(item: dict[str, Any], council: str = council) -> bool:
            return gss.get(item["council"], item["council"]) == council

        councils = {gss.get(c, c) for c in got["councils"]}
        grades = {r["grade"] for r in got["ratings"] if mine(r)}
        findings = {(i["issue"], i["polarity"]) for i in got["issues"] if mine(i)}
        people = {(p["name"], p["role"]) for p in got["people"]}
        for key, hit, total in (
            ("council", council in councils, 1),
            ("only_council", councils == {council}, 1),
            ("grades", len(planted["grades"] & grades), len(planted["grades"])),
            ("inspection", planted["inspection"] in {i["kind"] for i in got["inspections"] if mine(i)}, 1),
            ("findings", len(planted["findings"] & findings), len(planted["findings"])),
            ("topics", len({t for t, _ in planted["findings"]} & {t for t, _ in findings}),
             len({t for t, _ in planted["findings"]})),
            ("people", len(planted["people"] & people), len(planted["people"])),
        ):
            hits[key] += int(hit)
            totals[key] += total
    return {k: hits[k] / totals[k] for k in hits if totals[k]}


def test_the_pipeline_recovers_what_was_planted(synth: ModuleType, tmp_path: Path) -> None:
    info = synth.generate_corpus(tmp_path / "corpus", N_DOCS, seed=0, truth=True)
    report = build([tmp_path / "corpus"], tmp_path / "out", views=False)
    assert report.ok, report.errors
    assert report.documents == N_DOCS
    truth = info.truth
    assert truth is not None and len(truth) == N_DOCS
    assert all(t["findings"] and t["council"].startswith("E") for t in truth.values())
    assert sum(len(t["findings"]) for t in truth.values()) >= 5 * N_DOCS  # the extractor has work to do
    rates = _recovery(truth, facts_view(open_store(tmp_path / "out")))
    shown = ", ".join(f"{k} {v:.3f}" for k, v in rates.items())
    # Seen with seeds 0, 1 and 2: 1.0 on every rate, now that a "Read more:" list of other stories is furniture
    # and bylines like "By Sean O'Connor" are read (over 300 documents people is 0.998: a byline below a
    # "Home | News | ..." bar is still missed).
    assert rates["council"] >= 0.95, shown
    assert rates["grades"] >= 0.85, shown
    assert rates["inspection"] >= 0.9, shown
    assert rates["findings"] >= 0.9, shown
    assert rates["topics"] >= 0.9, shown
    assert rates["people"] >= 0.85, shown
