"""The one module that knows where the declarative files (``ontology/``) live.

In a source checkout they sit beside the package; in an installed wheel they are shipped inside it as
``graphkit/ontology`` (see ``pyproject.toml``). Everything else asks this module for paths.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["ontology_dir", "ontology_file", "lexicon_file", "query_dir", "gazetteer_file"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def ontology_dir() -> Path:
    """The folder holding the OWL model, SKOS schemes, SHACL shapes, queries and lexicons."""
    for candidate in (_PACKAGE / "ontology", _PACKAGE.parent / "ontology"):
        if (candidate / "lexicon").is_dir():
            return candidate
    raise FileNotFoundError(f"graphkit's ontology/ folder was not found beside {_PACKAGE}")


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def lexicon_file(name: str) -> Path:
    """A cue-phrase or pattern file under ``ontology/lexicon``."""
    return ontology_dir() / "lexicon" / name


def gazetteer_file(name: str = "local_authorities.csv") -> Path:
    return ontology_dir() / "gazetteer" / name


def query_dir() -> Path:
    return ontology_dir() / "queries"
