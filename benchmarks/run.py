"""Every benchmark in one command, and the results table: ``python benchmarks/run.py [--quick] [--out DIR]``.

Each script of ``benchmarks/`` runs in turn as a subprocess of this Python, with ``--json`` so that its
figures land in ``DIR/json/NAME.json``; its output is streamed here and kept in ``DIR/logs/NAME.log``. A
script that is missing, that fails or that writes no JSON is reported as such and the others still run.
At the end ``DIR/RESULTS.md`` holds one markdown table per area (the figure, the goal, met or missed and
by how much) and ``DIR/results.json`` every script's figures with its status; a full run (not
``--quick``) also copies the tables into ``benchmarks/README.md`` between its ``results`` markers
(``--no-readme`` leaves the README alone).

``--quick`` passes small sizes to every script (queries at 100k triples, no 10M step, one run each...)
so that the whole thing takes a few minutes: its figures check that the benchmarks work, not the goals.
Options a script does not offer (asked with ``--help`` first) are left out and said so. A step still
running after ``--step-timeout`` seconds is stopped with every process it started, and the next one runs.

Run: ``python benchmarks/run.py [--quick] [--out benchmarks/results] [--only NAME ...] [--skip NAME ...]
[--no-readme] [--step-timeout SECONDS] [--scale-sizes 1000,10000]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from machine import machine_info

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
BEGIN, END = "<!-- results: begin -->", "<!-- results: end -->"

# Goals of the issue.
EXTRACT_MB_S = 1.0
BUILD_10K_S = 30.0
LOOKUP_MS = 100.0
AGGREGATE_MS = 1000.0
TRIG_1M_S = 5.0
INCREMENTAL_S = 1.0
PDF_PAGES_S = 100.0


@dataclass
class Step:
    """One script to run: its full-run arguments and its --quick ones (None: not run with --quick)."""

    name: str
    script: str
    full: list[str]
    quick: list[str] | None
    area: str
    work_option: str | None = None  # an option naming a scratch folder, made here and removed afterwards
    status: str = "not run"
    rc: int | None = None
    seconds: float = 0.0
    args: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    figures: dict | None = None
    note: str = ""


def steps(scale_sizes: str = "1000,10000") -> list[Step]:
    return [
        # No views here: bench_scale times the builds with views.
        Step("extract", "bench_extract.py", ["--mb", "3", "--runs", "3", "--no-views"],
             ["--mb", "1", "--runs", "1", "--no-views"],
             "extraction and builds"),
        Step("scale", "bench_scale.py", ["--sizes", scale_sizes], ["--sizes", "500", "--runs", "1"],
             "extraction and builds", work_option="--work"),
        Step("queries-1m", "bench_queries.py", ["--triples", "1000000", "--runs", "5", "--rdflib-runs", "3",
                                                "--rdflib-cap", "30"],
             ["--triples", "100000", "--runs", "3", "--rdflib-runs", "1", "--rdflib-cap", "20"], "queries"),
        Step("queries-10m", "bench_queries.py", ["--triples", "10000000", "--runs", "3"], None, "queries"),
        Step("files", "bench_files.py", [], ["--triples", "100000", "--runs", "1"], "files"),
        Step("views", "bench_views.py", [], ["--nodes", "5000", "--runs", "1"], "views"),
        Step("reports", "bench_reports.py", [], ["--runs", "1"], "reports"),
        Step("serve", "bench_serve.py", [], ["--clients", "10", "--seconds", "5"], "serve"),
    ]


# ---------------------------------------------------------------------------------------------------- running


def _env() -> dict[str, str]:
    # Python keeps the compiled modules, as an installed graphkit does (pip compiles them at install): a
    # shell that sets PYTHONDONTWRITEBYTECODE has every command compile graphkit from source first, about
    # a tenth of a second of each short build and of each worker's start.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


_help_cache: dict[str, str] = {}


def _options_of(script: Path) -> str:
    """The ``--help`` text of ``script`` (empty if it has none)."""
    if script.name not in _help_cache:
        try:
            done = subprocess.run([sys.executable, str(script), "--help"], cwd=ROOT, env=_env(),
                                  capture_output=True, text=True, timeout=120)
            _help_cache[script.name] = done.stdout if done.returncode == 0 else ""
        except (OSError, subprocess.TimeoutExpired):
            _help_cache[script.name] = ""
    return _help_cache[script.name]


def _supported(script: Path, args: list[str]) -> tuple[list[str], list[str]]:
    """``args`` less the options ``script`` does not list in its help (each with its value), and those."""
    text = _options_of(script)
    if not text:
        return args, []
    kept: list[str] = []
    dropped: list[str] = []
    i = 0
    while i < len(args):
        opt = args[i]
        has_value = i + 1 < len(args) and not args[i + 1].startswith("--")
        group = args[i:i + 2] if has_value else args[i:i + 1]
        if opt.startswith("--") and not re.search(rf"(^|[\s,\[]){re.escape(opt)}(?![\w-])", text):
            dropped += group
        else:
            kept += group
        i += len(group)
    return kept, dropped


def run_step(step: Step, out: Path, quick: bool, timeout: float = 0) -> None:
    script = HERE / step.script
    if not script.exists():
        step.status, step.note = "missing", f"{step.script} is not there"
        print(f"== {step.name}: skipped, {step.note}", flush=True)
        return
    json_path = out / "json" / f"{step.name}.json"
    json_path.unlink(missing_ok=True)
    wanted = (step.quick if quick else step.full) or []
    work = None
    if step.work_option:
        work = Path(tempfile.mkdtemp(prefix=f"bench-{step.name}-"))
        wanted = [*wanted, step.work_option, str(work)]
    args, step.dropped = _supported(script, [*wanted, "--json", str(json_path)])
    try:
        _run(step, script, args, json_path, out, timeout)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop ``proc`` and the processes it started (its session): TERM, then KILL if still there."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _run(step: Step, script: Path, args: list[str], json_path: Path, out: Path, timeout: float) -> None:
    step.args = args
    log_path = out / "logs" / f"{step.name}.log"
    cmd = [sys.executable, str(script), *args]
    shown = " ".join(["python", f"benchmarks/{step.script}", *args])
    print(f"\n== {step.name}: {shown}", flush=True)
    if step.dropped:
        print(f"   ({step.script} does not take {' '.join(step.dropped)}: left out)", flush=True)
    start = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        log.write(f"$ {shown}\n")
        try:
            # Its own session, so that a timeout or Ctrl-C stops the script and every process it started.
            proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, bufsize=1, start_new_session=True)
        except OSError as exc:
            step.status, step.note = "failed", f"could not start: {exc}"
            return
        assert proc.stdout is not None
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            _stop_group(proc)

        timer = threading.Timer(timeout, stop) if timeout > 0 else None
        if timer:
            timer.daemon = True
            timer.start()
        tail: list[str] = []
        try:
            for line in proc.stdout:
                sys.stdout.write("   " + line)
                sys.stdout.flush()
                log.write(line)
                tail = (tail + [line.rstrip()])[-3:]
            step.rc = proc.wait()
        except KeyboardInterrupt:
            _stop_group(proc)
            raise
        finally:
            if timer:
                timer.cancel()
    step.seconds = time.perf_counter() - start
    if timed_out.is_set():
        step.note = f"stopped after the step timeout of {timeout:g} s"
    if json_path.exists():
        try:
            step.figures = json.loads(json_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            step.note = f"its JSON could not be read: {exc}"
    if step.rc != 0:
        step.status = "failed"
        last = next((t.strip() for t in reversed(tail) if t.strip()), "")
        step.note = step.note or f"exit status {step.rc}: {last[-200:]}; see logs/{step.name}.log"
    elif step.figures is None:
        step.status = "no figures"
        step.note = step.note or "it wrote no JSON (does it take --json?)"
    else:
        step.status = "ok"
    print(f"== {step.name}: {step.status} in {step.seconds:.0f}s" + (f" ({step.note})" if step.note else ""),
          flush=True)


# ---------------------------------------------------------------------------------------------------- report


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _get(data: dict | None, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if abs(value) >= 100 or (value == int(value) and abs(value) < 1e15):
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def verdict(value: float | None, goal: float | None, at_most: bool) -> tuple[str, str]:
    """("met"/"missed"/"-", by how much) for ``value`` against ``goal`` (a ceiling if ``at_most``)."""
    if value is None or goal is None:
        return "-", ""
    if at_most:
        if value <= goal:
            if value <= 0:
                return "met", ""
            return "met", f"{goal / value:.1f}x under" if goal / value >= 2 else f"{1 - value / goal:.0%} under"
        return "**missed**", f"{value / goal:.1f}x over" if value / goal >= 2 else f"{value / goal - 1:.0%} over"
    if value >= goal:
        return "met", f"{value / goal:.1f}x the goal"
    return "**missed**", f"{value / goal:.0%} of the goal"


class Table:
    """A markdown table of figure / value / goal / met / margin rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, figure: str, value: float | None, unit: str = "", goal: float | None = None,
            at_most: bool = True, goal_text: str | None = None, always: bool = False) -> None:
        """A row; one without a value is left out unless it has a goal (then it shows as not measured)."""
        if value is None and goal is None and goal_text is None and not always:
            return
        met, margin = verdict(value, goal, at_most)
        if goal_text is None:
            goal_text = "-" if goal is None else f"{'≤' if at_most else '≥'} {_fmt(goal, unit)}"
        self.rows.append((figure, _fmt(value, unit), goal_text, met, margin))

    def note(self, figure: str, text: str) -> None:
        self.rows.append((figure, text, "-", "-", ""))

    def lines(self) -> list[str]:
        if not self.rows:
            return ["(no figures)"]
        out = ["| figure | value | goal | met | by |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {' | '.join(row)} |" for row in self.rows]
        return out


