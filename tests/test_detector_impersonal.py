"""CAL007: a Russian impersonal sentence kept without a subject ("In the Kremlin commented")."""

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.impersonal import _grammar, _may_be_impersonal, _verb_forms
from auditor.detectors.registry import get_rule


def cal007(text):
    return list(get_rule("CAL007").run(build_article(text), Config()))


@pytest.mark.parametrize(
    "sentence, span, suggestion",
    [
        ("In the Kremlin commented on the statement of Zelensky.", "In the Kremlin commented", "The Kremlin commented"),
        # the Russian plural present agrees with an English singular subject
        ("In the Kremlin believe that the talks will go on.", "In the Kremlin believe", "The Kremlin believes"),
        ("In the Armed Forces of Ukraine believe the attack was repelled.",
         "In the Armed Forces of Ukraine believe", "The Armed Forces of Ukraine believe"),
        ("In the Kremlin have not yet decided on the format.", "In the Kremlin have not yet decided",
         "The Kremlin has not yet decided"),
        ("In the State Duma proposed to ban energy drinks.", "In the State Duma proposed", "The State Duma proposed"),
        ("In the Ministry of Defense of the Russian Federation showed footage.",
         "In the Ministry of Defense of the Russian Federation showed",
         "The Ministry of Defense of the Russian Federation showed"),
        ("In the company explained the delay by a shortage of parts.", "In the company explained", "The company explained"),
        ("In Zelensky's office answered the question.", "In Zelensky's office answered", "Zelensky's office answered"),
        ("In Rospotrebnadzor told about the new rules.", "In Rospotrebnadzor told", "Rospotrebnadzor told"),
        ("In the Kremlin they said nothing new.", "In the Kremlin they said", "The Kremlin said"),
        # a lead keeps its place and the subject its case
        ("Earlier, in the Pentagon did not rule out new supplies.", "in the Pentagon did not rule out",
         "the Pentagon did not rule out"),
        # a country says and acts; a capital only says; 'appreciated' is the wrong verb for 'оценили'
        ("In Ukraine announced the start of the heating season.", "In Ukraine announced", "Ukraine announced"),
        ("In Russia recorded a new maximum of cases.", "In Russia recorded", "Russia recorded"),
        ("In Kyiv appreciated the decision of Berlin.", "In Kyiv appreciated", "Kyiv assessed"),
        ("In the Kremlin do not exclude new talks.", "In the Kremlin do not exclude", "The Kremlin does not rule out"),
    ],
)
def test_subjectless_sentence_gets_its_subject(sentence, span, suggestion):
    text = "Headline\n\nThe first sentence is fine. " + sentence
    (f,) = cal007(text)
    assert text[f.start : f.end] == span
    assert f.suggestion == suggestion
    assert (f.category, f.severity, f.fix) == ("calque", "warning", "unsafe")
    assert "no subject" in f.message


@pytest.mark.parametrize(
    "sentence, span",
    [
        # who acted is not in the sentence: no fix, the editor names them
        ("In Moscow detained a man who attacked police officers.", "In Moscow detained"),
        ("In Germany detained a Russian spy.", "In Germany detained"),
        ("In the Kursk region recorded a new case.", "In the Kursk region recorded"),
        ("In Moscow will open a new metro station.", "In Moscow will open"),
    ],
)
def test_unknown_actor_is_reported_without_a_fix(sentence, span):
    (f,) = cal007(sentence)
    assert sentence[f.start : f.end] == span and f.suggestion is None and f.fix is None
    assert "names who did it" in f.message


@pytest.mark.parametrize(
    "sentence, span, example",
    [
        ("In the network appeared a video of the explosion.", "In the network appeared", "A video appeared online"),
        ("In the Kursk region were detained five people.", "In the Kursk region were detained", "were detained in"),
        ("In Kyiv was announced an air alert.", "In Kyiv was announced", "were detained in"),
    ],
)
def test_inverted_word_order(sentence, span, example):
    (f,) = cal007(sentence)
    assert sentence[f.start : f.end] == span and f.suggestion is None
    assert "Russian word order" in f.message and example in f.message


def test_headline_is_read():
    (f,) = cal007("In the Kremlin commented on the statement of Zelensky\n\nPeskov spoke to reporters.")
    assert f.start == 0 and f.suggestion == "The Kremlin commented"


@pytest.mark.parametrize(
    "sentence",
    [
        "In Washington, officials said the talks would go on.",  # a subject after the comma
        "In Moscow, police detained a man.",
        "In May announced the bazooka on Monday.",  # a month, not a place (corpus sentence)
        "In September Roskomnadzor found political advertising.",
        "In the U.S. Silas said Phillips hopes to start.",  # a subject between place and verb
        "In the Senate plan, the tax rate cut is temporary.",  # a noun that is also a verb
        "In Washington state, a victory flipped control.",
        "In Beijing think tanks, realists vie with liberals.",
        "At Penn State, the final exam will be taken.",  # capitalised: part of a name
        "At the Australian Open in January, she reached the final.",
        "In Madrid they will appear on December 23.",  # 'they' is the subject
        "In the police report, the officer described the scene.",
        "In the company statement the firm said profits rose.",
        "The Kremlin commented on the statement.",  # already English
        "Officials in the Kremlin said the talks would go on.",
        "Peskov said that in the Kremlin believe the talks will go on.",  # only a sentence's start is read
    ],
)
def test_english_sentences_are_left_alone(sentence):
    assert cal007(sentence) == []


def test_precheck_skips_sentences_without_a_known_verb_or_with_a_comma_first():
    first_words = _verb_forms()[2]
    assert _may_be_impersonal("In the Kremlin commented on it.", first_words)
    assert _may_be_impersonal("Earlier, in the Pentagon did not rule out supplies.", first_words)
    assert not _may_be_impersonal("In a statement, the company said profits rose.", first_words)
    assert not _may_be_impersonal("In the morning the weather was warm.", first_words)


def test_every_data_row_compiles_and_every_fix_verb_is_known():
    g = _grammar()
    forms = _verb_forms()[0]
    assert {"institution", "country", "capital", "online", "place"} <= set(g.who_kinds.values())
    assert set(g.numbers.values()) <= {"sg", "pl"}
    for verb in forms.values():
        assert verb.kind in ("say", "act", "police", "appear")
        assert not verb.instead or verb.instead in forms
        assert verb.third.split()[0].endswith("s")
    assert g.present <= {v.base for v in forms.values()}
