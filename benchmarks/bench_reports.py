"""How fast Ofsted report PDFs are read and extracted: pages per second over the development corpus.

Each run reads every PDF of ``../shared/corpus/ofsted-reports`` (bytes already in memory, so the disk is
not timed) with ``graphkit.documents.pdf.read_pdf`` and extracts it with
``graphkit.extract.report.extract_report``; files the reader refuses (the corpus holds one HTML page saved
as .pdf) count as time but not as pages. Run ``python benchmarks/bench_reports.py [--runs 3] [--json PATH]
[CORPUS]``; it prints each run and the median, the goal being at least 100 pages a second (``--json`` also
writes the median, each run, the settings and the machine to PATH).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from machine import machine_info

from graphkit.documents.pdf import read_pdf
from graphkit.documents.readers import Source
from graphkit.errors import ReadError
from graphkit.extract.report import extract_report

__all__ = ["run_once", "main", "CORPUS", "GOAL"]

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ofsted-reports"
GOAL = 100.0  # pages per second


def run_once(files: list[tuple[Path, bytes]]) -> tuple[int, float, float]:
    """Pages read, seconds reading and seconds extracting, over ``files``."""
    pages = 0
    reading = extracting = 0.0
    for path, data in files:
        t0 = time.perf_counter()
        try:
            doc = read_pdf(Source(path, path.stem), data)
        except ReadError:
            reading += time.perf_counter() - t0
            continue
        t1 = time.perf_counter()
        extract_report(doc)
        t2 = time.perf_counter()
        reading += t1 - t0
        extracting += t2 - t1
        pages += len(doc.pages)
    return pages, reading, extracting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS, help="folder of report PDFs")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3); the median is reported")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to PATH as JSON")
    args = parser.parse_args(argv)
    figures: dict = {"bench": "reports", "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "goal_pages_s": GOAL,
                     "machine": machine_info(),
                     "settings": {"runs": args.runs, "corpus": str(args.corpus)}}
    files = [(p, p.read_bytes()) for p in sorted(args.corpus.glob("*.pdf"))]
    if not files:
        print(f"no PDFs in {args.corpus}", file=sys.stderr)
        return 2
    run_once(files[:2])  # warm up: imports, pattern compilation, PDFium initialisation
    rates = []
    runs = []
    for i in range(args.runs):
        pages, reading, extracting = run_once(files)
        rate = pages / (reading + extracting)
        rates.append(rate)
        runs.append({"pages": pages, "read_s": reading, "extract_s": extracting, "pages_s": rate})
        print(f"run {i + 1}: {pages} pages from {len(files)} files, read {reading:.2f} s, "
              f"extract {extracting:.2f} s: {rate:.0f} pages/s")
    median = statistics.median(rates)
    print(f"median {median:.0f} pages/s (goal {GOAL:.0f}): {'ok' if median >= GOAL else 'below goal'}")
    if args.json:
        figures.update(files=len(files), pages=runs[0]["pages"], pages_s=median, runs=runs,
                       read_s=statistics.median(r["read_s"] for r in runs),
                       extract_s=statistics.median(r["extract_s"] for r in runs))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
