"""What a build knows of its documents, kept on disk: the manifest, the next one, and what the store holds.

A build must remember, for each document, the file it came from (path, size, modification time, hash)
and the key of its cached extraction, and it must know which extraction of each document the store
holds. Held in Python dicts, that bookkeeping grew by about 2 KB per document (a few hundred MB at
100k documents); in SQLite the build streams it, a page at a time, and memory stays flat.

- ``cache/index.sqlite`` holds ``docs``, the manifest of the last finished build, and ``held``, which
  extraction of each document the store in place holds (with the base graphs' key and the number of
  quads in ``meta``). The record of the store is emptied (and committed) before a new store is swapped
  in and written after, so a build killed in between leaves no record and the next build loads the
  store whole rather than trust it. SQLite's write-ahead log keeps the file whole if the process is
  killed; an index that cannot be read is started again empty, which costs a build from scratch, never
  a wrong graph.
- ``cache/next.sqlite`` holds ``walked``, every source the walk found with its size and modification
  time, and ``next``, the manifest a build is making from it: scratch, made again by every build, so it
  is written without a journal or flushes. The files that look as they did last time are entered in
  ``next`` by one statement that joins ``walked`` with ``docs``, not by a Python step per document.

A finished build makes ``next`` the new ``docs`` and ``held`` in one transaction, writing only the rows
that changed, so a one-document rebuild writes a few pages whatever the size of the corpus.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from graphkit.batching import groups
from graphkit.errors import StoreError

__all__ = ["BuildIndex", "Entry", "INDEX_FILE", "build_lock", "last_manifest"]

INDEX_FILE = "index.sqlite"
NEXT_FILE = "next.sqlite"
_SCHEMA_VERSION = "1"
_COLUMNS = "doc_id, key, quads, source, hash, size, mtime_ns"
_TABLE = ("(doc_id TEXT PRIMARY KEY, key TEXT, quads INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL, "
          "hash TEXT, size INTEGER, mtime_ns INTEGER) WITHOUT ROWID")
_PAGE = 500  # rows read or looked up per statement


class Entry(NamedTuple):
    """One document as a manifest knows it: its cached extraction's key (None: still to extract) and file."""

    doc_id: str
    key: str | None
    quads: int
    source: str
    hash: str | None
    size: int | None
    mtime_ns: int | None

    def looks_unchanged(self, source: str, stat: os.stat_result) -> bool:
        """Whether a file looks as it did when this entry was made: same path, size and modification time.

        As ``make`` and ``git`` do, a build trusts these rather than read and hash every file again, which
        at 10k documents costs more than the rest of a one-document rebuild. A file rewritten within the
        same nanosecond at the same size would be missed; ``graphkit build --full`` rereads everything.
        """
        return (bool(self.hash) and self.source == source and self.size == stat.st_size
                and self.mtime_ns == stat.st_mtime_ns)


def _pages(db: sqlite3.Connection, sql: str, start: str | int = "") -> Iterator[list[tuple]]:
    """The rows of ``sql`` a page at a time, in the order of their first column: ``sql`` selects rows whose
    first column is past its first parameter, ordered by it, at most its second parameter of them."""
    while page := db.execute(sql, (start, _PAGE)).fetchall():
        yield page
        start = page[-1][0]


def _by_id(db: sqlite3.Connection, table: str) -> Iterator[tuple[str, str, int]]:
    """(doc id, key, quads) of every row of ``table``, sorted by id, a page at a time."""
    for page in _pages(db, f"SELECT doc_id, key, quads FROM {table} WHERE doc_id > ? ORDER BY doc_id LIMIT ?"):
        yield from page


