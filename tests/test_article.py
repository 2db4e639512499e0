"""Article extraction on small texts of our own: councils, people, grades, inspections, dates, furniture."""

from __future__ import annotations

import pytest

from graphkit.documents.furniture import find_furniture
from graphkit.documents.model import Document
from graphkit.extract.article import extract_article
from graphkit.extract.councils import find_councils
from graphkit.extract.dates import find_dates
from graphkit.extract.gazetteer import load_gazetteer


def doc(text: str, doc_id: str = "t") -> Document:
    return Document(id=doc_id, text=text, furniture=tuple(find_furniture(text)))


def names(text: str) -> list[str]:
    gaz = load_gazetteer()
    return [gaz.name(h.gss) for h in find_councils(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Dudley Metropolitan Borough Council said", ["Dudley"], id="full-name"),
        pytest.param("City of Wolverhampton Council was praised", ["Wolverhampton"], id="city-of"),
        pytest.param("Hull City Council and Kingston upon Hull", ["Kingston Upon Hull, City of"] * 2, id="hull"),
        pytest.param("Barking & Dagenham's children's services", ["Barking and Dagenham"], id="ampersand"),
        pytest.param("St Helens Council and Stoke-on-Trent City Council", ["St. Helens", "Stoke-on-Trent"],
                     id="st-and-hyphens"),
        pytest.param("North Yorkshire County Council", ["North Yorkshire"], id="longest-wins"),
        pytest.param("Reading the report, officials in Bury were pleased", ["Bury"], id="ambiguous-verb"),
        pytest.param("Reading Borough Council was judged good", ["Reading"], id="ambiguous-with-council"),
        pytest.param("Meanwhile neighbouring Derby was rated outstanding", ["Derby"], id="ambiguous-neighbouring"),
        pytest.param("Kingston was previously rated requires improvement", ["Kingston upon Thames"],
                     id="ambiguous-rated"),
        pytest.param("Councillor Emma Sutton said", [], id="surname-not-council"),
        pytest.param("Newcastle-under-Lyme Borough Council", [], id="district-not-county"),
    ],
)
def test_council_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_council_anaphora_and_primary_council() -> None:
    text = ("Sandwell Council's children's services were judged inadequate by Ofsted.\n"
            "Inspectors said the local authority had too many agency social workers.\n")
    ex = extract_article(doc(text))
    assert {f.council for f in ex.findings} == {"E08000028"}
    assert ("E08000028", "agency-staff", "concern") in {(f.council, f.topic, f.polarity) for f in ex.findings}


@pytest.mark.parametrize(
    "sentence, name, role, org",
    [
        pytest.param("Lead inspector Jane Doe said the service was improving.", "Jane Doe", "inspector", "Ofsted",
                     id="inspector-before"),
        pytest.param("Amir Khan, director of children's services at Walsall Council, said he was pleased.",
                     "Amir Khan", "director", "E08000030", id="director-apposition"),
        pytest.param("Walsall council leader Mike Bird said the report was fair.", "Mike Bird", "councillor",
                     "E08000030", id="leader-before"),
        pytest.param("Cllr Ann Lee, cabinet member for children, welcomed the findings.", "Ann Lee", "councillor",
                     "E08000030", id="cllr"),
        pytest.param("John Smith, the council's chief executive, apologised.", "John Smith", "chief-executive",
                     "E08000030", id="chief-executive"),
        pytest.param("Children's minister Kate Green said the council must act.", "Kate Green", "minister",
                     "Department for Education", id="minister"),
        pytest.param("Paul Jones was appointed as children's services commissioner for Walsall.", "Paul Jones",
                     "commissioner", "Department for Education", id="commissioner-appointed"),
        pytest.param("Ofsted's Jenny Turner, one of His Majesty's Inspectors, said thresholds were clear.",
                     "Jenny Turner", "inspector", "Ofsted", id="owner-before-name"),
        pytest.param("Walsall's Ann Lee, cabinet member for children, welcomed the findings.", "Ann Lee",
                     "councillor", "E08000030", id="council-before-name"),
        pytest.param("Steve Walker, a former director of children's services in Leeds, would be appointed as "
                     "commissioner.", "Steve Walker", "commissioner", "Department for Education",
                     id="former-post-then-appointment"),
        pytest.param("Council leader Chris Young said the findings were fair.", "Chris Young", "councillor",
                     "E08000030", id="surname-that-is-also-a-word"),
        pytest.param("Children and Families Minister Claire Coutinho said the council must act.", "Claire Coutinho",
                     "minister", "Department for Education", id="long-title-before-name"),
        pytest.param("Education Secretary Gillian Keegan said the council must act.", "Gillian Keegan", "minister",
                     "Department for Education", id="secretary-before-name"),
        pytest.param("Coun Sarah Jones, cabinet member for children, said she was pleased.", "Sarah Jones",
                     "councillor", "E08000030", id="coun"),
    ],
)
def test_people_roles(sentence: str, name: str, role: str, org: str) -> None:
    text = "Walsall Council's children's services were inspected by Ofsted.\n" + sentence + "\n"
    people = {p.name: p for p in extract_article(doc(text)).people}
    assert name in people
    assert (people[name].role, people[name].organisation) == (role, org)


