"""Which cues can match where: literal "trigger" strings derived from each cue's pattern.

Python's ``re`` costs about the same per character whatever it looks for, so running each of the
~40 cue patterns over every sentence made them most of extraction's time. Every cue pattern has, in
practice, a few literal strings one of which any match must contain ("turnover", "churn", "stable
workforc"...). They are read off the pattern's parse tree, so the cue files stay the only place where a
cue is written. One Aho-Corasick pass over the text finds the triggers, and a cue then runs only over
the sentences holding one of its own. A pattern with an alternative that has no literal (a bare
``\\w+``) gets no triggers and runs everywhere, as before.

One literal per match is a weak filter when it is a common word: "children" picked most sentences for
the cues whose alternatives read "children are (not) seen", "children in care"... For patterns matched
case-sensitively (the cues of lower-cased text) the index also keeps every match's *terms*: for each way
the pattern can match, the sets of strings of which the match holds one each ("children" and "are" or
"were" and "seen" or "visited"). A sentence is then searched only when every set of one of the terms has
a string in it. Such a pattern's triggers are then taken from its terms, one set of each: the set fewest
of the index's patterns share ("seen" rather than "children"), so fewer sentences are checked at all.
"""

from __future__ import annotations

import re
import re._constants as C  # noqa: N812 - the parse tree's opcodes
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import ahocorasick

__all__ = ["required_literals", "required_terms", "TriggerIndex"]

#: Literal strings shorter than this are too common to be worth looking for (they would select every
#: sentence); a set holding one makes the pattern run everywhere.
MIN_TRIGGER = 3
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _selective(literal: str) -> bool:
    """Whether a literal is rare enough to select sentences: three characters or more, or a symbol.

    A caseless non-ASCII symbol ("©", "£") is rare in prose however short, and matches only itself under
    ``re.IGNORECASE``: "^©" alone made the site-credit furniture rule search every line of every page.
    """
    return len(literal) >= MIN_TRIGGER or any(
        not ch.isascii() and not ch.isalnum() and not ch.isspace() and ch.lower() == ch == ch.upper()
        for ch in literal)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective of several alternative requirements: longest shortest string, then fewest."""
    usable = [c for c in candidates if c and all(map(_selective, c))]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _parts(items: Sequence[tuple], sequence: Callable[[Any], Any], branch: Callable[[Any], Any]) -> Iterator[Any]:
    """The parts of a parse tree's sequence, in order: each run of literal characters as a string, and what
    ``sequence`` or ``branch`` says a group, an alternation or a required repeat needs; None for the rest
    (classes, optional parts, lookarounds, anchors such as ``\\b``, and ``(?i:...)`` groups, whose text
    is not literal)."""
    items = getattr(items, "data", items)  # a parse tree's list: its own indexing is slow Python
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            yield "".join(run)
            run.clear()
        if op is C.SUBPATTERN:  # (group, flags added, flags removed, items)
            yield None if av[1] & re.IGNORECASE else sequence(av[-1])
        elif op is C.BRANCH:
            yield branch(av[1])
        elif op in _REPEATS and av[0] >= 1:
            yield sequence(av[2])
        else:
            yield None
    if run:
        yield "".join(run)


def _sequence(items: Sequence[tuple]) -> frozenset[str] | None:
    """What a match of a sequence must contain: its best literal run or the best of its parts."""
    candidates = [frozenset([part]) if isinstance(part, str) else part
                  for part in _parts(items, _sequence, _branch) if part is not None]
    return _best(candidates)


def _branch(alternatives: Sequence[Sequence[tuple]]) -> frozenset[str] | None:
    out: set[str] = set()
    for alt in alternatives:
        need = _sequence(alt)
        if need is None:
            return None
        out |= need
    return frozenset(out)


#: A term is the sets of strings of which a match holds one each; a pattern's terms are the ways it matches.
Term = tuple[frozenset[str], ...]
#: Terms of a sequence multiply; past this many, a part's terms are merged into one set of strings.
MAX_TERMS = 32


def _sequence_terms(items: Sequence[tuple]) -> list[Term] | None:
    """The terms of a sequence: each part's terms combined, or None when no part requires anything."""
    parts: list[list[Term]] = []
    for part in _parts(items, _sequence_terms, _branch_terms):
        if isinstance(part, str):
            if _selective(part):
                parts.append([(frozenset([part]),)])
        elif part is not None:
            parts.append(part)
    if not parts:
        return None
    out: list[Term] = [()]
    for part in parts:
        if len(out) * len(part) > MAX_TERMS:
            part = [(_merged(part),)]
        out = [a + b for a in out for b in part]
    return out


def _merged(terms: list[Term]) -> frozenset[str]:
    """One set of strings every match of one of ``terms`` holds one of: each term's most selective set."""
    return frozenset().union(*(max(term, key=lambda c: (min(map(len, c)), -len(c))) for term in terms))


def _branch_terms(alternatives: Sequence[Sequence[tuple]]) -> list[Term] | None:
    out: list[Term] = []
    for alt in alternatives:
        need = _sequence_terms(alt)
        if need is None:
            return None
        out.extend(need)
    if all(len(term) == 1 for term in out):  # "(children|young people)": one set, not a term each
        return [(frozenset().union(*(term[0] for term in out)),)]
    return out