def last_manifest(cache: Path) -> Iterator[tuple[str, str, int]]:
    """``BuildIndex.last_entries`` of the index under ``cache``, opened read-only: for readers of a built
    graph (``graphkit analyze``), which must not touch what a build running beside them writes (opening a
    ``BuildIndex`` starts a new manifest). Raises ``sqlite3.Error`` when there is no readable index."""
    db = sqlite3.connect(f"{(cache / INDEX_FILE).resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield from _by_id(db, "docs")
    finally:
        db.close()


@contextmanager
def build_lock(cache: Path, out: Path) -> Iterator[None]:
    """Hold ``cache/build.lock`` while the index is open: two builds (or a build and an export) writing one
    folder's cache, index and store would interleave, so the second stops with an error before touching
    anything. The lock goes with the process, so a killed build leaves nothing to clean up."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock, as before
        yield
        return
    with open(cache / "build.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"{out}: another graphkit build is writing into this folder; "
                             "wait for it to finish, or build into another --out") from None
        yield


class BuildIndex:
    """The build's bookkeeping under ``DIR/cache``; see the module docstring."""

    def __init__(self, cache: Path) -> None:
        cache.mkdir(parents=True, exist_ok=True)
        self.path = cache / INDEX_FILE
        self._next_path = cache / NEXT_FILE
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:  # not a database, or damaged: start again (a build from scratch)
            for path in (self.path, self._next_path):
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # with the log, a killed process loses no commit
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            version = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if version is not None and version[0] != _SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"index schema {version[0]}, expected {_SCHEMA_VERSION}")
            db.execute(f"CREATE TABLE IF NOT EXISTS docs {_TABLE}")
            db.execute("CREATE INDEX IF NOT EXISTS docs_key ON docs (key)")
            db.execute("CREATE TABLE IF NOT EXISTS held (doc_id TEXT PRIMARY KEY, key TEXT NOT NULL) WITHOUT ROWID")
            # The sizes of each extraction's TriG and Turtle chunks (see ``note_chunk_bytes``); an index made
            # before it kept them has none, and the files are measured instead.
            db.execute("CREATE TABLE IF NOT EXISTS chunk_bytes (key TEXT PRIMARY KEY, trig INTEGER NOT NULL, "
                       "ttl INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (_SCHEMA_VERSION,))
            db.commit()
            self._next_path.unlink(missing_ok=True)  # scratch: whatever a killed build left is not wanted
            db.execute("ATTACH DATABASE ? AS scratch", (str(self._next_path),))
            db.execute("PRAGMA scratch.journal_mode=OFF")
            db.execute("PRAGMA scratch.synchronous=OFF")
            # ``seq``: the order the sources were found in, which is the order they are extracted in.
            next_table = _TABLE.replace("TEXT PRIMARY KEY,", "TEXT PRIMARY KEY, seq INTEGER,")
            db.execute(f"CREATE TABLE scratch.next {next_table}")
            db.execute("CREATE INDEX scratch.next_seq ON next (seq)")
            # ``walked``: every source the walk found, in order, with its size and modification time (NULL:
            # it could not be stat-ed); the same id may appear twice (a clash, reported by the build).
            db.execute("CREATE TABLE scratch.walked (seq INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, "
                       "source TEXT NOT NULL, size INTEGER, mtime_ns INTEGER)")
            db.execute("CREATE INDEX scratch.walked_id ON walked (doc_id, seq)")
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()
        self._next_path.unlink(missing_ok=True)

    def __enter__(self) -> BuildIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the last finished build -------------------------------------------------------------------------

    def last(self, doc_ids: list[str]) -> dict[str, Entry]:
        """The documents among ``doc_ids`` as the last finished build knew them."""
        out: dict[str, Entry] = {}
        for part in groups(doc_ids, _PAGE):
            marks = ",".join("?" * len(part))
            for row in self._db.execute(f"SELECT {_COLUMNS} FROM docs WHERE doc_id IN ({marks})", part):
                out[row[0]] = Entry(*row)
        return out

    # -- the walk: what is in the sources now ----------------------------------------------------------------

    def add_walked(self, rows: Iterable[tuple[int, str, str, int | None, int | None]]) -> None:
        """Record (order found, doc id, source, size, modification time) of sources the walk found."""
        self._db.executemany("INSERT INTO scratch.walked VALUES (?, ?, ?, ?, ?)", rows)

    def clashes(self) -> list[tuple[str, str, str]]:
        """(doc id, the source that took it first, a later source) for every id walked more than once.

        The later sources are then forgotten: each id keeps the file found first.
        """
        db = self._db
        twice = [r[0] for r in db.execute("SELECT doc_id FROM walked GROUP BY doc_id HAVING count(*) > 1")]
        out: list[tuple[int, str, str, str]] = []
        for doc_id in twice:
            (_, first), *later = db.execute("SELECT seq, source FROM walked WHERE doc_id = ? ORDER BY seq",
                                            (doc_id,)).fetchall()
            out += [(seq, doc_id, first, source) for seq, source in later]
        db.executemany("DELETE FROM walked WHERE seq = ?", ((seq,) for seq, *_ in out))
        return [row[1:] for row in sorted(out)]

    def reuse_unchanged(self, keys_by: str) -> int:
        """Enter, as last built, every walked document whose file looks as it did; how many there were.

        "Looks as it did" is ``Entry.looks_unchanged`` (same path, size and modification time, with a
        hash), decided in one statement rather than a Python step per document: at 10k documents that
        was most of a one-document rebuild. A document's key is taken over only when every key of the
        last manifest was made by the extractor ``keys_by`` (see ``finish``); otherwise nothing is entered
        and the caller works the keys out again. Call ``clashes`` first.
        """
        if not keys_by or self.keys_by() != keys_by:
            return 0
        cursor = self._db.execute(
            f"INSERT INTO scratch.next (seq, {_COLUMNS}) "
            "SELECT w.seq, w.doc_id, d.key, d.quads, w.source, d.hash, w.size, w.mtime_ns "
            "FROM walked w JOIN docs d ON d.doc_id = w.doc_id "
            "WHERE d.key IS NOT NULL AND d.hash IS NOT NULL AND d.hash != '' "
            "AND d.source = w.source AND d.size = w.size AND d.mtime_ns = w.mtime_ns ORDER BY w.seq")
        return cursor.rowcount

    def walked_rest(self) -> Iterator[list[tuple[int, str, str]]]:
        """Pages of (order found, doc id, source) of the walked documents not entered yet (after ``clashes``)."""
        return _pages(self._db, "SELECT w.seq, w.doc_id, w.source FROM walked w WHERE w.seq > ? "
                                "AND NOT EXISTS (SELECT 1 FROM scratch.next n WHERE n.doc_id = w.doc_id) "
                                "ORDER BY w.seq LIMIT ?", -1)

    def keyed(self) -> Iterator[list[tuple[str, str, int]]]:
        """Pages of (doc id, key, quads) of the documents of the new manifest that have a key."""
        return _pages(self._db, "SELECT doc_id, key, quads FROM scratch.next WHERE doc_id > ? AND key IS NOT NULL "
                                "ORDER BY doc_id LIMIT ?")

    def unkey(self, doc_ids: Iterable[str]) -> None:
        """Make documents of the new manifest ones still to extract (their cached chunks are gone)."""
        self._db.executemany("UPDATE scratch.next SET key = NULL, quads = 0, hash = NULL, size = NULL, "
                             "mtime_ns = NULL WHERE doc_id = ?", ((d,) for d in doc_ids))

    def keys_by(self) -> str:
        """The extractor fingerprint that made every key of the last manifest ("" when not known)."""
        return self._meta("keys_by") or ""

    def chunks_folder_seen(self) -> str:
        """The modification time the chunks' folder had at the end of the last build ("" when not known)."""
        return self._meta("chunks_folder") or ""

    def record_chunks_folder(self, stamp: str) -> None:
        """Record (and commit) the chunks' folder's modification time as a build leaves it."""
        self._set_meta("chunks_folder", stamp)
        self._db.commit()

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    # -- the manifest being made, a document at a time ------------------------------------------------------

    def add(self, entries: Iterable[tuple[int, Entry]]) -> None:
        """Enter (order found, entry) pairs in the new manifest; their ids must not be in it yet."""
        self._db.executemany(f"INSERT INTO scratch.next (seq, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             ((seq, *e) for seq, e in entries))

    def put(self, entry: Entry) -> None:
        """Set what the new manifest says of a document entered before."""
        self._db.execute("UPDATE scratch.next SET key = ?, quads = ?, source = ?, hash = ?, size = ?, mtime_ns = ? "
                         "WHERE doc_id = ?", (*entry[1:], entry.doc_id))

    def drop(self, doc_id: str) -> None:
        """Leave a document out of the new manifest (it could not be read and was never built)."""
        self._db.execute("DELETE FROM scratch.next WHERE doc_id = ?", (doc_id,))

    def unkeyed(self) -> Iterator[tuple[str, str]]:
        """(doc id, source) of the documents still to extract, in the order they were found, a page at a time."""
        for page in _pages(self._db, "SELECT seq, doc_id, source FROM scratch.next WHERE seq > ? AND key IS NULL "
                                     "ORDER BY seq LIMIT ?", -1):
            for _, doc_id, source in page:
                yield doc_id, source

    def count_unkeyed(self) -> int:
        return self._db.execute("SELECT count(*) FROM scratch.next WHERE key IS NULL").fetchone()[0]

    def entry(self, doc_id: str) -> Entry | None:
        """The document as the new manifest has it."""
        row = self._db.execute(f"SELECT {_COLUMNS} FROM scratch.next WHERE doc_id = ?", (doc_id,)).fetchone()
        return Entry(*row) if row else None

    def entries(self) -> Iterator[tuple[str, str, int]]:
        """(doc id, key, quads) of every document of the new manifest, sorted by id, a page at a time."""
        return self._by_id("scratch.next")

    def last_entries(self) -> Iterator[tuple[str, str, int]]:
        """(doc id, key, quads) of every document of the last finished build's manifest, sorted by id."""
        return self._by_id("docs")

    def _by_id(self, table: str) -> Iterator[tuple[str, str, int]]:
        return _by_id(self._db, table)

    # -- the sizes of the chunks ----------------------------------------------------------------------------

    def note_chunk_bytes(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """Keep (key, TriG bytes, Turtle bytes) of extractions' chunks, for writing the graph files without
        measuring 20k chunk files (a tenth of a second of a one-document rebuild at 10k). A key names its
        chunks' content (the document's bytes and the extractor), so the sizes hold as long as the key does."""
        self._db.executemany("INSERT OR REPLACE INTO chunk_bytes VALUES (?, ?, ?)", rows)

    def sized_entries(self) -> Iterator[tuple[str, str, int, int | None, int | None]]:
        """``entries`` with the sizes of each document's TriG and Turtle chunks (None: not known)."""
        return self._sized_by_id("scratch.next")

    def sized_last_entries(self) -> Iterator[tuple[str, str, int, int | None, int | None]]:
        """``last_entries`` with the sizes of each document's TriG and Turtle chunks (None: not known)."""
        return self._sized_by_id("docs")

    def _sized_by_id(self, table: str) -> Iterator[tuple[str, str, int, int | None, int | None]]:
        for page in _pages(self._db, f"SELECT d.doc_id, d.key, d.quads, c.trig, c.ttl FROM {table} d "
                                     "LEFT JOIN chunk_bytes c ON c.key = d.key WHERE d.doc_id > ? "
                                     "ORDER BY d.doc_id LIMIT ?"):
            yield from page

    def summary(self) -> tuple[int, int]:
        """(documents, quads) of the new manifest."""
        docs, quads = self._db.execute("SELECT count(*), coalesce(sum(quads), 0) FROM scratch.next").fetchone()
        return docs, quads

    def removed(self) -> int:
        """Documents of the last manifest that are not in the new one."""
        return self._db.execute(
            "SELECT count(*) FROM docs WHERE doc_id NOT IN (SELECT doc_id FROM scratch.next)").fetchone()[0]

    # -- what the store holds -----------------------------------------------------------------------------

    def held_base(self) -> tuple[str, int] | None:
        """(base graphs' key, quads) of the store in place, or None when it is not known to match a record."""
        rows = dict(self._db.execute("SELECT name, value FROM meta WHERE name IN ('base', 'quads')").fetchall())
        if "base" not in rows or "quads" not in rows:
            return None
        return rows["base"], int(rows["quads"])

    def changed_since_held(self) -> list[str]:
        """Ids of the documents whose extraction in the new manifest is not the one the store holds (or is
        not made yet)."""
        rows = self._db.execute(
            "SELECT n.doc_id FROM scratch.next n LEFT JOIN held h ON h.doc_id = n.doc_id "
            "WHERE n.key IS NULL OR h.key IS NULL OR h.key != n.key "
            "UNION SELECT h.doc_id FROM held h LEFT JOIN scratch.next n ON n.doc_id = h.doc_id WHERE n.doc_id IS NULL "
            "ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def files_record(self) -> dict[str, list[int]]:
        """What ``record_files`` last recorded of the graph files: name -> [size, mtime_ns, start, end]."""
        try:
            record = json.loads(self._meta("files") or "{}")
            return {str(k): [int(x) for x in v] for k, v in record.items() if len(v) == 4}
        except (ValueError, TypeError, AttributeError):
            return {}

    def record_files(self, record: dict[str, list[int]]) -> None:
        """Record (and commit) the graph files a build has just moved into place."""
        self._set_meta("files", json.dumps(record, sort_keys=True))
        self._db.commit()

    def forget_held(self) -> None:
        """Say (durably) that the store in place matches no record: done before a store is swapped in."""
        self._db.execute("DELETE FROM meta WHERE name IN ('base', 'quads')")
        self._db.commit()

    # -- the end of a build -------------------------------------------------------------------------------

    def stale_keys(self) -> list[str]:
        """Keys of the last manifest that the new one no longer uses (their chunks can go)."""
        return [r[0] for r in self._db.execute(
            "SELECT key FROM docs WHERE key IS NOT NULL EXCEPT SELECT key FROM scratch.next").fetchall()]

    def forget_unknown_chunk_bytes(self) -> None:
        """Drop the sizes of chunks the last manifest does not use (left by a killed build); committed."""
        self._db.execute("DELETE FROM chunk_bytes WHERE key NOT IN (SELECT key FROM docs WHERE key IS NOT NULL)")
        self._db.commit()

    def knows_key(self, key: str) -> bool:
        """Whether the last manifest uses the extraction ``key``."""
        return self._db.execute("SELECT 1 FROM docs WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def finish(self, base: str, quads: int, keys_by: str = "", files: dict[str, list[int]] | None = None,
               stale: Iterable[str] = ()) -> None:
        """Make the new manifest the last one and the record of what the store holds (its base graphs' key).

        ``keys_by`` is the extractor fingerprint that made every key of the new manifest, or "" when some
        may be older (a document that could not be read keeps what was built of it before): the next
        build takes keys over unchecked (``reuse_unchanged``) only when its extractor is that one.
        ``files`` is the record of the graph files the build wrote (``record_files``), kept in the same
        transaction, as is forgetting the sizes of the ``stale_keys``' chunks. Only rows that differ are
        written: a build that changed one document writes a few pages.
        """
        db = self._db
        self._set_meta("keys_by", keys_by)
        if files is not None:
            self._set_meta("files", json.dumps(files, sort_keys=True))
        db.executemany("DELETE FROM chunk_bytes WHERE key = ?", ((key,) for key in stale))
        db.execute("DELETE FROM docs WHERE doc_id NOT IN (SELECT doc_id FROM scratch.next)")
        db.execute(f"INSERT OR REPLACE INTO docs ({_COLUMNS}) "
                   f"SELECT {_COLUMNS} FROM scratch.next EXCEPT SELECT {_COLUMNS} FROM docs")
        db.execute("DELETE FROM held WHERE doc_id NOT IN (SELECT doc_id FROM scratch.next)")
        db.execute("INSERT OR REPLACE INTO held "
                   "SELECT doc_id, key FROM scratch.next EXCEPT SELECT doc_id, key FROM held")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('base', ?), ('quads', ?)", (base, str(quads)))
        db.commit()
