"""The facts view (``../shared/eval/FACTS.md``): one JSON object per document, computed by SPARQL.

Everything comes from the built graph through ``ontology/facts/facts.rq`` (and ``report.rq`` for the
``report`` object of Ofsted reports); nothing is kept beside the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graphkit.resources import ontology_file

__all__ = ["facts_view", "select_rows"]


#: The facts view knows four kinds; a joint targeted area inspection is an inspection there.
_FACTS_KIND = {"jtai": "inspection"}


def select_rows(store: ox.Store, sparql: str) -> list[dict[str, str | None]]:
    """Run a SELECT over the union of all named graphs; values as plain strings."""
    result = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def _empty(doc: str) -> dict[str, Any]:
    return {"document": doc, "published": None, "councils": [], "people": [], "ratings": [],
            "inspections": [], "issues": []}


def facts_view(store: ox.Store) -> list[dict[str, Any]]:
    """The facts of every document, sorted by document id, each list sorted and without repeats."""
    rows = select_rows(store, ontology_file("facts/facts.rq").read_text(encoding="utf-8"))
    docs: dict[str, dict[str, Any]] = {}
    seen: dict[str, set] = {}
    for r in rows:
        doc = docs.setdefault(r["document"], _empty(r["document"]))
        keys = seen.setdefault(r["document"], set())
        kind = r["kind"]
        if kind == "document":
            doc["published"] = r["published"]
        elif kind == "council":
            item: Any = r["council"]
            key = ("council", item)
            if key not in keys:
                keys.add(key)
                doc["councils"].append(item)
        elif kind == "person":
            key = ("person", r["name"], r["role"])
            if key not in keys:
                keys.add(key)
                doc["people"].append({"name": r["name"], "role": r["role"], "organisation": r["organisation"]})
        elif kind == "rating":
            doc["ratings"].append({"council": r["council"], "grade": r["grade"], "date": r["date"]})
        elif kind == "inspection":
            kind = _FACTS_KIND.get(r["inspection"], r["inspection"])
            doc["inspections"].append({"council": r["council"], "kind": kind, "date": r["date"]})
        elif kind == "issue":
            key = ("issue", r["council"], r["issue"], r["polarity"])
            if key not in keys:
                keys.add(key)
                doc["issues"].append({"council": r["council"], "issue": r["issue"], "polarity": r["polarity"]})
    for doc in docs.values():
        doc["councils"].sort()
        doc["people"].sort(key=lambda p: (p["name"], p["role"] or ""))
        doc["ratings"] = _dated_unique(doc["ratings"], ("council", "grade"))
        doc["inspections"] = _dated_unique(doc["inspections"], ("council", "kind"))
        doc["issues"].sort(key=lambda i: (i["council"], i["issue"], i["polarity"]))
    _add_reports(store, docs)
    return [docs[k] for k in sorted(docs)]


def _dated_unique(items: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """One item per key and date; an undated item is dropped when a dated one has the same key."""
    dated = {tuple(i[k] for k in key) for i in items if i["date"]}
    out = {(*(i[k] for k in key), i["date"] or ""): i for i in items if i["date"] or tuple(i[k] for k in key)
           not in dated}
    return [out[k] for k in sorted(out)]


def _add_reports(store: ox.Store, docs: dict[str, dict[str, Any]]) -> None:
    path: Path = ontology_file("facts/report.rq")
    if not path.is_file():
        return
    from graphkit.query.facts_report import report_objects

    for doc_id, report in report_objects(select_rows(store, path.read_text(encoding="utf-8"))).items():
        if doc_id in docs:
            docs[doc_id]["report"] = report
