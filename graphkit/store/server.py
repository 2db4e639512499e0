"""``graphkit serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph, and its HTML views.

Two pieces, because neither alone does the whole job:

- Oxigraph's own server (``oxigraph serve-read-only``) is the engine. It runs on a private loopback port
  with ``--union-default-graph`` (the named queries are written against the union of the named graphs)
  and ``--timeout-s``, and it refuses updates itself. A query it does not stop in time is stopped by
  replacing the engine (see ``_Engine``); the queries in flight beside it are asked again of the new one.
- A small Python front (``ThreadingHTTPServer``) is what clients talk to. It passes ``/query`` (GET and
  POST, as the protocol has them) to the engine, refuses updates with 403 before they reach it, and
  serves the views (``*.html`` and their assets) from DIR only, refusing any path that leads out of it or
  into the store or the cache. It buffers each answer before sending it: Oxigraph sends ``200`` before
  it knows that a query will time out and then ends the body with a message, which the front turns into
  a proper ``503``.

The front binds to loopback unless told otherwise; the engine always does.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import math
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from graphkit.errors import StoreError
from graphkit.store.base import query_form
from graphkit.store.embedded import recover, store_path

__all__ = ["GraphServer", "oxigraph_binary", "free_port", "STATIC_SUFFIXES", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 30.0
#: Files the front serves from DIR: the views and what they load.
STATIC_SUFFIXES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
                   ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                   ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
                   ".json": "application/json"}
#: Folders of DIR that are never served.
PRIVATE_DIRS = {"store", "cache"}
MAX_BODY = 1 * 2**20
MAX_ANSWER = 256 * 2**20
#: Seconds past the timeout before the front gives up on the engine and restarts it.
GRACE = 1.0
_CANCELLED = b"The SPARQL operation has been cancelled"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def oxigraph_binary() -> str:
    """The ``oxigraph`` server that the ``oxigraph`` package installs beside this Python."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the `oxigraph` server was not found beside this Python or on PATH "
                     "(it comes with the `oxigraph` package: pip install oxigraph)")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to end the engine when the front's process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class _Spawner:
    """Starts the engine from one thread that lives as long as the server.

    Linux's parent-death signal (``_die_with_parent``) is tied to the *thread* that started a child, not
    the process: an engine restarted by a request thread would be killed when that thread ends.
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="graphkit-engine-spawner", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            cmd, box, done = job
            try:
                box.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE,
                                            preexec_fn=_die_with_parent if sys.platform == "linux" else None))
            except BaseException as exc:  # handed to the caller
                box.append(exc)
            done.set()

    def popen(self, cmd: list[str]) -> subprocess.Popen[bytes]:
        box: list = []
        done = threading.Event()
        self._jobs.put((cmd, box, done))
        done.wait()
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=5)


class _Engine:
    """The ``oxigraph serve-read-only`` process behind the front.

    Oxigraph's ``--timeout-s`` stops most slow queries, but not all (a COUNT over a cross join runs on),
    and a query cannot be cancelled from outside: when one overruns the front's deadline, the engine is
    replaced (reopening the store takes milliseconds), so a runaway query never holds a core for long.

    The replacement starts before the old engine is stopped and is published, with a new generation,
    before it is: a request whose connection then fails because the engine was replaced under it sees the
    generation change and asks the new engine (reads are idempotent), so the queries that were in flight
    beside the runaway are answered, not cut off.
    """

    def __init__(self, store: Path, timeout: float) -> None:
        self.store = store
        self.timeout = timeout
        #: (generation, port) of the engine to ask, replaced as one value so that readers see a matching pair.
        self.current: tuple[int, int] = (0, 0)
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._spawner = _Spawner()

    @property
    def generation(self) -> int:
        return self.current[0]

    @property
    def port(self) -> int:
        return self.current[1]

    def start(self) -> None:
        with self._lock:
            self.proc, port = self._spawn()
            self.current = (self.generation + 1, port)

    def restart(self, generation: int) -> None:
        """Replace the engine, unless another request already did since ``generation``."""
        with self._lock:
            if generation != self.generation or self._closed:
                return
            old = self.proc
            try:
                self.proc, port = self._spawn()
            except (StoreError, OSError):
                self.proc = None  # the runaway is stopped all the same; the next request tries again
                self._end(old)
                raise
            self.current = (generation + 1, port)
            self._end(old)

    def dead(self, wait: float = 0.0) -> bool:
        """Whether the engine has exited (or could not be restarted), giving it ``wait`` seconds to do so.

        A killed engine closes its socket a moment before it can be reaped: a refused connection waits
        for that moment rather than answer 502 for an engine that is already gone.
        """
        proc = self.proc
        if proc is not None and wait > 0:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=wait)
        return proc is None or proc.poll() is not None

    def _spawn(self, wait: float = 30.0) -> tuple[subprocess.Popen[bytes], int]:
        """Start an engine and wait until it answers; the process and its port."""
        binary = oxigraph_binary()
        for _ in range(3):  # the port picked may be taken by someone else before the engine binds it
            port = free_port()
            cmd = [binary, "serve-read-only", "--location", str(self.store), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph", "--timeout-s", str(max(1, math.ceil(self.timeout)))]
            proc = self._spawner.popen(cmd)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                if self._ready(port):
                    return proc, port
                time.sleep(0.01)
            err = b""
            if proc.poll() is not None and proc.stderr:
                err = proc.stderr.read()[-500:]
            self._end(proc)
            if b"in use" not in err.lower() and b"address" not in err.lower():
                msg = " ".join(err.decode("utf-8", "replace").split()) or "it did not answer in time"
                raise StoreError(f"{self.store}: the Oxigraph server could not start: {msg}")
        raise StoreError(f"{self.store}: the Oxigraph server could not find a free port")

    @staticmethod
    def _ready(port: int) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/query?query=" + urllib.parse.quote("ASK {}"),
                         headers={"Accept": "application/sparql-results+json"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def close(self) -> None:
        """Stop the engine for good."""
        with self._lock:
            self._closed = True
            self._end(self.proc)
            self.proc = None
        self._spawner.close()

    @staticmethod
    def _end(proc: subprocess.Popen[bytes] | None) -> None:
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stderr:
            proc.stderr.close()


class _TooBig(Exception):
    """The engine's answer is over ``MAX_ANSWER``."""


