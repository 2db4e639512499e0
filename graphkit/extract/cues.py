"""Load the cue lexicons of ``ontology/lexicon/`` (TSV, one cue per row, each with an id).

Patterns are regular expressions matched case-insensitively; an id travels into the evidence of every
fact its cue finds, so a user can see which cue fired and a maintainer can tune it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from graphkit.resources import lexicon_file

__all__ = ["TopicCue", "PolarityCue", "topic_cues", "polarity_cues", "read_tsv", "topic_ids"]


@dataclass(frozen=True)
class TopicCue:
    id: str
    topic: str
    #: "concern"/"strength": the phrase itself judges; "~concern"/"~strength": a default when nothing else
    #: in the sentence says; "": the sentence decides.
    polarity: str
    weak: bool
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class PolarityCue:
    id: str
    kind: str  # concern, strength, negator, recommend, contrast
    pattern: re.Pattern[str]


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon TSV; a malformed file fails loudly with its name."""
    path = lexicon_file(name)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for n, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path}:{n}: wrong number of columns")
    return rows


def _compile(path: str, row_id: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{path}: cue {row_id!r} has a bad pattern: {exc}") from None


@cache
def topic_ids() -> frozenset[str]:
    return frozenset(r["id"] for r in read_tsv("issues.tsv"))


@cache
def topic_cues() -> tuple[TopicCue, ...]:
    known = topic_ids()
    cues = []
    for r in read_tsv("topic_cues.tsv"):
        if r["topic"] not in known:
            raise ValueError(f"topic_cues.tsv: cue {r['id']!r} names unknown topic {r['topic']!r}")
        cues.append(TopicCue(r["id"], r["topic"], r["polarity"], r["weight"] == "weak",
                             _compile("topic_cues.tsv", r["id"], r["pattern"])))
    return tuple(cues)


@cache
def polarity_cues() -> tuple[PolarityCue, ...]:
    return tuple(PolarityCue(r["id"], r["kind"], _compile("polarity_cues.tsv", r["id"], r["pattern"]))
                 for r in read_tsv("polarity_cues.tsv"))
