"""News articles: councils, people, grades, inspections, findings and the article's own metadata.

Everything is read from the article's body sentences (page furniture is never looked at). A sentence that
names no council speaks of the article's main council: the one it names most ("the council", "the local
authority" and "the authority" refer to it).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import replace
from functools import cache
from itertools import islice

from graphkit.documents.model import Document, DocumentMetadata
from graphkit.extract.councils import CouncilHit, find_councils
from graphkit.extract.dates import find_dates, parse_date_line
from graphkit.extract.findings import text_findings
from graphkit.extract.model import (
    CouncilMention,
    Evidence,
    Extraction,
    Finding,
    Inspection,
    PersonRole,
    Rating,
)
from graphkit.extract.people import NAME_WORD, find_people, is_name
from graphkit.extract.prefilter import TriggerIndex
from graphkit.extract.sentences import Sentence, split_sentences
from graphkit.extract.spans import DisjointSpans, inside_longer
from graphkit.lexicon import ascii_lower, compile_cue, read_tsv

__all__ = ["extract_article", "article_metadata"]

_CONTEXTS_FILE = "article_contexts.tsv"
_HEADER_SPLIT = re.compile(r"\s+[|•·]\s+|\s+(?=[Bb]y\s+[A-Z])")
_HEADER_SEPARATORS = ("|", "•", "·", "by", "By")  # every match of _HEADER_SPLIT holds one of these
_QUOTED = re.compile(r"[‘'\"“]\s*$")
# Name words as people.py reads them, so "By Sean O'Connor" and "By Anna Smith-Jones" are bylines too.
_BYLINE = re.compile(rf"^\s*(?:[Bb]y\s+)?({NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\s*(?:,.*)?$")
#: "By Mithran Samuel on October 10, 2019 in Children": a byline that carries the date.
_BYLINE_DATED = re.compile(rf"^\s*[Bb]y\s+({NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\s*(?:on|,|-|–)\s+(.+)$")


@cache
def _context_rows() -> dict[str, str]:
    return {r["id"]: r["pattern"] for r in read_tsv(_CONTEXTS_FILE)}


@cache
def _context(name: str) -> re.Pattern[str]:
    """A context pattern of ``article_contexts.tsv`` by id (the file read once, not once per id)."""
    return compile_cue(_context_rows()[name], _CONTEXTS_FILE, name)


@cache
def _grade_cues() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((r["id"], r["grade"], compile_cue(r["pattern"], "grades.tsv", r["id"]))
                 for r in read_tsv("grades.tsv"))


@cache
def _kind_cues() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((r["id"], r["kind"], compile_cue(r["pattern"], "inspection_kinds.tsv", r["id"]))
                 for r in read_tsv("inspection_kinds.tsv"))


@cache
def _future() -> re.Pattern[str]:
    return compile_cue("|".join(r["pattern"] for r in read_tsv("future_cues.tsv")), "future_cues.tsv")


def _evidence(doc: Document, s: Sentence, rule: str) -> Evidence:
    return Evidence(doc.id, s.start, s.end, s.text, rule, doc.page_of(s.start))


def _header_items(line: str) -> list[str]:
    """``_HEADER_SPLIT.split(line)``, without running it over a line that has none of its separators (a
    "|", "•" or "·", or a "by"): the expression tries every space of the line."""
    if any(sep in line for sep in _HEADER_SEPARATORS):
        return _HEADER_SPLIT.split(line)
    return [line]


def article_metadata(doc: Document, sentences: list[Sentence]) -> DocumentMetadata:
    """The reader's metadata, completed from the top of the text: title, dateline and byline."""
    meta = doc.metadata
    head = [s for s in doc.body_spans() if s.start < 2000]
    lines: list[str] = []
    for span in head:  # the first twelve lines are all that is read, not the whole body
        lines.extend(islice((ln.strip() for ln in doc.text[span.start:span.end].split("\n") if ln.strip()),
                            12 - len(lines)))
        if len(lines) >= 12:
            break
    # A header line may carry several items: "20 June 2019 By Mark Smulian", "By Jo Bloggs | 3 May 2021".
    lines = [part.strip() for ln in lines[:12] for part in _header_items(ln) if part.strip()]
    known: dict[str, str | None] = {}

    def date_line(line: str) -> str | None:  # each line is asked about several times below
        if line not in known:
            known[line] = parse_date_line(line)
        return known[line]

    # A headline has a few words, some in lower case (a masthead like "Express & Star" has none).
    title = meta.title or next((ln for ln in lines if 3 <= len(ln.split()) <= 30 and not date_line(ln)
                                and re.search(r"\b[a-z]{2,}", ln)), None)
    published = meta.published or next((d for d in map(date_line, lines[:10]) if d), None)
    dated = next((m for m in map(_BYLINE_DATED.match, lines[:10]) if m), None)
    if dated and published is None:
        explicit = [d for d in find_dates(dated.group(2)) if d.value and not d.rule.startswith("date:year")]
        published = explicit[0].value if explicit else None
    author = meta.author
    if author and ";" in author:  # the reader's byline split at its commas: "Chris Young; Local Democracy Reporter"
        author = next((part.strip() for part in author.split(";") if is_name(part.strip())), author)
    if author is None and dated and is_name(dated.group(1)):
        author = dated.group(1)
    if author is None:
        for i, ln in enumerate(lines[:10]):
            m = _BYLINE.match(ln)
            if m and is_name(m.group(1)) and (ln.lower().startswith("by ") or
                                              any(date_line(x) for x in lines[max(0, i - 2):i + 3])):
                author = m.group(1)
                break
    return replace(meta, title=title, published=published, author=author)


