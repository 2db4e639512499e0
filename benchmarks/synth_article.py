"""One synthetic article about an Ofsted inspection: its facts drawn first, then the text stating them.

The drawing half of ``synth.py`` (which lays articles out as text or HTML and writes the corpus). Councils
come from the project's gazetteer; sentences from ``data/synth_templates.tsv``, where ``[a|b]`` gives
alternatives and ``{slot}`` a value filled per article; people's names from ``data/synth_names.tsv``.
Everything is drawn from one ``Dice`` per article, so an article depends on its seed alone.
"""

from __future__ import annotations

import csv
import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["Article", "Council", "Dice", "GRADES", "MONTHS", "WEEKDAYS", "councils", "names", "typeset"]

T = TypeVar("T")
DATA = Path(__file__).resolve().parent / "data"
LONG_SHARE = 0.04  # long features, 9-20 KB

GRADES = ("outstanding", "good", "requires-improvement", "inadequate")
_GRADE_WEIGHTS = (12, 42, 30, 16)
_GRADE_WORDS = {"outstanding": ("outstanding",), "good": ("good",), "inadequate": ("inadequate",),
                "requires-improvement": ("requires improvement to be good", "requires improvement")}
_AREA_VERB = {"outstanding": "be outstanding", "good": "be good", "requires-improvement": "require improvement",
              "inadequate": "be inadequate"}
