"""``graphkit serve`` run as a user runs it, queried with a plain HTTP client.

The server process is started on a free loopback port (``--port 0``: it prints the URL it got) and is
terminated in the fixture's teardown; a test checks that its Oxigraph engine goes with it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from test_queries import D004, build_gold_dir

from graphkit.query.named import get_query, load_queries, run_named
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.remote import RemoteStore

JSON = "application/sparql-results+json"
SERVE_TIMEOUT = 2.0


def _engines_on(store: Path) -> list[int]:
    """Pids of oxigraph processes serving ``store`` (Linux: read from /proc)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"oxigraph" in c for c in cmd[:1]) and str(store).encode() in cmd:
            pids.append(int(proc.name))
    return pids


def start_serve(folder: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``graphkit serve FOLDER --port 0``; returns the process and the URL it printed."""
    cmd = [sys.executable, "-m", "graphkit.cli", "serve", str(folder), "--port", "0", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=60)
    if not line or "serving" not in line[0]:
        stop(proc)
        raise RuntimeError(f"graphkit serve did not start: {line} {proc.stderr.read() if proc.stderr else ''}")
    url = line[0].split(" at ", 1)[1].split()[0]
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the hand-made seed graph, with views and files that must not be served."""
    folder = tmp_path_factory.mktemp("served") / "out"
    shutil.copytree(build_gold_dir(tmp_path_factory.getbasetemp()), folder)
    (folder / "network.html").write_text("<!doctype html><title>network</title>", encoding="utf-8")
    (folder / "views").mkdir()
    (folder / "views" / "council.html").write_text("<p>council</p>", encoding="utf-8")
    (folder / "notes.txt").write_text("not a view", encoding="utf-8")
    outside = folder.parent / "secret.html"
    outside.write_text("secret", encoding="utf-8")
    (folder / "escape.html").symlink_to(outside)
    return folder


@pytest.fixture(scope="module")
def server(served: Path) -> Iterator[str]:
    proc, url = start_serve(served, "--timeout", str(SERVE_TIMEOUT))
    try:
        yield url
    finally:
        stop(proc)


def post_query(url: str, query: str, accept: str = JSON) -> requests.Response:
    return requests.post(url + "query", data=query.encode("utf-8"), timeout=30,
                         headers={"Content-Type": "application/sparql-query", "Accept": accept})


def raw_get(url: str, path: str) -> int:
    """GET ``path`` exactly as written (no client-side normalisation of ``..``)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def sizes(url: str) -> dict[str, int]:
    return RemoteStore(url + "query", union=False).graph_sizes()


# ---------------------------------------------------------------------------------------------------


def test_listens_on_loopback(server: str) -> None:
    assert urllib.parse.urlsplit(server).hostname == "127.0.0.1"


def test_named_queries_over_http_match_the_embedded_store(server: str, served: Path) -> None:
    """Every named query, sent as SPARQL over HTTP, gives the embedded store's answer (union default graph)."""
    local = EmbeddedStore.open(served)
    remote = RemoteStore(server + "query", union=False)
    for name in load_queries():
        assert sorted(map(repr, run_named(remote, name).dicts())) == \
            sorted(map(repr, run_named(local, name).dicts())), name


def test_get_and_post_forms_of_the_protocol(server: str) -> None:
    q = get_query("council-findings").bind(RemoteStore(server + "query", union=False), {"council": "Wolverhampton"})
    by_get = requests.get(server + "query", params={"query": q}, headers={"Accept": JSON}, timeout=30)
    by_form = requests.post(server + "query", data={"query": q}, headers={"Accept": JSON}, timeout=30)
    by_body = post_query(server, q)
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert by_get.headers["Content-Type"].startswith(JSON)
    docs = {b["document"]["value"] for b in by_get.json()["results"]["bindings"]}
    assert docs == {D004}
    assert by_get.json() == by_form.json() == by_body.json()
    csv_answer = post_query(server, q, accept="text/csv")
    assert csv_answer.status_code == 200 and csv_answer.text.startswith("topic,polarity,evidence,document")


def test_named_graphs_are_there(server: str, served: Path) -> None:
    assert sizes(server) == EmbeddedStore.open(served).graph_sizes()


@pytest.mark.parametrize("how", ["update-endpoint", "update-content-type", "update-form", "update-as-query",
                                 "put", "delete"])
def test_updates_are_refused(server: str, served: Path, how: str) -> None:
    before = sizes(server)
    drop = "DROP ALL"
    if how == "update-endpoint":
        r = requests.post(server + "update", data=drop, headers={"Content-Type": "application/sparql-update"},
                          timeout=10)
    elif how == "update-content-type":
        r = requests.post(server + "query", data=drop, headers={"Content-Type": "application/sparql-update"},
                          timeout=10)
    elif how == "update-form":
        r = requests.post(server + "query", data={"update": drop}, timeout=10)
    elif how == "update-as-query":
        r = requests.get(server + "query", params={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, timeout=10)
    elif how == "put":
        r = requests.put(server + "store?default", data="<a:b> <a:c> <a:d> .", timeout=10,
                         headers={"Content-Type": "application/n-triples"})
    else:
        r = requests.delete(server + "store?graph=" + urllib.parse.quote(next(iter(before))), timeout=10)
    assert r.status_code == 403
    assert sizes(server) == before


def test_injection_through_param_changes_nothing(server: str) -> None:
    """``graphkit query URL NAME --param`` with an injection attempt: an unknown council, nothing else."""
    before = sizes(server)
    evil = 'Dudley" } } ; DROP ALL ; #'
    out = subprocess.run([sys.executable, "-m", "graphkit.cli", "query", server + "query", "council-findings",
                          "--param", f"council={evil}", "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith("error: no council is called") and out.stderr.count("\n") == 1
    assert sizes(server) == before
    # and the same query with an honest value answers
    ok = subprocess.run([sys.executable, "-m", "graphkit.cli", "query", server + "query", "council-findings",
                         "--param", "council=Dudley", "--format", "json"],
                        capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(ok.stdout)["results"]["bindings"]


def test_slow_query_is_stopped(server: str) -> None:
    started = time.monotonic()
    r = post_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert r.status_code == 503
    assert "stopped after" in r.text
    assert time.monotonic() - started < SERVE_TIMEOUT + 20
    # the server answers the next query as usual
    assert post_query(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_bad_query_is_a_client_error(server: str) -> None:
    assert post_query(server, "SELECT WHERE {").status_code == 400


# ---------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------


def test_views_are_served(server: str) -> None:
    r = requests.get(server + "network.html", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "<title>network</title>" in r.text
    assert requests.get(server + "views/council.html", timeout=10).text == "<p>council</p>"
    index = requests.get(server, timeout=10)
    assert index.status_code == 200 and "network.html" in index.text and "views/council.html" in index.text


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
    "/views/../../secret.html", "/escape.html", "/store/CURRENT", "/cache/manifest.json", "/notes.txt",
    "/.hidden.html", "/graph.trig", "/%00.html",
])
def test_path_traversal_and_private_files_are_refused(server: str, path: str) -> None:
    assert raw_get(server, path) in (403, 404)
    assert raw_get(server, path) != 200


def test_missing_view_is_404(server: str) -> None:
    assert raw_get(server, "/nothing-here.html") == 404


# ---------------------------------------------------------------------------------------------------
# Process hygiene and errors
# ---------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_engine_stops_with_the_server(tmp_path: Path, served: Path) -> None:
    folder = tmp_path / "own"
    shutil.copytree(served, folder, symlinks=True)
    proc, url = start_serve(folder)
    try:
        assert requests.get(url + "query", params={"query": "ASK {}"}, timeout=10).json()["boolean"] is True
        assert _engines_on(folder / "store")
    finally:
        stop(proc)
    deadline = time.monotonic() + 10
    while _engines_on(folder / "store") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _engines_on(folder / "store")


def test_serve_without_a_build_is_an_error(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "graphkit.cli", "serve", str(tmp_path), "--port", "0"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "no store here" in out.stderr and out.stderr.count("\n") == 1


def test_oxigraph_binary_is_found() -> None:
    from graphkit.store.server import oxigraph_binary

    assert os.access(oxigraph_binary(), os.X_OK)


# ---------------------------------------------------------------------------------------------------
# Load: a runaway query is stopped without starving the others
# ---------------------------------------------------------------------------------------------------

#: A query that Oxigraph's own timeout does not stop: the front has to restart the engine under it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _ask(url: str, query: str) -> tuple[int, bytes]:
    """POST ``query``, one connection per request; the status and the body."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("POST", "/query", body=query.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-query", "Accept": JSON})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _bindings(answer: bytes) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(answer)["results"]["bindings"])


def test_a_runaway_query_does_not_starve_the_others(served: Path) -> None:
    """12 clients loop over the named queries while another sends a runaway query twice: each runaway is
    stopped with a 503 (the engine is restarted under it), and every other query answers 200 with the right
    rows, the ones in flight when the engine was restarted included."""
    timeout, clients = 1.0, 12
    local = EmbeddedStore.open(served)
    proc, url = start_serve(served, "--timeout", str(timeout))
    try:
        remote = RemoteStore(url + "query", union=False)
        expected: dict[str, tuple[str, list[str]]] = {}  # name: (query, rows)
        for name, query in load_queries().items():
            text = query.bind(local, {})
            assert sorted(map(repr, remote.query(text).dicts())) == sorted(map(repr, local.query(text).dicts()))
            status, body = _ask(url, text)
            assert status == 200
            expected[name] = (text, _bindings(body))
        names = list(expected)

        done = threading.Event()
        lock = threading.Lock()
        failures: list[str] = []
        spans: list[tuple[float, float]] = []  # (sent, answered) of each normal query
        runaways: list[tuple[int, bytes, float, float]] = []

        def client(i: int) -> None:
            while not done.is_set():
                name = names[i % len(names)]
                i += 1
                text, rows = expected[name]
                sent = time.monotonic()
                try:
                    status, body = _ask(url, text)
                except OSError as exc:
                    status, body = 0, repr(exc).encode()
                ok = status == 200 and _bindings(body) == rows
                with lock:
                    spans.append((sent, time.monotonic()))
                    if not ok:
                        failures.append(f"{name}: {status} {body[:100]!r}")

        def runaway() -> None:
            try:
                for _ in range(2):
                    sent = time.monotonic()
                    status, body = _ask(url, RUNAWAY)
                    runaways.append((status, body, sent, time.monotonic()))
            finally:
                done.set()

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        threads.append(threading.Thread(target=runaway, daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)

        assert [status for status, *_ in runaways] == [503, 503], runaways
        assert all(b"stopped after" in body for _, body, *_ in runaways)
        assert all(timeout <= end - sent < timeout + 10 for _, _, sent, end in runaways)
        # the others were not starved: answered while each runaway ran, and in flight when it was stopped
        for _, _, sent, end in runaways:
            assert sum(sent < a < end for _, a in spans) >= clients
        assert sum(s < end < a for _, _, _, end in runaways for s, a in spans) >= 1
        assert not failures, f"{len(failures)} of {len(spans)} queries failed, e.g. {failures[:5]}"
    finally:
        stop(proc)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_engine_that_died_is_started_again(tmp_path: Path, served: Path) -> None:
    folder = tmp_path / "own"
    shutil.copytree(served, folder, symlinks=True)
    proc, url = start_serve(folder)
    try:
        (engine,) = _engines_on(folder / "store")
        os.kill(engine, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while engine in _engines_on(folder / "store") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert post_query(url, "ASK { ?s ?p ?o }").json()["boolean"] is True
        assert len(_engines_on(folder / "store")) == 1
    finally:
        stop(proc)
