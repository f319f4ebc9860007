"""Article layout: headline, paragraphs, sentences with exact offsets; dates."""

import datetime as dt

from auditor.article import build_article
from auditor.dates import infer_date, parse_date
from auditor.segment import split_sentences


def test_headline_when_blank_line_follows():
    a = build_article("Talks stall in Geneva\n\nThe talks stalled. Both sides left.\n")
    assert a.title == "Talks stall in Geneva"
    assert a.sentences[0].is_headline and a.sentences[0].index == 0
    assert [s.text for s in a.body_sentences] == ["The talks stalled.", "Both sides left."]


def test_no_headline_without_blank_line():
    a = build_article("The talks stalled.\nBoth sides left.")
    assert a.title is None
    assert not any(s.is_headline for s in a.sentences)


def test_offsets_are_exact():
    text = "Head\n\n  The U.S. envoy met Gen. Smith in St. Petersburg.  Prices rose 1.5 percent.\r\nNext para.\n"
    a = build_article(text)
    for s in a.sentences:
        assert text[s.start : s.end] == s.text
    assert [s.text for s in a.sentences][1:] == [
        "The U.S. envoy met Gen. Smith in St. Petersburg.",
        "Prices rose 1.5 percent.",
        "Next para.",
    ]


def test_sentence_lookup():
    text = "Head\n\nOne two. Three four."
    a = build_article(text)
    i = text.index("Three")
    assert a.sentence_at(i).text == "Three four."
    assert a.sentence_for_span(i, i + 5).text == "Three four."
    assert a.sentence_for_span(text.index("two"), i + 2) is None


def test_segmenter_keeps_abbreviations_and_initials():
    text = 'J. R. Smith and A. Ivanov met at 5 p.m. Tuesday. "Why?" the judge asked. Mrs. Clinton left. Lt. Gen. Sergei Rudskoy spoke.'
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "J. R. Smith and A. Ivanov met at 5 p.m. Tuesday.",
        '"Why?" the judge asked.',
        "Mrs. Clinton left.",
        "Lt. Gen. Sergei Rudskoy spoke.",
    ]


def test_date_inferred_from_text():
    assert infer_date("Price said on Wednesday, March 16, 2022, that talks went on.") == dt.date(2022, 3, 16)
    assert infer_date("MOSCOW, 16 March 2022 - talks") == dt.date(2022, 3, 16)
    assert infer_date("Published 2021-12-01 by TASS") == dt.date(2021, 12, 1)
    assert infer_date("In April of this year, ten diplomats left.") is None
    assert infer_date("On February 30, 2021 nothing happened.") is None


def test_given_date_wins():
    a = build_article("Head\n\nOn March 16, 2022 talks went on.", date=dt.date(2021, 1, 2))
    assert a.date == dt.date(2021, 1, 2) and a.date_source == "given"
    b = build_article("Head\n\nOn March 16, 2022 talks went on.")
    assert b.date == dt.date(2022, 3, 16) and b.date_source == "text"


def test_parse_date_rejects_garbage():
    import pytest

    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("16/03/2022")


def test_front_matter_is_skipped():
    text = '+++\nfail_on = "warning"\n+++\nTalks stall\n\nThe talks stalled. Both sides left.\n'
    a = build_article(text)
    assert a.title == "Talks stall"
    assert [s.text for s in a.sentences] == ["Talks stall", "The talks stalled.", "Both sides left."]
    assert all(text[s.start : s.end] == s.text for s in a.sentences)


def test_text_blingfire_cannot_split_is_one_sentence():
    for text in ("\ufeff", "\u200b\u200b", "Head\n\n\ufeff"):
        a = build_article(text)
        assert all(text[s.start : s.end] == s.text for s in a.sentences)
    assert [s.text for s in build_article("\ufeff").sentences] == ["\ufeff"]
    assert [s.text for s in build_article("\u200b").sentences] == ["\u200b"]


def test_segmentation_buffers_are_kept_only_for_ordinary_articles():
    """Reused blingfire buffers stay small; a huge text's are its own (memory stays
    proportional to the article), and both give the same spans as fresh ones."""
    from auditor import segment

    small = "One sentence here. Another one there."
    big = "Word word word. " * 20000  # 320 KB: over the reuse cap
    first = segment.split_sentences(small)
    spans = segment.split_sentences(big)
    assert len(spans) == 20000 and spans[1] == (16, 31)
    assert segment._BUFFERS.cap <= segment._REUSE_MAX
    assert segment.split_sentences(small) == first == [(0, 18), (19, 37)]
