"""Scale: extraction speed per core, whole builds at 1k/10k/100k synthetic articles, peak memory, and
the one-document rebuild.

    python benchmarks/bench_scale.py [--sizes 1000,10000,100000] [--runs 3] [--work DIR] [--json PATH]

- **extraction**: read + extract + RDF + chunks of every document of the smallest corpus in this process,
  MB of article text per second of CPU time (one core), median of ``--runs``;
- **builds**: ``graphkit build CORPUS --no-views`` as a user runs it, from an empty folder, with
  ``--jobs 1`` and ``--jobs 2`` (median of ``--runs``; one run at 100k), wall time and the peak resident
  memory of the whole process tree (the build and its workers, sampled from /proc every 20 ms), and the
  CPU time of that tree (user + system, every thread and worker): divided by the cores, the least wall
  time the same work could take here, however well it were spread;
- **the store alone**: at the largest size up to 10k, that build's ``graph.trig`` bulk-loaded into a new
  on-disk store and compacted, as a build does, in a process of its own: wall and CPU time;
- **views**: at each size, ``graphkit build`` again onto the ``--jobs 2`` graph, which changes nothing and
  writes the HTML views: the views step's time and peak memory;
- **one-document rebuild** at the largest size up to 10k: a document is changed and ``graphkit build`` run
  again, timed inside the process (``build()``) and as a command (with Python's start-up), median of
  ``--runs`` changes; and a rebuild with nothing changed.

Corpora come from ``synth.py`` (deterministic) and are kept in ``--work`` between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate_corpus  # noqa: E402 - the generator sits beside this script

GRAPHKIT = [sys.executable, "-m", "graphkit.cli"]
#: Commands run as with an installed graphkit, whose modules are compiled once (pip compiles them at
#: install), even from a shell that sets PYTHONDONTWRITEBYTECODE (which would make every run of a short
#: build compile graphkit from source first).
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants now, in MB."""
    kids = _children()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo.extend(kids.get(p, []))
    return total / 1024


class Measured(NamedTuple):
    seconds: float  # wall
    peak_mb: float  # of the process tree
    out: str  # its stdout
    cpu_s: float  # user + system of the process and every descendant it waited for


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_measured(cmd: list[str]) -> Measured:
    """Run ``cmd`` and measure it (see ``Measured``). Fails loudly on a non-zero exit.

    The CPU time is what this process's reaped children used meanwhile: the command, and its workers,
    which it waits for.
    """
    peak = 0.0
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_ENV)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-500:]}")
    return Measured(seconds, peak, out, _children_cpu() - cpu)


