"""Plain facts found in a document, each with the evidence that supports it. No rdflib here.

Councils are referred to by GSS code everywhere in these objects; the ``Gazetteer`` gives names.
Organisations that are not councils are given by name (``Ofsted``, ``Department for Education``...).
Dates are strings of ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` precision, or None when the text does not
let one work them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphkit.documents.model import DocumentMetadata

__all__ = [
    "Evidence",
    "CouncilMention",
    "PersonRole",
    "Rating",
    "Inspection",
    "Finding",
    "Report",
    "Extraction",
    "GRADES",
    "ROLES",
    "INSPECTION_KINDS",
    "POLARITIES",
    "FRAMEWORKS",
    "JUDGEMENT_AREAS",
]

GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
ROLES = ("inspector", "councillor", "director", "chief-executive", "commissioner", "minister", "journalist",
         "other")
INSPECTION_KINDS = ("inspection", "monitoring-visit", "focused-visit", "visit", "jtai")
POLARITIES = ("concern", "strength")
FRAMEWORKS = ("sif", "ilacs-standard", "ilacs-short", "focused-visit", "monitoring-visit", "jtai", "other")
JUDGEMENT_AREAS = ("overall", "leaders", "help-and-protection", "in-care", "care-leavers", "adoption")


@dataclass(frozen=True, order=True)
class Evidence:
    """Where a fact comes from: the sentence, its offsets in the document text, and the rule that fired.

    ``text[start:end] == quote`` always holds for the document's text.
    """

    document: str
    start: int
    end: int
    quote: str
    rule: str
    page: int | None = None


@dataclass(frozen=True, order=True)
class CouncilMention:
    """A council the document states facts about."""

    council: str  # GSS code
    evidence: Evidence


@dataclass(frozen=True, order=True)
class PersonRole:
    """A named person in a role relevant to the story, and the organisation they act for."""

    name: str
    role: str  # one of ROLES
    organisation: str | None  # GSS code of a council, or another body's name
    evidence: Evidence
    title: str | None = None  # the role as the text words it, e.g. "cabinet member for children"


@dataclass(frozen=True, order=True)
class Rating:
    """An Ofsted grade reported for a council (overall unless ``area`` says otherwise)."""

    council: str
    grade: str  # one of GRADES
    date: str | None
    evidence: Evidence
    area: str = "overall"


@dataclass(frozen=True, order=True)
class Inspection:
    """An Ofsted inspection or visit of a council."""

    council: str
    kind: str  # one of INSPECTION_KINDS
    date: str | None
    evidence: Evidence
    end_date: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """An issue topic found for a council, as a concern or a strength."""

    council: str
    topic: str  # an id of ontology/lexicon/issues.tsv
    polarity: str  # one of POLARITIES
    evidence: Evidence


@dataclass(frozen=True)
class Report:
    """What an Ofsted report states about its own inspection (the ``report`` object of the facts view)."""

    council: str
    framework: str  # one of FRAMEWORKS
    lead_inspector: str | None
    inspection_start: str | None
    inspection_end: str | None
    judgements: tuple[tuple[str, str | None], ...]  # (area, grade or None), areas of JUDGEMENT_AREAS
    inspectors: tuple[str, ...] = ()
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: str
    councils: tuple[CouncilMention, ...] = ()
    people: tuple[PersonRole, ...] = ()
    ratings: tuple[Rating, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    findings: tuple[Finding, ...] = ()
    report: Report | None = None
    #: The document's own metadata: what the reader found, completed from the text (byline, dateline).
    metadata: DocumentMetadata | None = None
    warnings: tuple[str, ...] = field(default=())
