"""Cyrillic detector: untranslated runs (CYR001) and homoglyphs (CYR002)."""

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule


def run(code, text, config=None):
    article = build_article(text)
    findings = get_rule(code).run(article, config or Config())
    for f in findings:
        assert f.category == "cyrillic" and f.severity == "error"
        assert 0 <= f.start < f.end <= len(text)
    return findings


def spans(findings, text):
    return [text[f.start : f.end] for f in findings]


def test_seed_furniture_word():
    text = "Moscow.\n\nИсточник In April of this year, the US expelled ten diplomats."
    (f,) = run("CYR001", text)
    assert text[f.start : f.end] == "Источник"
    assert f.suggestion == "Source"
    assert f.fix == "unsafe"


@pytest.mark.parametrize(
    "phrase, english",
    [
        ("Фото", "Photo"),
        ("Читайте также", "Read also"),
        ("РИА Новости", "RIA Novosti"),
        ("ТАСС", "TASS"),
        ("Москва", "Moscow"),
        ("Москве", "Moscow"),  # inflected
        ("ТАССу", "TASS"),
        ("Захаровой", "Zakharova"),
        ("Дмитрий Песков", "Dmitry Peskov"),
        ("Санкт-Петербурге", "St Petersburg"),
        ("МИД России", "Russian Foreign Ministry"),
        ("марта", "March"),
    ],
)
def test_glossary(phrase, english):
    text = f"The report, {phrase}, was published."
    (f,) = run("CYR001", text)
    assert spans([f], text) == [phrase]
    assert f.suggestion == english


def test_glossary_is_rich():
    from auditor.detectors.cyrillic import _glossary

    exact, _ = _glossary()
    assert sum(len(v) for v in exact.values()) >= 100


def test_unknown_name_is_transliterated():
    text = "In November, Сергей Кошелев said there is a chance."
    (f,) = run("CYR001", text)
    assert spans([f], text) == ["Сергей Кошелев"]
    assert f.suggestion == "Sergey Koshelev"
    assert "BGN-PCGN" in f.message


def test_whole_russian_sentence_needs_translation():
    text = "He said: Об этом сообщает ТАСС со ссылкой на источник."
    (f,) = run("CYR001", text)
    assert spans([f], text) == ["Об этом сообщает ТАСС со ссылкой на источник"]
    assert f.suggestion is None and f.fix is None
    assert "needs translation" in f.message


def test_separate_runs():
    text = "Фото: ТАСС. The minister arrived in Минск on Monday."
    fs = run("CYR001", text)
    assert spans(fs, text) == ["Фото", "ТАСС", "Минск"]


def test_cyrillic_word_with_latin_lookalike_is_untranslated_text():
    text = "Talks in Mосква ended."  # Latin M, Cyrillic rest
    (f,) = run("CYR001", text)
    assert spans([f], text) == ["Mосква"]
    assert f.suggestion == "Moscow"
    assert "mixed" in f.message
    assert run("CYR002", text) == []


def test_accept_names():
    text = "The band Кино played."
    assert run("CYR001", text, Config(accept_names=["Кино"])) == []
    assert len(run("CYR001", text)) == 1


@pytest.mark.parametrize(
    "text", ["Plain English text.", "Curly “quotes” — and café, naïve, Zürich.", "", "Ελληνικά and 中文 are not Cyrillic."]
)
def test_negative(text):
    assert run("CYR001", text) == []
    assert run("CYR002", text) == []


@pytest.mark.parametrize(
    "word, fixed",
    [
        ("\u041coscow", "Moscow"),  # Cyrillic М
        ("Washingt\u043en", "Washington"),  # Cyrillic о
        ("\u0441ooperation", "cooperation"),  # Cyrillic с
        ("T\u0410SS", "TASS"),  # Cyrillic А
    ],
)
def test_homoglyph(word, fixed):
    text = f"Officials in {word} said."
    (f,) = run("CYR002", text)
    assert text[f.start : f.end] == word
    assert f.suggestion == fixed
    assert f.fix == "safe"
    assert run("CYR001", text) == []


def test_homoglyph_needs_latin_majority():
    # Mostly Cyrillic: a Russian word, not a damaged English one.
    assert run("CYR002", "Он сказал: Cool.") == []


def test_clean_sample_has_no_cyrillic():
    import json
    import os

    path = os.path.join(os.path.dirname(__file__), "data", "clean_sample.jsonl")
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    for d in docs:
        text = d["title"] + "\n\n" + d["text"]
        assert run("CYR001", text) == [] and run("CYR002", text) == [], d["id"]
