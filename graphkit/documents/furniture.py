"""Set page furniture apart: menus, subscription blurbs, captions, story lists and reader comments.

The cues are data (``ontology/lexicon/furniture.tsv``), one per row with an id and an action:

- ``line``: the matching line is furniture;
- ``block``: the matching line and the run of short link-like lines after it (titles of other stories)
  are furniture;
- ``tail``: the matching line and everything after it are furniture (comments, "more from" lists).

The first row that matches a line decides, so a block header ("Read more:") sits above the one-line rules
that would also match it ("read more" as a button).

Two structural rules complete them: a line repeated word for word (picture captions shown twice), and a
run of other stories each with its own date (a standalone date line in the second half of the page).
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import cache

from graphkit.documents.model import Span
from graphkit.extract.prefilter import TriggerIndex
from graphkit.lexicon import ascii_lower, compile_cue
from graphkit.resources import lexicon_file

__all__ = ["FurnitureRule", "load_rules", "find_furniture"]

_DATE_LINE = re.compile(
    r"^\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}|"
    r"([A-Z][a-z]+day,?\s+)?[A-Z][a-z]+\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4})\s*$"
)


_BULLETS = ("•", "·", "*", "-", "–", "—", "▪", "►", " ")


@dataclass(frozen=True)
class FurnitureRule:
    id: str
    action: str
    pattern: re.Pattern[str]


@cache
def load_rules() -> tuple[FurnitureRule, ...]:
    with lexicon_file("furniture.tsv").open(encoding="utf-8", newline="") as f:
        return tuple(
            FurnitureRule(row["id"], row["action"], compile_cue(row["pattern"], "furniture.tsv", row["id"]))
            for row in csv.DictReader(f, delimiter="\t")
        )


@cache
def _trigger_index() -> TriggerIndex:
    return TriggerIndex([r.pattern for r in load_rules()])


def _rules_per_line(text: str, lines: list[tuple[int, int]]) -> list[set[int]]:
    """For each line, the rules that may match it: those with a trigger string in it (see ``prefilter``).

    Most lines are prose that no rule marks; a rule's own search costs ~30 us a line, a trigger pass
    over the whole text about as much as one search.
    """
    index = _trigger_index()
    starts = [a for a, _ in lines]
    out: list[set[int]] = [set(index.always) for _ in lines]
    for start, owners in index.hits(ascii_lower(text)):
        out[bisect.bisect_right(starts, start) - 1].update(owners)
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_prose(line: str) -> bool:
    """A line of running text: long enough and ending like a sentence."""
    s = line.strip()
    return len(s.split()) >= 12 and s[-1:] in ".!?\"'”’:"


def _is_sentence(line: str) -> bool:
    """A short line of the story itself: a few words closed by a full stop, which story titles do not have."""
    s = line.strip()
    return len(s.split()) >= 5 and s.endswith(".") and not s.endswith("...")


def find_furniture(text: str) -> list[Span]:
    """Furniture spans of ``text``, each labelled with the id of the rule that marked it."""
    rules = load_rules()
    lines = _lines(text)
    may_match = _rules_per_line(text, lines)
    spans: list[Span] = []
    counts: dict[str, int] = {}
    for a, b in lines:
        key = text[a:b].strip()
        if len(key) > 25:
            counts[key] = counts.get(key, 0) + 1
    tail_at: tuple[int, str] | None = None
    i = 0
    n = len(lines)
    while i < n:
        a, b = lines[i]
        line = text[a:b].strip().lstrip("".join(_BULLETS)).strip()
        if not line:
            i += 1
            continue
        maybe = may_match[i]
        hit = next((rules[k] for k in sorted(maybe) if rules[k].pattern.search(line)), None)  # the first rule decides
        if hit and hit.action == "tail" and a > len(text) * 0.25:
            tail_at = (a, hit.id)
            break
        if hit and hit.action == "block":
            j = i + 1
            while j < n:
                nxt = text[lines[j][0]:lines[j][1]].strip()
                if nxt and (_is_prose(nxt) or _is_sentence(nxt) or len(nxt) > 120):
                    break
                j += 1
            spans.append(Span(a, lines[j - 1][1], hit.id))
            i = j
            continue
        if hit and hit.action == "line":
            spans.append(Span(a, b, hit.id))
        elif counts.get(text[a:b].strip(), 0) > 1:
            spans.append(Span(a, b, "repeated-line"))
        i += 1
    dated = _dated_story_list(text, lines)
    if dated is not None and (tail_at is None or dated < tail_at[0]):
        tail_at = (dated, "dated-story-list")
    if tail_at is not None:
        spans = [s for s in spans if s.end <= tail_at[0]]
        spans.append(Span(tail_at[0], len(text), tail_at[1]))
    return sorted(spans)


def _dated_story_list(text: str, lines: list[tuple[int, int]]) -> int | None:
    """Where a list of other stories, each under its own date, starts (two or more date lines late on)."""
    half = len(text) * 0.4
    dated = [k for k, (a, b) in enumerate(lines) if a > half and _DATE_LINE.match(text[a:b])]
    if len(dated) < 2:
        return None
    k = dated[0]
    # The story's title usually stands on the line before its date.
    prev = k - 1
    while prev > 0 and not text[lines[prev][0]:lines[prev][1]].strip():
        prev -= 1
    title = text[lines[prev][0]:lines[prev][1]].strip()
    if prev >= 0 and title and not _is_prose(title) and len(title) < 120:
        k = prev
    return lines[k][0]
