"""How fast each named query answers on a graph of a million triples: Oxigraph (memory, disk) vs rdflib.

The graph is synthetic but built by graphkit's own ``graphkit.rdf.build.document_nquads`` from made-up
``Extraction`` objects shaped like real ones: documents about one (sometimes two) of 150 councils of the
gazetteer, each with 5-8 findings over the 28 topics (about two in three concerns) whose evidence quotes
run ~110 characters, a grade in most, an inspection or visit in each, one or two people (some of them
inspectors); plus the vocabulary and councils graphs. Every named query runs with its default
parameters (Dudley, inadequate vs good, West Midlands, caseloads).

The graph is written as N-Quads to a temporary file one document at a time and each store bulk-loads
that file, so this process never holds the graph as Python objects: at 10M triples the Oxigraph stores
are all that grows (about 2 GB of N-Quads in the temporary folder while loading).

Each engine runs each query ``--runs`` times after one warm-up run and the median is printed, with the
ratios of the same run, and the answers of the engines are compared (rows of values, sorted; a
difference is printed after the table). rdflib runs each query in a forked child that is stopped after
``--rdflib-cap`` seconds (the cap is printed; a capped query shows ``>cap``). rdflib is not loaded above
``--rdflib-max-triples`` (default 1M): in memory it takes about 1.6 KB and 100-200 us of parsing per
triple, so 10M triples would need ~16 GB and most of an hour; its column then reads "not run (memory)".
Oxigraph in memory takes about 400 bytes a quad (4 GB at 10M), the on-disk store little but its cache.
Goals at 1M triples: lookups of one council (findings, timeline, evidence, officials, persistent issues)
<= 100 ms, aggregates <= 1 s, on the on-disk store that ``graphkit build`` makes.

Run: ``python benchmarks/bench_queries.py [--triples 1000000] [--runs 7] [--rdflib-cap 60]
[--rdflib-max-triples 1000000] [--no-rdflib] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from machine import machine_info

from graphkit.documents.model import Document, DocumentMetadata
from graphkit.extract.gazetteer import load_gazetteer
from graphkit.extract.model import CouncilMention, Evidence, Extraction, Finding, Inspection, PersonRole, Rating
from graphkit.query.named import get_query, load_queries
from graphkit.rdf.build import councils_quads, document_nquads, nquads
from graphkit.rdf.vocabulary import read_topics, vocabulary_quads
from graphkit.resources import lexicon_file
from graphkit.store.base import GraphStore, Results, python_value
from graphkit.store.embedded import EmbeddedStore, stage_store, swap_in
from graphkit.store.files import parse_nquads

__all__ = ["synthetic_quads", "synthetic_chunks", "write_synthetic", "time_query", "main", "machine_info",
           "LOOKUPS", "LOOKUP_GOAL_MS", "AGGREGATE_GOAL_MS"]

LOOKUPS = {"council-findings", "council-timeline", "claim-evidence", "officials-quoted", "persistent-issues"}
LOOKUP_GOAL_MS = 100.0
AGGREGATE_GOAL_MS = 1000.0
GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
KINDS = ("inspection", "monitoring-visit", "focused-visit", "visit")
ROLES = ("councillor", "director", "chief-executive", "commissioner", "inspector", "other")
FIRST = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Morgan", "Kim", "Lee", "Jamie", "Nicky", "Ashley")
LAST = ("Smith", "Jones", "Taylor", "Brown", "Evans", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood")
SENTENCE = ("Inspectors found that {topic} {verb} for some children in the {team} teams, which {effect} "
            "the help that families receive.")
VERBS_CONCERN = ("remains a serious weakness", "is not yet good enough", "has deteriorated")
VERBS_STRENGTH = ("is a clear strength", "has improved markedly", "is consistently good")
TEAMS = ("assessment", "locality", "front door", "children in care", "care leavers", "early help")
EFFECTS = ("limits", "undermines", "strengthens", "shapes")


def _councils(n: int) -> list[str]:
    """``n`` GSS codes of the gazetteer, Dudley and Wolverhampton among them."""
    codes = [r.gss for r in load_gazetteer()]
    keep = ["E08000027", "E08000031"]
    rest = [c for c in codes if c not in keep]
    return keep + rest[: n - len(keep)]


def _date(rng: random.Random) -> str:
    year = rng.randint(2013, 2024)
    return f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.8 else str(year)


def synthetic_document(i: int, rng: random.Random, councils: list[str], topics: list[str]) -> str:
    """The sorted N-Quads text of one made-up document (see the module docstring for its shape)."""
    doc_id = f"syn{i:07d}"
    pos = 0

    def ev(text: str, rule: str) -> Evidence:
        nonlocal pos
        start = pos
        pos += len(text) + 1
        return Evidence(doc_id, start, start + len(text), text, rule)

    about = rng.sample(councils, 2 if rng.random() < 0.2 else 1)
    main_council = about[0]
    published = f"{rng.randint(2013, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    findings = []
    for _ in range(rng.randint(5, 8)):
        topic = rng.choice(topics)
        concern = rng.random() < 0.65
        verb = rng.choice(VERBS_CONCERN if concern else VERBS_STRENGTH)
        quote = SENTENCE.format(topic=topic.replace("-", " "), verb=verb, team=rng.choice(TEAMS),
                                effect=rng.choice(EFFECTS))
        findings.append(Finding(rng.choice(about), topic, "concern" if concern else "strength",
                                ev(quote, f"cue:{topic}")))
    people = []
    for _ in range(rng.randint(1, 2)):
        role = rng.choice(ROLES)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        org = "Ofsted" if role == "inspector" else "Department for Education" if role == "commissioner" \
            else main_council
        people.append(PersonRole(name, role, org, ev(f"{name}, {role} at {org}, said the report was fair.",
                                                       f"person:{role}")))
    ratings = []
    if rng.random() < 0.7:
        grade = rng.choices(GRADES, weights=(1, 4, 4, 2))[0]
        ratings.append(Rating(main_council, grade, _date(rng) if rng.random() < 0.8 else None,
                              ev(f"Ofsted judged the council's children's services {grade}.", "grade")))
    kind = rng.choice(KINDS)
    inspections = [Inspection(main_council, kind, _date(rng) if rng.random() < 0.7 else None,
                              ev(f"The {kind.replace('-', ' ')} by Ofsted took place last month.", "kind"))]
    extraction = Extraction(
        document=doc_id,
        councils=tuple(CouncilMention(c, ev(f"Inspectors visited {c} children's services.", "council"))
                       for c in about),
        people=tuple(people), ratings=tuple(ratings), inspections=tuple(inspections), findings=tuple(findings),
        metadata=DocumentMetadata(title=f"Ofsted and council {main_council}, story {i}", published=published,
                                  publisher="Synthetic News"),
    )
    doc = Document(id=doc_id, text="", content_hash=f"{i:064x}", metadata=extraction.metadata)
    return document_nquads(doc, extraction)


def synthetic_chunks(triples: int, seed: int = 0, progress: Callable[[str], None] = print) -> Iterator[str]:
    """N-Quads text of about ``triples`` quads, one chunk at a time: the vocabulary and councils graphs
    (one chunk), then as many synthetic documents (one chunk each, as the build caches them) as fit."""
    rng = random.Random(seed)
    councils = _councils(150)
    topics = [t.id for t in read_topics(lexicon_file("issues.tsv"))]
    fixed = nquads(vocabulary_quads()) + nquads(councils_quads())
    have = fixed.count("\n")
    yield fixed
    i = 0
    started = time.perf_counter()
    every = 10_000 if triples > 2_000_000 else 1000
    while have < triples:
        text = synthetic_document(i, rng, councils, topics)
        have += text.count("\n")
        i += 1
        yield text
        if i % every == 0:
            progress(f"  {i} documents, {have} quads, {time.perf_counter() - started:.0f}s")
    progress(f"generated {i} documents, {have} quads in {time.perf_counter() - started:.1f}s")


def synthetic_quads(triples: int, seed: int = 0, progress: Callable[[str], None] = print) -> list[ox.Quad]:
    """About ``triples`` quads as a list (small graphs only: see ``write_synthetic`` for large ones)."""
    return parse_nquads("".join(synthetic_chunks(triples, seed, progress)))


def write_synthetic(path: Path, triples: int, seed: int = 0, progress: Callable[[str], None] = print) -> int:
    """Write about ``triples`` synthetic quads to ``path`` as N-Quads, streaming; the number written."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for text in synthetic_chunks(triples, seed, progress):
            n += text.count("\n")
            f.write(text)
    return n