#: How often a finding is a strength, by the grade the council holds (or last held).
_STRENGTH_SHARE = {"outstanding": 0.85, "good": 0.7, "requires-improvement": 0.45, "inadequate": 0.25, None: 0.5}
#: Kind of inspection -> (kind in the facts view, names, weight).
_KINDS = {
    "ilacs": ("inspection", ("inspection", "full inspection", "standard inspection", "short inspection",
                             "ILACS inspection"), 45),
    "focused": ("focused-visit", ("focused visit",), 20),
    "monitoring": ("monitoring-visit", ("monitoring visit",), 25),
    "jtai": ("inspection", ("joint targeted area inspection",), 10),
}
_ROLES_OF_COUNCIL = ("director", "councillor", "chief-executive")
#: Councils whose full name says "City Council" rather than "Borough Council".
_CITIES = frozenset("""Birmingham Bradford Coventry Leeds Liverpool Manchester Salford Sheffield Sunderland Wakefield
Wolverhampton Westminster Bristol Hull Leicester Nottingham Plymouth Portsmouth Southampton Derby Peterborough
York""".split()) | {"Newcastle upon Tyne", "Stoke-on-Trent", "Brighton and Hove", "Southend-on-Sea"}
#: Unitary councils that are counties in all but name: "Cornwall Council", never "Cornwall Borough Council".
_COUNTY_LIKE = frozenset({"Cornwall", "Durham", "Northumberland", "Dorset", "Somerset", "Cumberland", "Rutland",
                          "Westmorland and Furness", "Isle of Wight", "Isles of Scilly", "Wiltshire", "Cheshire East",
                          "Cheshire West and Chester", "North Somerset", "Bath and North East Somerset",
                          "East Riding of Yorkshire", "Central Bedfordshire", "North Yorkshire"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FIRST_DAY = date(2014, 1, 6).toordinal()
_LAST_DAY = date(2025, 12, 19).toordinal()
_ALT = re.compile(r"\[([^\]]*)\]")



@dataclass(frozen=True)
class Council:
    """A council of the gazetteer and the ways an article names it."""

    gss: str
    name: str  # the ONS name, as in the gazetteer
    short: str  # the place as articles write it ("Bristol", "St Helens", "BCP")
    forms: tuple[str, ...]  # full names ("Dudley Council", "Dudley Metropolitan Borough Council")
    kind: str  # "metropolitan borough", "London borough", "county", "unitary authority"
    region: str  # with its article where English wants one ("the North West", "London")



# --------------------------------------------------------------------------------------------------
# Data: the gazetteer, names and templates, read once.
# --------------------------------------------------------------------------------------------------

def _council(row: dict[str, str]) -> Council:
    name, aliases = row["name"], [a.strip() for a in row["also_known_as"].split(";") if a.strip()]
    short = min(aliases, key=len) if "," in name and aliases else name
    short = short.replace("St. ", "St ").removesuffix(" Borough")
    kind = row["type"]
    city = short in _CITIES or name.removesuffix(", City of") in _CITIES
    forms = [f"{short} Council"]
    if kind == "Metropolitan District":
        forms.append(f"{short} City Council" if city else f"{short} Metropolitan Borough Council")
    elif kind == "London Borough":
        forms.append("Westminster City Council" if short == "Westminster" else f"London Borough of {short}")
    elif kind == "County":
        forms = [f"{short} County Council"]
    elif kind == "Unitary Authority" and (city or not (short.endswith("shire") or short in _COUNTY_LIKE)):
        forms.append(f"{short} City Council" if city else f"{short} Borough Council")
    kinds = {"Metropolitan District": "metropolitan borough", "London Borough": "London borough",
             "County": "county", "Unitary Authority": "unitary authority"}
    region = row["region"]
    if region not in ("London", "Yorkshire and the Humber"):
        region = f"the {region}"
    return Council(row["gss"], name, short, tuple(forms), kinds.get(kind, "council area"), region)


@cache
def councils() -> tuple[Council, ...]:
    """The councils of the project's gazetteer (``ontology/gazetteer/local_authorities.csv``)."""
    from graphkit.resources import gazetteer_file

    with gazetteer_file().open(encoding="utf-8", newline="") as f:
        rows = [{**r, "gss": r["gss_code"]} for r in csv.DictReader(f)]
    return tuple(_council(r) for r in rows)


@cache
def names() -> dict[str, tuple[str, ...]]:
    """Kind ("first", "last", "outlet", "agency") -> names of ``data/synth_names.tsv``."""
    out: dict[str, list[str]] = defaultdict(list)
    with (DATA / "synth_names.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[row["kind"]].append(row["name"])
    return {k: tuple(v) for k, v in out.items()}


#: A template with its alternatives spelled out: "a [b|c]" -> ("a b", "a c"). A sentence picks a template,
#: then one of its spellings, so a template with many alternatives is not drawn more often than others.
Template = tuple[str, ...]


def _parse(text: str) -> Template:
    parts = _ALT.split(text)
    options = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return tuple("".join(choice) for choice in itertools.product(*options))


@cache
def _templates() -> dict[tuple[str, str, str], tuple[Template, ...]]:
    """(slot, key, polarity) -> templates; also (slot, "", "") -> every template of the slot."""
    out: dict[tuple[str, str, str], list[Template]] = defaultdict(list)
    with (DATA / "synth_templates.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            template = _parse(row["text"])
            out[(row["slot"], row["key"], row["polarity"])].append(template)
            if row["key"] or row["polarity"]:
                out[(row["slot"], "", "")].append(template)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _finding_keys() -> dict[str, tuple[str, ...]]:
    """Topic key -> the polarities it has finding sentences for; a key may join topics ("a+b")."""
    out: dict[str, set[str]] = defaultdict(set)
    for slot, key, polarity in _templates():
        if slot == "finding" and key:
            out[key].add(polarity)
    return {k: tuple(sorted(out[k])) for k in sorted(out)}


# --------------------------------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------------------------------

class Dice:
    """The draws of ``random.Random`` this module makes, done cheaply from ``random()`` alone.

    ``Random.choice``, ``randint`` and ``sample`` cost a microsecond each in Python code; an article makes
    hundreds of draws, and 100k articles must take well under a minute.
    """

    __slots__ = ("random", "triangular")

    def __init__(self, seed: str) -> None:
        rng = random.Random(seed)
        self.random, self.triangular = rng.random, rng.triangular

    def choice(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        pool, rnd, n = list(seq), self.random, len(seq)
        for i in range(min(k, n)):
            j = i + int(rnd() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def weighted(self, seq: Sequence[T], weights: Sequence[int]) -> T:
        x = self.random() * sum(weights)
        for item, w in zip(seq, weights, strict=True):
            x -= w
            if x < 0:
                return item
        return seq[-1]


_THE_COUNCIL = ("the council", "the council", "the local authority", "the authority")
#: Number slots: (low, high, scale).
_NUMBERS = {"pop": (40, 1400, 1000), "kids": (600, 9000, 1), "staff": (300, 3000, 1), "money": (8, 240, 1),
            "pct": (12, 45, 1), "n": (2, 38, 1)}


class _Slots(dict):
    """Values for ``str.format_map``: fixed ones stored, varying ones ("council") drawn at each use."""

    def __init__(self, rng: Dice, council: Council, **fixed: str) -> None:
        super().__init__(fixed)
        self.rng, self.c = rng, council

    def __missing__(self, key: str) -> str:
        r, c = self.rng, self.c
        if key == "council":
            return r.choice(c.forms)
        if key == "the_council" or key == "The_council":
            word = r.choice(_THE_COUNCIL)
            return word if key == "the_council" else word[0].upper() + word[1:]
        if key in _NUMBERS:
            lo, hi, scale = _NUMBERS[key]
            return f"{r.randint(lo, hi) * scale:,}"
        if key == "role_after" or key == "role_before":
            self[key] = text = r.choice(r.choice(_templates()[(key.replace("_", "-"), self["role"], "")]))
            return text.format_map(self)
        if key == "other":
            return r.choice(councils()).short
        if key == "agency":
            return r.choice(names()["agency"])
        if key == "any_grade":
            return r.choice(("good", "outstanding", "inadequate", "requires improvement"))
        if key == "weekday":
            return r.choice(WEEKDAYS[:5])
        raise KeyError(key)


class Article:
    """Draws one article: its facts first, then the text that states them."""

    def __init__(self, rng: Dice, doc_id: str) -> None:
        self.r, self.rnd, self.templates = rng, rng.random, _templates()
        self.doc_id = doc_id
        self.council = c = rng.choice(councils())
        self.published = date.fromordinal(rng.randint(_FIRST_DAY, _LAST_DAY))
        kind_id = rng.weighted(list(_KINDS), [k[2] for k in _KINDS.values()])
        self.kind_id, (self.facts_kind, kind_names, _) = kind_id, _KINDS[kind_id]
        self.kind = rng.choice(kind_names)
        self.inspected = self.published - timedelta(days=rng.randint(12, 95))
        self.grade = rng.weighted(GRADES, _GRADE_WEIGHTS) if kind_id == "ilacs" else None
        self.prev: str | None = None
        if kind_id == "monitoring":
            self.prev = "inadequate"
        elif rng.random() < 0.45:
            self.prev = rng.choice([g for g in GRADES if g != self.grade])
        self.prev_year = self.inspected.year - rng.randint(1, 5)
        self.long = rng.random() < LONG_SHARE
        self.target = rng.randint(9000, 20000) if self.long else int(rng.triangular(1900, 6200, 3000))
        self.curly = rng.random() < 0.6
        when, self.inspection_date = self._when()
        self.slots = _Slots(
            rng, c, short=c.short, region=c.region, type=c.kind, when=when, kind=self.kind,
            a_kind=_a(self.kind), a_kind_to=f"{_a(self.kind)} {'of' if 'inspection' in self.kind else 'to'}",
            when_again=f"in {MONTHS[self.inspected.month - 1]}", pub_rel=self._pub_rel(),
            framework=rng.choice(("ILACS framework", "current framework", "latest framework")),
            prev=(self.prev or "inadequate").replace("-", " "), prev_q=_quote(rng, self.prev or "inadequate"),
            prev_when=self._prev_when(), month=rng.choice(MONTHS), year=str(self.published.year),
            outlet=rng.choice(names()["outlet"]),
        )
        if self.grade:
            self.slots["grade_q"] = g = _quote(rng, self.grade)
            self.slots["Grade_q"] = _capital(g)
        self.prev_said = False  # whether the text gave the grade before this one
        self.findings: set[tuple[str, str]] = set()
        self.people: set[tuple[str, str]] = set()
        self.used_names: set[str] = set()
        self.walks: dict[str, list[int]] = {}  # see fresh()

    # ---- small draws ----------------------------------------------------------------------------

    def say(self, slot: str, key: str = "", polarity: str = "") -> str:
        """A sentence of ``slot`` (for a topic ``key`` and ``polarity``, where the slot has them)."""
        pool = self.templates[(slot, key, polarity)]
        return self.render(pool[int(self.rnd() * len(pool))])

    def say_some(self, slot: str, n: int) -> list[str]:
        """``n`` different sentences of ``slot``."""
        pool = _templates()[(slot, "", "")]
        return [self.render(t) for t in self.r.sample(pool, min(n, len(pool)))]

    def fresh(self, slot: str) -> str:
        """A sentence of ``slot`` not yet used in this article (until every one has been).

        Each slot's templates are walked from a random start by a random stride prime to their number:
        no repeats, without shuffling the pool for every article.
        """
        pool = self.templates[(slot, "", "")]
        walk = self.walks.get(slot)
        if walk is None:
            strides = _strides(len(pool))
            walk = self.walks[slot] = [self.r.choice(range(len(pool))), self.r.choice(strides)]
        text = self.render(pool[walk[0]])
        walk[0] = (walk[0] + walk[1]) % len(pool)
        return text

    def render(self, template: Template) -> str:
        text = template[int(self.rnd() * len(template))] if len(template) > 1 else template[0]
        if "{" not in text:
            return text
        if "{prev}" in text or "{prev_q}" in text:  # the article states the grade the council held before
            self.prev_said = True
        return text.format_map(self.slots)

    def _when(self) -> tuple[str, str | None]:
        """A phrase dating the inspection, and the month it states (None when it states none)."""
        d, p, r = self.inspected, self.published, self.r
        ym = f"{d.year:04d}-{d.month:02d}"
        month = MONTHS[d.month - 1]
        options = [(f"in {month} {d.year}", ym), (f"in {month}", ym), (f"on {d.day} {month}", ym),
                   (f"on {d.day} {month} {d.year}", ym), ("recently", None)]
        if d.day > 10:
            options.append((f"between {d.day - 9} and {d.day} {month} {d.year}", ym))
        if (p.year * 12 + p.month) - (d.year * 12 + d.month) == 1:
            options.append(("last month", ym))
        elif (p.year, p.month) == (d.year, d.month):
            options.append(("earlier this month", ym))
        return r.choice(options)

    def _pub_rel(self) -> str:
        return self.r.choice(("this week", f"on {WEEKDAYS[self.published.weekday()]}", "today"))

    def _prev_when(self) -> str:
        y = self.prev_year
        return self.r.choice((f"in {y}", f"in {self.r.choice(MONTHS)} {y}", f"in {y}"))

    def person(self, role: str) -> tuple[str, str]:
        """A new name for someone in ``role``: (full name, how later mentions call them)."""
        known = names()
        while True:
            first, last = self.r.choice(known["first"]), self.r.choice(known["last"])
            if last not in self.used_names:
                break
        self.used_names.add(last)
        full = f"{first} {last}"
        self.people.add((typeset(full, self.curly), role))
        title = self.r.choice(("Cllr ", "Councillor ") if role == "councillor" else ("", "", "Dr "))
        return full, f"{title}{last}"

    # ---- sentences that state findings ------------------------------------------------------------

    def pick_findings(self, n: int) -> list[tuple[str, str]]:
        """``n`` topics, each a concern or a strength, leaning to strengths as the grade is better."""
        keys = _finding_keys()
        share = _STRENGTH_SHARE[self.grade or self.prev]
        out: list[tuple[str, str]] = []
        taken: set[str] = set()  # a topic is one point of the article, not a concern and a strength at once
        for key in self.r.sample(list(keys), len(keys)):
            topics = key.split("+")
            if taken.intersection(topics):
                continue
            taken.update(topics)
            have = keys[key]
            want = "strength" if self.r.random() < share else "concern"
            out.append((key, want if want in have else have[0]))
            if len(out) == n:
                break
        return out

    def finding(self, key: str, polarity: str, n: int = 1, bare: bool = False) -> list[str]:
        """Up to ``n`` different sentences stating the finding, plainly, with a lead-in or an attribution."""
        self.findings.update((t, polarity) for t in key.split("+"))
        pool = self.templates[("finding", key, polarity)]
        out = []
        for template in (self.r.choice(pool),) if n == 1 else self.r.sample(pool, min(n, len(pool))):
            text, how = self.render(template), 1.0 if bare else self.r.random()
            if how < 0.25:
                text = f"{self.say('finding-head')} {text[0].lower()}{text[1:]}"
            elif how < 0.45:
                text = text[:-1] + self.say("finding-tail")
            out.append(text)
        return out

    def area_paragraph(self) -> str:
        """Grades of some judgement areas; an area that is an issue topic is a finding too."""
        out = []
        planted = dict(self.findings)
        for key in self.r.sample(["children-in-care", "care-leavers", "leadership", ""], self.r.randint(1, 3)):
            g = self.r.weighted(GRADES, _GRADE_WEIGHTS)
            if key in planted:  # the grade agrees with what the article already said on the topic
                g = self.r.choice(GRADES[:2] if planted[key] == "strength" else GRADES[2:])
            word = "to require improvement" if g == "requires-improvement" else _quote(self.r, g)
            self.slots["area_grade"], self.slots["area_grade_verb"] = word, _AREA_VERB[g]
            if key:
                self.findings.add((key, "strength" if g in ("good", "outstanding") else "concern"))
            out.append(self.say("area", key, "grade"))
        return " ".join(out)

    # ---- quotes ---------------------------------------------------------------------------------

    def speech(self, role: str, sentences: list[str], follow: list[str] | None = None) -> list[str]:
        """Paragraphs quoting someone in ``role``: a first quote naming them, maybe a second by surname."""
        key = {"regional-director": "inspector"}.get(role, role)
        full, later = self.person(key)
        last = later.split()[-1]
        self.slots.update(name=full, title=later[: -len(last)], last=last, role=key)
        self.slots.pop("role_after", None)  # drawn when a frame asks for it (see _Slots)
        self.slots.pop("role_before", None)
        out = [self._quoted("speech-first", sentences)]
        if follow:
            out.append(self._quoted("speech-again", follow))
        return out

    def _quoted(self, slot: str, sentences: list[str]) -> str:
        q = " ".join(sentences)
        self.slots.update(q=q, qc=q[:-1] + ",")
        return self.say(slot)

    # ---- headline and the whole text --------------------------------------------------------------

    def headline(self, planted: list[tuple[str, str]]) -> str:
        r = self.r
        phrases = [(k, p) for k, p in planted if ("phrase", k, p) in self.templates]
        if self.grade and r.random() < 0.7:
            return self.say("headline-grade")
        if self.kind_id == "monitoring" and r.random() < 0.4:
            return self.say("headline-monitoring")
        if phrases and r.random() < 0.85:
            k, p = r.choice(phrases)
            phrase = self.say("phrase", k, p)
            self.slots.update(phrase=phrase, Phrase=_capital(phrase))
            return self.say(f"headline-{p}")
        return self.say("headline-grade" if self.grade else "headline-visit")

    def body(self) -> tuple[str, list[list[str]]]:
        """The headline and the article's paragraphs (each a list of sentences), furniture not included."""
        r = self.r
        n = r.randint(12, 20) if self.long else max(3, min(12, round(self.target / 350) + r.randint(-1, 1)))
        planted = self.pick_findings(n)
        head = self.headline(planted)
        paras: list[list[str]] = [[self.say("lede-grade" if self.grade else "lede-visit")], self._about()]
        said = r.randint(1, min(3, len(planted) - 1)) if r.random() < 0.6 else 0
        inspector_said = [self.finding(k, p, bare=True)[0] for k, p in planted[len(planted) - said:]]
        sentences = []
        for k, p in planted[: len(planted) - said]:  # some points get a second sentence
            sentences += self.finding(k, p, 2 if r.random() < (0.5 if self.long else 0.2) else 1)
        while sentences:
            take = r.choice((1, 2, 2, 3))
            paras.append(sentences[:take])
            sentences = sentences[take:]
        if self.grade and r.random() < 0.35:
            _insert(r, paras, [self.area_paragraph()])
        if inspector_said:
            role = r.choice(("inspector", "inspector", "regional-director"))
            for p in self.speech(role, inspector_said, [self.fresh("remark")] if r.random() < 0.4 else None):
                _insert(r, paras, [p])
        for role in self._speakers():
            pool = "remark" if role == "commissioner" else "reaction"
            words = [self.fresh(pool) for _ in range(r.randint(2, 4) if r.random() < 0.5 else r.randint(1, 2))]
            follow = words[1:] if len(words) > 1 and r.random() < 0.6 else None
            paras.extend([p] for p in self.speech(role, words[:1] if follow else words, follow))
        self._pad(paras)
        return head, paras

    def _about(self) -> list[str]:
        """The second paragraph: more on the inspection and, perhaps, the grade before it."""
        r = self.r
        out = [self.say("inspection")] if r.random() < 0.7 else []
        extra = {"monitoring": "inspection-monitoring", "jtai": "inspection-jtai", "focused": "inspection-focused"}
        if self.kind_id in extra and r.random() < 0.6:
            out.append(self.say(extra[self.kind_id]))
        if self.prev and self.kind_id != "monitoring" and r.random() < 0.7:
            out.append(self.say("previous"))
        return out or [self.say("inspection")]

    def _speakers(self) -> list[str]:
        r = self.r
        roles = [r.choice(_ROLES_OF_COUNCIL)]
        if r.random() < (0.8 if self.long else 0.4):
            roles.append(r.choice([x for x in _ROLES_OF_COUNCIL if x != roles[0]]))
        if (self.grade == "inadequate" or self.kind_id == "monitoring") and r.random() < 0.3:
            roles.append("commissioner")
        return roles

    def _pad(self, paras: list[list[str]]) -> None:
        """Context paragraphs until the article reaches its size, mostly after the findings."""
        rnd = self.r.random
        size = sum(len(s) + 1 for p in paras for s in p)
        while size < self.target * 0.85:
            if self.long and rnd() < 0.3:
                role = self.r.choice(_ROLES_OF_COUNCIL + ("inspector",))
                new = [[p] for p in self.speech(role, [self.fresh("remark" if role == "inspector" else "reaction")])]
            else:
                new = [[self.fresh("background")] + ([self.fresh("background")] if rnd() < 0.5 else [])]
            for para in new:
                lo = 2 if rnd() < 0.4 else max(2, len(paras) - 3)
                paras.insert(lo + int(rnd() * (len(paras) - lo + 1)), para)
                size += sum(map(len, para)) + len(para)

    def truth(self) -> dict[str, Any]:
        """What the article states: the facts a good extractor should find in it."""
        grades = {g for g in (self.grade, self.prev if self.prev_said else None) if g}
        return {"council": self.council.gss, "council_name": self.council.name,
                "published": self.published.isoformat(), "grade": self.grade, "grades": grades,
                "inspection": self.facts_kind, "inspection_date": self.inspection_date,
                "findings": set(self.findings), "people": set(self.people)}


@cache
def _strides(n: int) -> tuple[int, ...]:
    """Steps that visit every one of ``n`` items before coming back to the first."""
    return tuple(k for k in range(1, max(2, n)) if math.gcd(k, n) == 1)


def _insert(rng: Dice, paras: list[list[str]], para: list[str], first: int = 3) -> None:
    """Put a paragraph somewhere after the first ``first`` ones (or at the end of a short article)."""
    paras.insert(rng.randint(min(first, len(paras)), len(paras)), para)


def typeset(text: str, curly: bool) -> str:
    """The house style of a publication: curly apostrophes and quotes, or straight ones throughout.

    (``str.replace`` rather than ``str.translate``: many times faster on long strings.)
    """
    if curly:
        return text.replace("'", "\u2019")
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiouAEIOU" else f"a {word}"


def _capital(text: str) -> str:
    i = 1 if text[:1] in "\u2018'" else 0
    return text[:i] + text[i].upper() + text[i + 1:]


def _quote(rng: Dice, grade: str) -> str:
    word = rng.choice(_GRADE_WORDS[grade])
    return f"\u2018{word}\u2019" if rng.random() < 0.4 else word
