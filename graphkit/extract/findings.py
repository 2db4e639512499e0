"""Findings: the issue topics a sentence raises, each as a concern or a strength.

A sentence is cut into clauses at commas, semicolons, colons and contrast words ("but", "although",
"while"...). Topic cues (``topic_cues.tsv``) find topics; polarity cues (``polarity_cues.tsv``) score each
clause, a negator just before a cue turning it round ("not yet consistently good" is a concern). A topic
takes, in order: concern when the sentence recommends or requires something ("must improve", "called on");
the judgement its own phrase carries ("high caseloads", "drift", "timely help"); the polarity of its
clause; that of a following "but ..." clause that names no topic of its own ("caseloads are reducing but
remain high"); that of the whole sentence; and last the topic's default, if its cue has one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from graphkit.extract.cues import PolarityCue, TopicCue, polarity_cues, topic_cues
from graphkit.extract.prefilter import TriggerIndex
from graphkit.extract.spans import inside_longer, within
from graphkit.lexicon import ascii_lower

__all__ = ["sentence_findings", "text_findings", "Clause", "clauses"]

_BOUNDARY = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\band (?=(the|that|this|these|there|it|they|their|its|most|some|many|all|"
    r"social workers|children|staff|managers|leaders|partners)\b)")
_NEGATION_REACH = 22  # characters before a cue in which a negator turns it round


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    contrast: bool  # begins with a contrast word


def clauses(sentence: str) -> list[Clause]:
    """Cut a sentence into clauses (offsets into it)."""
    contrast = next(c for c in polarity_cues() if c.kind == "contrast").pattern
    cuts = {0, len(sentence)}
    for m in _BOUNDARY.finditer(sentence):
        cuts.add(m.start())
        cuts.add(m.end())
    starts_contrast = set()
    for m in contrast.finditer(ascii_lower(sentence)):
        cuts.add(m.start())
        starts_contrast.add(m.start())
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        text = sentence[a:b]
        if text.strip(" \"'‘’“”") and not _BOUNDARY.fullmatch(text.strip() or ","):
            out.append(Clause(a, b, a in starts_contrast))
    return out


_POLARITY_KINDS = ("strength", "concern", "negator", "shortfall", "recommend", "contrast")


class _Hits:
    """A sentence's polarity cue matches by kind, sorted, and the lookups the scoring makes of them.

    Each lookup is a bisection, not a pass over every match: a text without full stops is one sentence
    with thousands of them.
    """

    def __init__(self, pols: list[tuple[int, int, PolarityCue]]) -> None:
        self.by_kind: dict[str, list[tuple[int, int, PolarityCue]]] = {k: [] for k in _POLARITY_KINDS}
        for a, b, c in sorted(pols, key=lambda h: (h[0], h[1], h[2].id)):
            self.by_kind[c.kind].append((a, b, c))
        self.starts = {k: [h[0] for h in found] for k, found in self.by_kind.items()}
        self.negators_by_end = sorted((b, a) for a, b, _ in self.by_kind["negator"])
        self.negator_ends = [b for b, _ in self.negators_by_end]

    def inside(self, kind: str, clause: Clause) -> list[tuple[int, int, PolarityCue]]:
        return within(self.by_kind[kind], self.starts[kind], clause.start, clause.end)  # type: ignore[return-value]

    def negated(self, start: int, clause: Clause) -> bool:
        """Whether a negator of ``clause`` ends at most ``_NEGATION_REACH`` characters before ``start``."""
        lo = bisect.bisect_left(self.negator_ends, start - _NEGATION_REACH)
        hi = bisect.bisect_right(self.negator_ends, start)
        return any(clause.start <= a for _, a in self.negators_by_end[lo:hi])


class _ClauseScore:
    """Strength cues minus concern cues inside ``clause``, negation applied; 0 when nothing says.

    A shortfall ahead of a strength in its clause turns it round wherever it stands: a minority ("only 40%
    of assessments are completed on time", "too few", "not all") or a duty not met ("leaders have not
    ensured that visits are regular") praises nothing. A concern stays one ("a small number of children
    experience delay").

    Each cue's part is worked out once; ``score`` then leaves out those within a topic's own phrase.
    """

    def __init__(self, clause: Clause, hits: _Hits) -> None:
        short = [(a, b) for a, b, _ in hits.inside("shortfall", clause)]
        short_starts = [a for a, _ in short]
        reach: list[int] = []  # the furthest end of the shortfalls up to each one (by start)
        for _, b in short:
            reach.append(max(b, reach[-1]) if reach else b)
        first_end = min((b for _, b in short), default=None)
        #: (start, end, +1 or -1) of each cue that counts, by start.
        self.parts: list[tuple[int, int, int]] = []
        for kind, sign in (("strength", 1), ("concern", -1)):
            for a, b, cue in hits.inside(kind, clause):
                i = bisect.bisect_right(short_starts, a) - 1
                if i >= 0 and reach[i] >= b:
                    continue  # the shortfall's own words ("fewer" of "fewer than half") are no judgement
                flips = cue.id != "c-not-consistent" and hits.negated(a, clause)
                if sign > 0 and first_end is not None and first_end <= a:
                    flips = True
                self.parts.append((a, b, -sign if flips else sign))
        self.parts.sort()
        self.starts = [a for a, _, _ in self.parts]
        self.longest = max((b - a for a, b, _ in self.parts), default=0)
        self.total = sum(value for _, _, value in self.parts)
        # A bare negation or shortfall in an inspector's sentence states a concern.
        self.bare = bool(short) or bool(hits.inside("negator", clause))

    def score(self, exclude: tuple[int, int] | None = None) -> int:
        """The clause's score, leaving out cues that overlap ``exclude`` (the words of the topic's own
        phrase, such as "stable workforce", are not a judgement of it)."""
        total, found = self.total, len(self.parts)
        if exclude:
            ea, eb = exclude
            lo = bisect.bisect_left(self.starts, ea - self.longest + 1)
            for _, b, value in self.parts[lo:bisect.bisect_left(self.starts, eb)]:
                if ea < b:
                    total -= value
                    found -= 1
        if not found and self.bare:
            return -1
        return total


def _sign(score: int) -> str | None:
    return "strength" if score > 0 else "concern" if score < 0 else None


def _topic_matches(sentence: str, found: list[tuple[int, int, TopicCue]] | None = None
                   ) -> list[tuple[int, int, TopicCue]]:
    if found is None:
        low = ascii_lower(sentence)
        found = [(m.start(), m.end(), c) for c in topic_cues() for m in c.pattern.finditer(low)]
    # A weak cue ("leaders") counts only in a sentence where no strong cue names a topic.
    if any(not c.weak for _, _, c in found):
        found = [f for f in found if not f[2].weak]
    # Within one topic, a cue inside a longer cue's span gives way to it ("without delay" over "delay").
    by_topic: dict[str, list[tuple[int, int]]] = {}
    for a, b, c in found:
        by_topic.setdefault(c.topic, []).append((a, b))
    inner = {topic: inside_longer(spans) for topic, spans in by_topic.items()}
    return [(a, b, c) for a, b, c in found if (a, b) not in inner[c.topic]]


def text_findings(text: str, spans: list[tuple[int, int]], low: str | None = None) -> list[list[tuple[str, str, str]]]:
    """``sentence_findings`` for each ``text[start:end]`` of ``spans``; ``low`` is ``ascii_lower(text)`` when
    the caller has it already.

    One Aho-Corasick pass finds each cue's trigger strings (see ``prefilter``); a cue then runs only over
    the sentences that hold one of its triggers, and polarity cues only over sentences with a topic. A
    match counts for a sentence only when it lies wholly inside it.
    """
    topic_hits: list[list[tuple[int, int, TopicCue]]] = [[] for _ in spans]
    pol_hits: list[list[tuple[int, int, PolarityCue]]] = [[] for _ in spans]
    low = ascii_lower(text) if low is None else low
    locate = _Locator(spans)
    _scan(topic_cues(), _topic_index(), low, locate, topic_hits, None)
    if not any(topic_hits):
        return [[] for _ in spans]
    _scan(polarity_cues(), _polarity_index(), low, locate, pol_hits, [bool(h) for h in topic_hits])
    out = []
    for (a, b), topics, pols in zip(spans, topic_hits, pol_hits, strict=True):
        out.append(_classify(text[a:b], _topic_matches(text[a:b], topics), pols) if topics else [])
    return out


class _Locator:
    """Which span wholly holds ``[a, b)``: spans are sorted and do not overlap."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def __call__(self, a: int, b: int) -> int | None:
        i = bisect.bisect_right(self.starts, a) - 1
        return i if i >= 0 and b <= self.spans[i][1] else None


