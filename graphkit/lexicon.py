"""Lexicon files (``ontology/lexicon/*.tsv``): read them strictly and compile their cue patterns.

Shared by the readers (furniture rules) and the extractors (cue phrases), so both read data the same way:
a malformed file fails loudly with its name and line, a bad pattern with its id.
"""

from __future__ import annotations

import csv
import re

from graphkit.resources import lexicon_file

__all__ = ["read_tsv", "compile_cue", "compile_folded_cue", "ascii_lower", "apostrophes_either_way"]

_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def ascii_lower(text: str) -> str:
    """Lower-case text of the same length, so offsets found in it hold for ``text``.

    ``str.lower`` is C-fast but may lengthen a few characters ("İ" becomes two): then only A-Z are
    lowered, by a slower table.
    """
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


#: An escape (kept whole) or a capital letter (lowered): a regular expression rather than a loop over every
#: character of every cue, which took a few milliseconds of each process's first document.
_ESCAPE_OR_CAPITAL = re.compile(r"\\[\s\S]|[A-Z]")


def _fold_pattern(pattern: str) -> str:
    """Lower-case the literal letters of a pattern, leaving escapes (``\\W``, ``\\S``...) as they are."""
    return _ESCAPE_OR_CAPITAL.sub(lambda m: m[0] if len(m[0]) == 2 else m[0].lower(), pattern)


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon TSV; a malformed file fails loudly with its name."""
    path = lexicon_file(name)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for n, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path}:{n}: wrong number of columns")
    return rows


def apostrophes_either_way(pattern: str) -> str:
    """Let a straight apostrophe in a cue match a curly one too ("children's" and "children’s")."""
    out, depth, escaped = [], 0, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append("['’]" if ch == "'" and depth == 0 else "'’" if ch == "'" else ch)
    return "".join(out)


def compile_folded_cue(pattern: str, where: str = "lexicon", row_id: str = "?") -> re.Pattern[str]:
    """Like ``compile_cue``, for text passed through ``ascii_lower`` first.

    Python's ``re`` runs case-insensitive alternations about twice as slowly; cues run over every
    sentence, so the hot ones match lower-cased text with lower-cased patterns instead.
    """
    try:
        return re.compile(_fold_pattern(apostrophes_either_way(pattern)))
    except re.error as exc:
        raise ValueError(f"{where}: cue {row_id!r} has a bad pattern: {exc}") from None


def compile_cue(pattern: str, where: str = "lexicon", row_id: str = "?") -> re.Pattern[str]:
    """Compile a cue pattern of a lexicon file, case-insensitive, apostrophes either way."""
    try:
        return re.compile(apostrophes_either_way(pattern), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: cue {row_id!r} has a bad pattern: {exc}") from None
