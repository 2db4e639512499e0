"""``graphkit serve`` under load: many clients on loopback, and a runaway query stopped beside them.

The server is started as a user starts it (``graphkit serve DIR --port 0 --timeout T``, a subprocess) over
the seeds built into a temporary folder (``graphkit.pipeline.build(["seeds"], out, views=False)``) or over
a folder built beforehand (``--dir``). Then, for ``--seconds``:

- ``--clients`` threads each loop over the named queries of ``ontology/queries/*.rq`` (starting at a
  different one each), bound with their defaults and ``--param`` (default ``council=Dudley``, a council
  of the seeds). Each request is a POST ``application/sparql-query`` on a new connection (one connection
  per request: the front speaks HTTP/1.0 and closes after each answer). An answer counts as good when it
  is a 200 whose rows are those the same query gave before the load started, with no other client;
- one more thread keeps sending a runaway query (a COUNT over a four-way cross join of every triple,
  which Oxigraph's own timeout does not stop), ``--pause`` seconds apart so that the latencies with and
  without one in flight can be compared: each must come back as a 503 once ``--timeout`` is over, the
  front restarting the engine under it.

It prints the requests done, the throughput, the failures by status, the latency percentiles of the
normal queries (overall, while a runaway was in flight, while none was) and per query, the runaway's
time to 503, and the CPU seconds taken by the front, the engines, the clients (they run on the same
machine and share its cores), other work on the machine (from /proc/stat) and left idle. Percentiles are
nearest-rank over every recorded latency. The exit status is 1 if any normal query failed or a runaway was not a 503.

Run: ``python benchmarks/bench_serve.py [--clients 50] [--seconds 30] [--timeout 5] [--pause 2] [--dir DIR]
[--param council=Dudley ...]``
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RUNAWAY", "Sample", "percentile", "start_serve", "stop_serve", "main"]

ROOT = Path(__file__).resolve().parents[1]
JSON = "application/sparql-results+json"
#: Oxigraph's ``--timeout-s`` does not stop this one: only the front's restart of the engine does.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass(frozen=True)
class Sample:
    """One request: which query, when it was sent and answered (monotonic seconds), and how it went."""

    name: str
    sent: float
    answered: float
    status: int  # 0: no HTTP answer at all (the connection failed)
    good: bool
    detail: str = ""

    @property
    def latency(self) -> float:
        return self.answered - self.sent


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (``p`` in 0-100]."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def start_serve(folder: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    """``graphkit serve FOLDER --port 0 --timeout T``; the process and the URL it printed."""
    cmd = [sys.executable, "-m", "graphkit.cli", "serve", str(folder), "--port", "0", "--timeout", f"{timeout:g}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=60)
    if not line or "serving" not in line[0]:
        stop_serve(proc)
        raise SystemExit(f"graphkit serve did not start: {line} {proc.stderr.read() if proc.stderr else ''}")
    return proc, line[0].split(" at ", 1)[1].split()[0]


def stop_serve(proc: subprocess.Popen) -> None:
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


def ask(url: str, query: str, timeout: float) -> tuple[int, bytes]:
    """POST ``query`` to ``url``'s ``/query`` on a new connection; the status and the body."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", "/query", body=query.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-query", "Accept": JSON})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def rows(answer: bytes) -> list[str]:
    """The bindings of a JSON answer, in a canonical order."""
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(answer)["results"]["bindings"])