@pytest.mark.parametrize(
    "sentence, grade",
    [
        pytest.param("Ofsted judged Walsall Council's children's services inadequate.", "inadequate", id="judged"),
        pytest.param("Walsall was handed Ofsted's lowest rating.", "inadequate", id="lowest-rating"),
        pytest.param("Walsall's children's services remain with a Good rating.", "good", id="remain-good"),
        pytest.param("Walsall was rated requires improvement to be good.", "requires-improvement", id="ri"),
        pytest.param("Walsall was downgraded from good after the inspection.", "good", id="downgraded-from"),
        pytest.param("Walsall's services were rated 'outstanding' by inspectors.", "outstanding", id="outstanding"),
        pytest.param("Walsall's children's services remain inadequate, inspectors said.", "inadequate",
                     id="remain-inadequate"),
        pytest.param("Walsall was one of 20 councils rated inadequate last year.", "inadequate", id="one-of-many"),
        pytest.param("Walsall has moved from requires improvement to good.", "requires-improvement",
                     id="moved-from"),
        pytest.param("Walsall Council was judged to require improvement.", "requires-improvement",
                     id="require-improvement"),
        pytest.param("In Walsall, inspectors found that services required improvement to be good.",
                     "requires-improvement", id="the-grade-s-whole-name"),
    ],
)
def test_grades(sentence: str, grade: str) -> None:
    ratings = extract_article(doc(sentence + "\n")).ratings
    assert (grade, "E08000030") in {(r.grade, r.council) for r in ratings}


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Walsall Council said social workers did good work with families.", id="good-adjective"),
        pytest.param("Walsall Council fears it could be rated inadequate.", id="hypothetical"),
        pytest.param("Walsall Council's one area found to require improvement was help and protection.", id="area"),
        pytest.param("Relationships between staff remain good in Walsall.", id="good-not-a-grade"),
        pytest.param("Walsall Council said the quality of housing was inadequate.", id="inadequate-housing"),
    ],
)
def test_not_grades(sentence: str) -> None:
    assert extract_article(doc(sentence + "\n")).ratings == ()


def test_inspection_kinds_dates_and_anaphora() -> None:
    text = ("Walsall children's services praised\n\nBy Jo Bloggs\n\n12 March 2019\n\n"
            "A monitoring visit by Ofsted to Walsall Council last month found progress.\n"
            "The visit also found that caseloads remain too high.\n"
            "Ofsted carried out a focused visit in January.\n"
            "The council was judged inadequate in May 2017.\n"
            "A full inspection is due later this year.\n")
    ex = extract_article(doc(text))
    got = {(i.kind, i.date) for i in ex.inspections}
    assert ("monitoring-visit", "2019-02") in got
    assert ("focused-visit", "2019-01") in got
    assert ("inspection", "2017-05") in got  # the inspection that gave the grade
    assert not any(k == "inspection" and d and d.startswith("2019") for k, d in got)  # future one left out
    assert len([k for k, _ in got if k == "monitoring-visit"]) == 1  # "the visit" refers back
    assert ex.metadata.published == "2019-03-12"
    assert ("Jo Bloggs", "journalist") in {(p.name, p.role) for p in ex.people}