def _status_line(step: Step) -> str:
    args = [a.replace(f"{ROOT}/", "") for a in step.args]
    line = f"`{' '.join(['benchmarks/' + step.script, *args])}`: {step.status}"
    if step.seconds:
        line += f" in {step.seconds:.0f} s"
    if step.note:
        line += f" ({step.note})"
    if step.dropped:
        line += f"; options it does not take, left out: `{' '.join(step.dropped)}`"
    return line


def _settings(fig: dict | None) -> str:
    settings = _get(fig, "settings")
    if not isinstance(settings, dict) or not settings:
        return ""
    return ", ".join(f"{k} {v}" for k, v in settings.items())


def section_extraction(by: dict[str, Step]) -> list[str]:
    ext, scale = by["extract"].figures, by["scale"].figures
    t = Table()
    for label, fig in (("bench_scale", scale), ("bench_extract", ext)):
        rate = _num(_get(fig, "extract_mb_s_per_core"))
        if rate is not None:
            t.add(f"read + extract + RDF, MB/s of text per core ({label})", rate, "MB/s", EXTRACT_MB_S, at_most=False)
            if fig is scale:
                _add_extraction_bound(t, scale)
    builds = [(b, "bench_scale") for b in (_get(scale, "builds") or []) if isinstance(b, dict)]
    builds += [(b, "bench_extract") for b in (_get(ext, "builds") or []) if isinstance(b, dict)]
    saw_10k = False
    for b, label in builds:
        docs, jobs, secs = _num(b.get("docs")), _num(b.get("jobs")), _num(b.get("seconds"))
        extra = []
        if b.get("views") is not None:
            extra.append("with views" if b.get("views") else "no views")
        rss = _num(b.get("peak_rss_mb"))
        if rss is not None:
            extra.append(f"peak {rss:,.0f} MB")
        cpu = _num(b.get("cpu_s"))
        if cpu is not None:
            extra.append(f"CPU {cpu:,.0f} s")
        name = (f"build of {docs:,.0f} docs, {jobs:.0f} job{'s' if jobs != 1 else ''}" if docs and jobs
                else "build") + (f" ({', '.join(extra)})" if extra else "") + f" ({label})"
        goal = BUILD_10K_S if docs == 10_000 and jobs == 2 else None
        saw_10k |= goal is not None
        t.add(name, secs, "s", goal)
    if not saw_10k:
        t.note(f"build of 10,000 docs with 2 jobs (goal ≤ {BUILD_10K_S:g} s)", "not measured in this run")
    for v in (_get(scale, "views") or []):
        if isinstance(v, dict) and _num(v.get("docs")):
            rss = _num(v.get("peak_rss_mb"))
            peak = f", peak {rss:,.0f} MB" if rss is not None else ""
            t.add(f"HTML views written onto the graph of {_num(v.get('docs')):,.0f} docs, 2 jobs{peak} (bench_scale)",
                  _num(v.get("seconds")), "s")
    inc = _num(_get(scale, "incremental_one_doc_s"))
    at = _num(_get(scale, "incremental", "docs"))
    of = f" of {at:,.0f}" if at else ""
    docs = f" ({at:,.0f} docs)" if at else ""
    t.add(f"rebuild after one document{of} changed, --no-views, in process (bench_scale)", inc, "s", INCREMENTAL_S)
    t.add("the same as a command, with Python's start-up (bench_scale)",
          _num(_get(scale, "incremental", "command_s")), "s")
    t.add(f"rebuild with nothing changed{docs} (bench_scale)", _num(_get(scale, "incremental", "unchanged_build_s")),
          "s")
    t.add(f"rebuild after one document{of} changed, --no-files, in process (bench_scale)",
          _num(_get(scale, "incremental_one_doc_no_files_s")), "s", INCREMENTAL_S)
    t.add("the same as a command, with Python's start-up (bench_scale)",
          _num(_get(scale, "incremental", "command_s_no_files")), "s")
    t.add(f"rebuild with nothing changed{docs}, --no-files (bench_scale)",
          _num(_get(scale, "incremental", "unchanged_build_s_no_files")), "s")
    t.add(f"rebuild after one document{of} changed, with the files and the views (the default; bench_scale)",
          _num(_get(scale, "incremental_one_doc_views_s")), "s")
    t.add("the same as a command, with Python's start-up (bench_scale)",
          _num(_get(scale, "incremental", "command_s_views")), "s")
    seeds = _num(_get(ext, "build_seeds_s"))
    if seeds is not None:
        t.add("fresh build of the 5 seeds (bench_extract)", seeds, "s")
    known = {"extract_mb_s_per_core", "builds", "incremental_one_doc_s", "incremental_one_doc_no_files_s",
             "incremental_one_doc_views_s", "runs"}
    for key, value in (scale or {}).items():
        if key not in known and _num(value) is not None:
            t.add(f"{key} (bench_scale)", _num(value))
    return t.lines()


