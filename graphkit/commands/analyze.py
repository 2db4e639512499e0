"""``graphkit analyze DIR ANALYSIS``: co-occurrence, similarity, centrality, communities or timelines as a table.

A thin shell over ``graphkit.analyse``: it reads the built graph (its rows from the build's cache, see
``graphkit.analyse.built``), runs one analysis and prints its rows as an aligned table, CSV or JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["register", "ANALYSES", "format_rows"]

ANALYSES = ("cooccurrence", "similarity", "centrality", "communities", "timeline")
FORMATS = ("table", "csv", "json")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyze", help="analyse a built graph: co-occurrence, similarity, centrality, communities, timelines",
        description="Run one analysis over DIR's graph and print its rows. cooccurrence: pairs of issue topics "
                    "found for the same council in the same document (count, Jaccard, lift). similarity: "
                    "pairs of councils by their topics (cosine, Jaccard). centrality: people and councils "
                    "by degree and betweenness in the entity graph. communities: Louvain communities of the "
                    "entity graph (seeded). timeline: Ofsted grades per council in date order.")
    p.add_argument("dir", metavar="DIR", help="a folder written by `graphkit build`")
    p.add_argument("analysis", choices=ANALYSES, metavar="ANALYSIS", help=" | ".join(ANALYSES))
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="table (default), csv or json")
    p.add_argument("--polarity", choices=("concern", "strength", "any"), default=None,
                   help="findings to use (cooccurrence: any by default; similarity: concern by default)")
    p.add_argument("--min-count", type=int, default=1, metavar="N",
                   help="cooccurrence: keep pairs found N times or more; similarity: councils sharing N topics")
    p.add_argument("--council", metavar="NAME",
                   help="only this council (its documents, pairs, neighbourhood, community or grades)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random steps (Louvain, sampling)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="print at most N rows")
    p.set_defaults(func=run)


Columns = Sequence[str]


def _rows(store: Any, args: argparse.Namespace, name: str) -> list[dict]:
    """One view's rows, from the build's cache when it can (``graphkit.analyse.built``)."""
    from graphkit.analyse.built import built_rows

    return getattr(built_rows(Path(args.dir), store, [name]), name)


def _cooccurrence(store: Any, args: argparse.Namespace, council: str | None) -> tuple[list[dict], Columns]:
    from graphkit.analyse import cooccurrence_graph, cooccurrence_table

    g = cooccurrence_graph(_rows(store, args, "findings"), polarity=args.polarity or "any",
                           min_count=args.min_count, council=council)
    return cooccurrence_table(g), ("topic_a", "topic_b", "count", "jaccard", "lift", "expected",
                                   "frequency_a", "frequency_b")


def _similarity(store: Any, args: argparse.Namespace, council: str | None) -> tuple[list[dict], Columns]:
    from graphkit.analyse import council_similarity, similarity_table

    g = council_similarity(_rows(store, args, "findings"), polarity=args.polarity or "concern",
                           min_shared=args.min_count)
    return similarity_table(g, council=council), ("council_a", "council_b", "shared", "cosine", "jaccard",
                                                  "topics_a", "topics_b")


def _entity_graph(store: Any, args: argparse.Namespace) -> Any:
    from graphkit.analyse import entity_graph
    from graphkit.analyse.built import built_rows

    return entity_graph(built_rows(Path(args.dir), store))


def _centrality(store: Any, args: argparse.Namespace, council: str | None) -> tuple[list[dict], Columns]:
    from graphkit.analyse import centrality, neighbourhood

    g = _entity_graph(store, args)
    rows = centrality(g, seed=args.seed)
    if council is not None:
        near = set(neighbourhood(g, council, radius=2, name=args.council))
        rows = [r for r in rows if r["node"] in near]
    return rows, ("label", "kind", "degree", "degree_centrality", "betweenness")


def _communities(store: Any, args: argparse.Namespace, council: str | None) -> tuple[list[dict], Columns]:
    from graphkit.analyse import AnalysisError, communities, communities_table

    g = _entity_graph(store, args)
    parts = communities(g, seed=args.seed)
    rows = communities_table(g, parts)
    if council is not None:
        rows = [r for r, part in zip(rows, parts, strict=True) if council in part]
        if not rows:
            raise AnalysisError(f"{args.council} has no facts in this graph")
    return rows, ("community", "size", "kinds", "members")


def _timeline(store: Any, args: argparse.Namespace, council: str | None) -> tuple[list[dict], Columns]:
    from graphkit.analyse import grade_timeline, timeline_table

    return (timeline_table(grade_timeline(_rows(store, args, "judgements"), council=council)),
            ("council", "date", "grade", "area", "reports", "sources"))


_RUN: dict[str, Callable[[Any, argparse.Namespace, str | None], tuple[list[dict], Columns]]] = {
    "cooccurrence": _cooccurrence,
    "similarity": _similarity,
    "centrality": _centrality,
    "communities": _communities,
    "timeline": _timeline,
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def format_rows(rows: list[dict[str, Any]], columns: Columns, fmt: str) -> str:
    """Rows as an aligned text table, CSV or JSON (all columns of each row in JSON)."""
    if fmt == "json":
        return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_text(r.get(c)) for c in columns] for r in rows)
        return buf.getvalue()
    if not rows:
        return "(no rows)\n"
    cells = [list(columns)] + [[" ".join(_text(r.get(c)).split()) for c in columns] for r in rows]
    widths = [min(60, max(len(row[i]) for row in cells)) for i in range(len(columns))]
    numeric = [all(isinstance(r.get(c), (int, float)) for r in rows) for c in columns]
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            cell = cell if len(cell) <= widths[i] else cell[: widths[i] - 1] + "\u2026"
            parts.append(cell.rjust(widths[i]) if numeric[i] and n else cell.ljust(widths[i]))
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from graphkit.analyse import council_names, resolve_council
    from graphkit.errors import UsageError
    from graphkit.store.embedded import open_store

    if args.min_count < 1:
        raise UsageError("--min-count must be at least 1")
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must not be negative")
    store = open_store(Path(args.dir))
    council = resolve_council(args.council, council_names(store))[0] if args.council else None
    rows, columns = _RUN[args.analysis](store, args, council)
    if args.limit is not None:
        rows = rows[: args.limit]
    sys.stdout.write(format_rows(rows, columns, args.format))
    return 0
