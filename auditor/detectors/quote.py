"""Broken and leftover quotation marks.

One pass pairs the quotation marks of each paragraph (“ ” " '' `` « » „) with
a small stack; every rule below reads that pass's result. Single quotes and
apostrophes (’ ') are never touched: they are far too ambiguous.

Quotes may span paragraphs in news: a paragraph that ends inside a quotation
is normal when the next paragraph opens with a quotation mark again, so that
is not an unclosed quote.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from auditor.detectors.registry import Hit, rule

_MARK = re.compile(r"``|''|[“”\"«»„]")
# Without any of these there are only straight quotes: nothing to find.
_QUICK_MARKS = re.compile("[“”«»„]")
_OPENER_BEFORE = "([{—–-/\u00a0"
# A quotation mark right after one of these is a byte of mojibake: UTF-8 read
# as cp1252 ("â€œ", "Ã¢â‚¬â„¢", "ÐšÑ€ÐµÐ¼Ð»ÑŒ") or cp1251 ("Р“РѕСЃ").
_MOJIBAKE_BEFORE = frozenset("ÂÃÐÑâ€Ð‚РСв") | frozenset(chr(c) for c in range(0x80, 0xA0))
# The mark that continues a quotation in the next paragraph, by opening mark.
_CONTINUES = {"“": "“", "«": "«", "„": "„", '"': '"', "''": "'", "``": "`"}
_CURLY = "“”„"
_CLOSE_PUNCT = ".,;:!?)]}…—–-"


class _QHit(NamedTuple):
    code: str
    start: int
    end: int
    message: str
    suggestion: str | None
    fix: str | None  # "safe" | "unsafe" | None


class _Open(NamedTuple):
    mark: str  # “ " '' `` « „
    start: int
    end: int


def _flanking(text: str, i: int, j: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(opener-like, closer-like) from the characters around text[i:j]."""
    p = text[i - 1] if i > lo else " "
    n = text[j] if j < hi else " "
    p_space = p.isspace() or p in _OPENER_BEFORE
    n_space = n.isspace() or n in _CLOSE_PUNCT
    return (p_space and not n_space), (not p.isspace() and n_space)


def _spaces_after(text: str, j: int, hi: int) -> int:
    k = j
    while k < hi and text[k] in " \t":
        k += 1
    return k


def _spaces_before(text: str, i: int, lo: int) -> int:
    k = i
    while k > lo and text[k - 1] in " \t":
        k -= 1
    return k


