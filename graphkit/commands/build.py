"""``graphkit build [SOURCES...] --out DIR``: extract and build the graph, then say where it is."""

from __future__ import annotations

import argparse
import sys
import time

from graphkit.pipeline import DEFAULT_OUT, DEFAULT_SOURCES, build

__all__ = ["register"]


_STORE_UPDATES = {"unchanged": "unchanged", "edited": "edited in place", "loaded": "loaded whole"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="read sources, extract facts and build the graph",
                       description="Read articles (.txt, .html) and Ofsted report PDFs, files or folders, "
                                   "and build the knowledge graph into DIR.")
    p.add_argument("sources", nargs="*", default=list(DEFAULT_SOURCES),
                   help="files or folders (default: seeds/)")
    p.add_argument("--out", "-o", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: out/)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="extract, and read the graph for the views, with N processes")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.add_argument("--full", action="store_true",
                   help="reread every source (not trusting unchanged size and time) and reload the store whole")
    p.add_argument("--no-views", dest="views", action="store_false",
                   help="skip the HTML views and charts (graph.html, cooccurrence.html, report.html)")
    p.add_argument("--no-files", dest="files", action="store_false",
                   help="skip graph.trig and graph.ttl (a copy of the whole graph on every build) and remove older "
                        "ones; `graphkit export DIR` writes them when wanted")
    p.add_argument("--store", metavar="URL",
                   help="after a successful build, push the graph to the SPARQL store at URL (see `graphkit push`)")
    p.set_defaults(func=run)
    e = sub.add_parser("export", help="write graph.trig and graph.ttl of a graph built with --no-files",
                       description="Write DIR/graph.trig and DIR/graph.ttl from the last build's cache and store, "
                                   "as `graphkit build` writes them.")
    e.add_argument("out", nargs="?", default=DEFAULT_OUT, metavar="DIR", help="a built graph folder (default: out/)")
    e.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from graphkit.publish import export_files

    for name, path in export_files(Path(args.out)).items():
        print(f"  {name:<13} {path}")
    return 0


class _Progress:
    """A one-line progress bar on a terminal (documents done, rate, time left); silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        left = (total - done) / rate if rate else 0.0
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} docs "
                         f"{rate:.1f} docs/s, {left:.0f}s left ")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        from graphkit.errors import UsageError

        raise UsageError("--jobs must be at least 1")
    if args.store and not args.files:
        from graphkit.errors import UsageError

        raise UsageError("--store pushes graph.trig, which --no-files leaves out")
    started = time.perf_counter()
    progress = _Progress(sys.stderr.isatty() and not args.quiet)
    report = build(args.sources, args.out, jobs=args.jobs, progress=progress, views=args.views,
                   files=args.files, full=args.full)
    for err in report.errors:
        print(f"error: {err}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(f"built {report.documents} documents ({report.extracted} extracted, {report.reused} reused, "
              f"{report.removed} removed, {len(report.errors)} failed) into {report.quads} quads "
              f"in {seconds:.2f}s; store {_STORE_UPDATES[report.store_update]}")
        for name, path in report.outputs.items():
            print(f"  {name:<13} {path}")
        if not args.files:
            print(f"  (graph.trig and graph.ttl left out: graphkit export {args.out} writes them)")
        print(f"next: graphkit facts {args.out}    graphkit query {args.out} <name>    graphkit queries")
    if report.ok and args.store:
        from graphkit.commands.push import run_push

        run_push(args.out, args.store, method="auto", prune=True, quiet=args.quiet)
    return 0 if report.ok else 1
