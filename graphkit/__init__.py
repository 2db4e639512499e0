"""graphkit: a knowledge graph of Ofsted inspections of English councils' children's services.

Data flows one way: read documents -> extract facts with evidence -> build RDF with provenance ->
store -> query / analyse / show. Each stage is a subpackage; ``graphkit.pipeline`` wires them.
"""

__version__ = "0.1.0"
EXTRACTOR_NAME = "graphkit-extract"
#: Bumped whenever extraction output can change for the same input: incremental builds re-extract then.
EXTRACTOR_VERSION = "0.1.0"

__all__ = ["__version__", "EXTRACTOR_NAME", "EXTRACTOR_VERSION", "open_graph", "build"]


def __getattr__(name: str):
    """``graphkit.open_graph`` and ``graphkit.build`` without importing them (and rdflib) up front."""
    if name == "open_graph":
        from graphkit.api import open_graph

        return open_graph
    if name == "build":
        from graphkit.pipeline import build

        return build
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