def _primary(hits: Counter[str], first: dict[str, int]) -> str | None:
    if not hits:
        return None
    return min(hits, key=lambda g: (-hits[g], first[g]))


def _sentence_council(inside: list[CouncilHit], primary: str | None, at: int | None = None) -> str | None:
    """The council a sentence speaks of (at ``at``, if given): from ``inside``, the council names found in
    that sentence, in order; the article's main council when it names none."""
    if not inside:
        return primary
    if at is None:
        return inside[0].gss
    before = bisect.bisect_right(inside, at, key=lambda h: h.start)  # the names are in text order
    return inside[before - 1 if before else 0].gss


#: How far after the thing it dates a date may start, and how far past that the search looks so that
#: a date starting in reach is read whole (the rest of a long sentence is not searched for each grade).
_DATE_AFTER_REACH = 70
_DATE_AFTER_WINDOW = _DATE_AFTER_REACH + 200


def _date_after(doc: Document, s: Sentence, pos: int, published: str | None, stop: int | None = None) -> str | None:
    """The date of the thing named at ``pos``: a date later in its clause, not one reached "since ..." nor
    one past ``stop`` (where the next thing of the kind is named: "from inadequate to good in 2019")."""
    for d in find_dates(doc.text, published, pos, min(s.end, pos + _DATE_AFTER_WINDOW)):
        if stop is not None and d.start >= stop:
            return None
        between = doc.text[pos:d.start]
        words = doc.text[d.start:d.end].lower()
        if _context("backward").search(between) or ";" in between or len(between) > _DATE_AFTER_REACH:
            return None
        if d.rule == "date:years-ago" and words.endswith(("after", "before")):
            return None  # "rated inadequate, three years after it was judged ...": the date of what follows
        if words.startswith("since"):
            return None  # "seven monitoring visits since 2019": when they began, not when they were
        if d.value is None:
            continue  # "in February" with no publication date to place it: "in February and March 2022"
        return d.value
    return None


#: How far before a grade "has been rated" may stand to make it the article's news: "rated good, four years
#: after ... following an inadequate rating" dates the good grade only.
_RECENT_REACH = 60

