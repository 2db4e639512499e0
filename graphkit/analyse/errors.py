"""The error of the analyse and show stages: bad parameters, unknown councils, empty selections."""

from __future__ import annotations

from graphkit.errors import GraphkitError

__all__ = ["AnalysisError"]


class AnalysisError(GraphkitError):
    """An analysis or a view was asked for something the graph or the parameters cannot give."""