def test_years_after_dates_the_grade_that_follows_not_the_one_before() -> None:
    """"Rated inadequate, three years after it was judged to require improvement": the three years back
    are the older grade's date; the new grade is this article's news."""
    text = ("Walsall children's services news\n\n14 March 2024\n\n"
            "Walsall's children's services have been rated inadequate by Ofsted, three years after the council "
            "was judged to require improvement.\n")
    got = {(r.grade, r.date) for r in extract_article(doc(text)).ratings}
    assert ("requires-improvement", "2021") in got
    assert ("inadequate", "2021") not in got
    assert ("inadequate", "2024-03") in got


def test_a_grade_after_a_list_of_councils_is_each_one_s() -> None:
    text = ("Children's services in Kingston and Richmond, run by one trust, have been rated good in both "
            "boroughs.\nSandwell, Walsall and Dudley were rated inadequate.\n")
    got = {(load_gazetteer().name(r.council), r.grade) for r in extract_article(doc(text)).ratings}
    assert got == {("Kingston upon Thames", "good"), ("Richmond upon Thames", "good"), ("Sandwell", "inadequate"),
                   ("Walsall", "inadequate"), ("Dudley", "inadequate")}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        pytest.param("Ofsted upgraded Walsall from inadequate to requires improvement in March 2019.",
                     {("inadequate", None), ("requires-improvement", "2019-03")}, id="from-to-then-date"),
        pytest.param("Walsall was rated good in 2015 and inadequate in 2019.",
                     {("good", "2015"), ("inadequate", "2019")}, id="two-dated-grades"),
        pytest.param("Walsall became the first council to move from inadequate to outstanding.",
                     {("inadequate", None), ("outstanding", None)}, id="move-from-to"),
    ],
)
def test_a_date_after_the_next_grade_is_that_grade_s(sentence: str, expected: set) -> None:
    assert {(r.grade, r.date) for r in extract_article(doc(sentence + "\n")).ratings} == expected


def test_a_date_just_before_a_grade_through_when_dates_it() -> None:
    text = ("Walsall children's services news\n\n19 November 2021\n\n"
            "An inspection in October found the service had deteriorated since it was last inspected in 2018, "
            "when it was judged to require improvement.\n")
    assert {(r.grade, r.date) for r in extract_article(doc(text)).ratings} == {("requires-improvement", "2018")}


def test_a_grade_ofsted_has_just_given_is_dated_by_its_inspection_else_by_publication() -> None:
    text = ("Walsall children's services news\n\n26 June 2023\n\n"
            "Ofsted has rated Walsall Council's children's services as inadequate.\n")
    assert {(r.grade, r.date) for r in extract_article(doc(text)).ratings} == {("inadequate", "2023-06")}
    text += "The report follows an inspection carried out between 15 and 26 May.\n"
    ex = extract_article(doc(text))
    assert {(r.grade, r.date) for r in ex.ratings} == {("inadequate", "2023-05-26")}
    assert ("inspection", "2023-05-26") in {(i.kind, i.date) for i in ex.inspections}


def test_only_the_grade_beside_has_been_rated_is_dated_by_publication() -> None:
    text = ("Walsall children's services news\n\n21 May 2019\n\n"
            "Walsall Children's Services Trust has been rated good by Ofsted, four years after the council's "
            "services were taken out of its control following an inadequate rating.\n")
    got = {(r.grade, r.date) for r in extract_article(doc(text)).ratings}
    assert got == {("good", "2019-05"), ("inadequate", None)}


def test_a_grade_just_given_takes_the_date_of_the_inspection_the_article_dates() -> None:
    text = ("Walsall children's services news\n\n22 July 2016\n\n"
            "Ofsted has rated Walsall Council requires improvement for its services to vulnerable children.\n"
            "The full inspection took place in April.\n")
    assert {(r.grade, r.date) for r in extract_article(doc(text)).ratings} == {("requires-improvement", "2016-04")}


