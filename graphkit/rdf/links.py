"""Cross-document links, made once every document's graph is loaded: news inspections to their reports.

A news article that reports an Ofsted inspection gets its own inspection node (what one source says is
kept apart from what another says). When the graph also holds the report of that inspection, the
article's node is linked to the report's node with ``gk:sameInspectionAs``, in the ``links`` graph:

- same council;
- compatible kinds: a full inspection with an inspection; a focused or monitoring visit with a visit of
  that kind or of unstated kind (``visit``); a JTAI with a JTAI;
- the article's date falls in the inspection's window (start to end), or in the month the report was
  published or the month after (articles appear when reports do). ILACS reports do not print their
  publication date; for them the end month plus one or two months stands in;
- a date of year precision matches only when that council has a single such report that year.

When an article's node fits several reports, the one whose window holds the date wins, then the one
published nearest after it; so every article node gets at most one link. The output is sorted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import URIRef

from graphkit.rdf.build import Quad
from graphkit.rdf.namespaces import GK, GRAPH, PREFIXES
from graphkit.rdf.terms import nt

__all__ = ["link_quads", "LINKS_GRAPH", "COMPATIBLE_KINDS"]

LINKS_GRAPH = GRAPH["links"]
#: For a report's kind of inspection, the kinds an article may give the same event.
COMPATIBLE_KINDS = {
    "inspection": {"inspection"},
    "focused-visit": {"focused-visit", "visit"},
    "monitoring-visit": {"monitoring-visit", "visit"},
    "jtai": {"jtai"},
}

_QUERY = f"""
PREFIX gk: <{PREFIXES['gk']}>
PREFIX dcterms: <{PREFIXES['dcterms']}>
PREFIX schema: <{PREFIXES['schema']}>
PREFIX skos: <{PREFIXES['skos']}>
SELECT ?news ?newsDate ?newsKind ?report ?reportKind ?start ?end ?published WHERE {{
  #ARTICLES#
  GRAPH ?articleGraph {{
    ?article a gk:Article .
    ?news a gk:Inspection ; dcterms:source ?article ; gk:council ?council ; gk:date ?nd ; gk:kind ?nk .
  }}
  GRAPH ?reportGraph {{
    ?doc a gk:InspectionReport ; gk:reportsOn ?report .
    ?report gk:council ?council ; gk:kind ?rk .
    OPTIONAL {{ ?report gk:startDate ?s }}
    OPTIONAL {{ ?report gk:endDate ?e }}
    OPTIONAL {{ ?doc schema:datePublished ?p }}
  }}
  BIND(STR(?nd) AS ?newsDate)
  BIND(REPLACE(STR(?nk), "^.*/", "") AS ?newsKind)
  BIND(REPLACE(STR(?rk), "^.*/", "") AS ?reportKind)
  BIND(STR(?s) AS ?start)
  BIND(STR(?e) AS ?end)
  BIND(STR(?p) AS ?published)
}}
"""


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


@dataclass(frozen=True)
class _Report:
    iri: str
    kind: str
    start: str  # YYYY-MM-DD or coarser
    end: str
    published_months: tuple[str, ...]

    @classmethod
    def from_row(cls, row: dict[str, str | None]) -> _Report | None:
        start = row.get("start") or row.get("end")
        end = row.get("end") or start
        if not start or not end:
            return None
        published = row.get("published")
        if published and len(published) >= 7:
            first = published[:7]
            months = (first, _next_month(first))
        elif len(end) >= 7:
            first = _next_month(end[:7])
            months = (end[:7], first, _next_month(first))
        else:
            months = ()
        return cls(row["report"] or "", row.get("reportKind") or "inspection", start, end, months)

    def years(self) -> set[str]:
        return {self.start[:4], self.end[:4], *(m[:4] for m in self.published_months)}

    def score(self, when: str) -> tuple[int, str] | None:
        """How well a date of the article fits (lower is better), or None when it does not."""
        if len(when) >= 7:
            if self.start[: len(when)] <= when <= self.end[: len(when)]:
                return (0, self.start)
            if when[:7] in self.published_months:
                return (1 + self.published_months.index(when[:7]), self.start)
        return None


_ANY_REPORT = f"""
PREFIX gk: <{PREFIXES['gk']}>
SELECT ?doc WHERE {{ GRAPH ?g {{ ?doc a gk:InspectionReport }} }} LIMIT 1
"""


def link_quads(query: Callable[[str], list[dict[str, str | None]]],
               article_graphs: Iterable[str] | None = None) -> list[Quad]:
    """``(article inspection, gk:sameInspectionAs, report inspection, links graph)`` quads, sorted.

    ``query`` runs a SPARQL SELECT over all loaded graphs and returns rows of plain string values.
    ``article_graphs`` limits the links to the inspections of those documents' graphs: each article's
    links depend only on it and the reports, so a build that changed a few articles links only them.
    """
    if not query(_ANY_REPORT):
        return []  # nothing to link to: skip the join over every article
    sparql = _QUERY
    if article_graphs is not None:
        graphs = sorted(set(article_graphs))
        if not graphs:
            return []
        values = "VALUES ?articleGraph { " + " ".join(f"<{URIRef(g)}>" for g in graphs) + " }"
        sparql = sparql.replace("#ARTICLES#", values)
    rows = query(sparql)
    candidates: dict[str, list[tuple[str, _Report]]] = {}
    reports_by_year: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        report = _Report.from_row(row)
        news, when, kind = row.get("news"), row.get("newsDate") or "", row.get("newsKind") or ""
        if report is None or not news or kind not in COMPATIBLE_KINDS.get(report.kind, ()):
            continue
        candidates.setdefault(news, []).append((when, report))
        for year in report.years():
            reports_by_year.setdefault((news, year), set()).add(report.iri)
    quads: list[Quad] = []
    for news, options in candidates.items():
        best: tuple[tuple[int, str], str] | None = None
        for when, report in options:
            if len(when) == 4:
                only = reports_by_year.get((news, when), set())
                score = (9, report.start) if only == {report.iri} else None
            else:
                score = report.score(when)
            if score is not None and (best is None or (score, report.iri) < best):
                best = (score, report.iri)
        if best is not None:
            quads.append((URIRef(news), GK.sameInspectionAs, URIRef(best[1]), LINKS_GRAPH))
    return sorted(set(quads), key=lambda q: tuple(nt(t) for t in q))
