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

import pyoxigraph as ox

from graphkit.errors import StoreError

__all__ = ["STORE_DIR", "store_path", "replace_store", "open_store", "recover"]

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


def _check_not_in_use(path: Path) -> None:
    if not path.exists():
        return
    try:
        probe = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(
            f"{path}: the store is in use by another process (is `graphkit serve` running on it?): {exc}"
        ) from None
    del probe


def replace_store(out_dir: Path, quads: Iterable[ox.Quad]) -> Path:
    """Load ``quads`` into a new on-disk store and put it in place of ``DIR/store``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    live = store_path(out_dir)
    _check_not_in_use(live)
    new = out_dir / f".{STORE_DIR}-new-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    store = ox.Store(str(new))
    try:
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
    finally:
        del store
    old = out_dir / f".{STORE_DIR}-old"
    if live.exists():
        os.replace(live, old)
    os.replace(new, live)
    shutil.rmtree(old, ignore_errors=True)
    return live


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