_WHEN = re.compile(r"\s*,\s*when\b[^,]*$")


def _date_before(doc: Document, s: Sentence, pos: int, published: str | None) -> str | None:
    """A date just before the thing named at ``pos`` ("the 2017 inspection", "in March for a visit")."""
    window = find_dates(doc.text, published, max(s.start, pos - 45), min(s.end, pos + 20))
    dates = [d for d in window if d.end <= pos]
    if not dates:
        return None
    between = doc.text[dates[-1].end:pos]
    if _context("backward").search(between) or ";" in between:
        return None
    if "," in between and not _WHEN.match(between):  # "in 2018, when it was judged ...": that date
        return None
    return dates[-1].value


def _sentences_with(cues: tuple[tuple[str, str, re.Pattern[str]], ...], low: str,
                    sentences: list[Sentence]) -> list[set[int]]:
    """For each cue, the sentences holding one of its trigger strings (see ``prefilter``).

    Only those sentences get the closer, per-sentence search: most sentences hold no grade or visit.
    """
    index = _trigger_index(cues)
    starts = [s.start for s in sentences]
    where: list[set[int]] = [set() for _ in cues]
    for start, owners in index.hits(low):
        n = bisect.bisect_right(starts, start) - 1
        if n < 0:
            continue  # before the first sentence (in the page's furniture): in none
        for c in owners:
            where[c].add(n)
    everywhere = set(range(len(sentences)))
    for c in index.always:
        where[c] = everywhere
    return where


def _candidates(where: list[set[int]]) -> list[int]:
    """The sentences, in order, that hold a trigger of one of the cues (``where``, from ``_sentences_with``):
    the only ones searched."""
    return sorted(set().union(*where))


@cache
def _trigger_index(cues: tuple[tuple[str, str, re.Pattern[str]], ...]) -> TriggerIndex:
    return TriggerIndex([c[2] for c in cues])


def _ratings(doc: Document, low: str, sentences: list[Sentence], hits: list[list[CouncilHit]], primary: str | None,
             published: str | None, inspections: list[Inspection]) -> list[Rating]:
    out = []
    cues = _grade_cues()
    where = _sentences_with(cues, low, sentences)
    for n in _candidates(where):
        s = sentences[n]
        found: list[tuple[re.Match[str], str, str]] = [
            (m, cue_id, grade) for (cue_id, grade, pattern), holds in zip(cues, where, strict=True)
            if n in holds for m in pattern.finditer(doc.text, s.start, s.end)]
        # A grade word inside a longer grade's name is part of that name, not a grade of its own: the
        # "good" of "requires improvement to be good".
        inner = inside_longer(m.span() for m, _, _ in found)
        starts = sorted(m.start() for m, _, _ in found)  # where each grade of the sentence is named
        grades_named = len({grade for m, _, grade in found if m.span() not in inner})
        for m, cue_id, grade in found:
            if m.span() in inner:
                continue
            before = doc.text[max(s.start, m.start() - 60):m.start()]
            after = doc.text[m.end():min(s.end, m.end() + 30)]
            word = m.group(0)
            # "Requires improvement to be good" is the grade's whole name: no other sense needs a verb before it,
            # unless the sentence lists the grades ("a four-point scale: outstanding, good, requires ...").
            strong = bool(_context("rating-verb").search(before) or _context("rating-noun").match(after)
                          or grade == "requires-improvement" and word.lower().endswith(" to be good")
                          and grades_named == 1)
            quoted = bool(_QUOTED.search(before)) and (grade != "good" or word[0].isupper())
            if grade in ("good", "outstanding") and not (strong or quoted and word[0].isupper()):
                continue
            if not strong and grade in ("inadequate", "requires-improvement"):
                strong = bool(_context("rating-verb-weak").search(before))
            if not (strong or quoted):
                continue
            if _context("area").search(before) or _context("hypothetical").search(before):
                continue
            council = _sentence_council(hits[n], primary, m.start())
            if council is None:
                continue
            following = bisect.bisect_left(starts, m.end())  # the next grade named: its dates are its own
            date = (_date_after(doc, s, m.end(), published, starts[following] if following < len(starts) else None)
                    or _date_before(doc, s, m.start(), published))
            rule = f"grade:{cue_id}"
            if date is None and not _context("from-grade").search(before):
                date = next((i.date for i in inspections if i.evidence.start == s.start and i.date), None)
                if date is None and published and _context("recent").search(
                        doc.text[max(s.start, m.start() - _RECENT_REACH):m.start()]):
                    # The article's news: the grade of the latest inspection it dates, else its own date.
                    latest = max((i.date for i in inspections if i.council == council and i.kind == "inspection"
                                  and i.date and i.date <= published), default=None)
                    date, rule = ((latest, f"grade:{cue_id}:dated-by-inspection") if latest else
                                  (published[:7], f"grade:{cue_id}:dated-by-publication"))
            for each in _joined_councils(doc.text, hits[n], m.start()) or [council]:
                out.append(Rating(each, grade, date, _evidence(doc, s, rule)))
    return out