def _query_table(fig: dict | None, reference: dict | None) -> list[str]:
    queries = [q for q in (_get(fig, "queries") or []) if isinstance(q, dict)]
    if not queries:
        return ["(no figures)"]
    triples = _num(_get(fig, "settings", "triples")) or 0
    at_goal_size = triples == 1_000_000
    ref = {q.get("name"): q for q in (_get(reference, "queries") or []) if isinstance(q, dict)}
    ref_size = _num(_get(reference, "settings", "triples"))
    rdflib_status = _get(fig, "rdflib", "status") or "?"
    with_rdflib = rdflib_status == "run"
    head = ["query", "kind", "Oxigraph disk ms", "Oxigraph memory ms", "rdflib ms", "rdflib / Oxigraph disk",
            "rdflib / Oxigraph memory", "goal ms", "met" if at_goal_size else "within the 1M goal", "by"]
    if not with_rdflib:
        del head[4:7]
    if ref:
        head.insert(4, f"disk vs {ref_size:,.0f} triples" if ref_size else "disk vs reference")
    out = [f"| {' | '.join(head)} |", "|" + " --- |" * len(head)]
    cap = _num(_get(fig, "settings", "rdflib_cap_s"))
    for q in queries:
        disk, mem = _num(q.get("oxigraph_disk_ms")), _num(q.get("oxigraph_memory_ms"))
        r_ms = _num(q.get("rdflib_ms"))
        goal = _num(q.get("goal_ms")) or (LOOKUP_MS if q.get("kind") == "lookup" else AGGREGATE_MS)
        if r_ms is not None:
            r_cell = _fmt(r_ms)
        elif q.get("rdflib_capped"):
            r_cell = f"> {cap:g} s (stopped)" if cap else "stopped"
        else:
            r_cell = rdflib_status if rdflib_status != "run" else "-"
        r_disk = _num(q.get("ratio_rdflib_disk"))
        r_mem = _num(q.get("ratio_rdflib_memory"))
        if q.get("rdflib_capped") and cap and disk:
            r_disk_cell, r_mem_cell = f"> {cap * 1000 / disk:,.0f}x", f"> {cap * 1000 / mem:,.0f}x" if mem else "-"
        else:
            r_disk_cell = f"{r_disk:,.1f}x" if r_disk is not None else "-"
            r_mem_cell = f"{r_mem:,.1f}x" if r_mem is not None else "-"
        met, margin = verdict(disk, goal, at_most=True)
        row = [str(q.get("name")), str(q.get("kind", "")), _fmt(disk), _fmt(mem), r_cell, r_disk_cell, r_mem_cell,
               _fmt(goal), met, margin]
        if not with_rdflib:
            del row[4:7]
        if ref:
            other = _num((ref.get(q.get("name")) or {}).get("oxigraph_disk_ms"))
            row.insert(4, f"{disk / other:.1f}x" if disk and other else "-")
        out.append(f"| {' | '.join(row)} |")
    return out


