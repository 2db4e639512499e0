"""Find councils in text by any of their names, and resolve "the council" to the one meant.

Names come from the gazetteer (ONS name and ``also_known_as``), completed by the spellings articles use
(``council_names.tsv``: "Bristol", "Hull City Council"...) and by mechanical variants ("and"/"&",
"St."/"St", "City of X"). Matching is one Aho-Corasick pass over the lower-cased text; a hit must stand
on word boundaries and be written with a capital. Names that are also common words or surnames
(``council_ambiguous.tsv``: "Reading", "Sutton"...) count only beside a council word ("Reading Borough
Council", "Sutton's children's services") or after a preposition of place ("in Bury").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from graphkit.extract.gazetteer import load_gazetteer
from graphkit.lexicon import read_tsv

__all__ = ["CouncilHit", "find_councils", "council_forms"]

_AFTER_COUNCIL = re.compile(
    r"^(['’]s\b|\s+(city|borough|county|metropolitan|district)?\s*(borough\s+)?council\b|\s+children['’]s\b|"
    r"\s+local authority\b|"
    r"\s+(was|were|is|has been|had been)\s+(previously\s+|last\s+|first\s+|also\s+|then\s+)?(rated|judged|graded)\b)",
    re.IGNORECASE)
_BEFORE_PLACE = re.compile(r"\b(in|at|of|for|from|across|visited|inspected|and|neighbouring|nearby)\s+(the\s+)?$",
                           re.IGNORECASE)
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][a-z]+\s+$")


@dataclass(frozen=True)
class CouncilHit:
    start: int
    end: int
    gss: str
    rule: str


def _variants(name: str) -> set[str]:
    forms = {name}
    m = re.match(r"^(.*), (City|County) of$", name)
    if m:
        forms |= {m.group(1), f"{m.group(2)} of {m.group(1)}"}
    for f in list(forms):
        forms.add(f.replace(" and ", " & "))
        forms.add(f.replace("St. ", "St "))
        forms.add(f"City of {f}")
    return {f for f in forms if len(f) >= 3}


@cache
def council_forms() -> dict[str, tuple[str, str]]:
    """Every lower-cased form a council goes by -> (GSS code, rule id)."""
    gaz = load_gazetteer()
    forms: dict[str, tuple[str, str]] = {}
    for r in gaz:
        for name in (r.name, *r.also_known_as):
            for f in _variants(name):
                forms.setdefault(f.lower(), (r.gss, "council-name"))
    for row in read_tsv("council_names.tsv"):
        if row["gss"] not in gaz.by_gss:
            raise ValueError(f"council_names.tsv: {row['id']!r} names unknown GSS code {row['gss']!r}")
        for f in _variants(row["form"]):
            forms.setdefault(f.lower(), (row["gss"], f"council-form:{row['id']}"))
    return forms


@cache
def _ambiguous() -> frozenset[str]:
    return frozenset(r["form"].lower() for r in read_tsv("council_ambiguous.tsv"))


@cache
def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for form, (gss, rule) in council_forms().items():
        auto.add_word(form, (len(form), gss, rule, form))
    auto.make_automaton()
    return auto


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return False
    if after in "-" and end + 1 < len(text) and text[end + 1].isalpha():
        return False  # "Newcastle-under-Lyme", "Stoke-on-Trent" read as a whole elsewhere
    return before not in "-@/." or before == "."


def find_councils(text: str, start: int = 0, end: int | None = None) -> list[CouncilHit]:
    """Council names in ``text[start:end]``, longest match first, no overlaps, in text order."""
    end = len(text) if end is None else end
    lowered = text[start:end].lower()
    raw: list[CouncilHit] = []
    for last, (length, gss, rule, form) in _automaton().iter(lowered):
        a = start + last - length + 1
        b = start + last + 1
        if not text[a].isupper() or not _boundary(text, a, b):
            continue
        if form in _ambiguous():
            after, before = text[b:b + 40], text[max(0, a - 30):a]
            if not (_AFTER_COUNCIL.match(after) or _BEFORE_PLACE.search(before)) or \
                    _CAPITALISED_BEFORE.search(before):
                continue
        raw.append(CouncilHit(a, b, gss, rule))
    raw.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[CouncilHit] = []
    for h in raw:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out
