"""``graphkit push DIR URL``: copy a built graph into any SPARQL 1.1 store, named graphs and all."""

from __future__ import annotations

import argparse
import time

__all__ = ["register", "add_push_options", "run_push"]


def add_push_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", choices=("auto", "gsp", "update"), default="auto",
                   help="Graph Store Protocol PUT per graph, or SPARQL Update (default: what the URL offers, "
                        "GSP first)")
    p.add_argument("--no-prune", action="store_true",
                   help="keep graphkit graphs on the target that the build no longer has")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("push", help="copy a built graph into a SPARQL store",
                       description="Write every named graph of DIR/graph.trig into the store at URL, each "
                                   "replacing the graph of the same name there. URL is an Oxigraph server "
                                   "(http://host:7878), a Fuseki dataset (http://host:3030/ds), or a Graph "
                                   "Store (.../store, .../data) or SPARQL Update (.../update) endpoint.")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`")
    p.add_argument("url", metavar="URL", help="the target store")
    add_push_options(p)
    p.set_defaults(func=run)


def run_push(out_dir: str, url: str, method: str, prune: bool, quiet: bool = False) -> int:
    from graphkit.store.remote import push

    started = time.perf_counter()
    report = push(out_dir, url, method=method, prune=prune)
    if not quiet:
        removed = f", dropped {report.removed} stale graphs" if report.removed else ""
        print(f"pushed {report.graphs} graphs ({report.triples} triples) to {report.target} "
              f"by {'Graph Store Protocol' if report.method == 'gsp' else 'SPARQL Update'}{removed} "
              f"in {time.perf_counter() - started:.2f}s")
    return 0


def run(args: argparse.Namespace) -> int:
    return run_push(args.dir, args.url, args.method, not args.no_prune)