def section_queries(step: Step, reference: Step | None) -> list[str]:
    fig = step.figures
    lines = []
    if fig:
        loads = _get(fig, "load_s") or {}
        rdflib = _get(fig, "rdflib") or {}
        facts = [f"{_num(fig.get('quads')) or 0:,.0f} quads"]
        facts += [f"{k.replace('_', ' ')} loaded in {_fmt(_num(v), 's')}" for k, v in loads.items() if _num(v)]
        if rdflib.get("status") not in (None, "run"):
            reason = f": {rdflib.get('reason')}" if rdflib.get("reason") else ""
            facts.append(f"rdflib {rdflib.get('status')}{reason}")
        if _num(fig.get("peak_rss_mb")):
            facts.append(f"peak memory {fig['peak_rss_mb']:,.0f} MB")
        lines.append("; ".join(facts) + ".")
        lines.append("")
        runs, rruns = _get(fig, "settings", "runs"), _get(fig, "settings", "rdflib_runs")
        lines.append(f"Median of {runs} runs after a warm-up (rdflib: {rruns}), ratios from the same run. The goal "
                     f"is checked on the on-disk store (`graphkit build`'s); lookups ≤ {LOOKUP_MS:g} ms, aggregates "
                     f"≤ {AGGREGATE_MS:g} ms, at 1M triples.")
        mismatched = fig.get("answers_differ")
        if mismatched:
            lines.append("Answers differ between engines (rows of values compared, sorted): "
                         + "; ".join(m.replace("|", "/") for m in mismatched) + ".")
        lines.append("")
    lines += _query_table(fig, reference.figures if reference else None)
    return lines