def _paragraph_scan(text: str, lo: int, hi: int, stack: list, cfg_open: str, cfg_close: str, out: list):
    """Pair the marks of text[lo:hi]; `stack` holds quotations still open from
    earlier paragraphs and is left holding those still open at the end."""
    for m in _MARK.finditer(text, lo, hi):
        i, j = m.span()
        mark = m.group()
        if i > lo and text[i - 1] in _MOJIBAKE_BEFORE:
            continue  # a byte of mojibake ("â€œ", "Ð“"): the encoding rule's job
        opener, closer = _flanking(text, i, j, lo, hi)
        if mark == "''":
            # Inch/second marks ("5''") and ''' runs are not quotation marks.
            if (i > lo and (text[i - 1].isdigit() or text[i - 1] == "'")) or (j < hi and text[j] == "'"):
                continue
            if opener != closer:
                is_close = closer
            else:
                is_close = bool(stack)
            if is_close:
                k = _spaces_before(text, i, lo)
                k = k if k > lo and not text[k - 1].isspace() else i
                top = stack.pop() if stack else None
                # Only the LaTeX-style ``…'' pair is unambiguous enough to fix unattended.
                safe = top is not None and top.mark == "``"
                out.append(_QHit("QUO001", k, j, "'' used as a closing quotation mark", cfg_close,
                                 "safe" if safe else "unsafe"))
            else:
                k = _spaces_after(text, j, hi)
                k = k if k < hi else j
                stack.append(_Open("''", i, k))
                out.append(_QHit("QUO001", i, k, "'' used as an opening quotation mark", cfg_open, "unsafe"))
            continue
        if mark == "``":
            k = _spaces_after(text, j, hi)
            stack.append(_Open("``", i, k))
            out.append(_QHit("QUO001", i, k if k < hi else j, "`` used as an opening quotation mark", cfg_open, "safe"))
            continue
        if mark == "«":
            k = _spaces_after(text, j, hi)
            k = k if k < hi else j
            stack.append(_Open("«", i, k))
            out.append(_QHit("QUO005", i, k, "Russian-style quotation mark « left in: use the house style",
                             cfg_open, "safe"))
            continue
        if mark == "„":
            k = _spaces_after(text, j, hi)
            k = k if k < hi else j
            stack.append(_Open("„", i, k))
            out.append(_QHit("QUO005", i, k, "low quotation mark „ left in: use the house style", cfg_open, "safe"))
            continue
        if mark == "»":
            k = _spaces_before(text, i, lo)
            k = k if k > lo and not text[k - 1].isspace() else i
            if stack:
                stack.pop()
            out.append(_QHit("QUO005", k, j, "Russian-style quotation mark » left in: use the house style",
                             cfg_close, "safe"))
            continue
        if mark == '"':
            if i > lo and text[i - 1].isdigit() and not (stack and stack[-1].mark == '"'):
                continue  # 12" = inches
            if opener != closer:
                is_close = closer
            else:
                is_close = bool(stack)
            if not is_close:
                stack.append(_Open('"', i, j))
                continue
            if not stack:
                continue  # a stray straight quote: too ambiguous to report
            top = stack.pop()
            if top.mark in ("“", "„", "«"):
                if cfg_close == "\u201d":
                    out.append(_QHit("QUO006", i, j, f"quotation opened with {top.mark} but closed with a straight quote",
                                     cfg_close, "safe"))
                elif top.mark == "“":
                    out.append(_QHit("QUO006", top.start, top.start + 1,
                                     "curly quotation mark in a straight-quoted quotation", cfg_open, "safe"))
            continue
        if mark == "“":
            if stack and stack[-1].mark == "„":
                stack.pop()
                out.append(_QHit("QUO005", i, j, "closing mark of a „…“ quotation: use the house style", cfg_close, "safe"))
                continue
            if closer and not opener and stack and stack[-1].mark in ("“", '"', "''", "``"):
                stack.pop()
                out.append(_QHit("QUO007", i, j, "reversed quotation mark: “ used to close a quotation",
                                 cfg_close, "safe"))
                continue
            k = _spaces_after(text, j, hi)
            if k > j and k < hi:
                out.append(_QHit("QUO004", j, k, "space after an opening quotation mark", "", "safe"))
            if stack and stack[-1].mark == "“":
                prev = stack.pop()
                out.append(_QHit("QUO002", prev.start, prev.end,
                                 "quotation mark “ is never closed (another quotation opens before it ends)", None, None))
            stack.append(_Open("“", i, j))
            continue
        if mark == "”":
            if not stack:
                if opener and not closer:
                    stack.append(_Open("“", i, j))
                    out.append(_QHit("QUO007", i, j, "reversed quotation mark: ” used to open a quotation",
                                     cfg_open, "safe"))
                    continue
                out.append(_QHit("QUO003", i, j, "closing quotation mark ” without an opening one", None, None))
            else:
                top = stack.pop()
                if top.mark == '"':
                    if cfg_open == "\u201c":
                        out.append(_QHit("QUO006", top.start, top.end,
                                         "quotation opened with a straight quote but closed with ”", cfg_open, "safe"))
                    else:
                        out.append(_QHit("QUO006", i, j, "curly quotation mark in a straight-quoted quotation",
                                         cfg_close, "safe"))
            k = _spaces_before(text, i, lo)
            if k < i and k > lo:
                out.append(_QHit("QUO004", k, i, "space before a closing quotation mark", "", "safe"))
            continue


@lru_cache(maxsize=8)
def _scan_cached(text: str, paragraphs: tuple, cfg_open: str, cfg_close: str) -> tuple[_QHit, ...]:
    out: list[_QHit] = []
    stack: list[_Open] = []
    for lo, hi in paragraphs:
        if stack and text[lo] == _CONTINUES.get(stack[-1].mark):
            # A quotation running over paragraphs: each new paragraph re-opens
            # it with the same mark.
            stack.clear()
        _paragraph_scan(text, lo, hi, stack, cfg_open, cfg_close, out)
    # Still open at the end of the article. (A quotation may also run over
    # lines without re-opening, as in one-sentence-per-line feeds; its
    # closing mark in a later paragraph pairs with it above.)
    for op in stack:
        if op.mark in ("“", "«", "„"):
            out.append(_QHit("QUO002", op.start, op.start + 1, f"quotation mark {op.mark} is never closed", None, None))
    out.sort(key=lambda q: (q.start, q.end, q.code))
    return tuple(out)


