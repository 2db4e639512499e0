"""Read what an Ofsted children's services report states about its own inspection.

From the text of a report (``Document`` of kind ``report``, see ``graphkit.documents.pdf``) this reads
the council, the framework, the inspection dates, the inspectors, the judgement table and the findings,
and returns them as an ``Extraction`` whose ``report`` is the facts view's ``report`` object.

Every cue (titles, judgement names and their variants, section headings, date and name grammars) is a
pattern of ``ontology/lexicon/report_patterns.json`` with an id that becomes the ``Evidence.rule`` of
what it found; nothing is keyed to a file name or a council. The layouts it knows:

- the single inspection framework (SIF, 2013-2017): a judgement list on page one with its own area
  names ("Children looked after and achieving permanence", "Adoption performance"...), an overall
  sentence ("Children's services in X are inadequate"), the team at the end;
- the looked after children inspections before it (framework ``other``);
- ILACS reports (2018 on): a judgement table, then a summary, then "What needs to improve". Whether an
  inspection was short or standard is rarely stated; it is read from its length (one week or two);
- the reports of April 2026 on, which keep the table but drop the overall grade (``overall`` is null);
- focused and monitoring visit letters and joint targeted area inspections, which give no grades.

Findings are the "what needs to improve" points (always concerns) and the sentences of the summary
sections, each classified by ``graphkit.extract.findings.sentence_findings``.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from datetime import date

from graphkit.documents.model import Document
from graphkit.errors import ExtractError
from graphkit.extract import findings as findings_module
from graphkit.extract.gazetteer import Gazetteer, load_gazetteer
from graphkit.extract.model import (
    JUDGEMENT_AREAS,
    CouncilMention,
    Evidence,
    Extraction,
    Finding,
    Inspection,
    PersonRole,
    Rating,
    Report,
)
from graphkit.extract.report_patterns import ReportPatterns, load_report_patterns
from graphkit.extract.sentences import split_text

__all__ = ["extract_report", "resolve_council", "inspection_kind", "OFSTED"]

OFSTED = "Ofsted"
#: The kind of inspection each framework's report is about.
_KINDS = {"sif": "inspection", "ilacs-standard": "inspection", "ilacs-short": "inspection",
          "other": "inspection", "focused-visit": "focused-visit", "monitoring-visit": "monitoring-visit",
          "jtai": "jtai"}
_PARAGRAPH = re.compile(r"[^\n]+")
_PERSON = re.compile(r"[A-Z][\w’'.-]*(?: [\w’'.-]+)+")
_ITEM = re.compile(r"^(?:•\s*|\d{1,3}\.(?:\d{1,2}\.?)?\s*(?=[A-Z‘'\"(]))")


def inspection_kind(framework: str) -> str:
    """The ``Inspection.kind`` of a report's framework (a full inspection, or the kind of visit)."""
    return _KINDS.get(framework, "inspection")


@dataclass
class _Found:
    """A value read from the text with the evidence for it."""

    value: str
    evidence: Evidence


@dataclass
class _Section:
    rule: str
    role: str  # "improve" or "summary"
    paragraphs: list[tuple[int, int]] = field(default_factory=list)


