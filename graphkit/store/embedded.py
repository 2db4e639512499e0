"""The default store: Oxigraph embedded on disk in ``DIR/store``.

A build loads a fresh store beside the old one and swaps the two folders, so a build killed half way
leaves the previous store whole, and a reader never sees a half-loaded graph. Oxigraph holds a lock on an
open store: a store held by another process (a running ``graphkit serve``, say) gives a clear error.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graphkit.errors import QueryError, StoreError
from graphkit.store.base import GraphStore, Results

if TYPE_CHECKING:
    from graphkit.store.files import Removals

__all__ = ["STORE_DIR", "store_path", "replace_store", "stage_store", "swap_in", "open_store", "recover",
           "EmbeddedStore", "oxigraph_results"]

STORE_DIR = "store"


def store_path(out_dir: Path) -> Path:
    return Path(out_dir) / STORE_DIR


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that a killed build left half done."""
    out_dir = Path(out_dir)
    live, old = out_dir / STORE_DIR, out_dir / f".{STORE_DIR}-old"
    if not live.exists() and old.exists():
        os.replace(old, live)
    elif live.exists() and old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in out_dir.glob(f".{STORE_DIR}-new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _lock_holder(path: Path) -> int | None:
    """The process holding the write lock of the store at ``path`` (0: unknown pid), None if nobody does;
    or -1 when this system cannot tell without opening the store.

    RocksDB locks ``LOCK`` with a POSIX record lock; an open-file-description lock query (Linux) asks
    whether anyone holds it without taking it, in microseconds where opening the store to find out took
    50 ms, twice in every build that writes a store. (Closing the probe's descriptor would drop a lock
    that this very process holds on the file, which a build never does: it opens the live store read-only.)
    """
    import struct

    try:
        import fcntl
        query = fcntl.F_OFD_GETLK  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return -1
    try:
        fd = os.open(path / "LOCK", os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError:
        return -1
    try:
        probe = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        kind, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, query, probe))
    except OSError:
        return -1
    finally:
        os.close(fd)
    return None if kind == fcntl.F_UNLCK else max(pid, 0)


def _check_not_in_use(path: Path) -> None:
    if not path.exists():
        return
    holder = _lock_holder(path)
    if holder is None:
        return
    if holder >= 0:
        by = f" (process {holder})" if holder else ""
        raise StoreError(f"{path}: the store is in use by another process{by}; is `graphkit serve` running on it?")
    try:  # this system cannot ask: open the store to find out
        probe = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(
            f"{path}: the store is in use by another process (is `graphkit serve` running on it?): {exc}"
        ) from None
    del probe


def stage_store(out_dir: Path, *, copy_live: bool) -> Path:
    """A new store folder beside ``DIR/store`` for a build to fill: empty, or a copy of the live store.

    The copy is a RocksDB checkpoint (hard links to the live store's immutable files), made in
    milliseconds whatever the store's size, so a build that changes a few documents edits the copy and
    never the store that readers have open.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    live = store_path(out_dir)
    _check_not_in_use(live)
    new = out_dir / f".{STORE_DIR}-new-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    if copy_live:
        source = ox.Store.read_only(str(live))
        try:
            source.backup(str(new))
        finally:
            del source
    return new


def swap_in(out_dir: Path, new: Path, removals: Removals | None = None) -> Path:
    """Put the staged store ``new`` in place of ``DIR/store``; ``recover`` finishes a swap cut short.

    The old store is removed by ``removals`` in the background if given: its files the new one does not
    share (hard links, see ``stage_store``) can be large, and freeing them took a fifth of a second.
    """
    out_dir = Path(out_dir)
    live = store_path(out_dir)
    _check_not_in_use(live)
    old = out_dir / f".{STORE_DIR}-old"
    if live.exists():
        os.replace(live, old)
    os.replace(new, live)
    if removals is not None:
        removals.remove(old)
    else:
        shutil.rmtree(old, ignore_errors=True)
    return live


def replace_store(out_dir: Path, quads: Iterable[ox.Quad]) -> Path:
    """Load ``quads`` into a new on-disk store and put it in place of ``DIR/store``."""
    new = stage_store(out_dir, copy_live=False)
    store = ox.Store(str(new))
    try:
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
    finally:
        del store
    return swap_in(out_dir, new)


def open_store(out_dir: Path, read_only: bool = True) -> ox.Store:
    """Open a built store; read-only opens can run beside a writer or a server."""
    path = store_path(out_dir)
    recover_needed = not path.exists() and (Path(out_dir) / f".{STORE_DIR}-old").exists()
    if recover_needed:
        recover(Path(out_dir))
    if not path.exists():
        raise StoreError(f"{path}: no store here; run `graphkit build ... --out {out_dir}` first")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: the store could not be opened: {exc}") from None


def oxigraph_results(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Results:
    """pyoxigraph's answer to a query as ``Results`` (triples as subject/predicate/object rows)."""
    if isinstance(result, ox.QueryBoolean):
        return Results([], [], bool(result))
    if isinstance(result, ox.QueryTriples):
        return Results(["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in result])
    names = [v.value for v in result.variables]
    width = range(len(names))
    return Results(names, [tuple(sol[i] for i in width) for sol in result])


class EmbeddedStore(GraphStore):
    """Oxigraph in this process: the built store of a folder (read-only), or a store in memory.

    Queries see the union of the named graphs as their default graph.
    """

    kind = "oxigraph"

    def __init__(self, store: ox.Store, label: str = "memory") -> None:
        self.store = store
        self.label = label

    @classmethod
    def open(cls, out_dir: Path) -> EmbeddedStore:
        """The store ``graphkit build`` wrote into ``out_dir``, opened read-only."""
        return cls(open_store(Path(out_dir)), str(store_path(Path(out_dir))))

    @classmethod
    def in_memory(cls, quads: Iterable[ox.Quad] = ()) -> EmbeddedStore:
        store = ox.Store()
        store.bulk_extend(quads)
        return cls(store)

    @classmethod
    def from_trig(cls, path: Path) -> EmbeddedStore:
        """An in-memory store loaded from a TriG file such as ``DIR/graph.trig``."""
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{path}: could not be loaded: {exc}") from None
        return cls(store, str(path))

    def _execute(self, sparql: str) -> Results:
        try:
            return oxigraph_results(self.store.query(sparql, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise QueryError(f"the query is not valid SPARQL: {_one_line(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.label}: the query could not be run: {_one_line(exc)}") from None

    def quads(self) -> Iterable[ox.Quad]:
        return iter(self.store)

    def close(self) -> None:
        self.store = None  # type: ignore[assignment]  # the files are released with the last reference


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
