"""encoding rules (ENC001 mojibake, ENC002 U+FFFD, ENC003 detected encoding, ENC004 control
characters, ENC005 invisible characters)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.fixes import apply_fixes
from auditor.textio import decode
from tests.props import assert_fixes_settle, assert_offsets_valid

CODES = ("ENC001", "ENC002", "ENC003", "ENC004", "ENC005")


def run(text, codes=CODES, encoding=None):
    art = build_article(text, encoding=encoding)
    return [f for c in codes for f in get_rule(c).run(art, Config())]


@pytest.mark.parametrize(
    "text, span, fix",
    [
        ("He said â€œHello", "â€œ", "“"),
        ("Moscowâ€™s mayor", "â€™", "’"),
        ("at the cafÃ© today", "Ã©", "é"),
        ("costs Â£5 now", "Â£", "£"),
        ("in " + "Москва".encode("utf-8").decode("cp1252", "replace").replace("\ufffd", "\x81") + " today", None, "Москва"),
        ("in " + "Москва".encode("utf-8").decode("cp1251") + " today", "РњРѕСЃРєРІР°", "Москва"),
    ],
)
def test_mojibake_repaired_safely(text, span, fix):
    (f,) = run(text, ("ENC001",))
    assert f.severity == "error" and f.fix == "safe"
    if span is not None:
        assert text[f.start : f.end] == span
    assert f.suggestion == fix


def test_lost_byte_gives_only_a_suggestion():
    text = "In ÐœÐ¾ÑÐºÐ²Ð° today"  # the 0x81 after Ñ was dropped
    (f,) = run(text, ("ENC001",))
    assert text[f.start : f.end] == "ÐœÐ¾ÑÐºÐ²Ð°"
    assert f.fix == "unsafe"


@pytest.mark.parametrize(
    "text",
    [
        "São Paulo, Ñandú, naïve café, CAFÉ” he said, Zürich — “quoted” ‘single’ – €5",
        "the СССР» and Россия",
        "plain ASCII text only",
        "Tabs\tand\r\nline breaks\n\nare whitespace, a\u00a0no-break space is visible spacing",
        "A family \U0001F468\u200d\U0001F469\u200d\U0001F467 photo; \u0915\u094d\u200d\u0937",
    ],
)
def test_real_text_not_flagged(text):
    assert run(text) == []


def test_replacement_character():
    text = "Moscow\ufffds mayor and \ufffd\ufffd"
    found = run(text, ("ENC002",))
    assert [(f.start, f.end, f.suggestion) for f in found] == [(6, 7, None), (19, 21, None)]


def test_detected_encoding_is_a_document_note():
    dec = decode("Привет, мир! Это тест кодировки.".encode("cp1251"))
    assert dec.detected
    (f,) = run(dec.text, ("ENC003",), encoding=dec)
    assert (f.start, f.end, f.severity) == (None, None, "info")
    assert dec.encoding in f.message
    assert run("utf-8 text", ("ENC003",), encoding=decode(b"utf-8 text")) == []


def test_fix_applies():
    text = "He said â€œHelloâ€\x9d to the cafÃ© owner"
    assert apply_fixes(text, run(text)) == "He said “Hello” to the café owner"


@pytest.mark.parametrize(
    "text, span, fix, fixed",
    [
        ("the ministry\x07 said", "\x07", "", "the ministry said"),
        ("Text with \x1b[31mred\x1b[0m here", "\x1b[31m", "", "Text with red here"),
        ("a title\x1b]0;owned\x07 here", "\x1b]0;owned\x07", "", "a title here"),
        ("end of one.\x0cNext one", "\x0c", " ", "end of one. Next one"),
        ("back\x08\x08space", "\x08\x08", "", "backspace"),
        ("He said \x93Yes\x94 and left\x85", "\x93", "“", "He said “Yes” and left…"),
        ("odd\x81 byte", "\x81", "", "odd byte"),
        ("a stray\x1bThe end", "\x1b", "", "a strayThe end"),  # a lone ESC never takes a letter with it
    ],
)
def test_control_characters_removed(text, span, fix, fixed):
    found = run(text, ("ENC004",))
    f = found[0]
    assert (text[f.start : f.end], f.suggestion, f.fix, f.severity) == (span, fix, "safe", "error")
    assert "\x1b" not in f.message and "\x07" not in f.message  # the message never carries raw controls
    assert apply_fixes(text, found) == fixed
    assert run(fixed, ("ENC004",)) == []  # idempotent


def test_controls_inside_mojibake_are_left_to_enc001():
    text = "In ÐœÐ¾Ñ\x81ÐºÐ²Ð° today"
    assert run(text, ("ENC004",)) == []
    assert [f.code for f in run(text)] == ["ENC001"]


@pytest.mark.parametrize(
    "text, fixed, name",
    [
        ("Sergey Lav\u00adrov said", "Sergey Lavrov said", "soft hyphen"),
        ("the\u200b ministry", "the ministry", "zero-width space"),
        ("\ufeffMoscow, Dec. 1", "Moscow, Dec. 1", "byte-order mark"),
        ("see \u202etxt.exe\u202c now", "see txt.exe now", "right-to-left override"),
        ("Lav\u200d\u200crov", "Lavrov", "zero-width joiner"),
    ],
)
def test_invisible_characters_removed(text, fixed, name):
    found = run(text, ("ENC005",))
    assert found and all(f.fix == "safe" and f.severity == "warning" for f in found)
    assert name in " ".join(f.message for f in found)
    assert apply_fixes(text, found) == fixed
    assert run(fixed, ("ENC005",)) == []


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from(["Ã", "©", "â", "€", "œ", "Ð", "œ", "Ñ", "\x81", "Р", "С", "ѓ", " ", "a", "\ufffd", "’", "”",
                          "\x07", "\x0c", "\x1b", "[3", "1m", "\x93", "\u00ad", "\u200d", "\U0001F468", "\u202e"])


@SETTINGS
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=30).map("".join))
def test_offsets_valid_and_fixes_converge(text):
    found = run(text)
    assert_offsets_valid(found, text)
    assert_fixes_settle(lambda t: run(t), text, found, passes=4)


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    assert_offsets_valid(run(text), text)