class _Reader:
    """Reads one document; holds the text, the patterns and the gazetteer while it does."""

    def __init__(self, doc: Document, pats: ReportPatterns, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.pats = pats
        self.gaz = gazetteer
        self.warnings: list[str] = []

    # -- evidence ---------------------------------------------------------------------------------
    def evidence(self, start: int, end: int, rule: str) -> Evidence:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Evidence(self.doc.id, start, end, self.text[start:end], rule, self.doc.page_of(start))

    # -- framework, council, dates, people --------------------------------------------------------
    def framework(self) -> tuple[str, Evidence | None]:
        """The framework whose title cue comes first in the report (titles precede any mention)."""
        window = self.text[: self.pats.title_window]
        best: tuple[int, str, Evidence] | None = None
        for rule in self.pats.frameworks:
            m = rule.regex.search(window)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), rule.value or "other", self.evidence(m.start(), m.end(), rule.id))
        if best is None:
            self.warnings.append("no framework title found; framework 'other'")
            return "other", None
        return best[1], best[2]

    def ilacs_kind(self, start: str | None, end: str | None) -> tuple[str, str]:
        """``ilacs-short`` or ``ilacs-standard``: as stated, else by the days on site; and the rule."""
        head = self.text[: self.pats.head_window]
        for rule in self.pats.ilacs_stated:
            if rule.regex.search(head):
                return rule.value or "ilacs-standard", rule.id
        if start and end and len(start) == len(end) == 10:
            days = (date.fromisoformat(end) - date.fromisoformat(start)).days
            if days <= self.pats.short_max_days:
                return "ilacs-short", "framework.ilacs-short.duration"
            return "ilacs-standard", "framework.ilacs-standard.duration"
        self.warnings.append("inspection dates not found; ILACS inspection taken as standard")
        return "ilacs-standard", "framework.ilacs-standard.default"

    def council(self) -> _Found | None:
        window = self.text[: self.pats.title_window]
        for rule in self.pats.council_titles:
            for m in rule.regex.finditer(window):
                gss = resolve_council(m["council"], self.gaz, self.pats)
                if gss:
                    return _Found(gss, self.evidence(m.start("council"), m.end("council"), rule.id))
        self.warnings.append("the council could not be read from the report's title")
        return None

    def _month(self, name: str | None) -> int | None:
        return self.pats.months.get(name.lower()[:3]) if name else None

    def dates(self) -> tuple[str | None, str | None, Evidence | None]:
        """Start and end of the inspection (``YYYY-MM-DD``), from the first date cue that parses."""
        for rule in self.pats.dates:
            for m in rule.regex.finditer(self.text[: self.pats.head_window]):
                parsed = self._range(m)
                if parsed:
                    return parsed[0], parsed[1], self.evidence(m.start(), m.end(), rule.id)
        self.warnings.append("no inspection dates found")
        return None, None, None

    def _range(self, m: re.Match[str]) -> tuple[str, str] | None:
        try:
            if m["d0"]:
                month = self._month(m["m0"])
                if not month:
                    return None
                day = date(int(m["y0"]), month, int(m["d0"])).isoformat()
                return day, day
            m2 = self._month(m["m2"])
            m1 = self._month(m["m1"]) or m2
            if not (m1 and m2):
                return None
            y2 = int(m["y2"])
            y1 = int(m["y1"]) if m["y1"] else (y2 - 1 if m1 > m2 else y2)
            start, end = date(y1, m1, int(m["d1"])), date(y2, m2, int(m["d2"]))
        except (ValueError, TypeError):
            return None
        return (start.isoformat(), end.isoformat()) if start <= end else None

    def _clean_name(self, raw: str) -> str | None:
        words = raw.replace("\u00a0", " ").split()
        while words and words[-1].strip(".,") in self.pats.name_trailers:
            words.pop()
        name = " ".join(words).strip(" .,;")
        if len(name.split()) < 2 or name.lower() in self.pats.not_names:
            return None
        return name

    def lead_inspector(self) -> _Found | None:
        for rule in self.pats.lead_inspector:
            for m in rule.regex.finditer(self.text):
                name = self._clean_name(m["name"])
                if name:
                    return _Found(name, self.evidence(m.start("name"), m.start("name") + len(name), rule.id))
        self.warnings.append("no lead inspector named")
        return None

    def inspectors(self, lead: str | None) -> list[tuple[str, str, Evidence]]:
        """Other named inspectors: (name, title as the report words it, evidence)."""
        out: list[tuple[str, str, Evidence]] = []
        seen = {lead.lower()} if lead else set()
        for rule in self.pats.inspectors:
            for m in rule.regex.finditer(self.text):
                # "Penny Fisher (HMIs) and Sara Goodinge": blank out asides, keeping offsets.
                names = re.sub(r"\([^)]*\)", lambda x: " " * len(x.group()), m["names"])
                for part in re.finditer(r"[^,;]+?(?=\s+and\s+|\s*[,;]|\s*$)", names):
                    raw = re.sub(r"^\s*and\s+", "", part.group())
                    name = self._clean_name(raw)
                    if not name or name.lower() in seen or not _PERSON.fullmatch(name):
                        continue
                    seen.add(name.lower())
                    offset = m.start("names") + part.start() + part.group().find(name)
                    out.append((name, rule.value or "Inspector", self.evidence(offset, offset + len(name), rule.id)))
        return out

    # -- judgements -------------------------------------------------------------------------------
    def table_region(self) -> tuple[int, int]:
        """Where the judgement table can be: the first two pages, up to the first section heading."""
        pages = self.doc.pages
        end = pages[2] if len(pages) > 2 else len(self.text)
        m = self.pats.table_end.search(self.text, 0, end)
        return 0, (m.start() if m else end)

    def grade(self, phrase: str) -> str | None:
        folded = " ".join(phrase.split())
        for regex, grade in self.pats.grades:
            if regex.match(folded):
                return grade
        return None

    def judgements(self, framework: str) -> tuple[dict[str, _Found], int]:
        """Grade and evidence per area from the judgement table; and where the table ends."""
        start, end = self.table_region()
        found: dict[str, _Found] = {}
        table_end = 0
        for rule in self.pats.judgements:
            if rule.frameworks and framework not in rule.frameworks or rule.value in found:
                continue
            m = rule.regex.search(self.text, start, end) if rule.scope == "table" else rule.regex.search(self.text)
            if not m:
                continue
            grade = self.grade(m["grade"])
            if grade:
                found[rule.value or "overall"] = _Found(grade, self.evidence(m.start(), m.end(), rule.id))
                table_end = max(table_end, m.end())
        if framework.startswith("ilacs"):
            # Body headings ("...who need help and protection: good") fill an area the table lacked.
            for rule in self.pats.judgement_headings:
                if rule.value in found:
                    continue
                m = rule.regex.search(self.text, end)
                if m and (grade := self.grade(m["grade"])):
                    found[rule.value or "overall"] = _Found(grade, self.evidence(m.start(), m.end(), rule.id))
        return found, table_end

    # -- sections and findings --------------------------------------------------------------------
    def sections(self, table_end: int) -> list[_Section]:
        """The improvement and summary sections, each heading taken at its first occurrence only.

        Later occurrences of the same headings belong to other parts of a report: SIF reports end with
        the review of the local safeguarding children board, laid out with the same headings, and reading
        stops at its heading (``sections_stop``).
        """
        used: set[str] = set()
        sections: list[_Section] = []
        current: _Section | None = None
        for m in _PARAGRAPH.finditer(self.text, table_end):
            para = m.group().strip()
            if self.pats.sections_stop.fullmatch(para):
                break
            heading = next((r for r in self.pats.sections if r.regex.fullmatch(para)), None)
            if heading is not None:
                if current is not None and current.role == heading.value == "improve":
                    used.add(heading.id)  # "Areas for improvement" under "What does the LA need to improve?"
                    continue
                current = None
                if heading.id not in used:
                    used.add(heading.id)
                    current = _Section(heading.id, heading.value or "summary")
                    sections.append(current)
                continue
            if self.pats.section_ends.fullmatch(para):
                current = None
                continue
            if current is not None and not self.pats.skip_paragraphs.fullmatch(para):
                current.paragraphs.append((m.start(), m.end()))
        if table_end and not any(s.role == "summary" for s in sections):
            sections.insert(0, self._opening_summary(table_end))
        return sections

    def _opening_summary(self, table_end: int) -> _Section:
        section = _Section(self.pats.opening_summary, "summary")
        for m in _PARAGRAPH.finditer(self.text, table_end):
            para = m.group().strip()
            if any(r.regex.fullmatch(para) for r in self.pats.sections) or self.pats.section_ends.fullmatch(para):
                break
            if not self.pats.skip_paragraphs.fullmatch(para):
                section.paragraphs.append((m.start(), m.end()))
        return section

    def improvement_points(self, section: _Section) -> list[tuple[int, int]]:
        """The spans of the points of an improvement section (bulleted, numbered or plain paragraphs)."""
        points = []
        for start, end in section.paragraphs:
            para = self.text[start:end].strip()
            item = _ITEM.match(para)
            if not item and len(para) <= self.pats.max_subheading_chars and not para.endswith("."):
                continue  # a subheading ("Priority and immediate action", "Social work practice")
            if self.pats.item_skip.fullmatch(para):
                continue
            offset = start + (len(self.text[start:end]) - len(self.text[start:end].lstrip()))
            points.append((offset + (item.end() if item else 0), end))
        return points

    def findings(self, council: str, sections: list[_Section]) -> list[Finding]:
        out: set[Finding] = set()
        classify = findings_module.sentence_findings
        for section in sections:
            spans = self.improvement_points(section) if section.role == "improve" else section.paragraphs
            for start, end in spans:
                for sentence in split_text(self.text, start, end):
                    for topic, polarity, rule in classify(sentence.text):
                        if section.role == "improve":
                            polarity = "concern"
                        ev = self.evidence(sentence.start, sentence.end, f"{section.rule}+{rule}")
                        out.add(Finding(council, topic, polarity, ev))
        return sorted(out)


