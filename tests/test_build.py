"""The main job end to end: build the seeds, the facts view and its score, determinism, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.cli import main
from graphkit.pipeline import build


def facts_of(out: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["facts", str(out)]) == 0
    return json.loads(capsys.readouterr().out)


def test_build_writes_the_outputs(seed_build: Path) -> None:
    for name in ("graph.trig", "graph.ttl", "store"):
        assert (seed_build / name).exists()
    assert (seed_build / "graph.trig").stat().st_size > 10_000


def test_facts_view_scores_on_the_seed_gold(seed_build: Path, shared_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    facts = facts_of(seed_build, capsys)
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    score = subprocess.run(
        [sys.executable, str(shared_dir / "eval" / "score.py"), "--gold", str(shared_dir / "eval" / "gold" / "seeds"),
         "--facts", str(path), "--json"], capture_output=True, text=True, check=True)
    report = json.loads(score.stdout.splitlines()[-2])
    assert report["micro_f1"] >= 0.90, score.stdout
    assert report["issues"]["f1"] >= 0.85, score.stdout
    assert report["councils"]["fp"] == 0, score.stdout  # nothing from furniture or comments


def test_facts_view_shape(seed_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = facts_of(seed_build, capsys)
    assert len(facts) == 5
    for d in facts:
        assert set(d) >= {"document", "published", "councils", "people", "ratings", "inspections", "issues"}
    by_id = {d["document"]: d for d in facts}
    cyp = by_id["001_078784c2a139c614"]
    assert cyp["published"] == "2018-08-31"
    assert {"name": "Joe Lepper", "role": "journalist", "organisation": None} in cyp["people"]
    assert {"council": "Dudley", "grade": "inadequate", "date": "2016-04"} in cyp["ratings"]
    assert {"council": "Dudley", "kind": "monitoring-visit", "date": "2018-07"} in cyp["inspections"]
    # The commenter under the Community Care article is not a person of the story, nor is Plymouth a council.
    cc = by_id["003_24a248bf162cc743"]
    assert "Plymouth" not in cc["councils"]
    assert all("simmons" not in p["name"].lower() for p in cc["people"])


def test_same_inputs_give_byte_identical_files(tmp_path: Path, seeds_dir: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build([seeds_dir], a)
    build([seeds_dir], b)
    for name in ("graph.trig", "graph.ttl"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_jobs_give_the_same_output(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphkit.analyse import rows

    monkeypatch.setattr(rows, "BATCH_DOCS", 2)  # the views read the seeds in three batches, in the workers
    a, b = tmp_path / "a", tmp_path / "b"
    build([seeds_dir], a, jobs=1)
    build([seeds_dir], b, jobs=2)
    for name in ("graph.trig", "graph.ttl", "graph.html", "cooccurrence.html", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_html_pages_sharing_a_paragraph_keep_it_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Pages that share a paragraph (a council's standard statement) each keep its facts, in one process or two."""
    shared = ("Inspectors found that caseloads remain too high in the council's children's services and that "
              "management oversight of the work is weak.")
    src = tmp_path / "src"
    src.mkdir()
    for n in range(1, 6):
        (src / f"page{n}.html").write_text(
            f"<html><head><title>Ofsted visits Sandwell, story {n}</title></head><body><article>"
            f"<h1>Ofsted visits Sandwell, story {n}</h1><p>Sandwell Council's children's services were visited "
            f"by Ofsted in May, story {n} says.</p><p>{shared}</p></article></body></html>", encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    build([src], a, jobs=1, views=False)
    build([src], b, jobs=2, views=False)
    assert (a / "graph.trig").read_bytes() == (b / "graph.trig").read_bytes()
    topics = {d["document"]: {i["issue"] for i in d["issues"]} for d in facts_of(a, capsys)}
    assert len(topics) == 5
    assert all({"caseloads", "management-oversight"} <= found for found in topics.values()), topics


BAD_INPUTS = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 40,
    "latin1.txt": "Caf\u00e9 council in Dudley".encode("latin-1"),
    "scripts.html": b"<html><head><script>var a = 1;</script></head><body>" + b"<script>alert(1)</script>" * 200
                    + b"</body></html>",
    "notes.docx": b"PK\x03\x04 not a supported kind",
}


def test_bad_inputs_each_get_one_line_and_the_rest_is_built(tmp_path: Path, seeds_dir: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    for name, data in BAD_INPUTS.items():
        (src / name).write_bytes(data)
    big = src / "huge.txt"
    with big.open("wb") as f:
        f.write(b"Dudley Council caseloads are too high. " * (50 * 1024 * 1024 // 39 + 1))
    out = tmp_path / "out"
    missing = tmp_path / "does-not-exist"
    status = main(["build", str(src), str(src / "notes.docx"), str(missing), "--out", str(out)])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert status == 1
    expected = ["empty.txt", "binary.txt", "latin1.txt", "scripts.html", "huge.txt", "notes.docx", "does-not-exist"]
    for name in expected:
        hits = [ln for ln in lines if name in ln]
        assert len(hits) == 1, (name, lines)
    assert "empty" in next(ln for ln in lines if "empty.txt" in ln)
    assert "UTF-8" in next(ln for ln in lines if "latin1.txt" in ln)
    assert "binary" in next(ln for ln in lines if "binary.txt" in ln)
    assert "MiB limit" in next(ln for ln in lines if "huge.txt" in ln)
    assert "no such file" in next(ln for ln in lines if "does-not-exist" in ln)
    assert len(lines) == len(expected)
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    for seed in seeds_dir.glob("*.txt"):
        assert seed.stem in trig


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--jobs", "zero"]) == 2
    assert main(["no-such-command"]) == 2
    assert main([]) == 2
    assert "error" in capsys.readouterr().err


def test_a_failed_build_leaves_the_previous_outputs(tmp_path: Path, seeds_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([seeds_dir], out)
    before = {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl")}
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    (src / "extra.txt").write_text("Walsall Council was judged inadequate by Ofsted.\n", encoding="utf-8")

    import graphkit.store.embedded as embedded

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(embedded, "swap_in", broken)
    with pytest.raises(OSError):
        build([src], out)
    monkeypatch.undo()
    assert not list(out.glob(".*.tmp"))
    assert {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl")} == before
    from graphkit.query.facts import facts_view
    from graphkit.store.embedded import open_store

    docs = [d["document"] for d in facts_view(open_store(out))]
    assert "extra" not in docs and len(docs) == 5
    build([src], out)
    assert (out / "graph.trig").read_bytes() != before["graph.trig"]


def test_seed_graph_conforms_to_the_shapes(seed_build: Path) -> None:
    from graphkit.rdf.validate import validate

    result = validate(seed_build / "graph.trig")
    assert result.conforms, result.text


def test_a_document_that_turns_unreadable_keeps_its_previous_graph(tmp_path: Path, seeds_dir: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    out = tmp_path / "out"
    build([src], out, views=False)
    victim = next(src.glob("003_*.txt"))
    victim.write_bytes(b"caf\xe9 broken")
    report = build([src], out, views=False)
    assert [e.path for e in report.errors] == [str(victim)]
    assert report.removed == 0 and report.documents == 5
    assert victim.stem in (out / "graph.trig").read_text(encoding="utf-8")
