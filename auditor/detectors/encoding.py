"""Encoding damage: mojibake inside valid UTF-8, replacement characters, and
inputs whose encoding had to be guessed.

Mojibake is UTF-8 that was once decoded with the wrong single-byte code
page: "ÐœÐ¾Ñ\x81ÐºÐ²Ð°" (Москва read as cp1252), "â€œ" (“), "РњРѕСЃРєРІР°"
(Москва read as cp1251). A precompiled pattern of such byte-pair shapes
finds candidate spans (nothing else runs on clean text); each span is then
repaired with ftfy's `fix_encoding` (or a strict cp1251 round trip, which
ftfy does not attempt) and the repair is offered as the fix.
"""

from __future__ import annotations

import re

from auditor.detectors.registry import Hit, rule

# UTF-8 continuation bytes 0x80-0xBF as cp1252 / latin-1 show them.
_CONT_1252 = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# ... and as cp1251 shows them.
_CONT_1251 = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ\u00a0ЎўЈ¤Ґ¦§Ё©Є«¬\u00ad®Ї°±Ііґµ¶·ё№є»јЅѕї"
_SEQ_1252 = (
    rf"[\u00c2-\u00df][{_CONT_1252}]"
    rf"|[\u00e0-\u00ef][{_CONT_1252}]{{2}}"
    rf"|[\u00f0-\u00f4][{_CONT_1252}]{{3}}"
)
_SEQ_1251 = rf"[РС][{_CONT_1251}]|в[{_CONT_1251}]{{2}}"
# "â€" then no third byte: ” (E2 80 9D) whose 0x9D, which cp1252 cannot
# show, was dropped. Repaired as a suggestion only.
_LOST_9D = rf"â€(?![{_CONT_1252}])"
_MOJIBAKE = re.compile(rf"(?:{_SEQ_1252}|{_SEQ_1251}|{_LOST_9D})")
# Every candidate starts with one of these: a fast first test on clean text.
_LEADS = re.compile("[\u00c2-\u00f4\u0420\u0421\u0432]")
_IS_1251 = re.compile(rf"(?:{_SEQ_1251})")
# Candidates closer than this (e.g. a lead byte whose partner was lost,
# "Ñ" in "ÐœÐ¾ÑÐºÐ²Ð°") form one span.
_MAX_GAP = 2
_FFFD = re.compile("\ufffd+")


def _spans(text: str):
    start = end = None
    count = 0
    for m in _MOJIBAKE.finditer(text):
        if start is not None and m.start() - end <= _MAX_GAP:
            end = m.end()
            count += 1
            continue
        if start is not None:
            yield start, end, count
        start, end, count = m.start(), m.end(), 1
    if start is not None:
        yield start, end, count


def _repair(span: str) -> tuple[str | None, bool]:
    """(repaired text or None, confident)."""
    import ftfy  # imported only when a candidate exists: most texts have none
    from ftfy.badness import is_bad

    fixed = ftfy.fix_encoding(span)
    if fixed == span and span.endswith("â€"):
        fixed = ftfy.fix_encoding(span + "\x9d")
        return (fixed, False) if fixed != span + "\x9d" else (None, False)
    if fixed == span:
        try:
            fixed = span.encode("cp1251").decode("utf-8")
        except UnicodeError:
            return None, False
        return fixed, True  # a strict round trip is exact
    confident = not is_bad(fixed) and _MOJIBAKE.search(fixed) is None
    return fixed, confident


@rule(code="ENC001", name="mojibake", category="encoding", severity="error", fix="safe")
def mojibake(article, config):
    """Mojibake: UTF-8 text decoded with the wrong code page ("â€œ" for “, "Ã©" for é).

    The span is repaired with ftfy (`fix_encoding`), or with a strict
    cp1251 round trip for Cyrillic read as cp1251 ("РњРѕСЃРєРІР°" -> "Москва").
    The fix is applied automatically only when the repair is clean (no
    mojibake left); when a byte was lost on the way (cp1252 has no character
    for 0x81, so "Ñ\\x81" may arrive as "Ñ") the partial repair is only a
    suggestion.
    Example: "â€œWe need channelsâ€\\x9d" -> "“We need channels”".
    """
    text = article.text
    if text.isascii() or _LEADS.search(text) is None or _MOJIBAKE.search(text) is None:
        return
    for a, b, count in _spans(text):
        span = text[a:b]
        if count < 2 and _IS_1251.fullmatch(span):
            continue  # one Cyrillic pair like "Р»" in "СССР»" is real text
        fixed, confident = _repair(span)
        if fixed is None or fixed == span:
            if count >= 2:
                yield Hit(a, b, "mojibake (text decoded with the wrong encoding)", None)
            continue
        yield Hit(a, b, f"mojibake: “{span}” should read “{fixed}”", fixed, fix="safe" if confident else "unsafe")


@rule(code="ENC002", name="replacement-character", category="encoding", severity="error")
def replacement_character(article, config):
    """U+FFFD replacement character (�): bytes were lost in a bad decode.

    The original character cannot be recovered from the text; an editor
    must restore it from the source.
    Example: "Moscow�s mayor".
    """
    text = article.text
    if "\ufffd" not in text:
        return
    for m in _FFFD.finditer(text):
        yield Hit(m.start(), m.end(), "replacement character: the original character was lost in decoding")


@rule(code="ENC003", name="encoding-detected", category="encoding", severity="info")
def encoding_detected(article, config):
    """The input was not UTF-8; its encoding was detected (e.g. cp1251) and decoded.

    A document-level note: check the text reads correctly, and ask the
    feed for UTF-8.
    Example: a cp1251 file -> "input is not UTF-8: decoded as cp1251 (detected)".
    """
    enc = article.encoding
    if enc is not None and getattr(enc, "detected", False):
        yield Hit(None, None, f"input is not UTF-8: decoded as {enc.encoding} (detected)")