class _Handler(BaseHTTPRequestHandler):
    server_version = "graphkit"
    server: _FrontServer

    # -- plumbing ------------------------------------------------------------------------------------

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), extra=extra)

    def _path(self) -> tuple[str, str]:
        path, _, qs = self.path.partition("?")
        return path, qs

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._text(413, f"request body over {MAX_BODY // 2**20} MiB")
            return None
        return self.rfile.read(length) if length else b""

    # -- methods -------------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path, qs = self._path()
        if path in ("/query", "/sparql"):
            params = urllib.parse.parse_qs(qs, keep_blank_values=True)
            if "update" in params:
                return self._refuse()
            query = (params.get("query") or [""])[0]
            return self._query("GET", qs, None, query)
        if path == "/update":
            return self._refuse()
        return self._static(path)

    def do_HEAD(self) -> None:  # noqa: N802
        path, _ = self._path()
        if path in ("/query", "/sparql", "/update"):
            return self._text(405, "use GET or POST")
        return self._static(path)

    def do_POST(self) -> None:  # noqa: N802
        path, qs = self._path()
        body = self._body()
        if body is None:
            return None
        if path not in ("/query", "/sparql"):
            return self._refuse() if path == "/update" else self._text(404, "not found: POST to /query")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._refuse()
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                return self._refuse()
            query = (form.get("query") or [""])[0]
        elif ctype == "application/sparql-query":
            query = body.decode("utf-8", "replace")
        else:
            return self._text(415, "POST a query as application/sparql-query or "
                                   "application/x-www-form-urlencoded (query=...)")
        return self._query("POST", qs, body, query, ctype)

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse()

    def do_DELETE(self) -> None:  # noqa: N802
        self._refuse()

    def do_PATCH(self) -> None:  # noqa: N802
        self._refuse()

    def _refuse(self) -> None:
        self._text(403, "updates are refused: this endpoint is read-only (rebuild with `graphkit build`)",
                   {"Allow": "GET, POST, HEAD"})

    # -- SPARQL ----------------------------------------------------------------------------------------

    def _query(self, method: str, qs: str, body: bytes | None, query: str, ctype: str = "") -> None:
        if query_form(query) == "UPDATE":
            return self._refuse()
        engine = self.server.engine
        deadline = time.monotonic() + engine.timeout + GRACE
        headers = {"Accept": self.headers.get("Accept") or "application/sparql-results+json"}
        if ctype:
            headers["Content-Type"] = ctype
        target = "/query" + (f"?{qs}" if qs else "")
        revived = False
        while True:
            generation, port = engine.current
            try:
                status, rtype, answer = self._ask_engine(port, method, target, body, headers, deadline)
                break
            except TimeoutError:
                with contextlib.suppress(StoreError, OSError):
                    engine.restart(generation)
                return self._timed_out()
            except _TooBig:
                return self._text(413, f"the answer is over {MAX_ANSWER // 2**20} MiB; add a LIMIT")
            except (OSError, http.client.HTTPException) as exc:
                # The query is a read, so it is asked again when the engine was replaced under it (a runaway
                # query beside it was stopped; the deadline bounds the retries) or, once, when it had died.
                refused = isinstance(exc, (ConnectionRefusedError, ConnectionResetError))
                if engine.generation == generation and not revived and engine.dead(wait=1.0 if refused else 0.0):
                    revived = True
                    with contextlib.suppress(StoreError, OSError):
                        engine.restart(generation)
                if engine.generation == generation:
                    return self._text(502, "the SPARQL engine did not answer; try again")
        if _CANCELLED in answer[-200:]:
            return self._timed_out()
        if status == 200 and "json" in rtype:
            try:
                json.loads(answer)
            except ValueError:
                return self._text(502, "the SPARQL engine's answer was cut short")
        self._send(status, answer, rtype)

    @staticmethod
    def _ask_engine(port: int, method: str, target: str, body: bytes | None, headers: dict[str, str],
                    deadline: float) -> tuple[int, str, bytes]:
        """The engine's status, content type and whole answer; ``TimeoutError`` once ``deadline`` passes."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=left)
        try:
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            status, rtype = resp.status, resp.getheader("Content-Type") or "application/octet-stream"
            chunks: list[bytes] = []
            size = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                chunk = resp.read(2**16)
                if not chunk:
                    return status, rtype, b"".join(chunks)
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_ANSWER:
                    raise _TooBig
        finally:
            conn.close()

    def _timed_out(self) -> None:
        self._text(503, f"the query was stopped after {self.server.engine.timeout:g} s "
                        f"(graphkit serve --timeout); narrow it or add a LIMIT")

    # -- views -------------------------------------------------------------------------------------------

    def _static(self, path: str) -> None:
        root = self.server.root
        rel = urllib.parse.unquote(path).lstrip("/")
        if rel in ("", "index.html") and not (root / "index.html").is_file():
            return self._send(200, self.server.index_page(), "text/html; charset=utf-8")
        parts = Path(rel).parts
        if ("\x00" in rel or "\\" in rel or any(p in ("..", ".") or p.startswith(".") for p in parts)
                or (parts and parts[0] in PRIVATE_DIRS)):
            return self._text(403, "forbidden")
        try:
            target = (root / rel).resolve()
            target.relative_to(root)  # a link leading out of DIR is refused too
        except (ValueError, OSError):
            return self._text(403, "forbidden")
        suffix = target.suffix.lower()
        if suffix not in STATIC_SUFFIXES:
            return self._text(403 if target.exists() else 404, "forbidden" if target.exists() else "not found")
        if not target.is_file():
            return self._text(404, "not found")
        self._send(200, target.read_bytes(), STATIC_SUFFIXES[suffix], {"Cache-Control": "no-cache"})


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    #: The listen backlog: socketserver's 5 overflows as soon as a few dozen clients connect at once, and a
    #: connection dropped there waits a second for the client's SYN to be sent again.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, engine: _Engine, verbose: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.root = root
        self.engine = engine
        self.verbose = verbose

    def index_page(self) -> bytes:
        views = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.htm*")
                       if p.is_file() and not (set(p.relative_to(self.root).parts) & PRIVATE_DIRS))
        items = "".join(f'<li><a href="/{html.escape(v)}">{html.escape(v)}</a></li>' for v in views)
        page = (f"<!doctype html><meta charset=utf-8><title>graphkit</title>"
                f"<h1>graphkit: {html.escape(self.root.name)}</h1>"
                f"<p>SPARQL endpoint: <code>/query</code> (GET or POST, read-only; the default graph is the union "
                f"of the named graphs).</p><h2>Views</h2><ul>{items or '<li>none yet</li>'}</ul>")
        return page.encode("utf-8")


class GraphServer:
    """The endpoint and views of one built folder: ``start()``, then ``url``, then ``close()``.

    >>> with GraphServer("out", port=0) as srv:      # doctest: +SKIP
    ...     print(srv.url)
    """

    def __init__(self, out_dir: str | Path, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT, verbose: bool = False) -> None:
        self.root = Path(out_dir).resolve()
        self.host = host
        self.port = port
        self.timeout = timeout
        self.verbose = verbose
        self._engine: _Engine | None = None
        self._front: _FrontServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def loopback(self) -> bool:
        return self.host in _LOOPBACK or self.host.startswith("127.")

    @property
    def url(self) -> str:
        assert self._front is not None, "start() first"
        host, port = self._front.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def start(self) -> GraphServer:
        if self.timeout <= 0:
            raise StoreError("the query timeout must be positive")
        recover(self.root)
        store = store_path(self.root)
        if not store.is_dir():
            raise StoreError(f"{store}: no store here; run `graphkit build ... --out {self.root}` first")
        self._engine = _Engine(store, self.timeout)
        try:
            self._engine.start()
        except BaseException:
            self._engine.close()
            self._engine = None
            raise
        try:
            self._front = _FrontServer((self.host, self.port), self.root, self._engine, self.verbose)
        except OSError as exc:
            self._engine.close()
            raise StoreError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        return self

    def serve_forever(self) -> None:
        """Answer requests until interrupted (the caller closes)."""
        assert self._front is not None, "start() first"
        self._front.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> GraphServer:
        """Answer requests from a background thread (tests, notebooks)."""
        assert self._front is not None, "start() first"
        self._thread = threading.Thread(target=self._front.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._front is not None:
            if self._thread is not None:
                self._front.shutdown()
                self._thread.join(timeout=5)
            self._front.server_close()
            self._front = None
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def __enter__(self) -> GraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.close()
