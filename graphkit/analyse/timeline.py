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

__all__ = ["GRADE_ORDER", "MAX_SOURCES", "GradeEvent", "TimelineCounts", "grade_timeline", "timeline_table"]

#: Grades from worst to best, as numbers for charts.
GRADE_ORDER = {"inadequate": 0, "requires-improvement": 1, "good": 2, "outstanding": 3}


#: An event lists at most this many of its documents (the first by id) and counts the rest: at scale a
#: grade is repeated by thousands of stories, and the list would grow with the corpus.
MAX_SOURCES = 20


@dataclass(frozen=True)
class GradeEvent:
    """One grade given to a council (for one judgement area), with the documents that report it.

    ``sources`` is the first :data:`MAX_SOURCES` of them by id; ``reports`` counts them all.
    """

    council: str
    label: str
    date: str | None
    grade: str
    area: str
    sources: tuple[str, ...]
    reports: int = 0


class TimelineCounts:
    """Grade events, fed one batch of whole documents' judgement rows at a time (see :func:`grade_timeline`)."""

    def __init__(self, *, council: str | None = None, area: str | None = "overall") -> None:
        self.council = council
        self.area = area
        self.events: dict[tuple[str, str | None, str, str], dict[str, Any]] = {}

    def add(self, judgements: Iterable[Mapping[str, Any]]) -> TimelineCounts:
        batch: dict[tuple[str, str | None, str, str], set[str]] = {}
        for r in judgements:
            if self.council is not None and r["council"] != self.council:
                continue
            row_area = r.get("area") or "overall"
            if self.area is not None and row_area != self.area:
                continue
            key = (r["council"], r.get("date"), r["grade"], row_area)
            self.events.setdefault(key, {"label": r.get("councilLabel") or iri_id(r["council"]), "sources": [],
                                         "reports": 0})
            batch.setdefault(key, set()).add(r["document"])
        for key, docs in batch.items():  # a document is in one batch only: its documents are new ones
            e = self.events[key]
            e["reports"] += len(docs)
            e["sources"] = sorted([*e["sources"], *docs])[:MAX_SOURCES]
        return self

    def timeline(self) -> dict[str, list[GradeEvent]]:
        out: dict[str, list[GradeEvent]] = {}
        for (c, date, grade, row_area), e in self.events.items():
            out.setdefault(e["label"], []).append(
                GradeEvent(c, e["label"], date, grade, row_area, tuple(e["sources"]), e["reports"]))
        for items in out.values():
            items.sort(key=lambda e: (e.date is None, e.date or "", e.area, GRADE_ORDER.get(e.grade, 9)))
        return dict(sorted(out.items()))


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
    >>> [(e.date, e.grade, e.sources, e.reports) for e in grade_timeline(rows)["Dudley"]]
    [('2016-04', 'inadequate', ('d1', 'd3'), 2), ('2018-12', 'good', ('d2',), 1)]
    """
    return TimelineCounts(council=council, area=area).add(judgements).timeline()


def timeline_table(timeline: Mapping[str, list[GradeEvent]]) -> list[dict[str, Any]]:
    """One row per event: council, date, grade, area, and the documents that report it."""
    return [{"council": e.label, "date": e.date, "grade": e.grade, "area": e.area, "sources": list(e.sources),
             "reports": e.reports}
            for events in timeline.values() for e in events]
