"""The span checks the extractors share give what the pairwise definitions give, and a text that is one
endless sentence is extracted without hanging."""

from __future__ import annotations

import doctest
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.extract import spans
from graphkit.extract.spans import DisjointSpans, inside_longer, within

span = st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda s: (s[0], s[0] + s[1]))
MANY = settings(max_examples=300, deadline=None)


def test_doctests() -> None:
    assert doctest.testmod(spans).failed == 0


@MANY
@given(st.lists(span, max_size=30))
def test_inside_longer_is_the_pairwise_check(found: list[tuple[int, int]]) -> None:
    pairwise = {(a, b) for a, b in found
                if any(a2 <= a and b <= b2 and b2 - a2 > b - a for a2, b2 in found)}
    assert inside_longer(found) == pairwise


@MANY
@given(st.lists(span, max_size=30), span)
def test_within_is_the_filter(found: list[tuple[int, int]], clause: tuple[int, int]) -> None:
    items = sorted((a, b, i) for i, (a, b) in enumerate(found))
    expected = [item for item in items if clause[0] <= item[0] and item[1] <= clause[1]]
    assert within(items, [item[0] for item in items], *clause) == expected


@MANY
@given(st.lists(span, max_size=30))
def test_disjoint_spans_take_what_overlaps_none_before(offered: list[tuple[int, int]]) -> None:
    taken = DisjointSpans()
    kept: list[tuple[int, int]] = []
    for a, b in offered:
        overlapping = any(a2 < b and a < b2 for a2, b2 in kept)
        assert taken.overlaps(a, b) == overlapping
        if not overlapping:
            assert taken.add(a, b) == sum(1 for a2, _ in kept if a2 <= a)
            kept.append((a, b))
    assert list(zip(taken.starts, taken.ends, strict=True)) == sorted(kept)


RUN_ON = ("Ofsted rated Dudley inadequate, but caseloads remain high and drift and delay persist; a monitoring "
          "visit in March 2019 and a focused visit found that leaders have not ensured that only a few children "
          "are seen on time and Jane Smith, the director of children's services, said it was good ")


def test_a_text_that_is_one_endless_sentence_is_extracted_without_hanging(tmp_path) -> None:
    """400 kB without a full stop: one sentence holding thousands of cue matches (a table dumped as one
    line, or a hostile page). Checks between every two matches took minutes at this size; the limit is
    a hang detector, many times what the extraction takes."""
    path = tmp_path / "run-on.txt"
    path.write_text("Dudley Council. " + RUN_ON * (400_000 // len(RUN_ON)), encoding="utf-8")
    code = ("import sys; from pathlib import Path; from graphkit.documents.readers import Source; "
            "from graphkit.pipeline import extract_to_nquads; p = Path(sys.argv[1]); "
            "print(extract_to_nquads(Source(p, 'run-on'), p.read_bytes()).count('\\n'))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 30  # the document, its council and what it says were extracted
