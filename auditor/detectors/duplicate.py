"""Repeated sentences and paragraphs (an MT or CMS glitch pasted text twice).

Sentences and paragraphs are compared after normalisation (case, spacing and
punctuation ignored); only those of at least MIN_WORDS words count, so short
stock phrases ("He declined to comment.") may repeat. The later copy is the
finding; the safe fix deletes it together with the space or line break that
joined it to its neighbour, so no double space or blank line is left.
The headline is not compared: a lead that repeats the headline is normal.
"""

from __future__ import annotations

import re

from auditor.detectors.registry import Hit, rule

MIN_WORDS = 5
_NON_WORD = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


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


def _repeated_paragraphs(article) -> list[tuple[int, int, int]]:
    """(index, start, end) of paragraphs repeating an earlier one."""
    seen: dict[str, int] = {}
    out = []
    head = article.headline
    for i, (a, b) in enumerate(article.paragraphs):
        if head is not None and a == head.start:
            continue
        key = _norm(article.text[a:b])
        if key.count(" ") + 1 < MIN_WORDS:
            continue
        if key in seen:
            out.append((i, a, b))
        else:
            seen[key] = a
    return out


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
    seen: dict[str, int] = {}
    for s in article.sentences:
        if s.is_headline:
            continue
        key = _norm(s.text)
        if key.count(" ") + 1 < MIN_WORDS:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = s.start
            continue
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
