"""typography rules (TYP001-TYP015)."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.fixes import apply_fixes
from tests.props import assert_fixes_settle, assert_offsets_valid

CODES = ("TYP001", "TYP002", "TYP003", "TYP004", "TYP005", "TYP006", "TYP007", "TYP008", "TYP009", "TYP010", "TYP011", "TYP012", "TYP014")
SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")


def run(text, codes=CODES):
    art = build_article(text)
    return [f for c in codes for f in get_rule(c).run(art, Config())]


def fixed(text, code):
    found = run(text, (code,))
    assert found, f"{code} found nothing in {text!r}"
    return apply_fixes(text, found)


@pytest.mark.parametrize(
    "code, text, expected",
    [
        ("TYP001", "said the agency , adding that", "said the agency, adding that"),
        ("TYP001", "Is it over ? No .", "Is it over? No."),
        ("TYP001", "the result  ; then", "the result; then"),
        ("TYP002", "the  embassy in   Moscow", "the embassy in Moscow"),
        ("TYP003", "about 1,5 million rubles", "about 1.5 million rubles"),
        ("TYP003", "rose by 12,75% in May", "rose by 12.75% in May"),
        ("TYP003", "grew 2,3 times", "grew 2.3 times"),
        ("TYP003", "fined $1,3m by AMF", "fined $1.3m by AMF"),
        ("TYP004", "order № 5 of the ministry", "order No. 5 of the ministry"),
        ("TYP004", "order №5", "order No. 5"),
        ("TYP005", "Moscow — the capital — and Kazan - a city — said", "Moscow — the capital — and Kazan — a city — said"),
        ("TYP006", "in that direction, — said the agency", "in that direction, said the agency"),
        ("TYP006", "in that direction,” — said the agency", "in that direction,” said the agency"),
        ("TYP007", "Progress on visas.\n\nBody text here.", "Progress on visas\n\nBody text here."),
        ("TYP012", "a leader of the XXI century", "a leader of the 21st century"),
        ("TYP012", "churches of the XIX-XX centuries", "churches of the 19th-20th centuries"),
        ("TYP012", "from the XII to XIII centuries", "from the 12th to 13th centuries"),
        ("TYP009", "worth 5 mln rubles and 2 bln. yuan", "worth 5 million rubles and 2 billion yuan"),
        ("TYP009", "It cost 5mln rub. A loan.", "It cost 5 million rubles. A loan."),
        ("TYP009", "grew by 300 thous. rub. in May", "grew by 300 thousand rubles in May"),
        ("TYP009", "a profit of $960 mln.", "a profit of $960 million."),
        ("TYP009", "(more than $8 bln.) into", "(more than $8 billion) into"),
        ("TYP014", "inflation reached 8,4 % in May", "inflation reached 8,4% in May"),
        ("TYP014", "one pregnancy in three (36 %) is unplanned", "one pregnancy in three (36%) is unplanned"),
        ("TYP014", "a share of 12\u00a0%, up from 9\u202f%", "a share of 12%, up from 9%"),
    ],
)
def test_found_and_fixed(code, text, expected):
    assert fixed(text, code) == expected


def test_hyphen_dash_follows_the_articles_en_dash_style():
    text = "They are unwilling – at least so far – to act - he said."
    assert fixed(text, "TYP005") == "They are unwilling – at least so far – to act – he said."


def test_spaced_hyphens_as_house_style_not_flagged():
    assert run("Mr Smith - who denied it - said the plan - a bold one — was fine.", ("TYP005",)) == []
    assert run("MOSCOW (Reuters) - Talks resumed — and stalled — on Monday.", ("TYP005",)) == []


def test_bare_decimal_comma_is_an_unsafe_suggestion():
    (f,) = run("The index fell to 72,0 in February.", ("TYP003",))
    assert (f.suggestion, f.fix) == ("72.0", "unsafe")
    assert run("[1,1] input; lost 1-6,4-6 in the third", ("TYP003",)) == []


def test_entity_space_before_semicolon_is_not_typography():
    assert run("Kim &#160 ; Wall came second", ("TYP001",)) == []


def test_russian_dash_with_entity_is_pointed_at_not_fixed():
    text = "move in that direction, '', & mdash; said the interlocutor"
    (f,) = run(text, ("TYP006",))
    assert text[f.start : f.end].startswith(", '', & mdash;")
    assert f.suggestion is None


@pytest.mark.parametrize(
    "text",
    [
        "1,500 people and 12,000,000 dollars; in 2014,15 people; won 6-4,6-3",
        "The score was 2 - 1 and the range 10 - 20.",
        "He paused ... then spoke. The .NET framework costs .5 percent.",
        "A well-known co-operation; a state-of-the-art plant.",
        "He arrived in the U.S.\n\nBody.",
        "A line. Two spaces after nothing.",
    ],
)
def test_clean_typography_not_flagged(text):
    found = [f for f in run(text) if f.code != "TYP007"]
    assert found == []


def test_number_abbreviation_severity_comes_from_the_data_file():
    found = run("5 mln people and 3 mlrd rubles", ("TYP009",))
    assert [(f.severity, f.fix) for f in found] == [("info", "safe"), ("warning", "safe")]


@pytest.mark.parametrize(
    "text",
    ["There lies the rub. The 2 rubs.", "a rate of 73.9 rub./doll. by 2031", "a 5 mln-strong army",
     "a choice of 5/8ths", "it raised £2bn and $3mn", "mln people, thous of them"],
)
def test_number_abbreviation_not_flagged(text):
    assert run(text, ("TYP009",)) == []


def test_wire_headline_abbreviation_is_not_reported():
    text = "Boeing gets $2 bln U.S. Air Force deal\n\nThe 3 bln dollar deal and 5 thous. rub. fees."
    found = run(text, ("TYP009",))
    assert [text[f.start : f.end].strip() for f in found] == ["bln", "thous.", "rub."]


def test_spaced_thousands_get_commas():
    text = "about 80 000 people and 1 500 000 rubles, from 400\u00a0000 to 500 000."
    assert [(text[f.start : f.end], f.suggestion, f.fix) for f in run(text, ("TYP011",))] == [
        ("80 000", "80,000", "unsafe"), ("1 500 000", "1,500,000", "unsafe"),
        ("400\u00a0000", "400,000", "unsafe"), ("500 000", "500,000", "unsafe"),
    ]


def test_spaced_thousands_after_a_clause_comma():
    # ", " ends a clause, not a longer number (a digit before it would make it one)
    text = "Over the past day, 37 120 new cases were found. In 2019, 100 people came."
    assert [text[f.start : f.end] for f in run(text, ("TYP011",))] == ["37 120"]


@pytest.mark.parametrize(
    "text",
    ["On May 12 500 people came.", "Call +7 495 123 45 67 now.", "In 2019 100 people died.",
     "The rate was 1 500,5 units.", "Flat No. 12 345 was sold.", "It costs 80,000 rubles.",
     "the sale of 10 737-800 planes", "to ramp up to 10 787s per month", "Zaire K-5 105 (unq)"],
)
def test_spaced_thousands_not_flagged(text):
    assert run(text, ("TYP011",)) == []


@pytest.mark.parametrize("text", ["Louis XIV century furniture", "the IIX century", "World War II centuries later", "the 21st century"])
def test_roman_century_not_flagged(text):
    assert run(text, ("TYP012",)) == []


def test_dotted_date_is_a_suggestion():
    (f,) = run("The law of 16.02.2009 applies.", ("TYP010",))
    assert (f.suggestion, f.fix, f.severity) == ("16 February 2009", "unsafe", "info")
    (f,) = run("It ended on 3.05.2021.", ("TYP010",))
    assert f.suggestion == "3 May 2021"


@pytest.mark.parametrize("text", ["version 10.12.2020.1", "v1.10.2019", "at 10.30 on 12.13", "1.5.20 and 32.01.2020"])
def test_dotted_date_not_flagged(text):
    assert run(text, ("TYP010",)) == []


def test_exclamation_title_then_dash_is_not_dialogue():
    assert run("Salaam Bombay! - nominated for an Oscar", ("TYP006",)) == []


def test_headline_abbreviation_not_flagged():
    assert run("Talks with the U.S.\n\nBody text.", ("TYP007",)) == []


def test_seed_000_russian_dash():
    with open(os.path.join(SEEDS, "000_ad98f480298dccfc.txt"), encoding="utf-8") as fh:
        text = fh.read()
    found = run(text, ("TYP006",))
    assert [(f.start, text[f.start : f.end].rstrip()) for f in found] == [(1950, ", '', & mdash;")]


def test_seed_001_headline_stop_and_resumed_quote():
    with open(os.path.join(SEEDS, "001_326390cf8e72ab50.txt"), encoding="utf-8") as fh:
        text = fh.read()
    found = [(f.code, f.start, text[f.start : f.end]) for f in run(text)]
    assert found == [("TYP007", 137, "."), ("TYP008", 1232, ", “But")]


def test_resumed_quote_with_a_name_is_fine():
    text = 'It was hard," he said, "Moscow knows that. We know it," she said, "but we go on.'
    assert run(text, ("TYP008",)) == []


PIECES = st.sampled_from([" ", "  ", ",", " ,", ".", " .", "1,5", " million", "№", " - ", "-", "—", ", — ", "a", "\n", "\n\n", "”", "''", "%"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_offsets_valid_and_fixes_converge(text):
    found = run(text)
    assert_offsets_valid(found, text)
    assert_fixes_settle(lambda t: run(t), text, found, passes=4)


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    assert_offsets_valid(run(text), text)


@pytest.mark.parametrize("text, span, fix", [
    ("The fund raised 100 thousand euros.", "100 thousand", "100,000"),
    ("About 2.6 thousand people came.", "2.6 thousand", "2,600"),
    ("Exports reached 8,500 thousand tons.", "8,500 thousand", "8.5 million"),
    # "7 млн 540 тыс.": one figure, not "7 million 540,000"
    ("In total, 7 million 540 thousand people recovered.", "7 million 540 thousand", "7.54 million"),
    ("In total, 7 million, 540 thousand of them adults.", "540 thousand", "540,000"),
])
def test_figure_and_thousand(text, span, fix):
    (f,) = get_rule("TYP013").run(build_article(text), Config())
    assert (text[f.start:f.end], f.suggestion, f.severity, f.fix) == (span, fix, "info", "unsafe")


@pytest.mark.parametrize("text", [
    "Tens of thousands marched; several thousand stayed.",
    "It cost 1.2345 thousand, a figure no one writes.",
    "The 2,6 thousand is a decimal comma, TYP003's.",
])
def test_words_with_thousand_stay(text):
    assert get_rule("TYP013").run(build_article(text), Config()) == []


@pytest.mark.parametrize("text", ["Rates rose 3% in May.", "the % sign", "Column: % of votes", "Model X %d format"])
def test_percent_sign_without_a_space_after_a_figure_stays(text):
    assert run(text, ("TYP014",)) == []


def test_interview_turns_opened_by_dashes():
    text = ("Head\n\n— Alexei Evgenievich, when will the first unit be launched?\n\n"
            "— We plan to launch it next year.\n\n– Are there difficulties?")
    found = run(text, ("TYP015",))
    assert [text[f.start:f.end] for f in found] == ["— ", "— ", "– "]
    assert all(f.severity == "info" and f.suggestion is None for f in found)


@pytest.mark.parametrize("text", [
    "Head\n\nThe truth is rarely pure and never simple.\n\n— Oscar Wilde",  # one line: an epigraph's attribution
    "Head\n\nMoscow — the capital — was quiet.\n\nKazan – the other city – too.",  # dashes inside lines
    "Head\n\n- Item one\n\n- Item two",  # hyphen bullets
])
def test_dashes_that_are_not_dialogue_stay(text):
    assert run(text, ("TYP015",)) == []
