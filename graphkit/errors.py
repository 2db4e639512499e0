"""One error class per stage. The CLI turns each into a single line on stderr and an exit code."""

from __future__ import annotations

__all__ = [
    "GraphkitError",
    "ReadError",
    "ExtractError",
    "StoreError",
    "QueryError",
    "UsageError",
]


class GraphkitError(Exception):
    """Base of graphkit's own errors: the message is a complete sentence a user can act on."""


class ReadError(GraphkitError):
    """A source document could not be read; names the file and the reason."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ExtractError(GraphkitError):
    """Extraction failed on one document."""


class StoreError(GraphkitError):
    """A store could not be opened, written or reached."""


class QueryError(GraphkitError):
    """A named query is unknown, malformed or was given bad parameters."""


class UsageError(GraphkitError):
    """The command line was used wrongly (exit status 2)."""