@cache
def _topic_index() -> TriggerIndex:
    return TriggerIndex([c.pattern for c in topic_cues()])


@cache
def _polarity_index() -> TriggerIndex:
    return TriggerIndex([c.pattern for c in polarity_cues()])


def _scan(cues: Sequence[TopicCue | PolarityCue], index: TriggerIndex, low: str, locate: _Locator,
          hits: list[list], wanted: list[bool] | None) -> None:
    """Append to ``hits[i]`` each match of each cue inside span ``i`` (only spans ``wanted``, if given).

    A cue runs over a span only when the span holds the strings of one of its terms (``prefilter``).
    """
    where: list[set[int]] = [set() for _ in cues]
    spans = locate.spans
    for i, owners in index.span_hits(low, ((i, span) for i, span in enumerate(spans) if wanted is None or wanted[i])):
        for c in owners:
            where[c].add(i)
    admits = index.admits
    texts: dict[int, str] = {}
    always = set(index.always)
    for c, cue in enumerate(cues):
        if c in always:
            for m in cue.pattern.finditer(low):
                i = locate(m.start(), m.end())
                if i is not None and (wanted is None or wanted[i]):
                    hits[i].append((m.start() - spans[i][0], m.end() - spans[i][0], cue))
            continue
        for i in sorted(where[c]):
            a, b = spans[i]
            text = texts.get(i)
            if text is None:
                text = texts[i] = low[a:b]
            if not admits(c, text):
                continue
            for m in cue.pattern.finditer(low, a, b):
                hits[i].append((m.start() - a, m.end() - a, cue))