def corpus(work: Path, n: int) -> tuple[Path, dict]:
    folder = work / f"corpus-{n}"
    marker = folder / ".done.json"
    if marker.is_file():
        return folder, json.loads(marker.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    info = generate_corpus(folder, n, seed=0)
    meta = {"docs": info.n_docs, "bytes": info.n_bytes, "largest": info.largest_bytes}
    marker.write_text(json.dumps(meta))
    return folder, meta


def extraction_speed(folder: Path, runs: int) -> dict:
    """MB/s per core of read + extract + RDF + chunk serialisation, in this process, CPU time, and each
    phase's share.

    The phases other than extraction (reading, the RDF of its results, the chunks) bound the figure: with
    extraction free, a core could go no faster than ``without_extraction_mb_s``.
    """
    from graphkit.documents.readers import discover, read_source
    from graphkit.extract import extract_document
    from graphkit.rdf.build import document_nquads
    from graphkit.store.chunks import serialise_chunks

    sources, _ = discover([folder])
    data = [(s, s.path.read_bytes()) for s in sources]
    size = sum(len(d) for _, d in data)
    for s, d in data[:20]:  # warm the caches (cue automata, gazetteer)
        doc = read_source(s, d)
        serialise_chunks(document_nquads(doc, extract_document(doc)))
    cpu, wall = [], []
    phases: dict[str, list[float]] = {"read": [], "extract": [], "rdf": [], "chunks": []}
    clock = time.process_time
    for _ in range(runs):
        spent = dict.fromkeys(phases, 0.0)
        c, w = clock(), time.perf_counter()
        for s, d in data:
            t0 = clock()
            doc = read_source(s, d)
            t1 = clock()
            found = extract_document(doc)
            t2 = clock()
            text = document_nquads(doc, found)
            t3 = clock()
            serialise_chunks(text)
            t4 = clock()
            spent["read"] += t1 - t0
            spent["extract"] += t2 - t1
            spent["rdf"] += t3 - t2
            spent["chunks"] += t4 - t3
        cpu.append(clock() - c)
        wall.append(time.perf_counter() - w)
        for name, seconds in spent.items():
            phases[name].append(seconds)
    med = statistics.median(cpu)
    phase_s = {name: statistics.median(values) for name, values in phases.items()}
    rest = phase_s["read"] + phase_s["rdf"] + phase_s["chunks"]
    return {"docs": len(data), "mb": size / 1e6, "cpu_s": med, "wall_s": statistics.median(wall),
            "mb_s_per_core": size / 1e6 / med, "docs_s": len(data) / med, "phases_cpu_s": phase_s,
            "without_extraction_mb_s": size / 1e6 / rest if rest else None}


_LOAD_CODE = """
import sys, time
import pyoxigraph as ox
store = ox.Store(sys.argv[2])
t = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TRIG)
store.flush()
loaded = time.perf_counter() - t
store.optimize()
print(loaded, time.perf_counter() - t, len(store))
"""


def store_load(out: Path) -> dict:
    """The embedded store's share of a build: ``graph.trig`` of ``out`` bulk-loaded into a new on-disk
    Oxigraph store and compacted (``optimize``), as a build does, in a process of its own: wall and CPU.

    Whatever extraction costs, a build cannot take less than this store's load.
    """
    with tempfile.TemporaryDirectory(prefix="graphkit-load-", dir=out.parent) as tmp:
        run = run_measured([sys.executable, "-c", _LOAD_CODE, str(out / "graph.trig"), str(Path(tmp) / "store")])
    loaded, total, quads = run.out.split()
    return {"quads": int(quads), "load_s": float(loaded), "seconds": float(total), "cpu_s": run.cpu_s,
            "peak_rss_mb": run.peak_mb}


def one_doc_rebuilds(folder: Path, out: Path, runs: int) -> dict:
    """Change one document, rebuild; the build's own time (in process) and the command's.

    Three ways: with ``--no-views --no-files`` (the store and the cache only; ``graphkit export`` writes the
    files), with ``--no-views`` (rewriting ``graph.trig`` and ``graph.ttl``, a copy of the whole graph), and
    as ``graphkit build`` runs by default, with the files and the HTML views.
    """
    texts = sorted(p for p in folder.rglob("*.txt"))
    code = ("import sys, time; from graphkit.pipeline import build; t = time.perf_counter(); "
            "r = build([sys.argv[1]], sys.argv[2], views=sys.argv[3] == 'views', files=sys.argv[3] != 'no-files'); "
            "print(time.perf_counter() - t, r.extracted, r.reused, r.store_update)")
    result: dict = {}
    # --no-files first: the 300 MB a rebuild with the files leaves for the kernel to write out would slow
    # the next build's own flushes (ext4 writes other files' data out before a journal commit).
    for mode, pick in (("no-files", len(texts) // 3), ("files", len(texts) // 2), ("views", len(texts) // 4)):
        target = texts[pick]
        original = target.read_bytes()
        inside, command, counts = [], [], []
        try:
            for n in range(runs):
                target.write_bytes(original + f"\nOfsted will return to the council in {2030 + n}.\n".encode())
                os.sync()  # each rebuild starts with nothing left to write out, as after a pause between edits
                wall, _, printed, _ = run_measured([sys.executable, "-c", code, str(folder), str(out), mode])
                seconds, extracted, reused, incremental = printed.split()
                inside.append(float(seconds))
                command.append(wall)
                counts.append((int(extracted), int(reused), incremental))
            target.write_bytes(original)
            run_measured([sys.executable, "-c", code, str(folder), str(out), mode])
            wall, _, printed, _ = run_measured([sys.executable, "-c", code, str(folder), str(out), mode])
            unchanged = float(printed.split()[0])
        finally:
            target.write_bytes(original)
        suffix = {"files": "", "no-files": "_no_files", "views": "_views"}[mode]
        result.update({"docs": counts[0][0] + counts[0][1], f"build_s{suffix}": statistics.median(inside),
                       f"command_s{suffix}": statistics.median(command), f"unchanged_build_s{suffix}": unchanged,
                       f"extracted_reused_incremental{suffix}": counts})
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="where corpora and builds go (default: a temp folder)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--only-rebuild", action="store_true",
                    help="only the one-document rebuilds (building the largest corpus up to 10k first if needed)")
    ap.add_argument("--no-view-builds", dest="view_builds", action="store_false",
                    help="leave out the views step (about 6 minutes at 100k)")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = args.work or Path(tempfile.mkdtemp(prefix="graphkit-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                    "date": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs, "corpora": {}, "builds": []}
    print(f"machine: {result['machine']}; work folder {work}")

    def save() -> None:  # after every step, so that a step that fails loses nothing measured before it
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, default=str))

    for n in sizes:
        t = time.perf_counter()
        _, meta = corpus(work, n)
        result["corpora"][n] = meta
        print(f"corpus {n}: {meta['bytes'] / 1e6:.1f} MB, largest document {meta['largest'] / 1e3:.1f} kB "
              f"({time.perf_counter() - t:.1f}s to make or find)")

    mid = max((n for n in sizes if n <= 10_000), default=sizes[0])
    if args.only_rebuild:
        out = work / f"out-{mid}-2"
        if not out.is_dir():
            run_measured([*GRAPHKIT, "build", str(work / f"corpus-{mid}"), "--out", str(out), "--jobs", "2",
                          "--no-views", "-q"])
        _rebuilds(result, work, mid, args.runs)
        save()
        return
    speed = extraction_speed(work / f"corpus-{sizes[0]}", args.runs)
    result["extraction"] = speed
    result["extract_mb_s_per_core"] = speed["mb_s_per_core"]
    save()
    print(f"extraction, one core: {speed['mb_s_per_core']:.2f} MB/s ({speed['docs_s']:.0f} docs/s; "
          f"median CPU {speed['cpu_s']:.2f}s for {speed['mb']:.1f} MB)")
    print("  CPU by phase: " + ", ".join(f"{k} {v:.2f}s" for k, v in speed["phases_cpu_s"].items())
          + f"; without extraction, at most {speed['without_extraction_mb_s']:.2f} MB/s")

    for n in sizes:
        folder = work / f"corpus-{n}"
        for jobs in (1, 2):
            if n > 10_000 and jobs == 1:
                continue  # an hour of one core says nothing the 10k runs do not
            runs = 1 if n >= 10_000 else args.runs  # a 10k build takes minutes; the 1k runs give the spread
            times, peaks, cpus = [], [], []
            for _ in range(runs):
                out = work / f"out-{n}-{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                run = run_measured([*GRAPHKIT, "build", str(folder), "--out", str(out), "--jobs", str(jobs),
                                    "--no-views", "-q"])
                times.append(run.seconds)
                peaks.append(run.peak_mb)
                cpus.append(run.cpu_s)
            row = {"docs": n, "jobs": jobs, "views": False, "runs": runs, "seconds": statistics.median(times),
                   "peak_rss_mb": max(peaks), "mb_s": result["corpora"][n]["bytes"] / 1e6 / statistics.median(times),
                   "cpu_s": statistics.median(cpus), "cores": os.cpu_count()}
            result["builds"].append(row)
            print(f"build {n} docs, --jobs {jobs}: {row['seconds']:.1f}s ({row['mb_s']:.2f} MB/s), "
                  f"peak {row['peak_rss_mb']:.0f} MB, CPU {row['cpu_s']:.0f} s")
            save()
        if n == mid:
            load = result["store_load"] = store_load(work / f"out-{n}-2")
            print(f"the store alone, {load['quads']:,} quads: {load['seconds']:.1f}s ({load['load_s']:.1f}s loading, "
                  f"the rest compacting), CPU {load['cpu_s']:.0f} s")
            save()
        if args.view_builds:
            # The views onto the graph just built: a build with nothing changed writes only them, so its
            # time and peak are the views step's (a build with views costs the sum, and peaks at the larger).
            out = work / f"out-{n}-2"
            seconds, peak, _, _ = run_measured([*GRAPHKIT, "build", str(folder), "--out", str(out), "--jobs", "2",
                                                "-q"])
            result.setdefault("views", []).append({"docs": n, "jobs": 2, "seconds": seconds, "peak_rss_mb": peak})
            print(f"views onto the {n}-doc graph, --jobs 2: {seconds:.1f}s, peak {peak:.0f} MB")
            save()
        for out in work.glob(f"out-{n}-*"):
            if out.name != f"out-{n}-2":
                shutil.rmtree(out, ignore_errors=True)

    _rebuilds(result, work, mid, args.runs)
    save()


def _rebuilds(result: dict, work: Path, mid: int, runs: int) -> None:
    rebuild = one_doc_rebuilds(work / f"corpus-{mid}", work / f"out-{mid}-2", runs)
    result["incremental"] = rebuild
    result["incremental_one_doc_s"] = rebuild["build_s"]
    result["incremental_one_doc_no_files_s"] = rebuild["build_s_no_files"]
    result["incremental_one_doc_views_s"] = rebuild["build_s_views"]
    for suffix, how in (("", "--no-views, with the graph files"), ("_no_files", "--no-views --no-files"),
                        ("_views", "with the files and the views (the default)")):
        print(f"one document changed in {rebuild['docs']}, {how}: build() {rebuild['build_s' + suffix]:.2f}s, "
              f"command {rebuild['command_s' + suffix]:.2f}s (with Python start-up); nothing changed: "
              f"{rebuild['unchanged_build_s' + suffix]:.2f}s")


if __name__ == "__main__":
    main()
