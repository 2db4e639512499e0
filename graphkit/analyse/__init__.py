"""Analyses of the built graph: pure functions over query rows or networkx graphs.

``rows`` reads a store through the SPARQL of ``ontology/views/``; every other module takes rows or graphs
and returns graphs or rows, and seeds every random step, so results are the same run after run.
"""

from graphkit.analyse.centrality import centrality
from graphkit.analyse.communities import communities, communities_table, membership
from graphkit.analyse.cooccurrence import (
    POLARITIES,
    cooccurrence_graph,
    cooccurrence_table,
    topic_baskets,
    topic_frequency,
)
from graphkit.analyse.entities import EDGE_KINDS, NODE_KINDS, entity_graph, neighbourhood, top_nodes
from graphkit.analyse.errors import AnalysisError
from graphkit.analyse.rows import GraphRows, council_names, load_graph_rows, resolve_council, view_rows
from graphkit.analyse.similarity import council_similarity, council_topics, similarity_table
from graphkit.analyse.timeline import GRADE_ORDER, GradeEvent, grade_timeline, timeline_table

__all__ = [
    "AnalysisError",
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
    "similarity_table",
    "timeline_table",
    "top_nodes",
    "topic_baskets",
    "topic_frequency",
    "view_rows",
]