def sentence_findings(sentence: str) -> list[tuple[str, str, str]]:
    """The (topic id, polarity, rule id) findings one sentence states, sorted, without repeats.

    >>> sentence_findings("Caseloads are reducing but remain high.")
    [('caseloads', 'concern', 'caseloads-remain-high')]
    >>> sentence_findings("Thresholds are applied consistently.")
    [('thresholds', 'strength', 'thresholds')]
    """
    matches = _topic_matches(sentence)
    if not matches:
        return []
    low = ascii_lower(sentence)
    pols = [(m.start(), m.end(), c) for c in polarity_cues() for m in c.pattern.finditer(low)]
    return _classify(sentence, matches, pols)


def _classify(sentence: str, matches: list[tuple[int, int, TopicCue]],
              pols: list[tuple[int, int, PolarityCue]]) -> list[tuple[str, str, str]]:
    if not matches:
        return []
    hits = _Hits(pols)
    parts = clauses(sentence)
    locate = _Locator([(cl.start, cl.end) for cl in parts])
    scores = [_ClauseScore(cl, hits) for cl in parts]
    following: list[int | None] = []  # for each clause, the next one that begins with a contrast word
    upcoming = None
    for j in range(len(parts) - 1, -1, -1):
        following.append(upcoming)
        if parts[j].contrast:
            upcoming = j
    following.reverse()

    def clause_of(a: int) -> int | None:  # the clause a match starts in
        return locate(a, a + 1)

    recommends = bool(hits.by_kind["recommend"])
    topic_clauses = {clause_of(a) for a, _, _ in matches} - {None}
    whole = sum(score.score() for score in scores)
    out: dict[tuple[str, str], str] = {}
    for a, b, cue in matches:
        idx = clause_of(a)
        if idx is None:
            continue
        clause = parts[idx]
        polarity: str | None
        if recommends:
            polarity = "concern"
        elif cue.polarity in ("concern", "strength"):
            polarity = cue.polarity
            if hits.negated(a, clause):
                polarity = "strength" if polarity == "concern" else "concern"
        else:
            polarity = _sign(scores[idx].score((a, b)))
            later_clause = following[idx]
            if later_clause is not None and later_clause not in topic_clauses:
                later = _sign(scores[later_clause].score())
                polarity = later or polarity
            if polarity is None:
                polarity = _sign(whole)
            if polarity is None and cue.polarity.startswith("~"):
                polarity = cue.polarity[1:]
        if polarity is not None:
            out.setdefault((cue.topic, polarity), cue.id)
    return sorted((t, p, r) for (t, p), r in out.items())