def bound_queries(url: str, params: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    """Each named query bound (names looked up on the server itself), with the rows it answers alone."""
    from graphkit.query.named import load_queries
    from graphkit.store.remote import RemoteStore

    remote = RemoteStore(url + "query", union=False)
    out = {}
    for name, query in load_queries().items():
        text = query.bind(remote, {k: v for k, v in params.items() if k in {p.name for p in query.params}})
        status, body = ask(url, text, 120)
        if status != 200:
            raise SystemExit(f"{name}: {status} before any load: {body[:300]!r}")
        out[name] = (text, rows(body))
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU seconds of the front ``pid`` and of its engines, live or ended (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int | str) -> list[int]:
        try:
            return [int(x) for x in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]
        except (OSError, ValueError):
            return [0, 0, 0, 0]

    utime, stime, cutime, cstime = stat(pid)
    engines = cutime + cstime  # the engines restarted and reaped so far
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in task.read_text().split():
                engines += sum(stat(child)[:2])
    return (utime + stime) / tick, engines / tick


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy so far, all processes (Linux /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def load(url: str, queries: dict[str, tuple[str, list[str]]], clients: int, seconds: float,
         timeout: float, pause: float) -> tuple[list[Sample], list[Sample]]:
    """Run the clients and the runaway for ``seconds``; the samples of the normal queries and the runaways."""
    names = list(queries)
    normal: list[Sample] = []
    slow: list[Sample] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 2)
    end_at = [0.0]

    def client(i: int) -> None:
        mine: list[Sample] = []
        start.wait()
        while time.monotonic() < end_at[0]:
            name = names[i % len(names)]
            i += 1
            text, expected = queries[name]
            sent = time.monotonic()
            try:
                status, body = ask(url, text, timeout + 60)
            except (OSError, http.client.HTTPException) as exc:
                mine.append(Sample(name, sent, time.monotonic(), 0, False, type(exc).__name__))
                continue
            answered = time.monotonic()
            if status != 200:
                mine.append(Sample(name, sent, answered, status, False, body[:100].decode("utf-8", "replace")))
                continue
            try:
                good = rows(body) == expected
            except (ValueError, KeyError):
                good = False
            mine.append(Sample(name, sent, answered, status, good, "" if good else "rows differ"))
        with lock:
            normal.extend(mine)

    def runaway() -> None:
        start.wait()
        while time.monotonic() < end_at[0]:
            sent = time.monotonic()
            try:
                status, body = ask(url, RUNAWAY, timeout + 60)
            except (OSError, http.client.HTTPException) as exc:
                slow.append(Sample("runaway", sent, time.monotonic(), 0, False, type(exc).__name__))
                continue
            good = status == 503 and b"stopped after" in body
            slow.append(Sample("runaway", sent, time.monotonic(), status, good, body[:100].decode("utf-8", "replace")))
            time.sleep(max(0.0, min(pause, end_at[0] - time.monotonic())))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    threads.append(threading.Thread(target=runaway, daemon=True))
    for t in threads:
        t.start()
    end_at[0] = time.monotonic() + seconds
    start.wait()
    for t in threads:
        t.join()
    return normal, slow


def _line(label: str, samples: list[Sample]) -> str:
    lat = [s.latency * 1000 for s in samples]
    if not lat:
        return f"  {label:<28} {0:>7}"
    return (f"  {label:<28} {len(lat):>7} {percentile(lat, 50):>8.1f} {percentile(lat, 90):>8.1f} "
            f"{percentile(lat, 99):>8.1f} {max(lat):>8.1f}")


def figures(normal: list[Sample], slow: list[Sample]) -> dict:
    """The headline figures, for ``--json``."""
    wall = max(s.answered for s in normal + slow) - min(s.sent for s in normal + slow)
    lat = [s.latency * 1000 for s in normal]
    to_503 = [s.latency for s in slow if s.status == 503]
    return {"requests": len(normal), "rps": len(normal) / wall, "errors": sum(1 for s in normal if not s.good),
            "p50_ms": percentile(lat, 50), "p90_ms": percentile(lat, 90), "p99_ms": percentile(lat, 99),
            "max_ms": max(lat), "runaways": len(slow), "runaway_503": len(to_503),
            "slow_503_s": percentile(to_503, 50) if to_503 else None}


def report(normal: list[Sample], slow: list[Sample], seconds: float) -> bool:
    """Print the figures; True if every normal query was good and every runaway a 503."""
    done = len(normal) + len(slow)
    wall = max(s.answered for s in normal + slow) - min(s.sent for s in normal + slow)
    good = [s for s in normal if s.good]
    print(f"requests done: {done} ({len(normal)} normal, {len(slow)} runaway) in {wall:.1f} s "
          f"(load for {seconds:g} s, then the last answers)")
    print(f"throughput: {len(normal) / wall:.1f} normal req/s; good answers {len(good)}/{len(normal)}")
    errors = Counter((s.status, s.detail[:60]) for s in normal if not s.good)
    print("errors (normal queries): " + (", ".join(f"{n} x status {st or 'none'} ({d.strip()})"
                                                   for (st, d), n in errors.most_common()) or "none"))

    windows = [(s.sent, s.answered) for s in slow]
    during = [s for s in normal if any(a < s.answered and s.sent < b for a, b in windows)]
    quiet = [s for s in normal if not any(a < s.answered and s.sent < b for a, b in windows)]
    at_stop = [s for s in normal if any(s.sent < b < s.answered for _, b in windows)]
    print(f"latency of normal queries, ms:   {'n':>7} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    print(_line("all", normal))
    print(_line("while a runaway was in flight", during))
    print(_line("while none was", quiet))
    print(_line("in flight as one was stopped", at_stop))
    print("  per query:")
    by_name: dict[str, list[Sample]] = defaultdict(list)
    for s in normal:
        by_name[s.name].append(s)
    for name in sorted(by_name):
        print(_line("  " + name, by_name[name]))
    statuses = Counter(s.status for s in slow)
    to_503 = [s.latency for s in slow if s.status == 503]
    print(f"runaway: {len(slow)} sent, statuses {dict(statuses)}; time to 503: "
          + (f"min {min(to_503):.2f} s, median {percentile(to_503, 50):.2f} s, max {max(to_503):.2f} s"
             if to_503 else "none came back as 503"))
    bad_slow = [s for s in slow if not s.good]
    if bad_slow:
        print(f"runaway answers that were not a 503: {[(s.status, s.detail) for s in bad_slow[:5]]}")
    return len(good) == len(normal) and not bad_slow and bool(slow)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="serve this built folder (default: build seeds/ into a temp dir)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default: 50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the load runs (default: 30)")
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="graphkit serve --timeout: when the runaway is stopped (default: 5)")
    parser.add_argument("--pause", type=float, default=2.0,
                        help="seconds between one runaway's 503 and the next runaway (default: 2)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter of the named queries (default: council=Dudley); repeatable")
    parser.add_argument("--json", type=Path, default=None, help="write the headline figures here as JSON")
    args = parser.parse_args(argv)
    from graphkit.query.named import parse_param_args

    params = {"council": "Dudley", **parse_param_args(args.param)}

    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = args.dir
        if folder is None:
            from graphkit.pipeline import build

            folder = Path(tmp) / "out"
            started = time.monotonic()
            built = build([ROOT / "seeds"], folder, views=False)
            if not built.ok:
                raise SystemExit(f"the seeds did not build: {built.errors}")
            print(f"built seeds/ into {folder} in {time.monotonic() - started:.1f} s")
        proc, url = start_serve(folder, args.timeout)
        try:
            queries = bound_queries(url, params)
            print(f"serving {folder} at {url} (timeout {args.timeout:g} s); {len(queries)} named queries "
                  f"with {params}; {args.clients} clients + 1 runaway ({args.pause:g} s apart) for {args.seconds:g} s, "
                  f"one connection "
                  f"per request; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
            front0, engines0 = cpu_seconds(proc.pid)
            self0 = resource.getrusage(resource.RUSAGE_SELF)
            busy0, wall0 = machine_busy(), time.monotonic()
            normal, slow = load(url, queries, args.clients, args.seconds, args.timeout, args.pause)
            front1, engines1 = cpu_seconds(proc.pid)
            self1 = resource.getrusage(resource.RUSAGE_SELF)
            busy1, wall1 = machine_busy(), time.monotonic()
            ok = report(normal, slow, args.seconds)
            if args.json:
                found = figures(normal, slow) | {"clients": args.clients, "seconds": args.seconds,
                                                 "timeout": args.timeout, "cpus": os.cpu_count(), "ok": ok}
                args.json.write_text(json.dumps(found, indent=1))
            front, engines = front1 - front0, engines1 - engines0
            clients = self1.ru_utime + self1.ru_stime - self0.ru_utime - self0.ru_stime
            other = (busy1 - busy0) - front - engines - clients
            idle = (wall1 - wall0) * (os.cpu_count() or 1) - (busy1 - busy0)
            print(f"CPU seconds over {wall1 - wall0:.1f} s x {os.cpu_count()} CPUs: front {front:.1f}, engines "
                  f"{engines:.1f} (the runaways included), clients {clients:.1f}, other work on the machine "
                  f"{max(0.0, other):.1f}, idle {max(0.0, idle):.1f}; load average now {os.getloadavg()[0]:.2f}")
        finally:
            stop_serve(proc)
    print("OK" if ok else "FAILED: some normal queries failed or a runaway was not stopped with a 503")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
