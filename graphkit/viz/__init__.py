"""Show the graph: offline interactive views (pyvis), charts (matplotlib) and a report page.

:func:`write_build_views` writes everything a build shows into its output folder::

    DIR/graph.html          the whole entity graph
    DIR/cooccurrence.html   the issue co-occurrence network
    DIR/charts/*.png        co-occurrence heatmap, topics by polarity, grade timelines
    DIR/report.html         the charts and main tables, with links to the views

Every page opens from disk without a network, and text from documents is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from graphkit.analyse.rows import GraphRows

__all__ = ["write_build_views", "BUILD_VIEWS"]

#: The files :func:`write_build_views` writes, by name, relative to the build folder.
BUILD_VIEWS: dict[str, str] = {
    "graph": "graph.html",
    "cooccurrence": "cooccurrence.html",
    "heatmap": "charts/cooccurrence-heatmap.png",
    "topics": "charts/topic-frequency.png",
    "timeline": "charts/grade-timeline.png",
    "report": "report.html",
}


#: The report lists at most this many grade events (whole councils, those with the most grades first).
MAX_TIMELINE_ROWS = 500


def _timeline_rows(timeline: dict[str, list[Any]]) -> tuple[list[dict[str, Any]], str]:
    """The report's timeline table and a note saying what was left out: a page, not every grade of a corpus."""
    from graphkit.analyse import timeline_table

    total = sum(len(events) for events in timeline.values())
    if total <= MAX_TIMELINE_ROWS:
        return timeline_table(timeline), ""
    kept: dict[str, list[Any]] = {}
    rows = 0
    for council in sorted(timeline, key=lambda c: (-len(timeline[c]), c)):
        events = timeline[council][: MAX_TIMELINE_ROWS - rows]
        if len(events) < len(timeline[council]) and kept:
            break  # whole councils, unless the first alone is too many
        kept[council] = events
        rows += len(events)
        if rows >= MAX_TIMELINE_ROWS:
            break
    which = "the council" if len(kept) == 1 else f"the {len(kept):,} councils"
    note = (f" Shown: {rows:,} of {total:,} grades, those of {which} with the most of {len(timeline):,}; "
            "graphkit analyze DIR timeline lists them all.")
    return timeline_table(dict(sorted(kept.items()))), note


def write_build_views(out_dir: Path, source: ox.Store | Iterable[GraphRows], *, seed: int = 0,
                      spill_dir: Path | None = None) -> dict[str, Path]:
    """Write the views, charts and report of a graph into ``out_dir``; name -> path.

    ``source`` is a store, read at once through the SPARQL of ``ontology/views/``, or its rows in batches
    of whole documents (a build reads its cached chunks that way: ``graphkit.analyse.summary`` keeps
    memory flat with the corpus). Each file is written atomically.
    """
    from graphkit.analyse import cooccurrence_table, load_graph_rows, similarity_table
    from graphkit.analyse.summary import summarise
    from graphkit.analyse.timeline import MAX_SOURCES
    from graphkit.store.files import write_atomic
    from graphkit.viz.charts import cooccurrence_heatmap, grade_timeline_chart, topic_frequency_chart
    from graphkit.viz.page import MAX_EVIDENCE
    from graphkit.viz.report import html_table, report_html
    from graphkit.viz.views import MAX_NODES, cooccurrence_view, entity_view, render

    out = Path(out_dir)
    paths = {name: out / rel for name, rel in BUILD_VIEWS.items()}
    batches = [load_graph_rows(source)] if isinstance(source, ox.Store) else source
    summary = summarise(batches, spill_dir=spill_dir, max_nodes=MAX_NODES, evidence_cap=MAX_EVIDENCE)
    entities, cooc, frequency, timeline = summary.entities, summary.cooccurrence, summary.frequency, summary.timeline

    write_atomic(paths["graph"], render(entity_view(entities, seed=seed), seed=seed))
    write_atomic(paths["cooccurrence"], render(cooccurrence_view(cooc, seed=seed), seed=seed))
    charts = [
        (cooccurrence_heatmap(cooc), "heatmap", "Topics found together for the same council in the same document"),
        (topic_frequency_chart(frequency), "topics", "How often each topic is found, as a concern and as a strength"),
        (grade_timeline_chart(timeline), "timeline", "Ofsted grades reported for each council, by date"),
    ]
    for png, name, _ in charts:
        write_atomic(paths[name], png)

    labels = {t: d.get("label", t) for t, d in cooc.nodes(data=True)}
    pairs = [dict(r, label_a=labels[r["topic_a"]], label_b=labels[r["topic_b"]])
             for r in cooccurrence_table(cooc)[:25]]
    similar = similarity_table(summary.similarity)[:20]
    timeline_rows, timeline_note = _timeline_rows(timeline)
    sections = [
        ("Topics found together", "Pairs of topics found for the same council in the same document; lift above 1 "
         "means more often than chance.",
         html_table(pairs, [("label_a", "topic"), ("label_b", "with"), ("count", "together"),
                            ("jaccard", "Jaccard"), ("lift", "lift")], empty="No pairs yet.")),
        ("Topics by polarity", "",
         html_table(frequency, [("label", "topic"), ("group", "group"), ("concern", "as concern"),
                                ("strength", "as strength")], empty="No findings yet.")),
        ("Councils with similar concerns", "Cosine similarity of the councils' concern topics, weighted by "
         "the number of documents.",
         html_table(similar, [("council_a", "council"), ("council_b", "and"), ("shared", "shared topics"),
                              ("cosine", "cosine"), ("jaccard", "Jaccard")], empty="No pairs of councils yet.")),
        ("Grade timelines", "Grades reported in more than one document are listed once, with the number of "
         f"documents reporting them and the first {MAX_SOURCES} of those by id." + timeline_note,
         html_table(timeline_rows, [("council", "council"), ("date", "date"), ("grade", "grade"),
                                    ("reports", "reported by"), ("sources", "documents")], empty="No grades yet.")),
        ("Most connected people and councils", "",
         html_table(summary.most_connected,
                    [("label", "name"), ("kind", "kind"), ("links", "links")], empty="No people or councils yet.")),
    ]
    page = report_html(
        title="graphkit: what the graph holds",
        counts=summary.counts,
        views={"The whole graph": BUILD_VIEWS["graph"], "Issue co-occurrence": BUILD_VIEWS["cooccurrence"]},
        charts=[(png, BUILD_VIEWS[name], caption) for png, name, caption in charts],
        sections=sections,
    )
    write_atomic(paths["report"], page)
    return paths
