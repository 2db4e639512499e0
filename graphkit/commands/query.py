"""``graphkit query DIR NAME``: run a named query (or any read-only SPARQL) over a built graph.

DIR is a folder written by ``graphkit build`` (its embedded store is opened read-only) or the URL of a
SPARQL endpoint. Updates are refused whatever the target.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphkit.errors import UsageError

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run a named query or SPARQL over a built graph",
                       description="Run a named query (see `graphkit queries`), a SPARQL query given with "
                                   "--sparql, or one read from a file with -f, over the graph built in DIR "
                                   "(or at a SPARQL endpoint's URL). Parameters are bound as RDF terms.")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`, or an http(s) endpoint URL")
    p.add_argument("name", nargs="?", metavar="NAME", help="a named query")
    p.add_argument("--param", "-p", action="append", metavar="KEY=VALUE", default=[],
                   help="bind a parameter (repeatable)")
    p.add_argument("--sparql", "-q", metavar="TEXT", help="run this SPARQL query instead of a named one")
    p.add_argument("--file", "-f", metavar="FILE", help="run the SPARQL query in FILE")
    p.add_argument("--format", "-F", choices=("table", "csv", "json"), default="table",
                   help="output: an aligned table (default), SPARQL CSV or SPARQL JSON results")
    p.add_argument("--engine", choices=("oxigraph", "oxigraph-memory", "rdflib"), default="oxigraph",
                   help="how to open DIR: its Oxigraph store (default), Oxigraph in memory, or rdflib")
    p.add_argument("--max-width", type=int, default=60, metavar="N", help="cut table cells to N characters")
    p.set_defaults(func=run)


def _query_text(args: argparse.Namespace) -> tuple[str, object]:
    """The SPARQL to run and, for a named query, the query itself."""
    from graphkit.query.named import get_query

    given = [x for x in (args.name, args.sparql, args.file) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of a query NAME, --sparql TEXT or -f FILE "
                         "(`graphkit queries` lists the names)")
    if args.name:
        q = get_query(args.name)
        return q.sparql, q
    if args.sparql:
        return args.sparql, None
    try:
        return Path(args.file).read_text(encoding="utf-8"), None
    except OSError as exc:
        raise UsageError(f"{args.file}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from graphkit.query.formats import render
    from graphkit.query.named import bind_params, parse_param_args
    from graphkit.store import connect
    from graphkit.store.base import check_read_only

    text, named = _query_text(args)
    check_read_only(text)  # before opening anything
    params = parse_param_args(args.param)
    if named is not None:
        bind_params(named, params)  # type: ignore[arg-type]  # unknown or missing ones: before opening
    with connect(args.dir, args.engine) as store:
        if named is not None:  # names looked up in the graph, the things found replace the variables
            results = store.query(named.bind(store, params))  # type: ignore[attr-defined]
        else:  # any other query's are bound with VALUES, so they can be projected too
            results = store.query(text, {k: ox.Literal(v) for k, v in params.items()})
    sys.stdout.write(render(results, args.format, max_width=args.max_width))
    return 0