def section_files(fig: dict | None) -> list[str]:
    t = Table()
    med = _get(fig, "median_s") or {}
    mb = _get(fig, "mb") or {}
    quads = _num(_get(fig, "quads"))
    if not med or not quads:
        return t.lines()
    scale = quads / 1_000_000
    goal = TRIG_1M_S * scale
    goal_text = f"≤ {_fmt(goal, 's')}" + (f" ({TRIG_1M_S:g} s at 1M, pro rata)" if abs(scale - 1) > 0.02 else "")
    labels = {
        "oneshot_trig": ("TriG, one shot (`write_trig`: serialise the whole dataset)", True),
        "trig_from_scratch": ("TriG, build path from scratch (TriG chunk per document + concatenate)", True),
        "concat_trig": ("TriG, build path from cached chunks (what every build pays)", True),
        "oneshot_turtle": ("Turtle, one shot (`write_turtle`: each triple once, sorted)", False),
        "chunks": ("TriG + Turtle chunks of every document (`serialise_chunks`, in the workers)", False),
        "cache_write": ("writing the chunk files to the cache", False),
        "concat_turtle": ("Turtle, build path from cached chunks", False),
    }
    for key, (label, has_goal) in labels.items():
        value = _num(med.get(key))
        size = _num(mb.get(key))
        name = f"{label}{f', {size:,.0f} MB' if size else ''}"
        if has_goal:
            t.add(name, value, "s", goal, goal_text=goal_text)
        else:
            t.add(name, value, "s")
    checks = _get(fig, "parse_back") or {}
    bad = [f"{c.get('file')}: {c.get('parsed')} of {c.get('expected')}" for c in checks.values()
           if isinstance(c, dict) and not c.get("ok")]
    t.note("every file parses back (pyoxigraph) to all its quads", "yes" if checks and not bad else
           ("no: " + "; ".join(bad) if bad else "not checked"))
    return [f"{quads:,.0f} quads, median of {_get(fig, 'settings', 'runs')} runs; every file written atomically "
            "with an fsync.", "", *t.lines()]


def section_views(fig: dict | None) -> list[str]:
    t = Table()
    if not fig:
        return t.lines()
    nodes, edges = _num(fig.get("nodes")), _num(fig.get("edges"))
    size = f"{nodes:,.0f}-node" if nodes else ""
    page = _num(fig.get("page_mb"))
    t.add(f"write the {size} view ({edges or 0:,.0f} edges{f', {page:.1f} MB page' if page else ''})",
          _num(fig.get("write_s")), "s")
    if "settle" in fig:
        t.note("settle in headless Chromium", str(fig["settle"]))
    else:
        t.add("load in headless Chromium", _num(fig.get("load_s")), "s")
        t.add("settled in headless Chromium (layout done, physics off)", _num(fig.get("settle_s")), "s")
        t.add("redraw after a zoom", _num(fig.get("redraw_ms")), "ms")
    return [f"Median of {_get(fig, 'settings', 'runs')} runs. The issue sets no figure: these are reported.", "",
            *t.lines()]


def section_reports(fig: dict | None) -> list[str]:
    t = Table()
    if not fig:
        return t.lines()
    pages, files = _num(fig.get("pages")), _num(fig.get("files"))
    t.add(f"Ofsted report PDFs read + extracted ({pages or 0:,.0f} pages, {files or 0:,.0f} files)",
          _num(fig.get("pages_s")), "pages/s", PDF_PAGES_S, at_most=False)
    t.add("of which reading (PDFium), per run", _num(fig.get("read_s")), "s")
    t.add("of which extracting, per run", _num(fig.get("extract_s")), "s")
    return [f"Median of {_get(fig, 'settings', 'runs')} runs.", "", *t.lines()]


def section_serve(fig: dict | None) -> list[str]:
    t = Table()
    if not fig:
        return t.lines()
    t.add("normal queries answered", _num(fig.get("requests")))
    t.add("throughput", _num(fig.get("rps")), "req/s")
    for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
        t.add(f"latency {key.split('_')[0]}", _num(fig.get(key)), "ms")
    errors = _num(fig.get("errors"))
    t.add("failed normal queries", errors, "", 0 if errors is not None else None, goal_text="0")
    sent, stopped = _num(fig.get("runaways")), _num(fig.get("runaway_503"))
    if sent is not None:
        met = "met" if stopped == sent else "**missed**"
        t.rows.append(("runaway queries answered 503", f"{_fmt(stopped)} of {_fmt(sent)}", "all", met, ""))
    timeout = _num(fig.get("timeout"))
    t.add("runaway query: time to its 503 (median)", _num(fig.get("slow_503_s")), "s",
          goal_text=f"the timeout ({_fmt(timeout, 's')}) and a little" if timeout else "-")
    settings = _settings(fig)
    setup = [f"{k} {fig[k]}" for k in ("clients", "seconds", "timeout", "cpus") if k in fig]
    if setup:
        settings = ", ".join(filter(None, [settings, *setup]))
    return ([f"Settings: {settings}.", ""] if settings else []) + t.lines()


