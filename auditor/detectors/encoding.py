"""Encoding damage: mojibake inside valid UTF-8, replacement characters,
control and invisible characters left in the text, and inputs whose encoding
had to be guessed.

Mojibake is UTF-8 that was once decoded with the wrong single-byte code
page: "ÐœÐ¾Ñ\x81ÐºÐ²Ð°" (Москва read as cp1252), "â€œ" (“), "РњРѕСЃРєРІР°"
(Москва read as cp1251). A precompiled pattern of such byte-pair shapes
finds candidate spans (nothing else runs on clean text); each span is then
repaired with ftfy's `fix_encoding` (or a strict cp1251 round trip, which
ftfy does not attempt) and the repair is offered as the fix.
"""

from __future__ import annotations

import re
import unicodedata

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

# Terminal escape sequences (CSI "\x1b[31m", OSC "\x1b]0;title\x07") are one
# unit: deleting only the ESC would leave "[31m" behind. Other ESCs go alone: the
# two-byte forms ("\x1bM") would take a real letter with them ("\x1bThe").
_ANSI = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)?"
# C0 controls but tab, newline and carriage return; DEL. C1 controls apart.
_CONTROL = re.compile(rf"{_ANSI}|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]+|[\x80-\x9f]+")
# A plain class first: clean text never runs the alternation (measured on the 3,349 docs.jsonl
# articles: ENC004 and ENC005 together 58 µs per article with the alternation, 15 µs without).
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Controls that separate (vertical tab, form feed, file/group/record/unit
# separators): between two words they become a space, not nothing.
_SEPARATORS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f")
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB "
             "CAN EM SUB ESC FS GS RS US").split()
# Format characters that take no width: soft hyphen, zero-width space, word
# joiner, a byte-order mark inside the text, bidirectional marks, embeddings
# and isolates, invisible operators, interlinear annotation marks. (Zero-width
# joiners next to an emoji or a combining mark are part of that sequence and
# are left alone; no-break spaces are visible spacing, not listed.)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]+")
_INVISIBLE_NAMES = {"\u00ad": "soft hyphen", "\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
                    "\u200d": "zero-width joiner", "\u200e": "left-to-right mark", "\u200f": "right-to-left mark",
                    "\u2060": "word joiner", "\ufeff": "byte-order mark"}


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


def _control_name(ch: str) -> str:
    o = ord(ch)
    name = _C0_NAMES[o] if o < 32 else "DEL" if o == 0x7F else "C1 control"
    return f"U+{o:04X} ({name})"


def _as_cp1252(run: str) -> str | None:
    """C1 controls read back as the cp1252 characters they were ("\\x93" -> "“"), or None."""
    try:
        fixed = run.encode("latin-1").decode("cp1252")
    except UnicodeError:
        return None
    return fixed if fixed.isprintable() else None


def _mojibake_spans(text: str) -> list[tuple[int, int]]:
    if _LEADS.search(text) is None:
        return []
    return [(a, b) for a, b, _ in _spans(text)]


@rule(code="ENC004", name="control-character", category="encoding", severity="error", fix="safe")
def control_character(article, config):
    """Control characters left in the text (BEL, ESC, backspace, a terminal colour code, C1 controls).

    Scrapers and copy-paste from terminals leave them: invisible in most
    editors, they break search and word counts, and a CMS may reject or print
    them as boxes. A terminal escape sequence ("\\x1b[31m") is reported and
    removed whole. The fix deletes them, except that a separating control
    (vertical tab, form feed, the information separators) between two words
    becomes a space, and C1 controls that are cp1252 punctuation read as
    Latin-1 ("\\x93Yes\\x94", the same repair as ftfy's `fix_c1_controls`)
    become that punctuation. Tab, newline and carriage return are ordinary
    whitespace and never reported; C1 controls inside mojibake are ENC001's.
    Idempotent: the fixed text has no control character left.
    Example: "the ministry\\x07 said" -> "the ministry said".
    """
    text = article.text
    if _ANY_CONTROL.search(text) is None:
        return
    moji = _mojibake_spans(text)
    for m in _CONTROL.finditer(text):
        a, b = m.span()
        if any(x < b and a < y for x, y in moji):
            continue
        run = m.group()
        if run[0] == "\x1b" and len(run) > 1:
            yield Hit(a, b, f"terminal escape sequence {run!r} left in the text", "")
            continue
        names = ", ".join(sorted({_control_name(c) for c in run}))
        if run[0] >= "\x80" and (fixed := _as_cp1252(run)) is not None:
            yield Hit(a, b, f"{names}: the cp1252 character {fixed} read as Latin-1", fixed)
            continue
        glue = any(c in _SEPARATORS for c in run) and text[a - 1 : a].strip() and text[b : b + 1].strip()
        plural = "s" if len(run) > 1 else ""
        yield Hit(a, b, f"control character{plural} {names} left in the text", " " if glue else "")


@rule(code="ENC005", name="invisible-character", category="encoding", severity="warning", fix="safe")
def invisible_character(article, config):
    """Invisible format characters: soft hyphens, zero-width spaces, bidirectional marks, a stray BOM.

    They take no width, so the editor cannot see them, but they split words
    for search, spell-checking and name matching ("Lav\\u00adrov" is not
    "Lavrov"), and bidirectional controls can reorder what a reader sees.
    The fix deletes them, which leaves the visible text as it was. Zero-width
    joiners and non-joiners next to an emoji, a symbol or a combining mark
    belong to that sequence and are not reported. Idempotent: the fixed text
    has no such character left.
    Example: "Sergey Lav\\u00adrov" -> "Sergey Lavrov".
    """
    text = article.text
    if text.isascii() or _INVISIBLE.search(text) is None:
        return
    for m in _INVISIBLE.finditer(text):
        a, b = m.span()
        run = m.group()
        if set(run) <= {"\u200c", "\u200d"}:
            near = text[a - 1 : a] + text[b : b + 1]
            if any(unicodedata.category(c) in ("So", "Sk", "Mn", "Me", "Cf") or c == "\ufe0f" for c in near):
                continue  # part of an emoji or a combining sequence
        names = sorted({_INVISIBLE_NAMES.get(c, f"U+{ord(c):04X} ({unicodedata.name(c, 'format character').lower()})") for c in run})
        yield Hit(a, b, f"invisible {', '.join(names)} in the text", "")


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