def write_json(path: str | Path, data: dict) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def time_query(store: GraphStore, text: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``runs`` runs after a warm-up, and the number of rows."""
    n = len(store.query(text))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        store.query(text)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), n


def canonical(results: Results) -> list[tuple]:
    """A query's answer in a form two engines can be compared on: rows of Python values, floats rounded
    to 9 significant digits, the space-separated words of a string sorted (the order of GROUP_CONCAT is
    unspecified, and differs between engines and between Oxigraph's stores), rows sorted (duplicate rows
    kept: they are part of the answer)."""
    def value(v: object) -> object:
        if isinstance(v, float):
            return float(f"{v:.9g}")
        if isinstance(v, str) and " " in v:
            return " ".join(sorted(v.split(" ")))
        return v

    rows = [tuple(value(python_value(t)) for t in row) for row in results.rows]
    return sorted(rows, key=repr)


def _rdflib_child(store: GraphStore, text: str, runs: int, cap: float, conn) -> None:  # noqa: ANN001
    """Time one query in a forked child (so it can be stopped); send (median ms, rows, runs done, answer)."""
    times: list[float] = []
    answer: Results | None = None
    deadline = time.monotonic() + cap
    # Another run only if it should end before the deadline (the parent stops waiting soon after it).
    while len(times) < runs + 1 and time.monotonic() + (times[-1] / 1000 if times else 0) < deadline:
        t = time.perf_counter()
        answer = store.query(text)
        times.append((time.perf_counter() - t) * 1000)
        if times[0] * (runs + 1) > cap * 1000:  # no time for more: one run is the figure
            break
    measured = times[1:] or times
    conn.send((statistics.median(measured), len(answer) if answer else 0, len(times),
               canonical(answer) if answer else None))
    conn.close()


def time_rdflib(store: GraphStore, text: str, runs: int, cap: float
                ) -> tuple[float | None, int | None, int, list[tuple] | None]:
    """Median ms, rows, runs done and the canonical answer of ``text`` on rdflib; Nones past the cap."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_child, args=(store, text, runs, cap, child))
    proc.start()
    child.close()
    got = parent.recv() if parent.poll(cap + 5) else None
    proc.join(timeout=1)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return got if got else (None, None, 0, None)


def _first_difference(a: list[tuple], b: list[tuple]) -> str:
    """Where two canonical answers first differ, shortly."""
    for x, y in zip(a, b, strict=False):
        if x != y:
            return f"; first difference: {str(x)[:80]} vs {str(y)[:80]}"
    return ""


def _fmt(ms: float | None, cap: float | None = None) -> str:
    if ms is None:
        return f">{cap:g}s" if cap else "-"
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def _ratio(a: float | None, b: float | None, cap: float | None = None) -> str:
    if b is None or b <= 0:
        return "-"
    if a is None:
        return f">{cap * 1000 / b:.0f}x" if cap else "-"
    return f"{a / b:.1f}x"


def _rss_mb() -> float:
    """This process's resident memory now, in MB."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


def load_disk_store(out: Path, source: Path) -> EmbeddedStore:
    """An on-disk store of the N-Quads file ``source`` made as ``graphkit build`` makes one (bulk load,
    flush, optimise, swap into ``out/store``), reopened read-only."""
    new = stage_store(out, copy_live=False)
    store = ox.Store(str(new))
    try:
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
    finally:
        del store
    swap_in(out, new)
    return EmbeddedStore.open(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7, help="timed runs per query and engine (after a warm-up)")
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--rdflib-cap", type=float, default=60.0, metavar="SECONDS",
                    help="stop an rdflib query after this long")
    ap.add_argument("--rdflib-max-triples", type=int, default=1_000_000, metavar="N",
                    help="do not load rdflib above this many triples (it needs ~1.6 KB a triple)")
    ap.add_argument("--no-rdflib", action="store_true", help="skip rdflib (it takes minutes to load)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to PATH as JSON")
    args = ap.parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M:%S %z")
    machine = machine_info()

    tmp = tempfile.TemporaryDirectory(prefix="bench-queries-")
    source = Path(tmp.name) / "graph.nq"
    t = time.perf_counter()
    n_quads = write_synthetic(source, args.triples, args.seed)
    generate_s = time.perf_counter() - t
    print(f"{n_quads} quads")
    loads: dict[str, float | None] = {}
    rss: dict[str, float] = {"start": _rss_mb()}

    t = time.perf_counter()
    memory_store = ox.Store()
    memory_store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    mem = EmbeddedStore(memory_store)
    loads["oxigraph_memory"] = time.perf_counter() - t
    rss["after_oxigraph_memory"] = _rss_mb()
    print(f"oxigraph in memory: loaded in {loads['oxigraph_memory']:.1f}s")
    t = time.perf_counter()
    disk = load_disk_store(Path(tmp.name) / "out", source)
    loads["oxigraph_disk"] = time.perf_counter() - t
    rss["after_oxigraph_disk"] = _rss_mb()
    print(f"oxigraph on disk:   loaded in {loads['oxigraph_disk']:.1f}s (as `graphkit build` does: "
          f"bulk load, optimise, reopen read-only)")
    rdf = None
    if args.no_rdflib:
        rdflib_status, rdflib_reason = "skipped", "--no-rdflib"
    elif args.triples > args.rdflib_max_triples:
        rdflib_status = "not run (memory)"
        rdflib_reason = (f"{n_quads:,} triples is over --rdflib-max-triples {args.rdflib_max_triples:,}: rdflib "
                         f"in memory would need ~{n_quads * 1.6e-6:.0f} GB and a long load")
        print(f"rdflib in memory:   {rdflib_status}: {rdflib_reason}")
    else:
        from rdflib import Dataset

        from graphkit.store.memory import RdflibStore, _quiet

        rdflib_status, rdflib_reason = "run", ""
        t = time.perf_counter()
        ds = Dataset(default_union=True)
        with _quiet():
            ds.parse(source=str(source), format="nquads")
        rdf = RdflibStore(ds)
        loads["rdflib"] = time.perf_counter() - t
        rss["after_rdflib"] = _rss_mb()
        print(f"rdflib in memory:   loaded in {loads['rdflib']:.1f}s")
    source.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    print()
    cap = args.rdflib_cap if rdf else None
    cap_note = f"rdflib: median of {args.rdflib_runs} runs, each query stopped after {args.rdflib_cap:g}s"
    print(f"median ms over {args.runs} runs after a warm-up; "
          f"{cap_note if rdf else 'rdflib ' + rdflib_status}")
    not_run = "-" if rdf is not None or args.no_rdflib else "not run (memory)"
    rw = max(8, len(not_run))
    header = (f"{'query':<22} {'kind':<9} {'goal':>6} {'rows':>6} {'ox-mem':>8} {'ox-disk':>8} {'rdflib':>{rw}} "
              f"{'disk/mem':>8} {'rdflib/mem':>10} {'rdflib/disk':>11} {'goal met (disk)':>15}")
    print(header)
    print("-" * len(header))
    failures = 0
    results = []
    mismatched = []
    for name in load_queries():
        text = get_query(name).bind(mem, {})
        kind = "lookup" if name in LOOKUPS else "aggregate"
        goal = LOOKUP_GOAL_MS if kind == "lookup" else AGGREGATE_GOAL_MS
        m_ms, rows = time_query(mem, text, args.runs)
        d_ms, _ = time_query(disk, text, args.runs)
        answer = canonical(mem.query(text))
        if canonical(disk.query(text)) != answer:
            mismatched.append(f"{name} (Oxigraph on disk and in memory)")
        r_ms: float | None = None
        r_rows: int | None = None
        if rdf is not None:
            r_ms, r_rows, _, r_answer = time_rdflib(rdf, text, args.rdflib_runs, args.rdflib_cap)
            if r_answer is not None and r_answer != answer:
                where = _first_difference(r_answer, answer)
                mismatched.append(f"{name} (rdflib: {r_rows} rows, Oxigraph: {rows}{where})")
        met = d_ms <= goal
        failures += not met
        r_cell = _fmt(r_ms, cap) if rdf is not None else not_run
        print(f"{name:<22} {kind:<9} {goal:>6.0f} {rows:>6} {_fmt(m_ms):>8} {_fmt(d_ms):>8} "
              f"{r_cell:>{rw}} {_ratio(d_ms, m_ms):>8} {_ratio(r_ms, m_ms, cap):>10} "
              f"{_ratio(r_ms, d_ms, cap):>11} {'yes' if met else 'NO':>15}", flush=True)
        results.append({
            "name": name, "kind": kind, "goal_ms": goal, "rows": rows,
            "oxigraph_memory_ms": m_ms, "oxigraph_disk_ms": d_ms,
            "rdflib_ms": r_ms, "rdflib_rows": r_rows,
            "rdflib_capped": rdf is not None and r_ms is None,
            "ratio_disk_memory": d_ms / m_ms if m_ms > 0 else None,
            "ratio_rdflib_memory": r_ms / m_ms if r_ms is not None and m_ms > 0 else None,
            "ratio_rdflib_disk": r_ms / d_ms if r_ms is not None and d_ms > 0 else None,
            "goal_met": met,
        })
    disk.close()
    tmp.cleanup()
    print()
    if mismatched:
        print("answers differ between engines:")
        for line in mismatched:
            print(f"  {line}")
    print(f"{failures} of {len(load_queries())} queries over their goal on the on-disk store")
    if args.json:
        write_json(args.json, {
            "bench": "queries", "date": started, "machine": machine,
            "settings": {"triples": args.triples, "runs": args.runs, "rdflib_runs": args.rdflib_runs,
                         "rdflib_cap_s": args.rdflib_cap, "rdflib_max_triples": args.rdflib_max_triples,
                         "seed": args.seed},
            "quads": n_quads, "generate_s": generate_s, "load_s": loads,
            "rdflib": {"status": rdflib_status, "reason": rdflib_reason},
            "rss_mb": rss, "peak_rss_mb": peak,
            "lookup_goal_ms": LOOKUP_GOAL_MS, "aggregate_goal_ms": AGGREGATE_GOAL_MS,
            "queries": results, "over_goal": failures, "answers_differ": mismatched,
        })
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