def required_terms(pattern: str) -> list[Term] | None:
    """The ways every match of a case-sensitive ``pattern`` holds strings, or None when it need hold none.

    >>> terms = required_terms(r"\\b(children|young people) (are|were) seen\\b|\\bunsafe\\b")
    >>> [[sorted(options) for options in term] for term in terms]
    [[['children', 'young people'], ['are', 'were'], [' seen']], [['unsafe']]]
    """
    return _sequence_terms(sre_parse.parse(pattern))


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when there are none to rely on.

    >>> sorted(required_literals(r"\\b(high|rising) case ?loads?\\b"))
    [' case']
    >>> required_literals(r"\\b\\w+ly\\b") is None
    True
    """
    return _sequence(sre_parse.parse(pattern))


def _uses(all_terms: Sequence[list[Term] | None]) -> dict[str, int]:
    """For each string of the patterns' terms, how many patterns need it somewhere: a string that many
    cues share ("children", "staff") is a common word of the field, and a poor trigger."""
    uses: dict[str, int] = {}
    for terms in all_terms:
        for string in {s for term in terms or () for options in term for s in options}:
            uses[string] = uses.get(string, 0) + 1
    return uses


def _rarest(term: Term, uses: dict[str, int]) -> frozenset[str]:
    """The set of ``term`` to look for: one without a string of three characters (mostly small words: "at ",
    "are"), then the one whose strings fewest patterns share, then the longest.

    Any set of a term will do (a match holds a string of each); the rarest selects fewest sentences. For
    "(children|young people) (are|were) (not )?(kept )?safe" it is "safe", not "children", which picked
    two sentences in five for each of five cues.
    """
    def rarity(options: frozenset[str]) -> tuple:
        shortest = min(map(len, options))
        return shortest <= MIN_TRIGGER, max(uses[s] for s in options), -shortest, len(options), sorted(options)

    return min(term, key=rarity)


class TriggerIndex:
    """One automaton over every trigger of a list of patterns: which patterns may match in a text."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.always: list[int] = []
        self.automaton = ahocorasick.Automaton()
        #: Per pattern, its terms (see ``admits``), or None where any trigger is reason enough to search.
        self.terms: list[tuple[tuple[tuple[str, ...], ...], ...] | None] = []
        trees = [sre_parse.parse(pattern.pattern) for pattern in patterns]  # parsing is most of the cost
        all_terms = [None if pattern.flags & re.IGNORECASE else _sequence_terms(tree)
                     for pattern, tree in zip(patterns, trees, strict=True)]
        uses = _uses(all_terms)
        owners: dict[str, set[int]] = {}
        for i, (pattern, tree, terms) in enumerate(zip(patterns, trees, all_terms, strict=True)):
            self.terms.append(None if terms is None or len(terms) == 1 and len(terms[0]) == 1 else
                              tuple(tuple(tuple(sorted(options)) for options in term) for term in terms))
            if terms is not None:
                need: frozenset[str] | None = frozenset().union(*(_rarest(term, uses) for term in terms))
            else:
                need = _sequence(tree)
                if need is not None and pattern.flags & re.IGNORECASE:
                    need = frozenset(literal.lower() for literal in need)  # callers search lower-cased text
            if need is None:
                self.always.append(i)
                continue
            for literal in need:
                owners.setdefault(literal, set()).add(i)
        for literal, idx in owners.items():
            self.automaton.add_word(literal, (len(literal), tuple(sorted(idx))))
        if owners:
            self.automaton.make_automaton()
        self.searchable = bool(owners)

    def hits(self, text: str) -> list[tuple[int, tuple[int, ...]]]:
        """(start offset, pattern indexes) of every trigger found in ``text``, lower-cased by the caller.

        Triggers of a case-insensitive pattern are lower-cased, so the text must be lower-cased too
        (``graphkit.lexicon.ascii_lower`` keeps offsets).
        """
        if not self.searchable:
            return []
        return [(end - n + 1, idx) for end, (n, idx) in self.automaton.iter(text)]

    def span_hits(self, text: str, spans: Iterable[tuple[int, tuple[int, int]]]) -> list[tuple[int, tuple[int, ...]]]:
        """(span number, pattern indexes) of every trigger wholly inside one of the numbered ``(start,
        end)`` spans of ``text`` (lower-cased as for ``hits``).

        A match inside a span holds its trigger inside the span too; scanning only the spans (the
        sentences, or those with a topic) skips the rest of the text and the lookup of each hit's span.
        """
        if not self.searchable:
            return []
        # Each span is scanned as a slice of its own: given the bounds instead, pyahocorasick copies the
        # whole text on every call (13 us a sentence of a 200 kB text, 130 us of a 1 MB one: minutes for a
        # long page of short sentences).
        scan = self.automaton.iter
        return [(i, idx) for i, (a, b) in spans for _, (_, idx) in scan(text[a:b])]

    def admits(self, i: int, text: str) -> bool:
        """Whether pattern ``i`` may match inside ``text`` (a sentence its trigger was found in): whether
        ``text`` holds one string of each set of one of its terms. Cheap ``in`` tests, where the search
        they spare costs a regular expression's run over the sentence."""
        terms = self.terms[i]
        if terms is None:
            return True
        for term in terms:  # loops rather than any()/all() of generators: this runs per sentence and cue
            for options in term:
                for string in options:
                    if string in text:
                        break
                else:
                    break  # no string of this set: the term cannot match
            else:
                return True
        return False