def resolve_council(name: str, gazetteer: Gazetteer, patterns: ReportPatterns | None = None) -> str | None:
    """The GSS code of a council named as a report names it, or None.

    Tries the name as written, then with the administrative prefixes and suffixes of
    ``council_affixes`` taken off ("Dudley Metropolitan Borough Council" -> "Dudley", "London Borough of
    Barnet" -> "Barnet", "City of Wolverhampton Council" -> "Wolverhampton"), then a unique gazetteer
    name that begins with what is left ("Bedford" -> "Bedford Borough").
    """
    pats = patterns or load_report_patterns()
    index = _name_index(gazetteer)
    prefixes = [_fold(p) + " " for p in pats.prefixes]
    suffixes = [" " + _fold(s) for s in pats.suffixes]
    todo, seen = [_fold(name)], set()
    while todo:
        key = todo.pop(0)
        if not key or key in seen:
            continue
        seen.add(key)
        if key in index:
            return index[key]
        todo.extend(key[len(p):] for p in prefixes if key.startswith(p))
        todo.extend(key[: -len(s)] for s in suffixes if key.endswith(s))
    for key in sorted(seen, key=len):
        matches = {gss for known, gss in index.items() if known.startswith(key + " ")}
        if len(matches) == 1:
            return matches.pop()
    return None