_JOINER = re.compile(r"\s*(,|,?\s+and|&)\s*")


def _joined_councils(text: str, inside: list[CouncilHit], at: int) -> list[str]:
    """The councils of a list the grade at ``at`` follows ("Kingston and Richmond ... were rated good"), or
    an empty list when the council named last before it stands alone."""
    last = bisect.bisect_right(inside, at, key=lambda h: h.end) - 1  # the names are in text order
    first = last
    while first > 0 and _JOINER.fullmatch(text[inside[first - 1].end:inside[first].start]):
        first -= 1
    return [h.gss for h in inside[first:last + 1]] if last - first >= 1 else []


def _inspections(doc: Document, low: str, sentences: list[Sentence], hits: list[list[CouncilHit]], primary: str | None,
                 published: str | None) -> list[Inspection]:
    out: list[Inspection] = []
    cues = _kind_cues()
    where = _sentences_with(cues, low, sentences)
    reported: set[str] = set()  # the councils of ``out``
    for n in _candidates(where):
        s = sentences[n]
        taken = DisjointSpans()
        for (cue_id, kind, pattern), holds in zip(cues, where, strict=True):
            if n not in holds:
                continue
            for m in pattern.finditer(doc.text, s.start, s.end):
                if taken.overlaps(*m.span()):
                    continue
                taken.add(*m.span())
                around = doc.text[max(s.start, m.start() - 40):min(s.end, m.end() + 40)]
                if _future().search(around):
                    continue
                council = _sentence_council(hits[n], primary, m.start())
                if council is None:
                    continue
                date = _date_after(doc, s, m.end(), published) or _date_before(doc, s, m.start(), published)
                definite = _context("definite").search(doc.text[max(s.start, m.start() - 30):m.start()])
                if date is None and definite and council in reported:
                    continue  # "the inspection also found": the one already reported
                out.append(Inspection(council, kind, date, _evidence(doc, s, f"inspection:{cue_id}")))
                reported.add(council)
    return out


def _consolidate(items: list, key) -> list:
    """Drop items whose date is a less precise copy of another item's with the same key (an undated one,
    when another is dated)."""
    dates: dict[object, set[str]] = {}
    for it in items:
        if it.date:
            dates.setdefault(key(it), set()).add(it.date)
    out = []
    for it in items:
        known = dates.get(key(it), ())
        dominated = bool(known) if it.date is None else any(d != it.date and d.startswith(it.date) for d in known)
        if not dominated:
            out.append(it)
    return out


_NAMED_VISITS = ("monitoring-visit", "focused-visit")


