"""Findings from single sentences, in phrasings of our own: topic and polarity, contrast and negation."""

from __future__ import annotations

import pytest

from graphkit.extract.findings import sentence_findings


def pairs(sentence: str) -> set[tuple[str, str]]:
    return {(t, p) for t, p, _ in sentence_findings(sentence)}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        pytest.param("Caseloads are reducing but remain high.", {("caseloads", "concern")}, id="contrast-but"),
        pytest.param("Social workers told inspectors their caseloads were unmanageable.",
                     {("caseloads", "concern")}, id="caseloads-unmanageable"),
        pytest.param("Workloads for social workers are manageable.", {("caseloads", "strength")}, id="manageable"),
        pytest.param("Assessments are not yet consistently good.", {("assessment-quality", "concern")},
                     id="negated-strength"),
        pytest.param("Thresholds are applied consistently.", {("thresholds", "strength")}, id="thresholds-good"),
        pytest.param("Thresholds for intervention are not well understood by partners.",
                     {("thresholds", "concern"), ("multi-agency-working", "concern")}, id="thresholds-negated"),
        pytest.param("There is too much drift in children's cases.", {("timeliness", "concern")}, id="drift"),
        pytest.param("Most families receive timely help.", {("timeliness", "strength")}, id="timely-help"),
        pytest.param("The quality of supervision is variable.", {("supervision", "concern")}, id="variable"),
        pytest.param("Staff receive regular, reflective supervision.", {("supervision", "strength")},
                     id="supervision-good"),
        pytest.param("The council relies heavily on agency social workers.", {("agency-staff", "concern")},
                     id="agency-default"),
        pytest.param("High staff turnover means children have had many changes of social worker.",
                     {("staff-turnover", "concern")}, id="turnover"),
        pytest.param("The council must improve the quality of assessments.", {("assessment-quality", "concern")},
                     id="recommendation"),
        pytest.param("Ofsted urged the council to ensure that return home interviews are offered.",
                     {("exploitation-missing", "concern")}, id="urged"),
        pytest.param("Twelve children did not have an allocated social worker.", {("allocation", "concern")},
                     id="allocation"),
        pytest.param("Managers provide effective oversight of frontline practice.",
                     {("management-oversight", "strength")}, id="oversight-good"),
        pytest.param("Care leavers are well supported by personal advisers.", {("care-leavers", "strength")},
                     id="care-leavers"),
        pytest.param("Early help services are effective and well used.", {("early-help", "strength")},
                     id="early-help"),
        pytest.param("Leaders have a clear improvement plan.", {("leadership", "strength")}, id="leadership"),
        pytest.param("There is no drift or delay for children in care.", {("timeliness", "strength")},
                     id="negated-concern"),
        pytest.param("Audits focus on compliance rather than the quality of practice.",
                     {("quality-assurance", "concern")}, id="process-not-impact"),
        pytest.param("Too many children experience frequent changes of social worker.",
                     {("staff-turnover", "concern")}, id="changes-of-worker"),
        pytest.param("Recruitment of permanent social workers has improved.", {("recruitment-retention", "strength")},
                     id="recruitment-improved"),
        pytest.param("Children's views are not consistently recorded in their plans.", {("child-voice", "concern")},
                     id="child-voice"),
        pytest.param("Children often experienced several changes of worker.", {("staff-turnover", "concern")},
                     id="changes-of-worker-unqualified"),
        pytest.param("The workforce is now more stable.", {("staff-turnover", "strength")}, id="workforce-stable"),
        pytest.param("Social workers said they felt well supported.", {("workforce-morale", "strength")},
                     id="staff-feel-supported"),
        pytest.param("Managers did not have a clear grip on the quality of practice.",
                     {("management-oversight", "concern")}, id="managers-grip"),
        pytest.param("Management oversight of decisions is evident on children's records.",
                     {("management-oversight", "strength")}, id="evident"),
        pytest.param("Some care leavers were living in unsuitable accommodation.", {("care-leavers", "concern")},
                     id="unsuitable"),
        pytest.param("The front door was overwhelmed, with a backlog of contacts.", {("front-door", "concern")},
                     id="overwhelmed-backlog"),
        pytest.param("Children were seen by social workers who knew them well.", {("direct-work", "strength")},
                     id="knew-them-well"),
        pytest.param("Inspectors praised the stability of its workforce.", {("staff-turnover", "strength")},
                     id="stability-of-workforce"),
        pytest.param('The early help services were "making a real difference" for families.',
                     {("early-help", "strength")}, id="making-a-difference"),
        pytest.param("Social workers with caseloads of up to 40 children", {("caseloads", "concern")},
                     id="caseloads-of-a-number"),
        pytest.param("Social workers carry caseloads of between 25 and 30 children.", {("caseloads", "concern")},
                     id="caseloads-between-numbers"),
        pytest.param("Children are not always seen alone.", {("visits", "concern")}, id="not-always-seen"),
        pytest.param("Early help services have been significantly strengthened.", {("early-help", "strength")},
                     id="strengthened"),
    ],
)
def test_sentence_topics_and_polarity(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= pairs(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("The council will publish its annual report next week.", id="no-topic"),
        pytest.param("Ofsted published the letter on Tuesday.", id="no-topic-2"),
        pytest.param("We look forward to working with the commissioner.", id="speech-no-topic"),
        pytest.param("They say that they feel valued and are listened to.", id="feeling-valued-not-said-of-staff"),
        pytest.param("The council was rated outstanding again, retaining the grade it was given in 2019.",
                     id="retaining-a-grade-is-not-retaining-staff"),
    ],
)
def test_sentences_without_findings(sentence: str) -> None:
    assert sentence_findings(sentence) == []


