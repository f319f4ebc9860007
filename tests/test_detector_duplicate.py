"""duplicate rules (DUP001 repeated sentence, DUP002 repeated paragraph)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.fixes import apply_fixes
from tests.props import assert_fixes_settle, assert_offsets_valid

CODES = ("DUP001", "DUP002")


def run(text, codes=CODES):
    art = build_article(text)
    return [f for c in codes for f in get_rule(c).run(art, Config())]


def test_repeated_sentence_later_copy_deleted():
    text = "Title\n\nTalks resumed in Geneva on Monday. Both sides spoke. Talks resumed in Geneva on Monday. End here."
    (f,) = run(text)
    assert f.code == "DUP001"
    assert f.start > text.index("Both")
    assert apply_fixes(text, [f]) == "Title\n\nTalks resumed in Geneva on Monday. Both sides spoke. End here."


def test_repeat_ignoring_case_spacing_and_punctuation():
    text = "Title\n\nTalks resumed in Geneva on Monday. Other news. TALKS  resumed in Geneva, on Monday!"
    (f,) = run(text)
    assert text[f.start : f.end].strip() == "TALKS  resumed in Geneva, on Monday!"
    assert apply_fixes(text, [f]) == "Title\n\nTalks resumed in Geneva on Monday. Other news."


def test_repeated_paragraph_reported_once():
    para = "The Russian side responded by banning the embassy from hiring local staff. It said so."
    text = f"Title\n\n{para}\nMiddle paragraph here.\n{para}\nLast one."
    found = run(text)
    assert [f.code for f in found] == ["DUP002"]
    assert apply_fixes(text, found) == f"Title\n\n{para}\nMiddle paragraph here.\nLast one."


def test_short_sentences_may_repeat():
    assert run("Title\n\nHe declined to comment. Then more. He declined to comment.") == []


def test_headline_repeated_in_lead_is_normal():
    text = "Talks resumed in Geneva on Monday\n\nTalks resumed in Geneva on Monday. More details follow here."
    assert run(text) == []


def test_no_duplicates():
    assert run("Title\n\nOne sentence with five words. Another sentence with five words.") == []


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from(["Talks resumed in Geneva on Monday.", " ", "\n", "\n\n", "A b c d e.", "a B c D e!", "x"])


@SETTINGS
@given(st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=20).map("".join))
def test_offsets_valid_and_fixes_converge(text):
    found = run(text)
    assert_offsets_valid(found, text)
    assert_fixes_settle(lambda t: run(t), text, found, passes=4)


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    assert_offsets_valid(run(text), text)


def test_headline_repeated_as_first_paragraph():
    text = "Putin met Xi in Moscow\n\nPutin met Xi in Moscow.\n\nThey talked for three hours. Then they left."
    (f,) = run(text, ("DUP003",))
    assert (f.severity, f.fix) == ("info", "safe")
    assert apply_fixes(text, [f]) == "Putin met Xi in Moscow\n\nThey talked for three hours. Then they left."


def test_lead_sharing_the_headlines_words_is_not_a_repeat():
    text = "Putin met Xi in Moscow\n\nPutin met Xi in Moscow on Monday for three hours.\n\nThey talked. Then they left."
    assert run(text, ("DUP003",)) == []
    short = "Talks resumed\n\nTalks resumed.\n\nMore text here."  # too short to call it a copy
    assert run(short, ("DUP003",)) == []
    only = "Putin met Xi in Moscow\n\nPutin met Xi in Moscow."  # nothing else in the body: leave it
    assert run(only, ("DUP003",)) == []