def test_a_sentence_listing_the_grades_gives_none() -> None:
    text = ("Walsall children's services news\n\n"
            "Ofsted grades each council on a four-point scale: outstanding, good, requires improvement to be good, "
            "and inadequate.\n")
    assert extract_article(doc(text)).ratings == ()


def test_a_day_and_month_without_a_year_is_the_last_one_up_to_publication() -> None:
    assert [d.value for d in find_dates("between 15 and 26 May", "2023-06-26")] == ["2023-05-26"]
    assert [d.value for d in find_dates("on 12 March", "2024-03-10")] == ["2023-03-12"]
    assert [d.value for d in find_dates("on 12 March", None)] == [None]
    assert [d.value for d in find_dates("on 31 February", "2024-03-10")] == []  # no such day
    assert [d.value for d in find_dates("on 31 February 2023")] == ["2023-02"]  # the month stands


def test_a_visit_of_unsaid_kind_is_the_kind_of_visit_the_article_names() -> None:
    text = ("Walsall children's services news\n\n3 March 2025\n\n"
            "Walsall Council's front door is working well, according to a focused visit by Ofsted.\n"
            "Inspectors looked at contacts and referrals during a visit on 12 and 13 February 2025.\n")
    got = {(i.kind, i.date) for i in extract_article(doc(text)).inspections}
    assert got == {("focused-visit", "2025-02-13")}
    # With two kinds of visit named, a visit of unsaid kind stays a visit.
    text += "A monitoring visit in 2023 had found progress.\n"
    kinds = {i.kind for i in extract_article(doc(text)).inspections}
    assert "visit" in kinds and {"focused-visit", "monitoring-visit"} <= kinds


def test_relative_dates_left_open_without_publication_date() -> None:
    assert [d.value for d in find_dates("a visit last month", None)] == [None]
    assert [d.value for d in find_dates("a visit last month", "2020-01-15")] == ["2019-12"]
    assert [d.value for d in find_dates("in October", "2020-03-01")] == ["2019-10"]
    assert [d.value for d in find_dates("an Ofsted report published today", "2016-04-05")] == ["2016-04-05"]


def test_furniture_yields_no_facts() -> None:
    text = ("Walsall Council's children's services judged inadequate\n"
            "Inspectors found caseloads were too high.\n\n"
            "Subscribe\nFrom £15 / month\n\n"
            "More from Community Care\n\n"
            "Sandwell praised for early help\n12/05/2022\nSandwell's early help is effective.\n\n"
            "2 Responses to Walsall children's services judged inadequate\n"
            "Jane Commenter March 5, 2019 at 10:46 pm #\nPlymouth adult social care is worse.\n")
    ex = extract_article(doc(text))
    assert {m.council for m in ex.councils} == {"E08000030"}
    assert all(p.name != "Jane Commenter" for p in ex.people)
    assert {f.topic for f in ex.findings} == {"caseloads"}


def test_evidence_slices_back_to_quote() -> None:
    text = open_seed("003")
    d = doc(text)
    ex = extract_article(d)
    facts = [*ex.councils, *ex.people, *ex.ratings, *ex.inspections, *ex.findings]
    assert facts
    for f in facts:
        assert d.text[f.evidence.start:f.evidence.end] == f.evidence.quote
        assert not d.is_furniture(f.evidence.start, f.evidence.end)


def open_seed(prefix: str) -> str:
    from conftest import SEEDS

    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "header, author, published",
    [
        pytest.param("By Mithran Samuel on October 10, 2019 in Children, Workforce", "Mithran Samuel", "2019-10-10",
                     id="byline-on-date"),
        pytest.param("20 June 2019 By Mark Smulian", "Mark Smulian", "2019-06-20", id="date-then-byline"),
        pytest.param("Joe Lepper\n\nFriday, August 31, 2018", "Joe Lepper", "2018-08-31", id="name-over-date"),
        pytest.param("Published 12 March 2019\n\nBy Sarah Jones\nBBC News, West Midlands", "Sarah Jones",
                     "2019-03-12", id="published-line"),
        pytest.param("By Mark Thompson\nPublished: 08:00 Friday 23 March 2018", "Mark Thompson", "2018-03-23",
                     id="time-before-the-date"),
        pytest.param("By Mark Thompson\nPublished 3 May 2022.", "Mark Thompson", "2022-05-03",
                     id="dateline-with-a-full-stop"),
    ],
)
def test_bylines_and_datelines(header: str, author: str, published: str) -> None:
    text = f"Walsall children's services praised\n\n{header}\n\nWalsall Council was judged good by Ofsted.\n"
    ex = extract_article(doc(text))
    assert ex.metadata.published == published
    assert (author, "journalist") in {(p.name, p.role) for p in ex.people}


