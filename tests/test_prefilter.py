"""The cue prefilter must never hide a match: a cue that can match a text has a trigger in it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.extract.article import _grade_cues, _kind_cues
from graphkit.extract.cues import polarity_cues, topic_cues
from graphkit.extract.prefilter import TriggerIndex, required_literals
from graphkit.lexicon import ascii_lower

ALL_PATTERNS = ([c.pattern for c in topic_cues()] + [c.pattern for c in polarity_cues()]
                + [c[2] for c in _grade_cues()] + [c[2] for c in _kind_cues()])


def test_required_literals_of_simple_shapes() -> None:
    assert required_literals(r"\bchurn\b") == {"churn"}
    assert required_literals(r"\b(high|rising) caseloads?\b") == {" caseload"}
    need = required_literals(r"\b(drift|delay)\b")  # re may factor the shared "d" out
    assert need and all(any(t in word for t in need) for word in ("drift", "delay"))
    assert not any(t in "daily" for t in need)
    # an alternative without any literal of three letters or more: nothing to rely on
    assert required_literals(r"\b(drift|\w+ly)\b") is None
    assert required_literals(r"\bno\b") is None
    # optional parts are not required
    assert required_literals(r"(staff )?turnover") == {"turnover"}
    # a caseless symbol is selective however short; a short word is not
    assert required_literals(r"^©|\bcopyright\b") == {"©", "copyright"}
    assert required_literals(r"^a|\bcopyright\b") is None


def test_most_cues_have_triggers() -> None:
    index = TriggerIndex(ALL_PATTERNS)
    assert len(index.always) <= 3, "a cue without triggers runs over every sentence: keep them few"


def _matching_patterns(text: str) -> set[int]:
    low = ascii_lower(text)
    return {i for i, p in enumerate(ALL_PATTERNS)
            if p.search(low if not p.flags & re.IGNORECASE else text)}


def _triggered(text: str) -> set[int]:
    index = TriggerIndex(ALL_PATTERNS)
    low = ascii_lower(text)
    found = {i for _, owners in index.hits(low) for i in owners if index.admits(i, low)}
    return found | set(index.always)


def test_terms_need_every_part_of_one_way_of_matching() -> None:
    index = TriggerIndex([re.compile(r"\b(children|young people) (are|were) (not )?seen\b|\bunsafe\b")])
    assert index.admits(0, "young people were seen")
    assert index.admits(0, "it is unsafe")
    assert not index.admits(0, "children are happy")  # "children" alone is not enough


def test_a_word_several_cues_share_is_not_their_trigger() -> None:
    """A cue is looked for where its rarest required word is, not its longest: "children" picked two
    sentences in five for each of five cues, only for their other words to rule them out."""
    index = TriggerIndex([re.compile(r"\bchildren (are|were) safe\b"), re.compile(r"\bchildren (are|were) seen\b"),
                          re.compile(r"\bvoice of children\b")])
    assert not index.hits("children were happy today")
    assert {i for _, owners in index.hits("children were safe") for i in owners} == {0}
    assert {i for _, owners in index.hits("children were seen") for i in owners} == {1}


WORDS = sorted({w for p in ALL_PATTERNS for w in re.findall(r"[a-z]{3,}", p.pattern.lower())})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["the", "not", "and", "were", "Ofsted", "."]), min_size=1, max_size=30))
def test_every_pattern_that_matches_was_triggered(words: list[str]) -> None:
    text = " ".join(words)
    assert _matching_patterns(text) <= _triggered(text)


def test_seed_sentences_lose_nothing(seeds_dir) -> None:  # noqa: ANN001 - pytest fixture
    for path in sorted(seeds_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert _matching_patterns(line) <= _triggered(line), line


def test_a_caseless_group_gives_no_case_sensitive_trigger() -> None:
    """Inside ``(?i:...)`` the text matches any case, so it cannot be a literal trigger of a case-sensitive
    pattern: "LEAD INSPECTOR:" must not be skipped for want of "Lead inspector"."""
    assert required_literals(r"(?i:Lead inspector):") is None
    assert required_literals(r"(?i:lead) inspectors?") == frozenset({" inspector"})
    assert re.search(r"(?i:Lead inspector):", "LEAD INSPECTOR: Jo Smith")
