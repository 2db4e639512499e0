"""Which cues can match where: literal "trigger" strings derived from each cue's pattern.

Python's ``re`` costs about the same per character whatever it looks for, so running each of the
~40 cue patterns over every sentence made them most of extraction's time. Every cue pattern has, in
practice, a few literal strings one of which any match must contain ("turnover", "churn", "stable
workforc"...). They are read off the pattern's parse tree, so the cue files stay the only place where a
cue is written. One Aho-Corasick pass over the text finds the triggers, and a cue then runs only over
the sentences holding one of its own. A pattern with an alternative that has no literal (a bare
``\\w+``) gets no triggers and runs everywhere, as before.
"""

from __future__ import annotations

import re
import re._constants as C  # noqa: N812 - the parse tree's opcodes
import re._parser as sre_parse
from collections.abc import Sequence

import ahocorasick

__all__ = ["required_literals", "TriggerIndex"]

#: Literal strings shorter than this are too common to be worth looking for (they would select every
#: sentence); a set holding one makes the pattern run everywhere.
MIN_TRIGGER = 3
_LITERAL_RUN_BREAKERS = (C.AT,)  # \b and friends consume nothing but are kept out of literal runs


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


def _sequence(items: Sequence[tuple]) -> frozenset[str] | None:
    """What a match of a sequence must contain: its best literal run or the best of its parts."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            candidates.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        close()
        if op is C.SUBPATTERN:
            need = _sequence(av[-1])
        elif op is C.BRANCH:
            need = _branch(av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _sequence(av[2])
        else:  # classes, optional parts, lookarounds, anchors: nothing that must be there
            need = None
        if need is not None:
            candidates.append(need)
    close()
    return _best(candidates)


def _branch(alternatives: Sequence[Sequence[tuple]]) -> frozenset[str] | None:
    out: set[str] = set()
    for alt in alternatives:
        need = _sequence(alt)
        if need is None:
            return None
        out |= need
    return frozenset(out)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None when there are none to rely on.

    >>> sorted(required_literals(r"\\b(high|rising) case ?loads?\\b"))
    [' case']
    >>> required_literals(r"\\b\\w+ly\\b") is None
    True
    """
    tree = sre_parse.parse(pattern)
    return _sequence(list(tree))


class TriggerIndex:
    """One automaton over every trigger of a list of patterns: which patterns may match in a text."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.always: list[int] = []
        self.automaton = ahocorasick.Automaton()
        owners: dict[str, set[int]] = {}
        for i, pattern in enumerate(patterns):
            need = required_literals(pattern.pattern)
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
