"""People in a role: inspectors, councillors, directors, chief executives, commissioners, ministers.

A person is a run of two or three capitalised words that are not organisation, role or place words
(``name_stopwords.tsv``) nor a council's name, found in one of these frames:

- a role just before the name: "Inspector Nick Bennison", "lead member for children's services Angus Lees";
- the name, then a role in apposition: "Sarah Norman, chief executive of Dudley Council,";
- an appointment: "Eleanor Brazil would be brought in as a children's services commissioner";
- speech with no role given: "Nicky Morgan announced" (role ``other``).

The organisation is the council named in the role phrase, else the role's default (``roles.tsv``):
Ofsted for inspectors, the Department for Education for commissioners and ministers, and the council
the article is about for council posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graphkit.extract.councils import council_forms, find_councils
from graphkit.lexicon import compile_cue, read_tsv

__all__ = ["PersonHit", "find_people", "is_name", "NAME", "NAME_WORD"]

#: One word of a person's name: "Jones", "O'Connor", "McAllister", "MacDonald", "D'Souza", "Smith-Jones".
NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿ]+(?:['’-][A-Z]?[a-zà-ÿ]+)?"
NAME = re.compile(rf"\b({NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?{NAME_WORD}){{1,2}})\b")
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"\S+\s*")  # a word and the space after it
_FORMER = re.compile(r"^(a |the |an )?(former|ex-|one-time|previous)\b", re.IGNORECASE)
_APPOINT = re.compile(r"^\s*(?:,\s*)?(?:would be|will be|has been|had been|was|is|were)?\s*(?:brought in|appointed|"
                      r"named|installed|sent in|drafted in)\s+(?:as\s+)?(?:the\s+|a\s+|an\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class PersonHit:
    name: str
    role: str
    organisation: str | None  # a GSS code, another body's name, or None
    title: str | None
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class _Role:
    id: str
    role: str
    default_org: str
    pattern: re.Pattern[str]


@cache
def _roles() -> tuple[_Role, ...]:
    return tuple(_Role(r["id"], r["role"], r["default_org"], compile_cue(r["pattern"], "roles.tsv", r["id"]))
                 for r in read_tsv("roles.tsv"))


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(r["word"].lower() for r in read_tsv("name_stopwords.tsv"))


@cache
def _surnames() -> frozenset[str]:
    """Stopwords that are also surnames ("Young", "Hall"): one may end a name ("Chris Young"), so long as
    the words before it are not stopwords too ("Young People", "Town Hall")."""
    return frozenset(r["word"].lower() for r in read_tsv("name_stopwords.tsv") if r["also_surname"] == "yes")


@cache
def _speech() -> re.Pattern[str]:
    return compile_cue("|".join(r["pattern"] for r in read_tsv("speech_verbs.tsv")), "speech_verbs.tsv")


def is_name(text: str) -> bool:
    """Whether ``text`` can be a person's name (not a council, organisation, role or place)."""
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    forms = council_forms()
    stop = _stopwords()
    if text.lower() in forms:
        return False
    def excluded(w: str) -> bool:
        return w.lower().strip("'’s") in stop or w.lower() in forms or w.lower() in stop

    last = words[-1]
    if excluded(last) and not (last.lower() in _surnames() and last.lower() not in forms):
        return False
    return not any(excluded(w) for w in words[:-1])


def _role_in(phrase: str) -> tuple[_Role, re.Match[str]] | None:
    best = None
    for r in _roles():
        m = r.pattern.search(phrase)
        if m and (best is None or m.start() < best[1].start()):
            best = (r, m)
    return best


def _organisation(role: _Role, phrase: str, primary: str | None) -> str | None:
    hits = find_councils(phrase)
    if hits and role.role in ("councillor", "director", "chief-executive", "other"):
        return hits[0].gss
    if role.default_org == "council":
        return primary
    return role.default_org or None


def find_people(text: str, start: int, end: int, primary: str | None) -> list[PersonHit]:
    """People named in one sentence ``text[start:end]`` with their role and organisation."""
    sentence = text[start:end]
    out: list[PersonHit] = []
    pos = 0
    while (m := NAME.search(sentence, pos)) is not None:
        # A title or an owner the regex took in is not the name ("Councillor Wayne Little", "Ofsted's Jenny
        # Turner", "Education Secretary Gillian Keegan"): look again from the first word after them, so
        # that the name can take in the words after the match too.
        lead = _not_name_words(m.group(1))
        if lead:
            pos = m.start(1) + lead
            continue
        pos = m.end(1)
        name = m.group(1)
        # A possessive on the last word is not part of the name ("Jenny Jones's report").
        cut = _POSSESSIVE.search(name)
        if cut:
            name = name[:cut.start()]
        a = start + m.start(1)
        b = a + len(name)
        name = " ".join(name.split())  # "Ann\nLee" is "Ann Lee"; a and b are the match's own span
        if name.count(" ") < 1 or not is_name(name):
            continue
        before = sentence[max(0, a - start - 80):a - start]
        after = sentence[b - start:b - start + 120]
        hit = _frame(name, before, after, primary)
        if hit is None:
            continue
        role, org, title, rule = hit
        out.append(PersonHit(name, role, org, title, a, b, rule))
    return out


def _not_name_words(name: str) -> int:
    """How many characters of ``name`` its leading title words or owner take ("Councillor ", "Ofsted's ")."""
    taken = 0
    for word in _WORD.finditer(name):
        w = word.group().strip()
        if not (w.lower().rstrip(".") in _stopwords() or _POSSESSIVE.search(w)):
            break
        taken = word.end()
    return taken


def _appointment(after: str, primary: str | None) -> tuple[str, str | None, str, str] | None:
    """The post of an appointment right after a name: "would be brought in as a children's services
    commissioner"."""
    appoint = _APPOINT.match(after)
    if not appoint:
        return None
    rest = after[appoint.end():appoint.end() + 60]
    found = _role_in(rest)
    if not found or found[1].start() > 30:
        return None
    role, _ = found
    return role.role, _organisation(role, rest, primary), rest.split(",")[0].strip(), f"person:{role.id}:appointed"


def _frame(name: str, before: str, after: str, primary: str | None):
    # Apposition: "Name, chief executive of Dudley Council," / "Name (director of children's services)".
    app = re.match(r"^\s*[,(]\s*([^,;()“”\"]{3,110})", after)
    if app and _FORMER.match(app.group(1)):
        # "Name, a former director of children's services, will be appointed as commissioner": the post now.
        appointed = _appointment(after[app.end():], primary)
        if appointed is not None:
            return appointed
    if app:
        found = _role_in(app.group(1))
        if found and found[1].start() <= 40:
            role, _ = found
            org = _organisation(role, app.group(1), primary)
            return role.role, org, app.group(1).strip(), f"person:{role.id}:apposition"
    # Appointment: "Name would be brought in as a children's services commissioner".
    appointed = _appointment(after, primary)
    if appointed is not None:
        return appointed
    # Role just before: "Inspector Nick Bennison", "Dudley's lead member for children's services Angus Lees".
    tail = re.split(r"[.;:“”\"]|\bsaid\b|\band\b(?=\s+[A-Z])", before)[-1]
    found = _role_in(tail)
    if found:
        role, rm = found
        gap = tail[rm.end():]
        if len(gap) <= 60:
            return role.role, _organisation(role, tail, primary), tail.strip(" ,") or None, f"person:{role.id}:before"
    # Speech with no role: "Nicky Morgan announced".
    if _speech().match(after.lstrip(" ,")):
        return "other", None, None, "person:speaker"
    return None
