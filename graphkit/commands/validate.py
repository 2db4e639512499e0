"""``graphkit validate DIR``: check a built graph against the SHACL shapes of ``ontology/shapes.ttl``.

Exit status 0 when ``DIR/graph.trig`` conforms, 3 when it does not (the report is printed, naming each
node, property and rule that failed), so scripts and CI can tell a broken graph from a broken command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from graphkit.errors import StoreError, UsageError

__all__ = ["register", "run", "GRAPH_FILE", "EXIT_NOT_CONFORMING"]

#: The file of a built graph directory that is validated.
GRAPH_FILE = "graph.trig"
#: Exit status when the graph does not conform (see ``graphkit.cli``).
EXIT_NOT_CONFORMING = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a built graph against the SHACL shapes",
        description=(
            f"Validate DIR/{GRAPH_FILE} against ontology/shapes.ttl. Exit status 0 when it conforms, "
            f"{EXIT_NOT_CONFORMING} when it does not."
        ),
    )
    parser.add_argument(
        "dir", metavar="DIR", type=Path, help=f"a built graph directory holding {GRAPH_FILE} (or an RDF file)"
    )
    parser.set_defaults(func=run)


def _graph_file(target: Path) -> Path:
    """The file to validate: ``DIR/graph.trig``, or the path itself when it names an RDF file."""
    if target.is_file():
        return target
    if not target.exists():
        raise UsageError(f"{target}: no such directory; give the directory a graph was built into")
    path = target / GRAPH_FILE
    if not path.is_file():
        raise StoreError(f"{target}: no {GRAPH_FILE} here; build the graph into this directory first "
                         f"(or `graphkit export {target}` after a build with --no-files)")
    return path


def run(args: argparse.Namespace) -> int:
    from graphkit.rdf.validate import validate  # pySHACL is slow to import: only this command needs it

    path = _graph_file(args.dir)
    try:
        result = validate(path)
    except ValueError as exc:
        raise StoreError(f"cannot read the graph: {exc}") from None
    if result.conforms:
        print(f"conforms: {result.triples} triples checked")
        return 0
    print(result.text.rstrip())
    return EXIT_NOT_CONFORMING
