"""Extraction throughput: MB/s of article text per core, and whole-build times, on the seeds repeated.

    python benchmarks/bench_extract.py [--mb 10] [--runs 3] [--no-views] [--json PATH]

Copies of the seed articles (each copy its own document) make a corpus of about ``--mb`` megabytes. The
script prints the median of ``--runs`` runs for: reading + extraction + RDF of every document in this
process (MB/s per core), and ``graphkit build`` with ``--jobs 1`` and ``--jobs 2`` into a fresh folder
(with the views unless ``--no-views``: every copy names the same people, which the views' queries join
across documents, so their time grows faster than the corpus). ``--json PATH`` also writes those medians,
the settings and the machine to PATH.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from machine import machine_info

from graphkit.documents.readers import discover
from graphkit.pipeline import build, extract_to_nquads

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def make_corpus(folder: Path, megabytes: float) -> int:
    texts = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    size = n = 0
    while size < megabytes * 1e6:
        data = texts[n % len(texts)]
        (folder / f"copy{n:06d}.txt").write_bytes(data)
        size += len(data)
        n += 1
    return size


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-views", action="store_true", help="builds without the HTML views (graphkit build --no-views)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to PATH as JSON")
    args = ap.parse_args(argv)
    views = not args.no_views
    figures: dict = {"bench": "extract", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": machine_info(),
                     "settings": {"mb": args.mb, "runs": args.runs, "views": views}}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        size = make_corpus(corpus, args.mb)
        sources, _ = discover([corpus])
        print(f"machine: {platform.machine()}, Python {platform.python_version()}; corpus: {len(sources)} "
              f"documents, {size / 1e6:.1f} MB")
        extract = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for s in sources:
                extract_to_nquads(s, s.path.read_bytes())
            extract.append(time.perf_counter() - t)
        med = statistics.median(extract)
        print(f"read + extract + RDF, one core: median {med:.2f}s = {size / 1e6 / med:.2f} MB/s "
              f"({len(sources) / med:.0f} docs/s)")
        figures.update(documents=len(sources), corpus_mb=size / 1e6, extract_s=med,
                       extract_mb_s_per_core=size / 1e6 / med, extract_docs_s=len(sources) / med, builds=[])
        for jobs in (1, 2):
            times = []
            for _ in range(args.runs):
                out = Path(tmp) / f"out{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                t = time.perf_counter()
                build([corpus], out, jobs=jobs, views=views)
                times.append(time.perf_counter() - t)
            print(f"graphkit build --jobs {jobs}{'' if views else ' --no-views'}: "
                  f"median {statistics.median(times):.2f}s")
            figures["builds"].append({"docs": len(sources), "jobs": jobs, "seconds": statistics.median(times),
                                     "views": views})
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            build([SEEDS], Path(tmp) / "seeds-out", views=views)
            times.append(time.perf_counter() - t)
            shutil.rmtree(Path(tmp) / "seeds-out")
        print(f"graphkit build seeds (5 documents, fresh{'' if views else ', no views'}): "
              f"median {statistics.median(times):.2f}s")
        figures["build_seeds_s"] = statistics.median(times)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
