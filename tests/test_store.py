"""Stores behind one interface: the same answers from embedded Oxigraph, rdflib, and a real Oxigraph
server that a graph was pushed to (by Graph Store Protocol and by SPARQL Update), named graphs intact.
Also the SPARQL text helpers, the output formats, the ``query``/``queries``/``push`` commands and the API.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_queries import GOLD, build_gold_dir, gold_quads, write_graph_dir

from graphkit.api import open_graph
from graphkit.cli import main
from graphkit.errors import QueryError, StoreError
from graphkit.query.formats import to_csv, to_json, to_table
from graphkit.query.named import load_queries, run_named
from graphkit.store import connect
from graphkit.store.base import Results, check_read_only, inject_values, query_form, sparql_term, substitute
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.memory import RdflibStore
from graphkit.store.remote import Endpoints, RemoteStore, push
from graphkit.store.server import free_port, oxigraph_binary

#: Columns made by GROUP_CONCAT, whose order no engine promises.
UNORDERED = {"topics", "in_documents"}


def normal(rows: list[dict]) -> list[tuple]:
    """Rows in a form two engines must agree on: unordered lists sorted, numbers as floats, rows sorted."""
    out = []
    for r in rows:
        items = []
        for k, v in sorted(r.items()):
            if k in UNORDERED and isinstance(v, str):
                v = " ".join(sorted(v.split()))
            if isinstance(v, int | float) and not isinstance(v, bool):
                v = round(float(v), 6)
            items.append((k, v))
        out.append(tuple(items))
    return sorted(out, key=repr)


def answers(store) -> dict[str, list[tuple]]:  # noqa: ANN001 - any GraphStore
    return {name: normal(run_named(store, name).dicts()) for name in load_queries()}


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_gold_dir(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def embedded_answers(gold: Path) -> dict[str, list[tuple]]:
    with EmbeddedStore.open(gold) as store:
        got = answers(store)
    assert any(got.values())
    return got


@contextlib.contextmanager
def oxigraph_server(location: Path, union: bool = False) -> Iterator[str]:
    """A real read-write Oxigraph server on a free loopback port; stopped however the block ends."""
    port = free_port()
    cmd = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        cmd.append("--union-default-graph")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Oxigraph server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------------------------
# Same answers everywhere
# ---------------------------------------------------------------------------------------------------


def test_rdflib_gives_the_same_answers(gold: Path, embedded_answers: dict) -> None:
    store = RdflibStore.open(gold)
    assert answers(store) == embedded_answers
    assert store.named_graphs() == EmbeddedStore.open(gold).named_graphs()


def test_oxigraph_in_memory_gives_the_same_answers(gold: Path, embedded_answers: dict) -> None:
    assert answers(connect(gold, "oxigraph-memory")) == embedded_answers


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_to_a_real_oxigraph_server(tmp_path: Path, gold: Path, embedded_answers: dict, method: str) -> None:
    local = EmbeddedStore.open(gold)
    with oxigraph_server(tmp_path / "remote") as url:
        report = push(gold, url, method=method)
        assert report.method == method
        assert report.graphs == len(local.named_graphs())
        remote = RemoteStore(url)  # no union on the server: the graphs are named in each request
        # every named graph arrived whole, under its own name
        assert remote.graph_sizes() == local.graph_sizes()
        assert answers(remote) == embedded_answers
        # nothing landed in the server's default graph
        assert not RemoteStore(url, union=False).query("ASK { ?s ?p ?o }").boolean


def test_push_again_replaces_and_prunes(tmp_path: Path, gold: Path) -> None:
    """A second push replaces graphs; a document gone from the build loses its graph on the target too."""
    fewer = write_graph_dir(tmp_path / "fewer", [q for q in gold_quads()
                                                 if not q.graph_name.value.endswith(next(iter(GOLD)))])
    with oxigraph_server(tmp_path / "remote") as url:
        push(gold, url)
        push(gold, url)
        assert RemoteStore(url).graph_sizes() == EmbeddedStore.open(gold).graph_sizes()
        report = push(fewer, url)
        assert report.removed == 1
        sizes = RemoteStore(url).graph_sizes()
        assert sizes == EmbeddedStore.open(fewer).graph_sizes()
        assert not any(g.endswith(next(iter(GOLD))) for g in sizes)


def test_push_and_query_commands_on_a_server_with_union(tmp_path: Path, gold: Path, capsys) -> None:
    with oxigraph_server(tmp_path / "remote", union=True) as url:
        assert main(["push", str(gold), url]) == 0
        assert "pushed" in capsys.readouterr().out
        assert main(["query", url + "/query", "councils-by-grade", "--format", "csv"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("council,gss,grade_id,date,document,published,evidence\r\n")
        assert "Dudley,E08000027,inadequate,2016-04" in out


def test_build_with_store_pushes(tmp_path: Path, seeds_dir: Path, capsys) -> None:
    out = tmp_path / "out"
    with oxigraph_server(tmp_path / "remote") as url:
        assert main(["build", str(seeds_dir), "--out", str(out), "--store", url]) == 0
        printed = capsys.readouterr().out
        assert "5 extracted" in printed and "pushed" in printed
        assert RemoteStore(url).graph_sizes() == EmbeddedStore.open(out).graph_sizes()


def test_push_errors(tmp_path: Path, gold: Path) -> None:
    with pytest.raises(StoreError, match="graph.trig: no such file"):
        push(tmp_path, "http://127.0.0.1:9")
    with pytest.raises(StoreError, match="failed"):
        push(gold, f"http://127.0.0.1:{free_port()}")  # nobody listening
    with pytest.raises(StoreError, match="no Graph Store endpoint"):
        push(gold, "http://127.0.0.1:9/query", method="gsp")


def test_endpoints_from_url() -> None:
    assert Endpoints.from_url("http://h:7878") == Endpoints("http://h:7878/query", "http://h:7878/update",
                                                          "http://h:7878/store")
    assert Endpoints.from_url("http://h:3030/ds/data").query == "http://h:3030/ds/query"
    assert Endpoints.from_url("http://h:3030/ds") == Endpoints("http://h:3030/ds", "http://h:3030/ds",
                                                             "http://h:3030/ds")
    assert Endpoints.from_url("http://h/x/update").store is None
    with pytest.raises(StoreError):
        Endpoints.from_url("ftp://h/x")


# ---------------------------------------------------------------------------------------------------
# SPARQL text: terms, VALUES, forms
# ---------------------------------------------------------------------------------------------------


def test_sparql_term_escapes_everything_that_could_end_a_string() -> None:
    evil = 'a"b\\c\nd\re\tf } ; DROP ALL ; #'
    text = sparql_term(ox.Literal(evil))
    assert text == '"a\\"b\\\\c\\nd\\re\\tf } ; DROP ALL ; #"'
    store = ox.Store()
    got = list(store.query(f"SELECT ?x WHERE {{ VALUES ?x {{ {text} }} }}"))
    assert got[0]["x"] == ox.Literal(evil)
    assert sparql_term(ox.Literal("1", datatype=XSD_INT)) == '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert sparql_term(ox.Literal("x", language="en-GB")) == "\"x\"@en-gb"


def test_inject_values_goes_into_the_top_level_where_group() -> None:
    q = ('PREFIX ex: <http://x/a?where=1#>\n# a { WHERE comment\nSELECT ?s (STR("WHERE {") AS ?b) WHERE { ?s ex:p ?o }')
    got = inject_values(q, {"o": ox.Literal("v")})
    assert got.endswith('WHERE { VALUES (?o) { ("v") }  ?s ex:p ?o }')
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert inject_values(construct, {"o": ox.Literal("1")}).startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")
    assert inject_values("ASK { ?s ?p ?o }", {"s": ox.NamedNode("http://x/")}).startswith("ASK { VALUES (?s)")
    with pytest.raises(QueryError):
        inject_values("SELECT * WHERE { ?s ?p ?o }", {"bad name": ox.Literal("x")})


def test_substitute_replaces_only_the_variable_tokens() -> None:
    q = 'SELECT ?x WHERE { ?x <http://x/p> ?c . FILTER(?c != "?c") } # ?c\n'
    got = substitute(q, {"c": ox.Literal('a" } DROP ALL #')})
    assert got == 'SELECT ?x WHERE { ?x <http://x/p> "a\\" } DROP ALL #" . FILTER("a\\" } DROP ALL #" != "?c") } # ?c\n'
    assert substitute("SELECT * WHERE { ?cc ?c $c }", {"c": ox.NamedNode("http://x/")}) == \
        "SELECT * WHERE { ?cc <http://x/> <http://x/> }"
    ox.Store().query(got)  # still one valid query


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX gk: <http://x#> SELECT * WHERE { ?s gk:DROP ?o }", "SELECT"),
    ("# DROP ALL\nASK {}", "ASK"),
    ("prefix a: <x:> construct where { ?s ?p ?o }", "CONSTRUCT"),
    ("DROP ALL", "UPDATE"),
    ("PREFIX x: <y:> INSERT DATA { <a:b> <a:c> 'SELECT' }", "UPDATE"),
    ("WITH <g:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
])
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_updates_are_refused_by_every_store(gold: Path) -> None:
    for store in (EmbeddedStore.open(gold), RdflibStore.open(gold)):
        with pytest.raises(QueryError, match="updates are refused"):
            store.query("DROP ALL")
    with pytest.raises(QueryError, match="updates are refused"):
        check_read_only("PREFIX x: <y:> INSERT DATA { <a:b> <a:c> <a:d> }")


# ---------------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------------

XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SAMPLE = Results(["s", "n", "label"], [
    (ox.NamedNode("https://w3id.org/graphkit/id/council/E08000027"), ox.Literal("3", datatype=XSD_INT),
     ox.Literal("Dudley, \"West\" Midlands", language="en")),
    (ox.BlankNode("b0"), None, ox.Literal("two\nlines")),
])


def test_json_results_format() -> None:
    doc = json.loads(to_json(SAMPLE))
    assert doc["head"] == {"vars": ["s", "n", "label"]}
    first, second = doc["results"]["bindings"]
    assert first == {"s": {"type": "uri", "value": "https://w3id.org/graphkit/id/council/E08000027"},
                     "n": {"type": "literal", "value": "3", "datatype": str(XSD_INT.value)},
                     "label": {"type": "literal", "value": 'Dudley, "West" Midlands', "xml:lang": "en"}}
    assert second == {"s": {"type": "bnode", "value": "b0"}, "label": {"type": "literal", "value": "two\nlines"}}
    # pyoxigraph reads it back as the same terms
    back = ox.parse_query_results(to_json(SAMPLE).encode(), format=ox.QueryResultsFormat.JSON)
    assert [tuple(sol[v] for v in ("s", "n", "label")) for sol in back] == SAMPLE.rows
    assert json.loads(to_json(Results([], [], True))) == {"head": {}, "boolean": True}


def test_csv_results_format() -> None:
    text = to_csv(SAMPLE)
    assert text.startswith("s,n,label\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["s", "n", "label"],
        ["https://w3id.org/graphkit/id/council/E08000027", "3", 'Dudley, "West" Midlands'],
        ["_:b0", "", "two\nlines"]]


def test_table_format() -> None:
    lines = to_table(SAMPLE, max_width=12).splitlines()
    assert lines[0].split() == ["s", "n", "label"]
    assert lines[2].startswith("gkid:counci…")
    assert lines[2].split()[1] == "3"
    assert lines[-1] == "(2 rows)"
    assert "two lines" in lines[3]


# ---------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------


def test_queries_command_lists_names_questions_and_params(capsys) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    for q in load_queries().values():
        assert q.name in out and q.question in out
    assert "--param grade=… (default: inadequate)" in out
    assert main(["queries", "claim-evidence"]) == 0
    assert "SELECT" in capsys.readouterr().out


def test_query_command_formats(gold: Path, capsys) -> None:
    assert main(["query", str(gold), "council-findings", "--param", "council=Wolverhampton", "-F", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"] == ["topic", "polarity", "evidence", "document", "start", "end"]
    assert {b["topic"]["value"] for b in doc["results"]["bindings"]} >= {"caseloads", "staff-turnover"}
    assert main(["query", str(gold), "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?f a "
                 "<https://w3id.org/graphkit/ontology#Finding> }"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[2].strip() == str(sum(len(d["findings"]) for d in GOLD.values()))
    rq = Path(gold.parent / "mine.rq")
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert main(["query", str(gold), "-f", str(rq), "-F", "csv"]) == 0
    assert capsys.readouterr().out == "boolean\r\ntrue\r\n"


def test_query_command_rdflib_engine(gold: Path, capsys) -> None:
    assert main(["query", str(gold), "similar-councils", "--engine", "rdflib", "-F", "csv"]) == 0
    assert "\r\nWolverhampton,E08000031,5," in capsys.readouterr().out


def test_query_command_errors(gold: Path, capsys) -> None:
    assert main(["query", str(gold), "council-finding"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "did you mean 'council-findings'" in err
    assert main(["query", str(gold), "council-findings", "--param", "county=Kent"]) == 1
    assert "its parameters are: council" in capsys.readouterr().err
    assert main(["query", str(gold), "--sparql", "DELETE WHERE { ?s ?p ?o }"]) == 1
    assert "updates are refused" in capsys.readouterr().err
    assert main(["query", str(gold), "council-findings", "--param", "council"]) == 2
    assert main(["query", str(gold)]) == 2
    assert main(["query", str(gold / "nope"), "inspectors"]) == 1
    assert "no store here" in capsys.readouterr().err
    # the store is intact after all that
    assert EmbeddedStore.open(gold).graph_sizes() == EmbeddedStore.open(build_gold_dir(gold.parent)).graph_sizes()


def test_injection_through_the_command_changes_nothing(gold: Path, capsys) -> None:
    before = EmbeddedStore.open(gold).graph_sizes()
    assert main(["query", str(gold), "council-findings", "--param", 'council=Dudley" } ; DROP ALL ; #',
                 "-F", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: no council is called 'Dudley\" } ; DROP ALL ; #'")
    assert EmbeddedStore.open(gold).graph_sizes() == before
    # ad-hoc SPARQL: --param binds a literal with VALUES, which can only ever match as a value
    assert main(["query", str(gold), "--sparql", "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> "
                 "?name }", "--param", 'name=Dudley" } ; DROP ALL ; #', "-F", "csv"]) == 0
    assert capsys.readouterr().out == "c\r\n"
    assert main(["query", str(gold), "--sparql", "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> "
                 "?name }", "--param", "name=Dudley", "-F", "csv"]) == 0
    assert capsys.readouterr().out == "c\r\nhttps://w3id.org/graphkit/id/council/E08000027\r\n"
    assert EmbeddedStore.open(gold).graph_sizes() == before


# ---------------------------------------------------------------------------------------------------
# Python API
# ---------------------------------------------------------------------------------------------------


def test_open_graph(gold: Path) -> None:
    g = open_graph(gold)
    rows = g.query("councils-by-grade", grade="good")
    assert {r["council"] for r in rows} == {"Wolverhampton"}
    assert g.sparql("SELECT ?n WHERE { ?c <https://w3id.org/graphkit/ontology#gssCode> ?g ; "
                    "<http://www.w3.org/2000/01/rdf-schema#label> ?n }", g="E08000027") == [{"n": "Dudley"}]
    assert {q.name for q in g.queries()} == set(load_queries())
    facts = g.facts()
    assert [f["document"] for f in facts] == sorted(GOLD)
    ds = g.rdflib_dataset()
    assert sum(len(g) for g in ds.graphs()) == sum(EmbeddedStore.open(gold).graph_sizes().values())
    g.close()


def test_open_graph_dataframe(gold: Path) -> None:
    pd = pytest.importorskip("pandas")
    with open_graph(gold, engine="rdflib") as g:
        df = g.dataframe("concern-cooccurrence")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["topic_a", "topic_b", "together"]
    row = df[(df.topic_a == "caseloads") & (df.topic_b == "staff-turnover")].iloc[0]
    assert row.together == 2


def test_open_graph_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such folder"):
        open_graph(tmp_path / "missing")


def test_store_copy_is_independent(tmp_path: Path, gold: Path) -> None:
    """A copied build folder is a working graph on its own (the store holds no absolute paths)."""
    copy = tmp_path / "copy"
    shutil.copytree(gold, copy)
    assert EmbeddedStore.open(copy).graph_sizes() == EmbeddedStore.open(gold).graph_sizes()
