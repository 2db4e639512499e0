"""Load and compile the cue patterns for reading Ofsted reports (``ontology/lexicon/report_patterns.json``).

The patterns are data so that a new layout or judgement wording is a new entry, not new code, and so
that each entry's id can travel into the ``Evidence.rule`` of what it found. This module only checks
the file's shape once, expands the shorthands the file documents (a space matches any white space;
``{GRADE}``, ``{RANGE}`` and ``{NAME}`` stand for the shared grammars) and compiles the expressions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphkit.errors import ExtractError
from graphkit.extract.model import FRAMEWORKS, GRADES, JUDGEMENT_AREAS
from graphkit.resources import lexicon_file

__all__ = ["Rule", "ReportPatterns", "load_report_patterns", "compile_pattern"]

_FILE = "report_patterns.json"


@dataclass(frozen=True)
class Rule:
    """One compiled cue: its id (the evidence rule), the expression, and what a match means."""

    id: str
    regex: re.Pattern[str]
    value: str | None = None  # a grade, an area, a framework, a section role or a title, by table
    frameworks: tuple[str, ...] = ()  # the frameworks whose reports it applies to (empty: all)
    scope: str = "table"  # judgements: "table" (the first pages) or "document" (anywhere)


@dataclass(frozen=True)
class ReportPatterns:
    """Every compiled table of ``report_patterns.json``."""

    title_window: int
    head_window: int
    months: dict[str, int]
    name_trailers: frozenset[str]
    not_names: frozenset[str]
    grade: re.Pattern[str]
    grades: tuple[tuple[re.Pattern[str], str | None], ...]
    frameworks: tuple[Rule, ...]
    ilacs_stated: tuple[Rule, ...]
    short_max_days: int
    dates: tuple[Rule, ...]
    council_titles: tuple[Rule, ...]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    table_end: re.Pattern[str]
    judgements: tuple[Rule, ...]
    judgement_headings: tuple[Rule, ...]
    lead_inspector: tuple[Rule, ...]
    inspectors: tuple[Rule, ...]
    sections: tuple[Rule, ...]
    opening_summary: str
    section_ends: re.Pattern[str]
    sections_stop: re.Pattern[str]
    item_skip: re.Pattern[str]
    skip_paragraphs: re.Pattern[str]
    max_subheading_chars: int


def _spaces(pattern: str) -> str:
    """A literal space in a pattern matches any run of white space (text wraps anywhere in a PDF)."""
    return pattern.replace(" ", r"\s+")


def compile_pattern(pattern: str, grammars: dict[str, str], flags: int = 0) -> re.Pattern[str]:
    """Compile one cue pattern: spaces made flexible, then ``{GRADE}``-style grammars put in."""
    text = _spaces(pattern)
    for key, grammar in grammars.items():
        text = text.replace("{" + key + "}", grammar)
    return re.compile(text, flags)


def _require(data: dict, key: str, path: Path) -> object:
    if key not in data:
        raise ExtractError(f"{path}: the key {key!r} is missing; see the file's _comment for its shape")
    return data[key]


def _rules(entries: list[dict], grammars: dict[str, str], path: Path, value_key: str | None = None,
           field: str = "pattern", flags: int = re.I, allowed: tuple[str | None, ...] | None = None,
           seen: set[str] | None = None) -> tuple[Rule, ...]:
    rules = []
    for entry in entries:
        rule_id = entry.get("id")
        if not rule_id or field not in entry:
            raise ExtractError(f"{path}: every entry needs 'id' and {field!r}; got {entry!r}")
        if seen is not None:
            if rule_id in seen:
                raise ExtractError(f"{path}: the id {rule_id!r} is used twice")
            seen.add(rule_id)
        value = entry.get(value_key) if value_key else None
        if allowed is not None and value not in allowed:
            raise ExtractError(f"{path}: {rule_id}: {value_key} {value!r} is not one of {allowed}")
        try:
            regex = compile_pattern(entry[field], grammars, flags)
        except re.error as exc:
            raise ExtractError(f"{path}: {rule_id}: bad pattern: {exc}") from None
        frameworks = tuple(entry.get("frameworks", ()))
        if not set(frameworks) <= set(FRAMEWORKS):
            raise ExtractError(f"{path}: {rule_id}: frameworks {frameworks} are not all of {FRAMEWORKS}")
        scope = entry.get("scope", "table")
        if scope not in ("table", "document"):
            raise ExtractError(f"{path}: {rule_id}: scope {scope!r} is not 'table' or 'document'")
        rules.append(Rule(rule_id, regex, value, frameworks, scope))
    return tuple(rules)


def _alternation(patterns: list[str], flags: int) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(_spaces(p) for p in patterns) + ")", flags)


@cache
def load_report_patterns(path: Path | None = None) -> ReportPatterns:
    """The compiled patterns (read once per process); raises ``ExtractError`` naming a malformed entry."""
    path = path or lexicon_file(_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(f"{path}: cannot be read as JSON: {exc}") from None
    grade_entries = _require(data, "grades", path)
    for g in grade_entries:
        if g.get("grade") not in (*GRADES, None):
            raise ExtractError(f"{path}: grade {g.get('grade')!r} is not one of {GRADES} or null")
    grade_alt = "|".join(_spaces(g["pattern"]) for g in grade_entries)
    grammars = {
        # Not inside a word, but a footnote mark may follow ("Good1").
        "GRADE": rf"(?P<grade>(?<![A-Za-z])(?:{grade_alt})(?![A-Za-z]))",
        "RANGE": _spaces(_require(data, "date_range", path)),
        "NAME": _require(data, "name", path),
    }
    seen: set[str] = set()
    ilacs = _require(data, "ilacs", path)
    affixes = _require(data, "council_affixes", path)
    opening = _require(data, "opening_summary", path)
    return ReportPatterns(
        title_window=int(data.get("title_window", 4000)),
        head_window=int(data.get("head_window", 12000)),
        months={m.lower()[:3]: i + 1 for i, m in enumerate(_require(data, "months", path))},
        name_trailers=frozenset(data.get("name_trailers", ())),
        not_names=frozenset(n.lower() for n in data.get("not_names", ())),
        grade=re.compile(grammars["GRADE"], re.I),
        grades=tuple((re.compile(rf"^(?:{_spaces(g['pattern'])})$", re.I), g["grade"]) for g in grade_entries),
        frameworks=_rules(data["frameworks"], grammars, path, "framework",
                          allowed=(*FRAMEWORKS, "ilacs"), seen=seen),
        ilacs_stated=_rules(ilacs.get("stated", []), grammars, path, "framework", allowed=FRAMEWORKS, seen=seen),
        short_max_days=int(ilacs.get("short_max_days", 7)),
        dates=_rules(_require(data, "dates", path), grammars, path, seen=seen),
        council_titles=_rules(_require(data, "council_titles", path), grammars, path, flags=0, seen=seen),
        prefixes=tuple(affixes.get("prefixes", ())),
        suffixes=tuple(affixes.get("suffixes", ())),
        table_end=re.compile(r"\n(?:" + "|".join(_spaces(p) for p in data.get("table_end", [])) + r")\s*\??\n",
                             re.I),
        judgements=_rules(_require(data, "judgements", path), grammars, path, "area",
                          allowed=JUDGEMENT_AREAS, seen=seen),
        judgement_headings=_rules(data.get("judgement_headings", []), grammars, path, "area",
                                  flags=re.I | re.M, allowed=JUDGEMENT_AREAS, seen=seen),
        lead_inspector=_rules(_require(data, "lead_inspector", path), grammars, path, flags=0, seen=seen),
        inspectors=_rules(data.get("inspectors", []), grammars, path, "title", flags=0, seen=seen),
        sections=_rules(_require(data, "sections", path), grammars, path, "role", field="heading",
                        allowed=("improve", "summary"), seen=seen),
        opening_summary=str(opening["id"]),
        section_ends=_alternation(data.get("section_ends", []), re.I),
        sections_stop=_alternation(data.get("sections_stop", []) or ["(?!)"], re.I),
        item_skip=_alternation(data.get("item_skip", []), re.I),
        skip_paragraphs=_alternation(data.get("skip_paragraphs", []) or ["(?!)"], 0),
        max_subheading_chars=int(data.get("max_subheading_chars", 90)),
    )