def test_sentences_about_the_sector_give_no_findings() -> None:
    text = ("Walsall Council's children's services were judged inadequate by Ofsted.\n"
            "Inspectors said caseloads in Walsall were too high.\n"
            "Nationally, councils face a shortage of social workers and rising reliance on agency staff.\n")
    found = {(f.topic, f.polarity) for f in extract_article(doc(text)).findings}
    assert found == {("caseloads", "concern")}


def test_childrens_commissioner_is_not_a_council_commissioner() -> None:
    text = ("Walsall Council's children's services were judged inadequate by Ofsted.\n"
            "Anne Longfield, the Children's Commissioner for England, said the findings were shocking.\n")
    people = {p.name: p for p in extract_article(doc(text)).people}
    assert people["Anne Longfield"].role == "other"


@pytest.mark.parametrize(
    "sentence, kind, date",
    [
        pytest.param("Inspectors visited Walsall in March 2019 for a focused visit on children in need.",
                     "focused-visit", "2019-03", id="date-before-kind"),
        pytest.param("The council has had three monitoring visits since the 2017 inspection.", "inspection", "2017",
                     id="the-year-inspection"),
        pytest.param("The findings follow a three-day visit by Ofsted inspectors in November.", "visit", "2018-11",
                     id="month-resolved"),
        pytest.param("A joint targeted area inspection of Walsall looked at neglect.", "jtai", None, id="jtai"),
        pytest.param("A joint inspection of services in Walsall looked at exploitation.", "jtai", None,
                     id="joint-inspection"),
        pytest.param("Walsall has had seven monitoring visits since 2019.", "monitoring-visit", None,
                     id="since-a-year-is-no-date-of-it"),
        pytest.param("The inspection of Walsall took place in February and March 2019.", "inspection", "2019-02",
                     id="two-months"),
    ],
)
def test_inspection_phrasings(sentence: str, kind: str, date: str | None) -> None:
    text = "Walsall children's services news\n\n12 May 2019\n\n" + sentence + "\n"
    assert (kind, date) in {(i.kind, i.date) for i in extract_article(doc(text)).inspections}


def test_future_inspections_are_left_out() -> None:
    text = ("Walsall children's services news\n\nWalsall's next inspection is expected in the spring.\n"
            "Ofsted will return to Walsall for a full inspection next year.\n")
    assert extract_article(doc(text)).inspections == ()


@pytest.mark.parametrize(
    "sentence, grade",
    [
        pytest.param("Ofsted rated the council inadequate in May 2023.", "inadequate", id="may-year-after"),
        pytest.param("In May 2023 Walsall Council was rated inadequate.", "inadequate", id="in-may-before"),
        pytest.param("In May the council was rated inadequate.", "inadequate", id="in-may-no-year"),
        pytest.param("Since May, Walsall's children's services have been judged inadequate.", "inadequate",
                     id="since-may"),
        pytest.param("On 12 May Walsall was judged inadequate by Ofsted.", "inadequate", id="day-may"),
        pytest.param("Last May Walsall was rated requires improvement.", "requires-improvement", id="last-may"),
    ],
)
def test_the_month_may_is_a_date_not_a_modal(sentence: str, grade: str) -> None:
    text = "Walsall Council's children's services were inspected by Ofsted.\n" + sentence + "\n"
    assert (grade, "E08000030") in {(r.grade, r.council) for r in extract_article(doc(text)).ratings}