def _visits_named(inspections: list[Inspection]) -> list[Inspection]:
    """A visit of a council whose kind the sentence leaves unsaid ("during a visit on 12 February") is the
    council's one kind of visit the article names ("a focused visit"), when it names only one."""
    kinds: dict[str, set[str]] = {}
    for i in inspections:
        if i.kind in _NAMED_VISITS:
            kinds.setdefault(i.council, set()).add(i.kind)
    out = []
    for i in inspections:
        named = kinds.get(i.council, ())
        if i.kind == "visit" and len(named) == 1:
            (kind,) = named
            i = replace(i, kind=kind, evidence=replace(i.evidence, rule=f"{i.evidence.rule}:named-{kind}"))
        out.append(i)
    return out


def extract_article(doc: Document) -> Extraction:
    sentences = split_sentences(doc)
    meta = article_metadata(doc, sentences)
    published = meta.published
    # Council names sentence by sentence: each lies inside its sentence, and sentences do not overlap.
    by_sentence = [find_councils(doc.text, s.start, s.end) for s in sentences]
    hits = [h for inside in by_sentence for h in inside]
    counts = Counter(h.gss for h in hits)
    first: dict[str, int] = {}
    for h in hits:
        first.setdefault(h.gss, h.start)
    primary = _primary(counts, first)

    councils = []
    for gss in sorted(counts, key=lambda g: first[g]):
        h = next(x for x in hits if x.gss == gss)
        s = next(x for x in sentences if x.start <= h.start < x.end)
        councils.append(CouncilMention(gss, _evidence(doc, s, h.rule)))

    people: dict[str, PersonRole] = {}
    if meta.author:
        line = doc.text.find(meta.author)
        if line >= 0 and not doc.is_furniture(line, line + len(meta.author)):
            ev = Evidence(doc.id, line, line + len(meta.author), meta.author, "person:byline",
                          doc.page_of(line))
            people[meta.author] = PersonRole(meta.author, "journalist", None, ev, "author")
    for s, inside in zip(sentences, by_sentence, strict=True):
        council = _sentence_council(inside, primary)
        for p in find_people(doc.text, s.start, s.end, council):
            known = people.get(p.name)
            if known is not None and (known.role != "other" or p.role == "other"):
                continue
            people[p.name] = PersonRole(p.name, p.role, p.organisation, _evidence(doc, s, p.rule), p.title)

    low = ascii_lower(doc.text)  # offsets hold for doc.text; the cue triggers are found in it
    inspections = _inspections(doc, low, sentences, by_sentence, primary, published)
    ratings = _ratings(doc, low, sentences, by_sentence, primary, published, inspections)
    ratings = _consolidate(ratings, lambda r: (r.council, r.grade))
    inspected = {i.council for i in inspections if i.kind == "inspection"}
    for r in ratings:  # a grade was given by an inspection: the article reports that inspection too
        if r.evidence.rule.endswith(":dated-by-publication") and r.council in inspected:
            continue  # the council's inspection already reported gave it
        implied = replace(r.evidence, rule="inspection:implied-by-grade")
        inspections.append(Inspection(r.council, "inspection", r.date, implied))
        inspected.add(r.council)
    inspections = _consolidate(_visits_named(inspections), lambda i: (i.council, i.kind))

    findings = []
    if primary is not None:
        per_sentence = text_findings(doc.text, [(s.start, s.end) for s in sentences], low)
        for s, found, inside in zip(sentences, per_sentence, by_sentence, strict=True):
            if found and not inside and _context("sector").search(s.text):
                continue  # "councils across England face rising caseloads" is not about this council
            for topic, polarity, rule in found:
                council = _sentence_council(inside, primary)
                findings.append(Finding(council, topic, polarity, _evidence(doc, s, f"finding:{rule}")))

    return Extraction(
        document=doc.id,
        councils=tuple(councils),
        people=tuple(sorted(people.values())),
        ratings=tuple(sorted(set(ratings))),
        inspections=tuple(sorted(set(inspections))),
        findings=tuple(sorted(set(findings))),
        metadata=meta,
    )
