"""How long writing ``graph.trig`` and ``graph.ttl`` of a million quads takes: one-shot vs graphkit's build.

The quads are the synthetic documents of ``bench_queries.py`` (``synthetic_chunks``: the vocabulary and
councils graphs, then one named graph of about 200 quads per made-up document, as graphkit's extractor
makes them). Each run times two ways of writing the same quads:

- one-shot: ``graphkit.store.files.write_trig`` / ``write_turtle``, i.e. pyoxigraph's ``serialize`` of the
  whole dataset held as a list of quads (Turtle: each triple once, sorted), as a single-pass writer does;
- the build's path (``graphkit.publish``): ``graphkit.store.chunks.serialise_chunks`` of each document's
  N-Quads (its TriG and Turtle bodies, made once per document when it is extracted, in the workers), the
  chunk files written to a cache folder (no fsync, as the build does), then
  ``graphkit.store.chunks.write_concatenated`` of the cached chunks into one file per format (what every
  build pays, whatever changed). "TriG from scratch" is the TriG half of the chunking (each chunk
  serialised as TriG only) plus the concatenation.

Every file is written atomically with an fsync, as graphkit writes them. After the runs each output is
bulk-loaded back into an in-memory Oxigraph store and must hold all the quads (TriG) or all the distinct
triples (Turtle). Goal: TriG of 1M triples in <= 5 s.

Run: ``python benchmarks/bench_files.py [--triples 1000000] [--runs 3] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import synthetic_chunks  # noqa: E402
from machine import machine_info  # noqa: E402

from graphkit.rdf.namespaces import PREFIXES  # noqa: E402
from graphkit.store.chunks import header, serialise_chunks, write_concatenated  # noqa: E402
from graphkit.store.files import parse_nquads, write_atomic, write_trig, write_turtle  # noqa: E402

__all__ = ["main", "GOAL_S"]

GOAL_S = 5.0  # seconds for the TriG of 1M triples

#: (key, label) of each timed step, in the order printed.
STEPS = (
    ("oneshot_trig", "one-shot TriG (write_trig)"),
    ("oneshot_turtle", "one-shot Turtle (write_turtle)"),
    ("chunks", "build: serialise_chunks, TriG+Turtle, per doc"),
    ("chunks_trig_only", "build: TriG chunks only, per doc"),
    ("cache_write", "build: write the chunk files (cache)"),
    ("concat_trig", "build: graph.trig from cached chunks"),
    ("concat_turtle", "build: graph.ttl from cached chunks"),
    ("trig_from_scratch", "build: TriG from scratch (chunks + concat)"),
)


def _timed(fn: Callable[..., object], *args: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def _trig_only(text: str) -> bytes:
    """The TriG half of ``serialise_chunks``: one document's quads as TriG (prefix lines included)."""
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def _write_cache(chunks: list, trig_parts: list[Path], ttl_parts: list[Path]) -> None:
    """The chunk files as the build's workers write them (atomically, no fsync)."""
    for c, p_trig, p_ttl in zip(chunks, trig_parts, ttl_parts, strict=True):
        write_atomic(p_trig, c.trig, sync=False)
        write_atomic(p_ttl, c.turtle, sync=False)


def one_run(texts: list[str], quads: list[ox.Quad], root: Path) -> dict[str, float]:
    """Seconds of each step of ``STEPS``, writing into ``root``."""
    took: dict[str, float] = {}
    took["oneshot_trig"] = _timed(write_trig, root / "oneshot.trig", quads)[0]
    took["oneshot_turtle"] = _timed(write_turtle, root / "oneshot.ttl", quads)[0]
    took["chunks"], chunks = _timed(lambda: [serialise_chunks(text) for text in texts])
    took["chunks_trig_only"] = _timed(lambda: [_trig_only(text) for text in texts])[0]
    cache = root / "cache"
    cache.mkdir(exist_ok=True)
    trig_parts = [cache / f"{i:07d}.trig" for i in range(len(texts))]
    ttl_parts = [cache / f"{i:07d}.ttl" for i in range(len(texts))]
    took["cache_write"] = _timed(_write_cache, chunks, trig_parts, ttl_parts)[0]
    del chunks
    took["concat_trig"] = _timed(write_concatenated, root / "graph.trig", header("trig"), trig_parts)[0]
    took["concat_turtle"] = _timed(write_concatenated, root / "graph.ttl", header("turtle"), ttl_parts)[0]
    took["trig_from_scratch"] = took["chunks_trig_only"] + took["concat_trig"]
    return took


