"""``graphkit viz DIR --view graph|cooccurrence|council --out FILE``: write one interactive view as HTML.

The page is self-contained and offline (see ``graphkit.viz.page``); open it in any browser.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register", "VIEWS"]

VIEWS = ("graph", "cooccurrence", "council")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "viz", help="write an interactive view of a built graph as one offline HTML page",
        description="Write one view of DIR's graph as a self-contained HTML page: graph (every document, "
                    "council, person, topic, grade and visit, with the evidence of each link in its tooltip), "
                    "cooccurrence (issue topics found together) or council (one council's neighbourhood).")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`")
    p.add_argument("--view", choices=VIEWS, default="graph", help="graph (default), cooccurrence or council")
    p.add_argument("--council", metavar="NAME", help="the council of --view council (name, alias or GSS code)")
    p.add_argument("--out", "-o", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--polarity", choices=("concern", "strength", "any"), default="any",
                   help="cooccurrence: findings to use (default any)")
    p.add_argument("--min-count", type=int, default=1, metavar="N", help="cooccurrence: pairs found N times or more")
    p.add_argument("--radius", type=int, default=1, metavar="N", help="council: links away from the council (1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the layout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graphkit.analyse import cooccurrence_graph, council_names, entity_graph, resolve_council
    from graphkit.analyse.built import built_rows
    from graphkit.errors import UsageError
    from graphkit.store.embedded import open_store
    from graphkit.store.files import write_atomic
    from graphkit.viz.views import cooccurrence_view, council_view, entity_view, render

    if args.view == "council" and not args.council:
        raise UsageError("--view council needs --council NAME")
    if args.min_count < 1 or args.radius < 1:
        raise UsageError("--min-count and --radius must be at least 1")
    store = open_store(Path(args.dir))
    if args.view == "cooccurrence":
        council = resolve_council(args.council, council_names(store))[0] if args.council else None
        graph = cooccurrence_graph(built_rows(Path(args.dir), store, ["findings"]).findings, polarity=args.polarity,
                                   min_count=args.min_count, council=council)
        view = cooccurrence_view(graph, seed=args.seed)
    elif args.view == "council":
        council, name = resolve_council(args.council, council_names(store))
        view = council_view(entity_graph(built_rows(Path(args.dir), store)), council, radius=args.radius,
                            seed=args.seed, name=name)
    else:
        view = entity_view(entity_graph(built_rows(Path(args.dir), store)), seed=args.seed)
    out = Path(args.out)
    write_atomic(out, render(view, seed=args.seed))
    print(f"wrote {out} ({len(view.nodes):,} nodes, {len(view.edges):,} links)")
    return 0
