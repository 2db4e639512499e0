"""Load the cue lexicons of ``ontology/lexicon/`` (TSV, one cue per row, each with an id).

Patterns are regular expressions matched case-insensitively; an id travels into the evidence of every
fact its cue finds, so a user can see which cue fired and a maintainer can tune it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graphkit.lexicon import compile_folded_cue, read_tsv

__all__ = ["TopicCue", "PolarityCue", "topic_cues", "polarity_cues", "topic_ids"]


@dataclass(frozen=True)
class TopicCue:
    id: str
    topic: str
    #: "concern"/"strength": the phrase itself judges; "~concern"/"~strength": a default when nothing else
    #: in the sentence says; "": the sentence decides.
    polarity: str
    weak: bool
    pattern: re.Pattern[str]  # matches text lower-cased by graphkit.lexicon.ascii_lower


@dataclass(frozen=True)
class PolarityCue:
    id: str
    kind: str  # concern, strength, negator, shortfall, recommend, contrast
    pattern: re.Pattern[str]


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
                             compile_folded_cue(r["pattern"], "topic_cues.tsv", r["id"])))
    return tuple(cues)


@cache
def polarity_cues() -> tuple[PolarityCue, ...]:
    return tuple(PolarityCue(r["id"], r["kind"], compile_folded_cue(r["pattern"], "polarity_cues.tsv", r["id"]))
                 for r in read_tsv("polarity_cues.tsv"))