# The seven rules share one scan; the last article's result is kept by
# identity (checking that is O(1), unlike hashing the text and paragraphs).
_last: list = [None, None, None, ()]


def _scan(article, config) -> tuple[_QHit, ...]:
    text = article.text
    style = config.open_quote
    if _last[0] is article and _last[1] is text and _last[2] == style:
        return _last[3]
    if _QUICK_MARKS.search(text) is None and "''" not in text and "``" not in text:
        result = ()
    else:
        result = _scan_cached(text, tuple(article.paragraphs), config.open_quote, config.close_quote)
    _last[:] = [article, text, style, result]
    return result


def _hits(article, config, code):
    for q in _scan(article, config):
        if q.code == code:
            yield Hit(q.start, q.end, q.message, q.suggestion, fix=q.fix)


@rule(code="QUO001", name="double-apostrophe-quote", category="quote", severity="error", fix="unsafe", safe_hits=True)
def double_apostrophe(article, config):
    """Two apostrophes ('') or backticks (``) used as a quotation mark.

    A leftover of tokenised or mangled quotation marks; never correct in
    published text. The suggestion is the house-style quotation mark for the
    direction it seems to have (closing when a quotation is open), including
    any space on its inner side. It is applied automatically only for the
    unambiguous ``…'' pair. Inch marks after a digit (5'') are ignored.
    Example: "direction, '', said" -> 'direction,” said' (suggested).
    """
    return _hits(article, config, "QUO001")


@rule(code="QUO002", name="unclosed-quote", category="quote", severity="error", safe_hits=True)
def unclosed(article, config):
    """Opening quotation mark (“ « „) that is never closed in its paragraph.

    Not reported when the next paragraph opens with a quotation mark: that is
    how a quotation running over several paragraphs is written. Also reported
    when a second “ opens before the first is closed.
    Example: 'said that a functioning embassy “ is of decisive importance.'
    """
    return _hits(article, config, "QUO002")


@rule(code="QUO003", name="unopened-quote", category="quote", severity="error", safe_hits=True)
def unopened(article, config):
    """Closing quotation mark ” with no opening mark before it in the paragraph.

    Example: 'He said the talks were useful.” The ministry...'
    """
    return _hits(article, config, "QUO003")


@rule(code="QUO004", name="space-inside-quotes", category="quote", severity="error", fix="safe")
def space_inside(article, config):
    """Space just inside a curly quotation mark (“ ensure, word ”); the fix removes it.

    Example: 'to “ ensure parity' -> 'to “ensure parity'.
    """
    return _hits(article, config, "QUO004")


@rule(code="QUO005", name="foreign-quote-marks", category="quote", severity="warning", fix="safe")
def foreign_marks(article, config):
    """Russian/German quotation marks (« » „ “) left in English text; fixed to the house style.

    « and „ always open, » always closes, and the “ that closes a „ becomes
    the house closing mark; French-style spaces inside « » are removed.
    Example: 'the newspaper « Kommersant »' -> 'the newspaper “Kommersant”'.
    """
    return _hits(article, config, "QUO005")


@rule(code="QUO006", name="mixed-quote-styles", category="quote", severity="warning", fix="safe")
def mixed(article, config):
    """One quotation opened with a curly mark and closed with a straight one (or the reverse).

    The fix converts the odd mark to the house style (`quote_style`).
    Example: '“We need communication channels," he said' -> '“We need communication channels,” he said'.
    """
    return _hits(article, config, "QUO006")


@rule(code="QUO007", name="reversed-quote", category="quote", severity="warning", fix="safe")
def reversed_quote(article, config):
    """Curly quotation mark turned the wrong way (“ closing a quotation, ” opening one).

    Example: '“It is over“ he said' -> '“It is over” he said'.
    """
    return _hits(article, config, "QUO007")