def _count(path: Path, fmt: ox.RdfFormat) -> tuple[int, float]:
    """Quads in ``path`` once loaded into a store (duplicates merged), and the seconds the load took."""
    store = ox.Store()
    t = time.perf_counter()
    store.bulk_load(path=str(path), format=fmt)
    took = time.perf_counter() - t
    return len(store), took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about this many quads (default 1M)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs (default 3); medians are reported")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to PATH as JSON")
    args = ap.parse_args(argv)
    figures: dict = {"bench": "files", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": machine_info(),
                     "settings": {"triples": args.triples, "runs": args.runs, "seed": args.seed},
                     "goal_s": GOAL_S}

    texts = list(synthetic_chunks(args.triples, args.seed))
    n_quads = sum(text.count("\n") for text in texts)
    quads = parse_nquads("".join(texts))
    triples = len({(q.subject, q.predicate, q.object) for q in quads})
    print(f"{n_quads} quads ({triples} distinct triples) in {len(texts)} chunks "
          f"(the base graphs, then {(n_quads - texts[0].count(chr(10))) / max(1, len(texts) - 1):.0f} quads a "
          f"document); machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")

    times: dict[str, list[float]] = {key: [] for key, _ in STEPS}
    with tempfile.TemporaryDirectory(prefix="bench-files-") as tmp:
        root = Path(tmp)
        one_trig, one_ttl = root / "oneshot.trig", root / "oneshot.ttl"
        graph_trig, graph_ttl = root / "graph.trig", root / "graph.ttl"
        for run in range(args.runs):
            for key, value in one_run(texts, quads, root).items():
                times[key].append(value)
            print(f"run {run + 1}: " + ", ".join(f"{key} {times[key][-1]:.2f}s" for key, _ in STEPS), flush=True)
        parts = sorted((root / "cache").iterdir())
        sizes = {"oneshot_trig": one_trig.stat().st_size, "oneshot_turtle": one_ttl.stat().st_size,
                 "concat_trig": graph_trig.stat().st_size, "concat_turtle": graph_ttl.stat().st_size}
        sizes["trig_from_scratch"] = sizes["concat_trig"]
        sizes["chunks"] = sum(p.stat().st_size for p in parts)
        sizes["cache_write"] = sizes["chunks"]
        checks = {}
        for name, path, fmt, want in (("oneshot_trig", one_trig, ox.RdfFormat.TRIG, n_quads),
                                      ("oneshot_turtle", one_ttl, ox.RdfFormat.TURTLE, triples),
                                      ("concat_trig", graph_trig, ox.RdfFormat.TRIG, n_quads),
                                      ("concat_turtle", graph_ttl, ox.RdfFormat.TURTLE, triples)):
            try:
                got, took = _count(path, fmt)
                checks[name] = {"file": path.name, "expected": want, "parsed": got, "ok": got == want,
                                "load_s": took}
            except (OSError, SyntaxError) as exc:
                checks[name] = {"file": path.name, "expected": want, "parsed": None, "ok": False,
                                "error": str(exc)}

    medians = {key: statistics.median(values) for key, values in times.items()}
    print()
    print(f"median of {args.runs} runs, {n_quads} quads (goal: TriG of 1M triples in <= {GOAL_S:g} s)")
    print(f"{'step':<46} {'median s':>9} {'MB':>8} {'MB/s':>8} {'quads/s':>10}")
    for key, label in STEPS:
        mb = sizes.get(key, 0) / 1e6
        med = medians[key]
        rate = f"{mb / med:.0f}" if mb and med > 0 else "-"
        print(f"{label:<46} {med:>9.2f} {f'{mb:.1f}' if mb else '-':>8} {rate:>8} "
              f"{n_quads / med if med > 0 else 0:>10,.0f}")
    print()
    for name, check in checks.items():
        extra = f", loaded back in {check['load_s']:.2f}s" if "load_s" in check else f": {check.get('error')}"
        print(f"parse back {check['file']:<13} {check['parsed']} of {check['expected']} "
              f"{'quads' if 'trig' in name else 'triples'}: {'ok' if check['ok'] else 'WRONG'}{extra}")
    scale = 1_000_000 / n_quads  # the goal is for 1M triples
    trig_goal = {key: medians[key] * scale <= GOAL_S for key in ("oneshot_trig", "concat_trig", "trig_from_scratch")}
    print(f"TriG goal (<= {GOAL_S:g} s at 1M, scaled from {n_quads} quads): "
          + ", ".join(f"{key} {'met' if ok else 'MISSED'}" for key, ok in trig_goal.items()))
    figures.update(quads=n_quads, distinct_triples=triples, chunks=len(texts), median_s=medians, runs_s=times,
                   mb={key: size / 1e6 for key, size in sizes.items()}, parse_back=checks,
                   goal_met=trig_goal, all_parsed_ok=all(c["ok"] for c in checks.values()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["all_parsed_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
