"""Grade timelines: the Ofsted grades reported for each council, in date order.

Several documents often report the same grade (the 2016 "inadequate" is repeated by every later story):
they are folded into one event that lists its sources. Grades whose date the documents do not give come
last, since they cannot be placed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphkit.analyse.rows import iri_id

__all__ = ["GRADE_ORDER", "GradeEvent", "grade_timeline", "timeline_table"]

#: Grades from worst to best, as numbers for charts.
GRADE_ORDER = {"inadequate": 0, "requires-improvement": 1, "good": 2, "outstanding": 3}


@dataclass(frozen=True)
class GradeEvent:
    """One grade given to a council (for one judgement area), with the documents that report it."""

    council: str
    label: str
    date: str | None
    grade: str
    area: str
    sources: tuple[str, ...]


def grade_timeline(
    judgements: Iterable[Mapping[str, Any]], *, council: str | None = None, area: str | None = "overall"
) -> dict[str, list[GradeEvent]]:
    """Council label -> its grade events in date order (undated last); ``area=None`` keeps every area.

    >>> rows = [{"document": "d2", "council": "C", "councilLabel": "Dudley", "grade": "good",
    ...          "date": "2018-12"},
    ...         {"document": "d1", "council": "C", "councilLabel": "Dudley", "grade": "inadequate",
    ...          "date": "2016-04"},
    ...         {"document": "d3", "council": "C", "councilLabel": "Dudley", "grade": "inadequate",
    ...          "date": "2016-04"}]
    >>> [(e.date, e.grade, e.sources) for e in grade_timeline(rows)["Dudley"]]
    [('2016-04', 'inadequate', ('d1', 'd3')), ('2018-12', 'good', ('d2',))]
    """
    events: dict[tuple[str, str | None, str, str], dict[str, Any]] = {}
    for r in judgements:
        if council is not None and r["council"] != council:
            continue
        row_area = r.get("area") or "overall"
        if area is not None and row_area != area:
            continue
        key = (r["council"], r.get("date"), r["grade"], row_area)
        e = events.setdefault(key, {"label": r.get("councilLabel") or iri_id(r["council"]), "sources": set()})
        e["sources"].add(r["document"])
    out: dict[str, list[GradeEvent]] = {}
    for (c, date, grade, row_area), e in events.items():
        out.setdefault(e["label"], []).append(
            GradeEvent(c, e["label"], date, grade, row_area, tuple(sorted(e["sources"]))))
    for items in out.values():
        items.sort(key=lambda e: (e.date is None, e.date or "", e.area, GRADE_ORDER.get(e.grade, 9)))
    return dict(sorted(out.items()))


def timeline_table(timeline: Mapping[str, list[GradeEvent]]) -> list[dict[str, Any]]:
    """One row per event: council, date, grade, area, and the documents that report it."""
    return [{"council": e.label, "date": e.date, "grade": e.grade, "area": e.area, "sources": list(e.sources)}
            for events in timeline.values() for e in events]
