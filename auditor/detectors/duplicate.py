"""Repeated sentences and paragraphs (an MT or CMS glitch pasted text twice).

Sentences and paragraphs are compared after normalisation (case, spacing and
punctuation ignored); only those of at least MIN_WORDS words count, so short
stock phrases ("He declined to comment.") may repeat. The later copy is the
finding; the safe fix deletes it together with the space or line break that
joined it to its neighbour, so no double space or blank line is left.
The headline is not compared with the other sentences: a lead that repeats
the headline's words is normal. DUP003 reports only a first paragraph that is
the headline itself, which is how a scraper that also took the page's title
into the body leaves it.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from auditor.detectors.registry import Hit, rule

MIN_WORDS = 5
_NON_WORD = re.compile(r"[\W_]+")
# A cheap prefilter key: the UTF-8 bytes, ASCII-lowercased, with everything
# but ASCII letters and digits deleted (bytes.translate runs in C). Equal
# normalised texts always have equal keys; the few key collisions are then
# checked with the exact normalisation.
_LOWER = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_DELETE = bytes(c for c in range(256) if not (c < 128 and chr(c).isalnum()))


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def _quick(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").translate(_LOWER, _DELETE)


def _repeats(items, quick_keys=None):
    """Indices of items (texts) repeating an earlier one, with the first's index.

    Two texts repeat when their normalised forms are equal and have at least
    MIN_WORDS words. `quick_keys`, when given, are the items' _quick keys."""
    by_quick: dict[bytes, list[int]] = {}
    out = []
    norms: dict[int, str] = {}
    for i, t in enumerate(items):
        if t is None:
            continue
        k = quick_keys[i] if quick_keys is not None else _quick(t)
        earlier = by_quick.get(k)
        if earlier is None:
            by_quick[k] = [i]
            continue
        n = norms.setdefault(i, _norm(t))
        if n.count(" ") + 1 < MIN_WORDS:
            continue
        for j in earlier:
            if norms.setdefault(j, _norm(items[j])) == n:
                out.append((i, j))
                break
        else:
            earlier.append(i)
    return out


def _delete_span(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Widen [start, end) to the spaces on one side, within [lo, hi)."""
    k = end
    while k < hi and text[k] in " \t":
        k += 1
    if k > end and k < hi:
        return start, k  # "A. B. B. C." -> drop "B. " after the copy
    k = start
    while k > lo and text[k - 1] in " \t":
        k -= 1
    return k, end


def _paragraph_delete_span(text: str, a: int, b: int) -> tuple[int, int]:
    """A whole paragraph with the line break(s) before it, so no blank line remains."""
    k = a
    while k > 0 and text[k - 1] in " \t\r\n":
        k -= 1
    return (k, b) if k > 0 else (a, b)


@lru_cache(maxsize=8)
def _repeated_paragraphs_cached(text: str, paragraphs: tuple, head_start: int) -> tuple:
    items = [None if a == head_start else text[a:b] for a, b in paragraphs]
    return tuple((i, paragraphs[i][0], paragraphs[i][1]) for i, _ in _repeats(items))


def _repeated_paragraphs(article) -> tuple:
    """(index, start, end) of paragraphs repeating an earlier one."""
    head = article.headline
    return _repeated_paragraphs_cached(
        article.text, tuple(article.paragraphs), head.start if head is not None else -1
    )


@rule(code="DUP001", name="repeated-sentence", category="duplicate", severity="warning", fix="safe")
def repeated_sentence(article, config):
    """A sentence (of five or more words) that repeats an earlier one of the article.

    Compared ignoring case, spacing and punctuation. Sentences inside a
    repeated paragraph are reported once, as that paragraph (DUP002).
    The fix deletes the later copy.
    Example: "Talks resumed on Monday. Talks resumed on Monday." -> the second copy.
    """
    text = article.text
    dup_paras = {i for i, _, _ in _repeated_paragraphs(article)}
    sentences = article.sentences
    items = [None if s.is_headline else s.text for s in sentences]
    keys = None
    if text.isascii():
        # One lowercasing pass over the whole text; per sentence only a slice
        # and a deletion (code points are bytes here).
        low = text.encode("ascii").translate(_LOWER)
        keys = [low[s.start : s.end].translate(None, _DELETE) for s in sentences]
    for i, j in _repeats(items, keys):
        s = sentences[i]
        first = sentences[j].start
        if s.paragraph in dup_paras:
            continue
        lo, hi = article.paragraphs[s.paragraph]
        if (s.start, s.end) == (lo, hi):
            a, b = _paragraph_delete_span(text, lo, hi)
        else:
            a, b = _delete_span(text, s.start, s.end, lo, hi)
        yield Hit(a, b, "sentence repeats an earlier one: delete the copy", "", data={"first": first})


@rule(code="DUP002", name="repeated-paragraph", category="duplicate", severity="warning", fix="safe")
def repeated_paragraph(article, config):
    """A paragraph (of five or more words) that repeats an earlier one of the article.

    Compared ignoring case, spacing and punctuation. The fix deletes the
    later copy with the line break before it.
    Example: the same wire paragraph pasted twice -> the second copy.
    """
    text = article.text
    for _, a, b in _repeated_paragraphs(article):
        a, b = _paragraph_delete_span(text, a, b)
        yield Hit(a, b, "paragraph repeats an earlier one: delete the copy", "")


@rule(code="DUP003", name="headline-repeated", category="duplicate", severity="info", fix="safe")
def headline_repeated(article, config):
    """The first paragraph is the headline again.

    Compared ignoring case, spacing and punctuation, and only when more of the
    body follows; a lead that merely shares the headline's words is not this.
    On the clean corpus it fires on 2 of 3,349 articles, both translated
    Russian regional news. The fix deletes the copy with its line break.
    Example: "Talks resumed in Geneva" / "Talks resumed in Geneva." / ... -> the
    body's copy.
    """
    head = article.headline
    paragraphs = article.paragraphs
    if head is None or len(paragraphs) < 3:
        return
    text = article.text
    a, b = next(((a, b) for a, b in paragraphs if a > head.start), (None, None))
    if a is None or b - a > 2 * (head.end - head.start) + 10:
        return  # cheap length test before normalising
    if _norm(text[a:b]) != _norm(head.text) or _norm(head.text).count(" ") + 1 < 3:
        return
    a, b = _paragraph_delete_span(text, a, b)
    yield Hit(a, b, "the first paragraph repeats the headline: delete the copy", "")