def _worst(fig: dict | None, kind: str) -> tuple[float | None, str]:
    """The slowest query of ``kind`` on the on-disk store, and its name."""
    rows = [(q.get("oxigraph_disk_ms"), q.get("name")) for q in (_get(fig, "queries") or [])
            if isinstance(q, dict) and q.get("kind") == kind and _num(q.get("oxigraph_disk_ms")) is not None]
    if not rows:
        return None, ""
    ms, name = max(rows, key=lambda r: r[0])
    return float(ms), str(name)


def _size(fig: dict | None, key: str = "triples") -> str:
    n = _num(_get(fig, "settings", key))
    return f"{n / 1e6:g}M" if n and n >= 1e6 else f"{n / 1e3:g}k" if n else "?"


def _add_extraction_bound(t: Table, scale: dict | None) -> None:
    """The rows that say what bounds the extraction figure: each phase's CPU, and the MB/s a core would
    reach if extraction itself cost nothing (reading, RDF and chunks alone)."""
    speed = _get(scale, "extraction")
    phases = _get(speed, "phases_cpu_s")
    bound = _num(_get(speed, "without_extraction_mb_s"))
    if not isinstance(phases, dict) or bound is None:
        return
    split = ", ".join(f"{name} {_num(v) or 0:.2f} s" for name, v in phases.items())
    t.add(f"the most it could reach with extraction itself free: reading, RDF and chunks alone (CPU by phase: "
          f"{split})", bound, "MB/s")


def section_goals(by: dict[str, Step]) -> list[str]:
    """One row per goal of the issue, from whichever script measured it."""
    t = Table()
    ext, scale = by["extract"].figures, by["scale"].figures
    rate = _num(_get(scale, "extract_mb_s_per_core"))
    source = "bench_scale"
    if rate is None:
        rate, source = _num(_get(ext, "extract_mb_s_per_core")), "bench_extract"
    t.add(f"article text extracted per core ({source})", rate, "MB/s", EXTRACT_MB_S, at_most=False)
    _add_extraction_bound(t, scale)
    builds = [b for b in (_get(scale, "builds") or []) if isinstance(b, dict)
              and _num(b.get("docs")) == 10_000 and _num(b.get("jobs")) == 2]
    for b in builds:
        views = {True: ", with views", False: ", no views"}.get(b.get("views"), "")
        t.add(f"10k articles built with 2 jobs{views}", _num(b.get("seconds")), "s", BUILD_10K_S)
        cpu, cores = _num(b.get("cpu_s")), _num(b.get("cores"))
        if cpu is not None and cores:
            t.add(f"the least time that build's work could take on {cores:.0f} cores (its CPU time, {cpu:,.0f} s, "
                  f"over the cores)", cpu / cores, "s", BUILD_10K_S)
    load = _get(scale, "store_load")
    if builds and isinstance(load, dict) and _num(load.get("seconds")) is not None:
        quads, cpu = _num(load.get("quads")) or 0, _num(load.get("cpu_s")) or 0
        t.add(f"the embedded store alone, which the build cannot go below: its {quads:,.0f} quads bulk-loaded "
              f"on disk and compacted, in a process of its own (CPU {cpu:,.0f} s)", _num(load.get("seconds")), "s",
              BUILD_10K_S)
    views = [v for v in (_get(scale, "views") or []) if isinstance(v, dict) and _num(v.get("docs")) == 10_000]
    for b in builds[:1]:
        for v in views[:1]:
            t.add("10k articles built with 2 jobs, with views (the build, then the views step)",
                  (_num(b.get("seconds")) or 0) + (_num(v.get("seconds")) or 0), "s", BUILD_10K_S)
    if not builds:
        t.note(f"10k articles built with 2 jobs (goal ≤ {BUILD_10K_S:g} s)", "not measured")
    q1 = by["queries-1m"].figures
    for kind, goal in (("lookup", LOOKUP_MS), ("aggregate", AGGREGATE_MS)):
        ms, name = _worst(q1, kind)
        t.add(f"slowest {kind} at {_size(q1)} triples, on disk ({name})", ms, "ms", goal)
    ratios = [_num(q.get("ratio_rdflib_disk")) for q in (_get(q1, "queries") or []) if isinstance(q, dict)]
    ratios = sorted(r for r in ratios if r is not None)
    capped = sum(1 for q in (_get(q1, "queries") or []) if isinstance(q, dict) and q.get("rdflib_capped"))
    if ratios:
        mid = statistics.median(ratios)
        text = f"median {mid:.0f}x (from {ratios[0]:.0f}x to {ratios[-1]:.0f}x)"
        if capped:
            text += f"; {capped} stopped at the cap"
        t.note(f"rdflib / Oxigraph on disk, per named query at {_size(q1)} triples", text)
    q10 = by["queries-10m"].figures
    for kind in ("lookup", "aggregate"):
        ms, name = _worst(q10, kind)
        if ms is not None:
            t.add(f"slowest {kind} at {_size(q10)} triples, on disk ({name})", ms, "ms")
    files = by["files"].figures
    quads = _num(_get(files, "quads"))
    if quads:
        goal = TRIG_1M_S * quads / 1e6
        pro_rata = f" ({TRIG_1M_S:g} s at 1M, pro rata)" if abs(quads / 1e6 - 1) > 0.02 else ""
        for key, label in (("trig_from_scratch", "build path from scratch"),
                           ("concat_trig", "build path, cached chunks"), ("oneshot_trig", "one shot")):
            t.add(f"TriG of {quads / 1e6:.2g}M quads, {label}", _num(_get(files, "median_s", key)), "s", goal,
                  goal_text=f"≤ {_fmt(goal, 's')}{pro_rata}")
    inc = _num(_get(scale, "incremental_one_doc_s"))
    at = _num(_get(scale, "incremental", "docs"))
    where = f" at {at:,.0f} docs" if at else ""
    t.add(f"one-document rebuild{where}, graph files rewritten, --no-views (goal at 10k)", inc, "s", INCREMENTAL_S)
    t.add(f"one-document rebuild{f' at {at:,.0f} docs' if at else ''}, --no-files (goal at 10k)",
          _num(_get(scale, "incremental_one_doc_no_files_s")), "s", INCREMENTAL_S)
    t.add(f"one-document rebuild{f' at {at:,.0f} docs' if at else ''}, with the files and the views (the default)",
          _num(_get(scale, "incremental_one_doc_views_s")), "s")
    t.add("Ofsted report PDFs", _num(_get(by["reports"].figures, "pages_s")), "pages/s", PDF_PAGES_S, at_most=False)
    views = by["views"].figures
    nodes = _num(_get(views, "nodes"))
    label = f"{nodes:,.0f}-node view" if nodes else "view"
    t.add(f"{label}: written", _num(_get(views, "write_s")), "s")
    t.add(f"{label}: settled in headless Chromium", _num(_get(views, "settle_s")), "s")
    return t.lines()


