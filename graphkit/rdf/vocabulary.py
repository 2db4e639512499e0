"""The SKOS schemes (issue topics, grades, roles, kinds, polarity, areas, frameworks) as quads.

The schemes live as Turtle in ``ontology/``: ``schemes.ttl`` is written by hand, ``topics.ttl`` is generated
from ``ontology/lexicon/issues.tsv`` by :func:`topics_turtle`, so the topics the extractor finds and the
concepts the graph declares cannot drift apart (a test regenerates the file and compares). Run
``python -m graphkit.rdf.vocabulary`` after editing ``issues.tsv`` to rewrite ``topics.ttl``.

The built graph carries the schemes in its own named graph, :data:`~graphkit.rdf.namespaces.VOCABULARY_GRAPH`,
because the facts view reads ids back through ``skos:notation`` and the shapes check that every topic,
grade or role a fact points at is a concept of its scheme.

Topic groups (``workforce``, ``front door``...) are concepts too, but under ``topic-group/`` rather than
``topic/``: the group "front door" would otherwise collide with the topic ``front-door``. For the same
reason groups carry no ``skos:notation``: a notation names one topic id and nothing else.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rdflib import Graph, Literal, Namespace

from graphkit.rdf.build import Quad
from graphkit.rdf.namespaces import BASE, TOPIC, VOCABULARY_GRAPH, slug
from graphkit.rdf.terms import nt
from graphkit.resources import lexicon_file, ontology_file

__all__ = [
    "SCHEME",
    "TOPIC_GROUP",
    "TOPIC_SCHEME",
    "GRADE_SCHEME",
    "ROLE_SCHEME",
    "KIND_SCHEME",
    "POLARITY_SCHEME",
    "AREA_SCHEME",
    "FRAMEWORK_SCHEME",
    "SCHEME_FILES",
    "TopicRow",
    "read_topics",
    "topics_turtle",
    "write_topics",
    "vocabulary_quads",
]

SCHEME = Namespace(BASE + "scheme/")
TOPIC_GROUP = Namespace(BASE + "topic-group/")
TOPIC_SCHEME = SCHEME["topics"]
GRADE_SCHEME = SCHEME["grades"]
ROLE_SCHEME = SCHEME["roles"]
KIND_SCHEME = SCHEME["kinds"]
POLARITY_SCHEME = SCHEME["polarities"]
AREA_SCHEME = SCHEME["areas"]
FRAMEWORK_SCHEME = SCHEME["frameworks"]

#: The Turtle files under ``ontology/`` that make up the vocabulary graph.
SCHEME_FILES = ("topics.ttl", "schemes.ttl")

_COLUMNS = ("id", "group", "label")


class TopicRow(NamedTuple):
    """One row of ``issues.tsv``."""

    id: str
    group: str
    label: str
    definition: str  # the fourth column: what the topic covers


def read_topics(tsv_path: Path | str) -> list[TopicRow]:
    """The rows of an ``issues.tsv`` (id, group, label, what it covers), in file order.

    Raises ``ValueError`` naming the file and line when the header or a row is malformed, or an id repeats.
    """
    path = Path(tsv_path)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(c.strip() for c in rows[0][:3]) != _COLUMNS or len(rows[0]) < 4:
        raise ValueError(f"{path}:1: expected the header id<TAB>group<TAB>label<TAB>what it covers")
    topics: list[TopicRow] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if len(cells) != 4 or not all(cells):
            raise ValueError(f"{path}:{line}: expected 4 non-empty tab-separated columns, got {row!r}")
        if cells[0] != slug(cells[0]):
            raise ValueError(f"{path}:{line}: topic id {cells[0]!r} is not a lower-case slug")
        if cells[0] in seen:
            raise ValueError(f"{path}:{line}: topic id {cells[0]!r} appears twice")
        seen.add(cells[0])
        topics.append(TopicRow(*cells))
    return topics


def _string(text: str, lang: str | None = "en") -> str:
    """A Turtle string literal (the N-Triples escaping of :func:`~graphkit.rdf.terms.nt`)."""
    return nt(Literal(text, lang=lang))


def _list(names: Iterable[str]) -> str:
    """An object list with one name a line, so that adding a topic is a one-line diff."""
    return ",\n        ".join(names)


def _group_label(group: str) -> str:
    return group[:1].upper() + group[1:]


_HEADER = """\
# GENERATED from ontology/lexicon/issues.tsv by `python -m graphkit.rdf.vocabulary`: do not edit.
#
# The issue topics of findings as a SKOS concept scheme. A topic's skos:notation is its id in issues.tsv;
# its skos:definition is what the topic covers (the same topic counts whether a finding is a concern or
# a strength). Groups are the top concepts, under topic-group/ so that the group "front door" does not
# collide with the topic front-door; they have no notation for the same reason.
"""


def topics_turtle(tsv_path: Path | str) -> str:
    """The Turtle of the topic scheme made from ``issues.tsv``: the same text for the same file.

    Topics appear in file order, groups in order of first appearance, one object a line, so the file
    reads like the TSV and a change to the TSV is a small diff here.
    """
    topics = read_topics(tsv_path)
    groups: dict[str, list[str]] = {}
    for t in topics:
        groups.setdefault(t.group, []).append(t.id)

    def group_ref(group: str) -> str:
        return f"topicgroup:{slug(group)}"

    scheme_definition = (
        "The topics of findings about a council's children's services, each raised as a concern or as a "
        "strength, grouped by area of work."
    )
    out = [
        _HEADER,
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        f"@prefix scheme: <{SCHEME}> .",
        f"@prefix topicgroup: <{TOPIC_GROUP}> .",
        f"@prefix topic: <{TOPIC}> .",
        "",
        "scheme:topics",
        "    a skos:ConceptScheme ;",
        f"    skos:prefLabel {_string('Issue topics')} ;",
        f"    skos:definition {_string(scheme_definition)} ;",
        f"    skos:hasTopConcept {_list(group_ref(g) for g in groups)} .",
        "",
    ]
    for group, members in groups.items():
        definition = f'The issue topics grouped under "{group}" in issues.tsv.'
        out += [
            group_ref(group),
            "    a skos:Concept ;",
            f"    skos:prefLabel {_string(_group_label(group))} ;",
            f"    skos:definition {_string(definition)} ;",
            "    skos:inScheme scheme:topics ;",
            "    skos:topConceptOf scheme:topics ;",
            f"    skos:narrower {_list(f'topic:{m}' for m in members)} .",
            "",
        ]
    for t in topics:
        out += [
            f"topic:{t.id}",
            "    a skos:Concept ;",
            f"    skos:notation {_string(t.id, None)} ;",
            f"    skos:prefLabel {_string(t.label)} ;",
            f"    skos:definition {_string(t.definition)} ;",
            "    skos:inScheme scheme:topics ;",
            f"    skos:broader {group_ref(t.group)} .",
            "",
        ]
    return "\n".join(out)


def write_topics(tsv_path: Path | str | None = None, ttl_path: Path | str | None = None) -> Path:
    """Rewrite ``ontology/topics.ttl`` from ``ontology/lexicon/issues.tsv`` (or the paths given)."""
    source = Path(tsv_path) if tsv_path else lexicon_file("issues.tsv")
    target = Path(ttl_path) if ttl_path else ontology_file("topics.ttl")
    text = topics_turtle(source)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(target)
    _vocabulary.cache_clear()
    return target


@cache
def _vocabulary() -> tuple[Quad, ...]:
    g = Graph()
    for name in SCHEME_FILES:
        g.parse(ontology_file(name), format="turtle")
    quads = {(s, p, o, VOCABULARY_GRAPH) for s, p, o in g}
    return tuple(sorted(quads, key=lambda q: tuple(nt(t) for t in q)))


def vocabulary_quads() -> list[Quad]:
    """The quads of the vocabulary graph (every SKOS scheme), sorted like the builder's.

    Parsed once per process; each call returns a fresh list, so callers may extend it.
    """
    return list(_vocabulary())


if __name__ == "__main__":  # python -m graphkit.rdf.vocabulary [issues.tsv [topics.ttl]]
    write_topics(*sys.argv[1:3])
