"""Extraction throughput: MB/s of article text per core, and whole-build times, on the seeds repeated.

    python benchmarks/bench_extract.py [--mb 10] [--runs 3]

Copies of the seed articles (each copy its own document) make a corpus of about ``--mb`` megabytes. The
script prints the median of ``--runs`` runs for: reading + extraction + RDF of every document in this
process (MB/s per core), and ``graphkit build`` with ``--jobs 1`` and ``--jobs 2`` into a fresh folder.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
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
        for jobs in (1, 2):
            times = []
            for _ in range(args.runs):
                out = Path(tmp) / f"out{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                t = time.perf_counter()
                build([corpus], out, jobs=jobs)
                times.append(time.perf_counter() - t)
            print(f"graphkit build --jobs {jobs}: median {statistics.median(times):.2f}s")
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            build([SEEDS], Path(tmp) / "seeds-out")
            times.append(time.perf_counter() - t)
            shutil.rmtree(Path(tmp) / "seeds-out")
        print(f"graphkit build seeds (5 documents, fresh): median {statistics.median(times):.2f}s")


if __name__ == "__main__":
    main()