def results_markdown(all_steps: list[Step], info: dict, started: str, total_s: float, quick: bool,
                     command: str) -> str:
    by = {s.name: s for s in all_steps}
    cpu = info.get("cpu_model") or info.get("machine")
    load = info.get("loadavg") or []
    lines = [
        f"# Benchmark results{' (quick run: small sizes, not for the goals)' if quick else ''}",
        "",
        f"- date: {started}; total {total_s / 60:.0f} min",
        f"- machine: {cpu}, {info.get('cpu_count')} cores, {info.get('memory_gb')} GB, {info.get('platform')}, "
        f"Python {info.get('python')}; load average at the start {', '.join(str(x) for x in load)}",
        f"- command: `{command}`",
        "- figures are medians of several runs (as each section says); ratios compare figures of the same run",
        "",
        "| step | status |",
        "| --- | --- |",
    ]
    lines += [f"| {s.name} | {_status_line(s).replace('|', '/')} |" for s in all_steps]
    lines += ["", "## The goals", ""]
    try:
        lines += section_goals(by)
    except Exception as exc:  # never lose the rest of the report to one odd figure
        lines.append(f"(the goals could not be tabulated: {type(exc).__name__}: {exc})")
    sections: list[tuple[str, list[str], Callable[[], list[str]]]] = [
        ("Extraction and builds", ["extract", "scale"], lambda: section_extraction(by)),
        ("Named queries at 1M triples: Oxigraph embedded (disk, memory) vs rdflib in memory", ["queries-1m"],
         lambda: section_queries(by["queries-1m"], None)),
        ("Named queries at 10M triples: Oxigraph embedded (disk, memory)", ["queries-10m"],
         lambda: section_queries(by["queries-10m"], by["queries-1m"])),
        ("Writing graph.trig and graph.ttl", ["files"], lambda: section_files(by["files"].figures)),
        ("A 5,000-node view", ["views"], lambda: section_views(by["views"].figures)),
        ("Ofsted report PDFs", ["reports"], lambda: section_reports(by["reports"].figures)),
        ("`graphkit serve` under load", ["serve"], lambda: section_serve(by["serve"].figures)),
    ]
    for title, names, make in sections:
        lines += ["", f"## {title}", ""]
        if not any(by[n].figures for n in names):
            lines += [f"{n}: {by[n].status}" + (f" ({by[n].note})" if by[n].note else "") for n in names]
            if title.startswith("Extraction"):
                lines += ["", *make()]
            continue
        if title.startswith("Named queries at 1M") and quick:
            size = _num(_get(by["queries-1m"].figures, "settings", "triples")) or 0
            lines += [f"(quick run: at {size:,.0f} triples, not 1M)", ""]
        try:
            lines += make()
        except Exception as exc:  # a script's JSON of an unexpected shape must not lose the other sections
            lines.append(f"(figures could not be tabulated: {type(exc).__name__}: {exc})")
    return "\n".join(lines) + "\n"


