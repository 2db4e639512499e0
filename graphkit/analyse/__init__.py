"""Analyses of the built graph: pure functions over query rows or networkx graphs.

``rows`` reads a store through the SPARQL of ``ontology/views/``; every other module takes rows or graphs
and returns graphs or rows, and seeds every random step, so results are the same run after run. The
counting ones also take rows a batch of documents at a time (``BasketCounts``, ``CouncilTopics``,
``TimelineCounts``, ``EntityGraph``), which ``summary`` uses to show a huge graph in flat memory.

The names are imported on first use (PEP 562): a build that writes no views must not pay a quarter of a
second for importing networkx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphkit.analyse.centrality import centrality
    from graphkit.analyse.communities import communities, communities_table, membership
    from graphkit.analyse.cooccurrence import (
        POLARITIES,
        BasketCounts,
        cooccurrence_graph,
        cooccurrence_table,
        topic_baskets,
        topic_frequency,
    )
    from graphkit.analyse.entities import EDGE_KINDS, NODE_KINDS, EntityGraph, entity_graph, neighbourhood, top_nodes
    from graphkit.analyse.errors import AnalysisError
    from graphkit.analyse.rows import (
        GraphRows,
        council_names,
        document_rows,
        load_graph_rows,
        resolve_council,
        view_rows,
    )
    from graphkit.analyse.similarity import CouncilTopics, council_similarity, council_topics, similarity_table
    from graphkit.analyse.summary import GraphSummary, summarise
    from graphkit.analyse.timeline import GRADE_ORDER, GradeEvent, TimelineCounts, grade_timeline, timeline_table

#: The module that holds each public name.
_HOME = {
    "centrality": "centrality",
    "communities": "communities",
    "communities_table": "communities",
    "membership": "communities",
    "POLARITIES": "cooccurrence",
    "BasketCounts": "cooccurrence",
    "cooccurrence_graph": "cooccurrence",
    "cooccurrence_table": "cooccurrence",
    "topic_baskets": "cooccurrence",
    "topic_frequency": "cooccurrence",
    "EDGE_KINDS": "entities",
    "NODE_KINDS": "entities",
    "EntityGraph": "entities",
    "entity_graph": "entities",
    "neighbourhood": "entities",
    "top_nodes": "entities",
    "AnalysisError": "errors",
    "GraphRows": "rows",
    "council_names": "rows",
    "document_rows": "rows",
    "load_graph_rows": "rows",
    "resolve_council": "rows",
    "view_rows": "rows",
    "CouncilTopics": "similarity",
    "council_similarity": "similarity",
    "council_topics": "similarity",
    "similarity_table": "similarity",
    "GraphSummary": "summary",
    "summarise": "summary",
    "GRADE_ORDER": "timeline",
    "GradeEvent": "timeline",
    "TimelineCounts": "timeline",
    "grade_timeline": "timeline",
    "timeline_table": "timeline",
}

__all__ = [
    "AnalysisError",
    "BasketCounts",
    "CouncilTopics",
    "EntityGraph",
    "GraphSummary",
    "TimelineCounts",
    "EDGE_KINDS",
    "GRADE_ORDER",
    "GradeEvent",
    "GraphRows",
    "NODE_KINDS",
    "POLARITIES",
    "centrality",
    "communities",
    "communities_table",
    "cooccurrence_graph",
    "cooccurrence_table",
    "council_names",
    "council_similarity",
    "council_topics",
    "entity_graph",
    "grade_timeline",
    "load_graph_rows",
    "membership",
    "neighbourhood",
    "resolve_council",
    "document_rows",
    "similarity_table",
    "summarise",
    "timeline_table",
    "top_nodes",
    "topic_baskets",
    "topic_frequency",
    "view_rows",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
