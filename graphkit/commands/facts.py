"""``graphkit facts DIR``: the facts view of a built graph as one JSON list (see FACTS.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("facts", help="print the facts view of a built graph as JSON",
                       description="Print, as one JSON list, the facts view of every document in DIR's graph, "
                                   "computed by SPARQL over the built store.")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`")
    p.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graphkit.query.facts import facts_view
    from graphkit.store.embedded import open_store

    facts = facts_view(open_store(Path(args.dir)))
    text = json.dumps(facts, indent=1, ensure_ascii=False) + "\n"
    if args.out:
        from graphkit.store.files import write_atomic

        write_atomic(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return 0
