"""The ``report`` object of the facts view (FACTS.md, "Reports"), assembled from ``facts/report.rq`` rows.

The query returns one row per report document and judgement area; this module folds the rows into one
object per document in the exact shape the scorer reads. Ids come from the concepts' ``skos:notation``;
when the vocabulary graph is missing the last segment of the concept's IRI (which graphkit mints from
the same id) stands in, so a partial build still gives readable facts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["report_objects", "FACTS_AREAS"]

#: The judgement keys of the facts view, in its order (adoption, graded under SIF, is not one of them).
FACTS_AREAS = ("overall", "leaders", "help-and-protection", "in-care", "care-leavers")


def _notation(row: dict[str, str | None], key: str) -> str | None:
    value = row.get(key)
    if value:
        return value
    iri = row.get(f"{key}Iri")
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def report_objects(rows: list[dict[str, str | None]]) -> dict[str, dict[str, Any]]:
    """``{document id: report object}`` from the rows of ``report.rq``.

    >>> rows = [{"document": "d", "inspection": "i", "council": "Dudley", "framework": "ilacs-standard",
    ...          "lead": "Peter McEntee", "start": "2018-10-29", "end": "2018-11-09",
    ...          "area": "overall", "grade": "requires-improvement"}]
    >>> report_objects(rows)["d"]["judgements"]["overall"], report_objects(rows)["d"]["judgements"]["in-care"]
    ('requires-improvement', None)
    """
    out: dict[str, dict[str, Any]] = {}
    chosen: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r.get("document") or "", r.get("inspection") or "")):
        doc = row.get("document")
        if not doc:
            continue
        inspection = row.get("inspection") or ""
        if chosen.setdefault(doc, inspection) != inspection:
            continue  # a document reports on one inspection; a second node would be a build error
        report = out.setdefault(doc, {
            "council": None, "framework": None, "lead_inspector": None,
            "inspection_start": None, "inspection_end": None,
            "judgements": dict.fromkeys(FACTS_AREAS),
        })
        for key, column in (("council", "council"), ("lead_inspector", "lead"),
                            ("inspection_start", "start"), ("inspection_end", "end")):
            report[key] = report[key] or row.get(column)
        report["framework"] = report["framework"] or _notation(row, "framework")
        area, grade = _notation(row, "area"), _notation(row, "grade")
        if area in report["judgements"] and grade and report["judgements"][area] is None:
            report["judgements"][area] = grade
    return out
