"""Dates in text: explicit ("31 August 2018", "April 2016", "2016") and relative ("last month", "last
year", "in October", "published today"), resolved against the publication date when it is known and left
open (None) when it is not. Results are strings of day, month or year precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from graphkit.extract.spans import DisjointSpans

__all__ = ["DateMention", "find_dates", "first_date", "MONTHS", "parse_date_line"]

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
_MON = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
        r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "a": 1}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\.?,?\s+(\d{{4}})\b")),
    ("mdy", re.compile(rf"\b{_MON}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("slash", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
    ("my", re.compile(rf"\b{_MON}\.?,?\s+(\d{{4}})\b")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b(?!\.?,?\s+\d)")),
    ("rel-month", re.compile(r"\b(last|this|next) month\b|\bearlier this month\b", re.I)),
    ("rel-year", re.compile(r"\b(last|this|next) year\b|\bearlier this year\b|\blater this year\b", re.I)),
    ("today", re.compile(r"\b(today|this week|yesterday|last week)\b", re.I)),
    ("years-ago", re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|a|\d{1,2}) years? "
                             r"(ago|after|earlier|before)\b", re.I)),
    ("month-only", re.compile(rf"\b(?:in|during|since|from|until|by|on|of|last|this)\s+{_MON}\b(?!\s+\d)")),
    ("year", re.compile(r"\b(?:in|since|during|from|of|until|by|for)\s+((?:19|20)\d{2})\b")),
    ("year", re.compile(r"\b(?:the|its|their|a|an)\s+((?:19|20)\d{2})\b(?=\s+[a-z])")),
]


#: Rules every match of which holds a digit (a day, a month's number or a year): over text without a
#: digit they cannot match and are not run. Dates are looked for in many short stretches of a sentence.
_NEEDS_DIGIT = frozenset({"iso", "dmy", "mdy", "slash", "my", "dm", "year"})
_DIGIT = re.compile(r"\d")  # the same digits as the patterns' \d


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str | None  # None when relative and the publication date is unknown
    rule: str


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(published: str, delta: int) -> str:
    y, m = int(published[:4]), int(published[5:7])
    m += delta
    while m < 1:
        m, y = m + 12, y - 1
    while m > 12:
        m, y = m - 12, y + 1
    return _ym(y, m)


def _resolve(rule: str, m: re.Match[str], published: str | None) -> str | None:
    g = m.groups()
    # A day that does not exist ("31 February 2023") raises ValueError: it is no date.
    if rule == "iso":
        return date(int(g[0]), int(g[1]), int(g[2])).isoformat()
    if rule == "dmy":
        return date(int(g[2]), _month(g[1]), int(g[0])).isoformat()
    if rule == "mdy":
        return date(int(g[2]), _month(g[0]), int(g[1])).isoformat()
    if rule == "slash":
        return date(int(g[2]), int(g[1]), int(g[0])).isoformat()
    if rule == "my":
        return _ym(int(g[1]), _month(g[0]))
    if rule == "year":
        return g[0]
    if published is None:
        return None
    text = m.group(0).lower()
    year = int(published[:4])
    has_month = len(published) >= 7
    if rule == "rel-month":
        if not has_month:
            return None
        return _shift_month(published, -1 if text.startswith("last") else 1 if text.startswith("next") else 0)
    if rule == "rel-year":
        return str(year - 1 if text.startswith("last") else year + 1 if text.startswith("next") else year)
    if rule == "today":
        return published if "week" not in text and "yesterday" not in text else published[:7]
    if rule == "years-ago":
        n = _NUMBERS.get(g[0].lower()) or int(g[0]) if not g[0].isdigit() else int(g[0])
        return str(year - n if g[1].lower() in ("ago", "after", "earlier") else year + n)
    if rule == "dm":  # "between 15 and 26 May": the last such day up to the publication date
        month, day = _month(g[1]), int(g[0])
        if not has_month:
            return None
        latest = (int(published[5:7]), int(published[8:10]) if len(published) >= 10 else 31)
        return date(year if (month, day) <= latest else year - 1, month, day).isoformat()  # ValueError: no such day
    if rule == "month-only":
        month = _month(g[0])
        if not has_month:
            return None
        pub_month = int(published[5:7])
        return _ym(year if month <= pub_month else year - 1, month)
    return None


def find_dates(text: str, published: str | None = None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, earliest first, longer forms winning over overlaps."""
    end = len(text) if end is None else end
    found: list[DateMention] = []  # by start, as ``taken`` keeps their spans
    taken = DisjointSpans()
    digits = _DIGIT.search(text, start, end) is not None
    for rule, pattern in _PATTERNS:
        if not digits and rule in _NEEDS_DIGIT:
            continue
        for m in pattern.finditer(text, start, end):
            a, b = m.span()
            if taken.overlaps(a, b):
                continue  # one found by an earlier (longer) form has these words
            try:
                value = _resolve(rule, m, published)
            except (KeyError, ValueError):
                continue
            found.insert(taken.add(a, b), DateMention(a, b, value, f"date:{rule}"))
    return found


def first_date(text: str, published: str | None = None) -> DateMention | None:
    dates = find_dates(text, published)
    return dates[0] if dates else None


_LINE_DATE = re.compile(
    rf"^\s*(?:(?:published|updated|posted|date)\s*:?\s*)?(?:\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|BST|GMT)?,?\s+)?"
    rf"(?:[A-Z][a-z]+day,?\s+)?"
    rf"(\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}\.?,?\s+\d{{4}}|{_MON}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})(?:\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|BST|GMT)?)?\.?\s*$",
    re.IGNORECASE)


def parse_date_line(line: str) -> str | None:
    """The date of a line that holds only a date (a dateline), else None."""
    m = _LINE_DATE.match(line)
    if not m:
        return None
    d = find_dates(m.group(1))
    return d[0].value if d else None
