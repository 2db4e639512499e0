"""Rows for the analyses and views, read from a built store by the SPARQL in ``ontology/views/``.

This is the only module of ``graphkit.analyse`` that touches a store; everything else is a pure function
over the rows it returns (or over graphs built from them), so analyses can be tested on hand-made lists.
IRIs of concepts are turned into their ids here (``.../topic/caseloads`` -> ``caseloads``), so the
analyses need not know the vocabulary graph is there: labels are used when present, ids otherwise.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from graphkit.analyse.errors import AnalysisError
from graphkit.query.facts import select_rows
from graphkit.resources import ontology_file

__all__ = [
    "Row",
    "VIEWS",
    "GraphRows",
    "iri_id",
    "view_query",
    "view_rows",
    "load_graph_rows",
    "document_rows",
    "rows_cache",
    "rows_folders",
    "council_names",
    "resolve_council",
]

Row = dict[str, str | None]

#: The queries of ``ontology/views/``, by name, and the key that identifies one fact in each.
VIEWS: dict[str, str] = {
    "documents": "doc",
    "mentions": "mention",
    "findings": "finding",
    "people": "post",
    "judgements": "judgement",
    "inspections": "inspection",
    "councils": "council",
}
#: Columns holding concept IRIs, turned into ids.
_CONCEPTS = ("topic", "polarity", "grade", "role", "kind", "area", "type")


def iri_id(iri: str | None) -> str | None:
    """The last segment of an IRI, unquoted: the id graphkit minted it from.

    >>> iri_id("https://w3id.org/graphkit/topic/caseloads")
    'caseloads'
    >>> iri_id("https://w3id.org/graphkit/ontology#InspectionReport")
    'InspectionReport'
    """
    if iri is None:
        return None
    tail = iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
    return unquote(tail)


@cache
def view_query(name: str) -> str:
    """The text of ``ontology/views/NAME.rq``."""
    if name not in VIEWS:
        raise AnalysisError(f"unknown view query {name!r}; expected one of {', '.join(sorted(VIEWS))}")
    return ontology_file(f"views/{name}.rq").read_text(encoding="utf-8")


def _tidy(name: str, rows: list[Row]) -> list[Row]:
    """Concept IRIs to ids; one row per fact (OPTIONAL labels may repeat a fact), chosen stably."""
    key = VIEWS[name]
    out: dict[str | None, Row] = {}
    for row in sorted(rows, key=lambda r: tuple((k, v or "") for k, v in r.items())):
        for col in _CONCEPTS:
            if col in row:
                row[col] = iri_id(row[col])
        if name == "people":
            row["isCouncil"] = "true" if row.get("isCouncil") in ("true", "1") else "false"
        if name == "councils":
            out.setdefault(f"{row[key]}\x1f{row.get('alias') or ''}", row)
        else:
            out.setdefault(row[key], row)
    return list(out.values())


def view_rows(store: ox.Store, name: str) -> list[Row]:
    """Run one view query over ``store`` and tidy its rows (see the module docstring)."""
    return _tidy(name, select_rows(store, view_query(name)))


@dataclass(frozen=True)
class GraphRows:
    """Everything the entity graph and the analyses read from a store, one list of rows per view."""

    documents: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    judgements: list[Row] = field(default_factory=list)
    inspections: list[Row] = field(default_factory=list)


def load_graph_rows(store: ox.Store) -> GraphRows:
    """All the rows of a built graph that the analyses and views use."""
    return GraphRows(**{name: view_rows(store, name) for name in GraphRows.__dataclass_fields__})


#: Documents per batch of :func:`document_rows`: about 3 MB of rows, and an in-memory store of ~85k quads.
BATCH_DOCS = 250
#: Bump when what a document's cached rows hold changes other than through the view queries or base graphs.
ROWS_FORMAT = "1"
#: Where, under a build's cache, documents' rows are kept (one folder per base graphs and view queries).
ROWS_DIR = "rows"


def document_rows(docs: Iterable[tuple[str, Path]], base: bytes, *, cache_dir: Path | None = None,
                  batch: int | None = None, jobs: int = 1) -> Iterator[GraphRows]:
    """The rows of documents, from (doc id, cached TriG chunk) pairs, ``batch`` documents at a time.

    Each batch's chunks are loaded with ``base`` (the vocabulary and councils, as a TriG chunk) into a
    small in-memory store and read there by the same view queries, in ``jobs`` processes. The join on an
    on-disk store of 10,000 documents costs about 35 µs a lookup (46 s for the findings alone), and every
    row of it at once ~600 MB; a batch of 250 in memory costs about 3 ms a document and holds one batch.

    A document's rows depend only on its own graph and the base graphs (a batch of one gives the rows a
    whole store gives), so with ``cache_dir`` they are kept as JSON under the chunk's key (see
    ``rows_cache``) and read back next time instead of queried: after a one-document change the views
    query one document. Within a batch, rows come document by document in the order given, each
    document's in the order of ``_tidy``, cached or not, so the views do not depend on what was cached.
    """
    from graphkit.batching import groups, map_in_processes

    folder = None if cache_dir is None else str(cache_dir)

    def item(doc_id: str, chunk: Path) -> tuple[str, str, str | None]:  # os.path: a tenth of pathlib's cost
        return doc_id, str(chunk), None if folder is None else os.path.join(folder, f"{chunk.stem}.json")

    work = ((base, [item(*doc) for doc in group]) for group in groups(docs, batch or BATCH_DOCS))
    yield from map_in_processes(_rows_of_batch, work, jobs)


def rows_cache(cache: Path, base: bytes) -> Path:
    """The folder of documents' cached rows for these base graphs and view queries (made; others removed)."""
    import hashlib
    import shutil

    digest = hashlib.sha256(ROWS_FORMAT.encode() + base)
    for name in GraphRows.__dataclass_fields__:
        digest.update(view_query(name).encode())
    folder = cache / ROWS_DIR / digest.hexdigest()[:16]
    if not folder.is_dir():
        shutil.rmtree(cache / ROWS_DIR, ignore_errors=True)
        folder.mkdir(parents=True)
    return folder


