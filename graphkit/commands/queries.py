"""``graphkit queries [NAME]``: list the named queries with their questions and parameters, or show one."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queries", help="list the named queries, their questions and parameters",
                       description="List the named queries of ontology/queries/ with the question each "
                                   "answers and its parameters (with defaults); with NAME, show one in full, "
                                   "its SPARQL included.")
    p.add_argument("name", nargs="?", metavar="NAME", help="show this query in full")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def _describe(q, full: bool) -> str:  # noqa: ANN001 - a NamedQuery
    lines = [q.name, f"  {q.question}"]
    for p in q.params:
        default = f" (default: {p.default})" if p.default is not None else " (required)"
        lines.append(f"  --param {p.name}=…{default}  {p.meaning}")
    if full:
        lines += [f"  example: {e}" for e in q.examples]
        lines += ["", q.sparql.rstrip()]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from graphkit.query.named import get_query, load_queries

    if args.name:
        queries = [get_query(args.name)]
    else:
        queries = list(load_queries().values())
    if args.json:
        data = [{"name": q.name, "question": q.question, "examples": list(q.examples),
                 "params": [{"name": p.name, "default": p.default, "meaning": p.meaning} for p in q.params]}
                for q in queries]
        sys.stdout.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write("\n\n".join(_describe(q, full=bool(args.name)) for q in queries) + "\n")
    if not args.name:
        sys.stdout.write("\nrun one: graphkit query DIR NAME [--param key=value ...] [--format table|csv|json]\n")
    return 0