def test_may_as_a_modal_is_still_hypothetical() -> None:
    for sentence in ("Walsall Council may be rated inadequate.", "Walsall fears it May be judged inadequate."):
        assert extract_article(doc(sentence + "\n")).ratings == (), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("Walsall was rated requires improvement to be good.", id="ri-full-name"),
        pytest.param("Ofsted judged Walsall Council 'requires improvement to be good' in 2019.", id="ri-quoted"),
    ],
)
def test_requires_improvement_to_be_good_is_one_grade(sentence: str) -> None:
    assert {r.grade for r in extract_article(doc(sentence + "\n")).ratings} == {"requires-improvement"}


@pytest.mark.parametrize(
    "author",
    ["Sean O'Connor", "Sean O’Connor", "Ruth McAllister", "Ian MacDonald", "Priya D'Souza", "Anna Smith-Jones"],
)
@pytest.mark.parametrize("header", ["By {author}\n\n12 March 2019", "{author}\n\n12 March 2019",
                                    "By {author} on March 12, 2019 in Children"])
def test_bylines_with_prefixed_apostrophe_and_double_barrelled_names(header: str, author: str) -> None:
    text = f"Walsall children's services praised\n\n{header.format(author=author)}\n\nWalsall was judged good.\n"
    assert (author, "journalist") in {(p.name, p.role) for p in extract_article(doc(text)).people}


@pytest.mark.parametrize("official, inspector", [("Sean O'Connor", "Ruth McAllister"),
                                                 ("Priya D'Souza", "Anna Smith-Jones"),
                                                 ("Ian MacDonald", "Kate O’Neill")])
def test_officials_with_such_names_are_people(official: str, inspector: str) -> None:
    text = ("Walsall Council's children's services were judged inadequate by Ofsted.\n"
            f"{official}, the council's chief executive, said the council accepted the findings.\n"
            f"Lead inspector {inspector} wrote the report.\n")
    people = {(p.name, p.role) for p in extract_article(doc(text)).people}
    assert {(official, "chief-executive"), (inspector, "inspector")} <= people, people


def test_read_more_line_starts_a_list_of_other_stories() -> None:
    text = ("Walsall Council's children's services judged inadequate\n"
            "Inspectors found caseloads were too high in Walsall.\n\n"
            "Read more:\n"
            "Sandwell children's services rated good\n"
            "Dudley praised for early help\n"
            "Training for Walsall's managers has been limited.\n"
            "Walsall Council said it accepted the findings and would act on them quickly for children.\n")
    kinds = {(text[s.start:s.end].split("\n")[0], s.kind) for s in find_furniture(text)}
    assert ("Read more:", "related-links") in kinds, kinds
    ex = extract_article(doc(text))
    assert {m.council for m in ex.councils} == {"E08000030"}
    # The list ends at the first line that reads as a sentence of the story, however short.
    assert ("training", "concern") in {(f.topic, f.polarity) for f in ex.findings}


def test_a_news_agency_is_not_a_person() -> None:
    text = ("Walsall Council's children's services were judged inadequate by Ofsted.\n"
            "Chief executive Peter Ramsay told the Local Democracy Reporting Service: \"We will improve.\"\n")
    assert {p.name for p in extract_article(doc(text)).people} == {"Peter Ramsay"}


def _needs_digit(items) -> bool:  # noqa: ANN001 - a re parse tree
    """Whether every match of a parsed sequence consumes a digit."""
    import re._constants as C  # noqa: N812 - the parse tree's opcodes

    for op, av in items:
        if op is C.LITERAL and chr(av).isdigit():
            return True
        if op is C.IN and (C.CATEGORY, C.CATEGORY_DIGIT) in av and len(av) == 1:
            return True
        if op is C.SUBPATTERN and _needs_digit(av[-1]):
            return True
        if op is C.BRANCH and all(_needs_digit(alt) for alt in av[1]):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and _needs_digit(av[2]):
            return True
    return False


def test_date_rules_skipped_without_digits_need_one() -> None:
    import re._parser as sre_parse

    from graphkit.extract import dates

    rules = {rule for rule, pattern in dates._PATTERNS if _needs_digit(list(sre_parse.parse(pattern.pattern)))}
    assert dates._NEEDS_DIGIT <= rules
    assert "month-only" not in rules and "years-ago" not in rules
