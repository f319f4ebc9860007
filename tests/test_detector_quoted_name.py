"""CAL008: an organisation's name in quotation marks ('the company "Rosneft"')."""

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule


def cal008(text):
    return [(text[f.start : f.end], f.suggestion, f.severity, f.fix)
            for f in get_rule("CAL008").run(build_article(text), Config())]


@pytest.mark.parametrize(
    "text, span, suggestion",
    [
        ('SSJ-100 is built by the company "Sukhoi Civil Aircraft" with Alenia.', '"Sukhoi Civil Aircraft"', "Sukhoi Civil Aircraft"),
        ("As the newspaper “Izvestia” reports, the bill is ready.", "“Izvestia”", "Izvestia"),
        ('He left the party "A Just Russia" in October.', '"A Just Russia"', "A Just Russia"),
        # a known Russian organisation needs no noun before it
        ('The deal was confirmed, reports "Interfax".', '"Interfax"', "Interfax"),
        ('Earlier, the head of the "Roscosmos" corporation said so.', '"Roscosmos"', "Roscosmos"),
        # American punctuation inside the marks stays
        ('Abbott said, according to the newspaper "Houston Chronicle."', '"Houston Chronicle."', "Houston Chronicle."),
        ('Newspaper "Vedomosti" wrote about it.', '"Vedomosti"', "Vedomosti"),
    ],
)
def test_quoted_organisation_name(text, span, suggestion):
    ((got, sugg, severity, fix),) = cal008(text)
    assert (got, sugg) == (span, suggestion)
    assert (severity, fix) == ("info", "unsafe")


@pytest.mark.parametrize(
    "text",
    [
        'He called the plan "a disaster" on Monday.',  # a quotation, not a name
        'The minister said: "We are ready."',
        'The publication "Maneuver with three horses" appeared in Kommersant.',  # a title: English quotes it
        'Charles-de-Gaulle Aircraft Carrier "Unavailable"',  # the noun is part of a name
        'The company said "Everything is fine and we will keep working on it."',  # speech after the noun
        "The company Rosneft reported profits.",  # no quotation marks
        'Fans chanted "Spartak, Spartak!" outside.',  # a chant, not a name alone
    ],
)
def test_other_quotations_are_left_alone(text):
    assert cal008(text) == []
