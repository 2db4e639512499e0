"""How fast each named query answers on a graph of a million triples: Oxigraph (memory, disk) vs rdflib.

The graph is synthetic but built by graphkit's own ``graphkit.rdf.build.document_quads`` from made-up
``Extraction`` objects shaped like real ones: documents about one (sometimes two) of 150 councils of the
gazetteer, each with 5-8 findings over the 28 topics (about two in three concerns) whose evidence quotes
run ~110 characters, a grade in most, an inspection or visit in each, one or two people (some of them
inspectors); plus the vocabulary and councils graphs. Every named query runs with its default
parameters (Dudley, inadequate vs good, West Midlands, caseloads).

Each engine runs each query ``--runs`` times after one warm-up run and the median is printed, with the
ratios of the same run. rdflib runs each query in a forked child that is stopped after ``--rdflib-cap``
seconds (the cap is printed; a capped query shows ``>cap``). Goals at 1M triples: lookups of one
council (findings, timeline, evidence, officials, persistent issues) <= 100 ms, aggregates <= 1 s.

Run: ``python benchmarks/bench_queries.py [--triples 1000000] [--runs 7] [--rdflib-cap 60] [--no-rdflib]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from graphkit.documents.model import Document, DocumentMetadata
from graphkit.extract.gazetteer import load_gazetteer
from graphkit.extract.model import CouncilMention, Evidence, Extraction, Finding, Inspection, PersonRole, Rating
from graphkit.query.named import get_query, load_queries
from graphkit.rdf.build import councils_quads, document_quads, nquads
from graphkit.rdf.vocabulary import read_topics, vocabulary_quads
from graphkit.resources import lexicon_file
from graphkit.store.base import GraphStore
from graphkit.store.embedded import EmbeddedStore, replace_store
from graphkit.store.files import parse_nquads

__all__ = ["synthetic_quads", "time_query", "main", "LOOKUPS", "LOOKUP_GOAL_MS", "AGGREGATE_GOAL_MS"]

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


def synthetic_document(i: int, rng: random.Random, councils: list[str], topics: list[str]) -> list:
    """The quads of one made-up document (see the module docstring for its shape)."""
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
    return document_quads(doc, extraction)


def synthetic_quads(triples: int, seed: int = 0, progress: Callable[[str], None] = print) -> list[ox.Quad]:
    """About ``triples`` quads: the vocabulary, the councils and as many synthetic documents as fit."""
    rng = random.Random(seed)
    councils = _councils(150)
    topics = [t.id for t in read_topics(lexicon_file("issues.tsv"))]
    fixed = [nquads(vocabulary_quads()), nquads(councils_quads())]
    have = sum(text.count("\n") for text in fixed)
    chunks = list(fixed)
    i = 0
    started = time.perf_counter()
    while have < triples:
        quads = synthetic_document(i, rng, councils, topics)
        chunks.append(nquads(quads))
        have += len(quads)
        i += 1
        if i % 1000 == 0:
            progress(f"  {i} documents, {have} quads, {time.perf_counter() - started:.0f}s")
    progress(f"generated {i} documents, {have} quads in {time.perf_counter() - started:.1f}s")
    return parse_nquads("".join(chunks))


def time_query(store: GraphStore, text: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``runs`` runs after a warm-up, and the number of rows."""
    n = len(store.query(text))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        store.query(text)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), n


def _rdflib_child(store: GraphStore, text: str, runs: int, cap: float, conn) -> None:  # noqa: ANN001
    """Time one query in a forked child (so it can be stopped); send (median ms, rows, runs done)."""
    times = []
    rows = 0
    deadline = time.monotonic() + cap
    while len(times) < runs + 1 and time.monotonic() < deadline:
        t = time.perf_counter()
        rows = len(store.query(text))
        times.append((time.perf_counter() - t) * 1000)
        if times[0] * (runs + 1) > cap * 1000:  # no time for more: one run is the figure
            break
    measured = times[1:] or times
    conn.send((statistics.median(measured), rows, len(times)))
    conn.close()


def time_rdflib(store: GraphStore, text: str, runs: int, cap: float) -> tuple[float | None, int | None, int]:
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
    return got if got else (None, None, 0)


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7, help="timed runs per query and engine (after a warm-up)")
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--rdflib-cap", type=float, default=60.0, metavar="SECONDS",
                    help="stop an rdflib query after this long")
    ap.add_argument("--no-rdflib", action="store_true", help="skip rdflib (it takes minutes to load)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    quads = synthetic_quads(args.triples, args.seed)
    print(f"{len(quads)} quads")

    t = time.perf_counter()
    mem = EmbeddedStore.in_memory(quads)
    print(f"oxigraph in memory: loaded in {time.perf_counter() - t:.1f}s")
    tmp = tempfile.TemporaryDirectory(prefix="bench-queries-")
    t = time.perf_counter()
    replace_store(Path(tmp.name), quads)
    disk = EmbeddedStore.open(Path(tmp.name))
    print(f"oxigraph on disk:   loaded in {time.perf_counter() - t:.1f}s (as `graphkit build` does: "
          f"bulk load, optimise, reopen read-only)")
    rdf = None
    if not args.no_rdflib:
        from rdflib import Dataset

        from graphkit.store.memory import RdflibStore, _quiet

        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
        t = time.perf_counter()
        ds = Dataset(default_union=True)
        with _quiet():
            ds.parse(data=text, format="nquads")
        del text
        rdf = RdflibStore(ds)
        print(f"rdflib in memory:   loaded in {time.perf_counter() - t:.1f}s")
    del quads
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {rss:.0f} MB")
    print()
    cap_note = f"rdflib: median of {args.rdflib_runs} runs, each query stopped after {args.rdflib_cap:g}s"
    print(f"median ms over {args.runs} runs after a warm-up; {cap_note if rdf else 'rdflib skipped'}")
    header = (f"{'query':<22} {'kind':<9} {'goal':>6} {'rows':>6} {'ox-mem':>8} {'ox-disk':>8} {'rdflib':>8} "
              f"{'disk/mem':>8} {'rdflib/mem':>10} {'goal met (disk)':>15}")
    print(header)
    print("-" * len(header))
    failures = 0
    for name in load_queries():
        text = get_query(name).bind(mem, {})
        kind = "lookup" if name in LOOKUPS else "aggregate"
        goal = LOOKUP_GOAL_MS if kind == "lookup" else AGGREGATE_GOAL_MS
        m_ms, rows = time_query(mem, text, args.runs)
        d_ms, _ = time_query(disk, text, args.runs)
        r_ms: float | None = None
        if rdf is not None:
            r_ms, _, _ = time_rdflib(rdf, text, args.rdflib_runs, args.rdflib_cap)
        met = d_ms <= goal
        failures += not met
        print(f"{name:<22} {kind:<9} {goal:>6.0f} {rows:>6} {_fmt(m_ms):>8} {_fmt(d_ms):>8} "
              f"{_fmt(r_ms, args.rdflib_cap if rdf else None):>8} {_ratio(d_ms, m_ms):>8} "
              f"{_ratio(r_ms, m_ms, args.rdflib_cap if rdf else None):>10} {'yes' if met else 'NO':>15}",
              flush=True)
    disk.close()
    tmp.cleanup()
    print()
    print(f"{failures} of {len(load_queries())} queries over their goal on the on-disk store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
