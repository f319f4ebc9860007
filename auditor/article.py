"""Article: the decoded text cut into headline, paragraphs and sentences.

Every offset is a code-point offset into `Article.text` (the decoded input),
and `sentence.text == article.text[sentence.start:sentence.end]` always.
"""

from __future__ import annotations

import bisect
import re
import datetime as dt
from dataclasses import dataclass, field

from auditor.dates import infer_date
from auditor.segment import split_lines, split_sentences
from auditor.textio import Decoded

# A leading block of TOML settings between two `+++` lines (per-article
# configuration, read by auditor.configfile): not part of the story.
FRONT_MATTER = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int  # index into Article.paragraphs
    is_headline: bool = False


@dataclass
class Article:
    text: str
    source: str = "<string>"
    title: str | None = None
    date: dt.date | None = None
    date_source: str | None = None  # "given", "text" or None
    sentences: list[Sentence] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    encoding: Decoded | None = None
    meta: dict = field(default_factory=dict)  # id, url, source feed... (batch)
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def headline(self) -> Sentence | None:
        if self.sentences and self.sentences[0].is_headline:
            return self.sentences[0]
        return None

    @property
    def body_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.is_headline]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing `offset`, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentence_for_span(self, start: int, end: int) -> Sentence | None:
        """The one sentence that contains [start, end), or None if it spans several."""
        s = self.sentence_at(start)
        if s is not None and end <= s.end:
            return s
        return None


def build_article(
    text: str,
    source: str = "<string>",
    date: dt.date | None = None,
    encoding: Decoded | None = None,
    title: str | None = None,
    meta: dict | None = None,
) -> Article:
    """Cut `text` into an Article.

    A leading `+++` front-matter block is skipped (it is configuration).
    The first line is the headline when a blank line follows it (or when
    `title` is given and equals it). Every other non-empty line is a paragraph,
    split into sentences.
    """
    fm = FRONT_MATTER.match(text)
    skip = fm.end() if fm else 0
    lines = [(a, b) for a, b in split_lines(text) if a >= skip]
    sentences: list[Sentence] = []
    headline_span = None
    if lines:
        a, b = lines[0]
        after = text[b : (lines[1][0] if len(lines) > 1 else len(text))]
        if (len(lines) > 1 and after.count("\n") >= 2) or (title is not None and text[a:b] == title.strip()):
            headline_span = (a, b)
    body_from = skip
    if headline_span:
        sentences.append(Sentence(0, headline_span[0], headline_span[1], text[headline_span[0] : headline_span[1]], 0, True))
        body_from = headline_span[1]
    line_starts = [a for a, _ in lines]
    for s, e in split_sentences(text, body_from):
        p = bisect.bisect_right(line_starts, s) - 1
        sentences.append(Sentence(len(sentences), s, e, text[s:e], p))
    date_source = "given" if date else None
    if date is None:
        date = infer_date(text)
        date_source = "text" if date else None
    if title is None and headline_span:
        title = text[headline_span[0] : headline_span[1]]
    return Article(
        text=text,
        source=source,
        title=title,
        date=date,
        date_source=date_source,
        sentences=sentences,
        paragraphs=lines,
        encoding=encoding,
        meta=dict(meta or {}),
        _starts=[s.start for s in sentences],
    )