def rows_folders(cache: Path) -> list[Path]:
    """The folders of cached rows under a build's ``cache`` (one, or none yet): where a build removes the
    rows of documents it drops, as it removes their chunks."""
    return [p for p in (cache / ROWS_DIR).glob("*") if p.is_dir()]


def _read_cached(path: str | None) -> GraphRows | None:
    if path is None:
        return None
    import json

    try:
        with open(path, "rb") as f:  # json reads UTF-8 bytes itself, without a text layer
            return GraphRows(**json.loads(f.read()))
    except (OSError, ValueError, TypeError):  # not there yet, or damaged: query again
        return None


def _query(base: bytes, paths: list[str]) -> GraphRows:
    """The rows of the TriG chunks ``paths``, loaded with ``base`` into a small in-memory store."""
    from graphkit.store.chunks import header

    store = ox.Store()
    data = [header("trig"), base]
    for path in paths:
        with open(path, "rb") as f:
            data.append(f.read())
    store.bulk_load(b"".join(data), format=ox.RdfFormat.TRIG)
    return load_graph_rows(store)


def _rows_of_batch(work: tuple[bytes, list[tuple[str, str, str | None]]]) -> GraphRows:
    import json

    from graphkit.store.files import write_atomic

    base, docs = work
    found = {doc_id: _read_cached(cached) for doc_id, _, cached in docs}
    missing = [(doc_id, path, cached) for doc_id, path, cached in docs if found[doc_id] is None]
    if missing:
        queried = _query(base, [path for _, path, _ in missing])
        fields = GraphRows.__dataclass_fields__
        mine = {doc_id: {name: [] for name in fields} for doc_id, _, _ in missing}
        for name in fields:
            for row in getattr(queried, name):
                mine[row["document"]][name].append(row)
        for doc_id, _, cached in missing:
            found[doc_id] = GraphRows(**mine[doc_id])
            if cached is not None:
                write_atomic(Path(cached), json.dumps(mine[doc_id], ensure_ascii=False), sync=False)
    return GraphRows(**{name: [row for doc_id, _, _ in docs for row in getattr(found[doc_id], name)]
                        for name in GraphRows.__dataclass_fields__})


def council_names(store: ox.Store) -> dict[str, tuple[str, str]]:
    """Every name a council goes by (label, alias, GSS code), lower-cased -> (IRI, label)."""
    names: dict[str, tuple[str, str]] = {}
    for row in view_rows(store, "councils"):
        iri, label = row["council"] or "", row["label"] or ""
        for name in (label, row.get("alias"), row.get("gss"), iri):
            if name:
                names.setdefault(name.strip().lower(), (iri, label))
    return names


def resolve_council(name: str, names: dict[str, tuple[str, str]] | Callable[[], dict]) -> tuple[str, str]:
    """The (IRI, label) of the council called ``name``, or an error suggesting the nearest names.

    >>> resolve_council("dudley", {"dudley": ("gk:dudley", "Dudley")})
    ('gk:dudley', 'Dudley')
    >>> resolve_council("Dudly", {"dudley": ("gk:dudley", "Dudley")})
    Traceback (most recent call last):
    ...
    graphkit.analyse.errors.AnalysisError: no council called 'Dudly' in this graph; did you mean Dudley?
    """
    table = names() if callable(names) else names
    found = table.get(" ".join(name.split()).lower())
    if found is not None:
        return found
    close = difflib.get_close_matches(name.lower(), list(table), n=3, cutoff=0.6)
    labels = list(dict.fromkeys(table[c][1] for c in close))
    hint = f"; did you mean {' or '.join(labels)}?" if labels else " (names come from the gazetteer)"
    raise AnalysisError(f"no council called {name!r} in this graph{hint}")