def _fold(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[.,]", " ", text)
    return " ".join(text.split())


_INDEXES: weakref.WeakKeyDictionary[Gazetteer, dict[str, str]] = weakref.WeakKeyDictionary()


def _name_index(gazetteer: Gazetteer) -> dict[str, str]:
    """Folded names and aliases -> GSS code; "Bristol, City of" is also known as "City of Bristol"."""
    key = gazetteer
    if key not in _INDEXES:
        index: dict[str, str] = {}
        for record in gazetteer:
            for name in (record.name, *record.also_known_as):
                index.setdefault(_fold(name), record.gss)
                base, sep, rest = name.partition(",")
                if sep:
                    index.setdefault(_fold(f"{rest} {base}"), record.gss)
                    index.setdefault(_fold(base), record.gss)
        _INDEXES[key] = index
    return _INDEXES[key]


def extract_report(doc: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Everything an Ofsted report states about its own inspection, with evidence.

    Raises ``ExtractError`` for a document that is not a report. A report whose council cannot be
    read gives an ``Extraction`` without a ``report`` and with a warning saying so.
    """
    if doc.kind != "report":
        raise ExtractError(f"{doc.id}: extract_report reads Ofsted reports; this document is a {doc.kind!r}")
    pats = load_report_patterns()
    reader = _Reader(doc, pats, gazetteer or load_gazetteer())
    framework, framework_ev = reader.framework()
    council = reader.council()
    start, end, dates_ev = reader.dates()
    if framework == "ilacs":
        framework, _ = reader.ilacs_kind(start, end)
    lead = reader.lead_inspector()
    others = reader.inspectors(lead.value if lead else None)
    grades, table_end = reader.judgements(framework)
    if council is None:
        return Extraction(document=doc.id, warnings=tuple(reader.warnings))
    gss = council.value
    when = (doc.metadata.published or end or start or "")[:7] or None
    anchor = dates_ev or framework_ev or council.evidence
    report = Report(
        council=gss,
        framework=framework,
        lead_inspector=lead.value if lead else None,
        inspection_start=start,
        inspection_end=end,
        judgements=tuple((area, grades[area].value if area in grades else None) for area in JUDGEMENT_AREAS),
        inspectors=tuple(name for name, _, _ in others),
        evidence=council.evidence,
    )
    people = [PersonRole(n, "inspector", OFSTED, ev, t) for n, t, ev in others]
    if lead:
        people.insert(0, PersonRole(lead.value, "inspector", OFSTED, lead.evidence, "Lead inspector"))
    ratings = [Rating(gss, found.value, when, found.evidence, area) for area, found in grades.items()]
    return Extraction(
        document=doc.id,
        councils=(CouncilMention(gss, council.evidence),),
        people=tuple(people),
        ratings=tuple(sorted(ratings, key=lambda r: JUDGEMENT_AREAS.index(r.area))),
        inspections=(Inspection(gss, inspection_kind(framework), start, anchor, end),),
        findings=tuple(reader.findings(gss, reader.sections(table_end))),
        report=report,
        warnings=tuple(reader.warnings),
    )