def update_readme(markdown: str, readme: Path = README) -> bool:
    """Put ``markdown`` (its title made a lower heading) between the results markers of ``readme``."""
    if not readme.exists():
        return False
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    body = re.sub(r"^# ", "### ", markdown, count=1, flags=re.M)
    body = re.sub(r"^## ", "#### ", body, flags=re.M)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{body}{END}{tail}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each: a few minutes")
    ap.add_argument("--out", type=Path, default=HERE / "results", help="where RESULTS.md, results.json, "
                    "json/ and logs/ go (default benchmarks/results)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these steps")
    ap.add_argument("--skip", nargs="+", metavar="NAME", default=[], help="do not run these steps")
    ap.add_argument("--keep", action="store_true",
                    help="with --only/--skip: steps not run keep their figures from DIR/results.json (marked with "
                         "that run's date), and the README gets the whole table")
    ap.add_argument("--no-readme", action="store_true", help="leave benchmarks/README.md alone after a full run")
    ap.add_argument("--step-timeout", type=float, default=None, metavar="SECONDS",
                    help="stop a step (and all it started) after this long; 0: never (default 5400, 900 with --quick)")
    ap.add_argument("--scale-sizes", default="1000,10000", metavar="N,N",
                    help="corpus sizes for bench_scale in a full run (default 1000,10000: the issue's goals are "
                         "at 10k; bench_scale's own default adds 100k, about an hour more)")
    args = ap.parse_args(argv)
    if args.step_timeout is None:
        args.step_timeout = 900 if args.quick else 5400
    all_steps = steps(args.scale_sizes)
    names = {s.name for s in all_steps}
    unknown = (set(args.only or []) | set(args.skip)) - names
    if unknown:
        ap.error(f"unknown steps {sorted(unknown)}; the steps are {', '.join(s.name for s in all_steps)}")
    out = args.out.resolve()
    (out / "json").mkdir(parents=True, exist_ok=True)
    (out / "logs").mkdir(parents=True, exist_ok=True)
    previous = _previous_steps(out / "results.json") if args.keep else {}
    info = machine_info()
    started = time.strftime("%Y-%m-%d %H:%M:%S %z")
    command = " ".join(["python benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"{started}: {info.get('cpu_model') or info.get('machine')}, {info.get('cpu_count')} cores, "
          f"{info.get('memory_gb')} GB, Python {info.get('python')}; load average {info.get('loadavg')}")
    t0 = time.perf_counter()
    for step in all_steps:
        if (args.only and step.name not in args.only) or step.name in args.skip:
            step.note = "left out by --only/--skip"
            kept = previous.get(step.name)
            if kept:
                step.status, step.figures = "kept", kept["figures"]
                step.seconds, step.args = kept["seconds"], kept["args"]
                step.note = f"figures of the run of {kept['date']}, not run again"
            continue
        if args.quick and step.quick is None:
            step.note = "left out by --quick"
            print(f"\n== {step.name}: {step.note}", flush=True)
            continue
        try:
            run_step(step, out, args.quick, args.step_timeout)
        except KeyboardInterrupt:
            step.status, step.note = "interrupted", "stopped by the user"
            print(f"\n== {step.name}: interrupted; writing the results so far", flush=True)
            break
    total = time.perf_counter() - t0
    markdown = results_markdown(all_steps, info, started, total, args.quick, command)
    (out / "RESULTS.md").write_text(markdown, encoding="utf-8")
    results = {"date": started, "command": command, "quick": args.quick, "total_s": total, "machine": info,
               "steps": [{"name": s.name, "script": s.script, "args": s.args, "dropped_args": s.dropped,
                          "status": s.status, "rc": s.rc, "seconds": s.seconds, "note": s.note,
                          "kept_from": previous[s.name]["date"] if s.status == "kept" else None,
                          "log": str(out / "logs" / f"{s.name}.log") if s.args else None,
                          "figures": s.figures} for s in all_steps]}
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nall done in {total / 60:.1f} min: {out / 'RESULTS.md'}, {out / 'results.json'}")
    whole = not (args.only or args.skip) or (args.keep and all(s.figures for s in all_steps))
    if not args.quick and whole and not args.no_readme and update_readme(markdown):
        print(f"results table copied into {README}")
    for s in all_steps:
        print(f"  {s.name:<12} {s.status}" + (f" ({s.note})" if s.note else ""))
    return 0 if all(s.status in ("ok", "not run", "missing", "kept") for s in all_steps) else 1


def _previous_steps(path: Path) -> dict[str, dict]:
    """The steps of an earlier run that have figures, by name, with that run's date (for ``--keep``)."""
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for step in earlier.get("steps", []):
        if step.get("figures"):
            date = step.get("kept_from") or earlier.get("date", "?")
            out[step["name"]] = {"figures": step["figures"], "seconds": step.get("seconds", 0.0),
                                 "args": step.get("args", []), "date": date}
    return out


if __name__ == "__main__":
    sys.exit(main())