def test_rule_ids_name_the_cue_that_fired() -> None:
    from graphkit.extract.cues import topic_cues

    ids = {c.id for c in topic_cues()}
    for _, _, rule in sentence_findings("Caseloads remain too high and supervision is irregular."):
        assert rule in ids


def test_both_sides_of_a_while_clause() -> None:
    found = pairs("While most children receive timely support, the quality of assessments varies.")
    assert ("timeliness", "strength") in found
    assert ("assessment-quality", "concern") in found


@pytest.mark.parametrize(
    "sentence, topic, polarity",
    [
        pytest.param("Inspectors found poor morale among social workers.", "workforce-morale", "concern",
                     id="poor-morale"),
        pytest.param("Morale in the front-line teams is low.", "workforce-morale", "concern", id="morale-is-low"),
        pytest.param("Staff morale is high and social workers enjoy working here.", "workforce-morale", "strength",
                     id="morale-is-high"),
        pytest.param("Inspectors found good morale among social workers.", "workforce-morale", "strength",
                     id="good-morale"),
        pytest.param("Assessments are completed on time.", "assessment-timeliness", "strength",
                     id="assessments-on-time"),
        pytest.param("Most assessments are now completed within timescales.", "assessment-timeliness", "strength",
                     id="assessments-within-timescales"),
        pytest.param("Assessments are not completed within timescales.", "assessment-timeliness", "concern",
                     id="assessments-not-on-time"),
        pytest.param("Too many assessments were completed late.", "assessment-timeliness", "concern",
                     id="assessments-late"),
        pytest.param("The timeliness of assessments has improved.", "assessment-timeliness", "strength",
                     id="timeliness-of-assessments-improved"),
    ],
)
def test_polarity_read_the_right_way_round(sentence: str, topic: str, polarity: str) -> None:
    """A judgement word next to a topic ("poor morale", "on time") decides its polarity, not the topic's name."""
    found = pairs(sentence)
    other = "strength" if polarity == "concern" else "concern"
    assert (topic, polarity) in found and (topic, other) not in found, found


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Statutory visits to children are carried out on time.", id="visits-on-time"),
        pytest.param("Social work visits are carried out on time.", id="social-work-visits"),
        pytest.param("Children's plans are reviewed within timescales.", id="plans-within-timescales"),
        pytest.param("Children are visited within timescales.", id="visited-within-timescales"),
        pytest.param("Visits are carried out on time.", id="bare-visits"),
        pytest.param("Plans are reviewed within timescales.", id="bare-plans"),
    ],
)
def test_work_done_on_time_is_a_strength(sentence: str) -> None:
    found = pairs(sentence)
    assert found and {p for _, p in found} == {"strength"}, found


def test_inspection_visits_are_not_visits_to_children() -> None:
    assert not {t for t, _ in pairs("Ofsted monitoring visits are carried out on time.")} & {"visits"}


def test_a_panel_named_after_a_topic_is_that_topics_meeting() -> None:
    """ "the sexual exploitation panel" is a meeting about exploitation, not a finding on partnership working."""
    found = pairs("Poor attendance by social workers at the exploitation panel was another weakness.")
    assert found == {("exploitation-missing", "concern")}, found
    # A panel with nothing else named still speaks of partners' work together.
    assert ("multi-agency-working", "concern") in pairs("Panel meetings are poorly attended.")


@pytest.mark.parametrize("sentence, topic", [
    ("Only 40% of assessments are completed within timescales.", "assessment-timeliness"),
    ("Only 12 per cent of assessments are completed within timescales.", "assessment-timeliness"),
    ("Too few assessments are completed within timescales.", "assessment-timeliness"),
    ("Fewer than half of assessments are completed on time.", "assessment-timeliness"),
    ("Not all children are visited within timescales.", "visits"),
    ("A minority of children's plans are reviewed within timescales.", "planning"),
])
def test_a_shortfall_in_how_many_turns_a_strength_round(sentence: str, topic: str) -> None:
    """ "Only 40% of X are done on time" praises nothing: a minority quantifier over a strength is a concern."""
    found = pairs(sentence)
    assert (topic, "concern") in found and not any(p == "strength" for _, p in found), found


@pytest.mark.parametrize("sentence", [
    "Most assessments are completed within timescales.",
    "All children are visited within timescales.",
    "Only experienced social workers hold child protection cases, and assessments are completed on time.",
])
def test_a_majority_or_an_unrelated_only_is_still_a_strength(sentence: str) -> None:
    found = pairs(sentence)
    assert found and {p for _, p in found} == {"strength"}, found


def test_a_minority_with_a_problem_is_still_a_problem() -> None:
    found = pairs("A small number of children experience delay in their plans.")
    assert found and {p for _, p in found} == {"concern"}, found


@pytest.mark.parametrize("sentence", [
    "Ensure that visits to children are regular and purposeful.",
    "The council should ensure that visits to children are regular.",
    "Leaders have not ensured that visits to children are regular.",
    "The virtual school has not yet ensured that plans for children in care are of good quality.",
])
def test_a_duty_asked_for_or_not_met_is_a_concern(sentence: str) -> None:
    """ "Ensure that..." and "should ensure" ask for better work; "have not ensured that" says it is missing.

    (A purpose, "...to ensure that children are safe", is read as a recommendation too: Ofsted's
    recommendations are written that way, "Improve X to ensure that Y", far more often than praise is.)
    """
    found = pairs(sentence)
    assert found and {p for _, p in found} == {"concern"}, found
