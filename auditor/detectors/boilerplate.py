"""Boilerplate detector: site furniture and calls to action that are not part
of the story (subscribe prompts, "the material is being updated", source and
"read also" lines, photo credits, Ctrl+Enter prompts, copyright and
advertising labels, a stray "Источник" before a sentence).

Phrases live in data/boilerplate.tsv (English and Cyrillic forms; its header
documents the phrase syntax). All phrases, shipped and configured
(`Config.extra_boilerplate`), are compiled into one regex and the text is
scanned once per article; each rule reports its share. Every finding's span
is exactly the furniture plus the whitespace on one side of it, so deleting
it (the safe fix) leaves clean text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from auditor.dates import MONTH_NAMES
from auditor.detectors import data
from auditor.detectors.registry import Hit, rule
from auditor.needles import Needles, lowered

_HSPACE = " \t\u00a0"
_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_ENDERS = ".!?\u2026"
# After a "whole" phrase only closing punctuation may follow before the next sentence.
_ARROW = r"(?:[ \t\u00a0]*(?:->|-->|=>|>>|\u2192|\u00bb|\.\.\.|\u2026))?"
_WHOLE_TAIL = re.compile(
    r"[.!?\u2026:;]*" + _ARROW + r"[\"'\u201d\u2019\u00bb)\]]*(?=[ \t\u00a0]*(?:\n|$))"  # ... to the line end
    r"|[.!?\u2026]+" + _ARROW + r"[\"'\u201d\u2019\u00bb)\]]*(?=[ \t\u00a0]+(?:[^\W_a-z\u0430-\u044f\u0451]|[\"'\u201c\u2018\u00ab]))"  # ... or to a full stop
)
# A notice of several words glued to the next sentence without a full stop
# ("Материал дополняется -> The Liberal Democrats say ...").
_GLUED_TAIL = re.compile(r"[:!]?" + _ARROW + r"(?=[ \t\u00a0]+[A-Z\u0410-\u042f\u0401\"\u201c\u00ab])")
# A likely sentence start inside a span the segmenter left whole.
_BOUNDARY = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]?[ \t\u00a0]+(?=\S)")
_LEAD_TAIL = re.compile(r"[!:.\u2026]?" + _ARROW + r"(?:[ \t\u00a0]+(?=[A-Z0-9\"'\u201c\u2018\u00ab])|[ \t\u00a0]*(?=\n|$))")
# Sentence starts the segmenter does not split: a full stop, then a lower-case word.
# (Led by a literal "." so the regex engine skips ahead fast; "!" and "?"
# before a lower-case word are rare enough to leave to the segmenter.)
_LOWER_START = re.compile(r"\.[\"\u201d\u00bb]? +(?=[a-z\u0430-\u044f\u0451])")

MESSAGES = {
    "BOI001": "subscribe/follow prompt (site furniture, not part of the story)",
    "BOI002": "\u201cbeing updated\u201d notice (site furniture)",
    "BOI003": "source / \u201cread also\u201d line (site furniture)",
    "BOI004": "photo or video credit (site furniture)",
    "BOI005": "\u201cfound an error? press Ctrl+Enter\u201d prompt (site furniture)",
    "BOI006": "copyright, advertising or legal label (site furniture)",
    "BOI007": "stray furniture word before the sentence",
    "BOI008": "house boilerplate (configured phrase)",
    "BOI010": "page metadata line: publication or update stamp, tags, author label (site furniture)",
}


class Phrase(NamedTuple):
    code: str
    mode: str  # start | whole | within | lead
    pattern: str
    keys: frozenset[str] | None = None  # "within": one of these occurs in every match


_NOT_AFTER_WORD = "(?<![^\\W_])"


def _longest(seq: list) -> int:
    """The length of the longest string a parsed phrase can produce."""
    return sum(1 if isinstance(item, str) else max(map(_longest, item)) for item in seq)


def _longest_first(seq: list) -> str:
    """The phrase again, each {…|…} with its longest alternative first: a regex
    alternation takes the first that matches, so "{share|share this article}"
    would stop at "share" and a "whole" phrase would then never fit."""
    out = []
    for item in seq:
        if isinstance(item, str):
            out.append(item)
        else:
            alts = sorted(item, key=lambda alt: -_longest(alt))
            out.append("{" + "|".join(_longest_first(alt) for alt in alts) + "}")
    return "".join(out)


def compile_phrase(phrase: str) -> str:
    """Regex source for a data-file phrase (syntax: see data/boilerplate.tsv)."""
    phrase = _longest_first(_parse(phrase)[0])
    out = []
    i, n = 0, len(phrase)
    while i < n:
        ch = phrase[i]
        if phrase.startswith("...", i):
            out.append("(?:\\.\\.\\.|\u2026)")
            i += 3
            continue
        if ch == "{":
            out.append("(?:")
        elif ch == "}":
            out.append(")")
        elif ch == "|":
            out.append("|")
        elif ch == " ":
            while i + 1 < n and phrase[i + 1] == " ":
                i += 1
            out.append("[ \\t\\u00a0]+")
        elif ch in _QUOTES:
            out.append("[" + re.escape(_QUOTES) + "]")
        elif ch == ":":
            out.append("[ \\t\\u00a0]*:")
        elif ch == "-":
            out.append("[-\\u2010\\u2011\\u2013]?")
        elif ch == "+":
            out.append("[ \\t\\u00a0]*\\+[ \\t\\u00a0]*")
        elif ch == "#":
            out.append("\\d+")
        elif ch == "*":
            out.append("[^\\n.!?]{0,80}?")
        else:
            out.append(re.escape(ch))
        i += 1
    src = _NOT_AFTER_WORD + "".join(out)
    if phrase and (phrase[-1].isalnum() or phrase[-1] in "}#"):
        src += "(?![^\\W_])"
    return src


@lru_cache(maxsize=1)
def shipped_phrases() -> tuple[Phrase, ...]:
    phrases = []
    for code, mode, phrase, *keys in data.rows("boilerplate.tsv"):
        keyset = frozenset(k.strip() for k in keys[0].split(",") if k.strip()) if keys else None
        phrases.append(Phrase(code, mode, phrase, keyset or None))
    return tuple(phrases)


def _parse(phrase: str, i: int = 0) -> tuple[list, int]:
    """Phrase -> sequence of items: a character, or a list of alternative sequences."""
    seq: list = []
    while i < len(phrase):
        ch = phrase[i]
        if ch == "{":
            alts = []
            while True:
                alt, i = _parse(phrase, i + 1)
                alts.append(alt)
                if i >= len(phrase) or phrase[i] == "}":
                    break
            seq.append(alts)
        elif ch in "|}":
            return seq, i
        else:
            seq.append(ch)
        i += 1
    return seq, i


def _expand(seq: list, limit: int = 50000) -> list[str]:
    """Every literal string a parsed phrase can produce."""
    outs = [""]
    for item in seq:
        if isinstance(item, str):
            outs = [o + item for o in outs]
        else:
            alts = [x for alt in item for x in _expand(alt, limit)]
            outs = [o + a for o in outs for a in alts]
        if len(outs) > limit:
            raise ValueError("boilerplate phrase has too many expansions")
    return outs


def _openings(seq: list) -> list[str]:
    """The strings a parsed phrase can open with, each expanded only up to its
    first space (what `first_word` reads): a phrase with many alternatives
    after its first word ("{the |}{author's|authors'} {opinion|views} ...")
    has thousands of whole expansions."""
    outs = [""]
    for item in seq:
        done = [o for o in outs if " " in o]
        todo = [o for o in outs if " " not in o]
        if not todo:
            break
        tails = [item] if isinstance(item, str) else [x for alt in item for x in _openings(alt)]
        outs = done + [o + t for o in todo for t in tails]
    return outs


_FIRST_WORD = re.compile(r"[^\W_]+")


def first_word(s: str, pos: int = 0) -> str:
    """The lower-cased word at `pos` (or the character there if it isn't a word)."""
    m = _FIRST_WORD.match(s, pos)
    return m.group().lower() if m else s[pos : pos + 1]


def _keywords(seq: list) -> frozenset[str] | None:
    """Lower-case words one of which any match must contain (None: no such set)."""
    best, best_len = None, 2
    run: list[str] = []

    def words(chars) -> list[str]:
        return re.findall(r"[^\W_]+", "".join(chars).lower())

    items = seq + [None]
    for item in items:
        if isinstance(item, str):
            run.append(item)
            continue
        w = words(run)
        run = []
        if w:
            longest = max(w, key=len)
            if len(longest) > best_len:
                best, best_len = frozenset([longest]), len(longest)
        if isinstance(item, list) and all(all(isinstance(c, str) for c in alt) for alt in item):
            alt_words = [words(alt) for alt in item]
            if all(alt_words):
                keys = frozenset(max(a, key=len) for a in alt_words)
                if min(map(len, keys)) > best_len:
                    best, best_len = keys, min(map(len, keys))
    return best


class Matcher:
    """Phrases by where they are tried. Regexes are compiled on first use:
    an article meets a handful of the buckets and keywords, and compiling
    them all up front cost more than auditing one article."""

    def __init__(self, phrases: list, by_first: dict, keys: dict, always: list):
        self.phrases = phrases  # index -> Phrase
        self.by_first = by_first  # first word, as cased in text -> sources of the anchored phrases it can start
        self.keys = keys  # keyword -> indices of the "within" phrases it triggers
        self.always = always  # compiled "within" phrases without keywords
        self._within: dict[int, re.Pattern] = {}
        self._buckets: dict[tuple, tuple] = {}

    def bucket(self, word: str):
        """(one regex over the anchored phrases that can start with `word`,
        each alone when there are several), or None."""
        srcs = self.by_first.get(word)
        if srcs is None:
            return None
        got = self._buckets.get(srcs)
        if got is None:
            got = self._buckets[srcs] = (
                re.compile("|".join(srcs), re.IGNORECASE),
                [re.compile(x, re.IGNORECASE) for x in srcs] if len(srcs) > 1 else [],
            )
        return got

    def within(self, i: int) -> re.Pattern:
        regex = self._within.get(i)
        if regex is None:
            regex = self._within[i] = re.compile(_within_source(i, self.phrases[i]), re.IGNORECASE)
        return regex


def _within_source(i: int, p: Phrase) -> str:
    return f"(?P<g{i}>{compile_phrase(p.pattern)})"


@lru_cache(maxsize=16)
def _matcher(extra: tuple[str, ...]) -> Matcher:
    """Phrases by where they are tried. Anchored phrases (start/whole/lead)
    are only tried at sentence starts, bucketed by first word; "within"
    phrases are only searched for when one of their keywords occurs (a C
    substring test)."""
    phrases = list(shipped_phrases()) + [Phrase("BOI008", "within", _escape_plain(p)) for p in extra if p.strip()]
    buckets: dict[str, list[str]] = {}
    keys: dict[str, list] = {}
    always = []
    for i, p in enumerate(phrases):
        seq, _ = _parse(p.pattern)
        if p.mode == "within":
            words = p.keys or _keywords(seq)
            if words is None:
                always.append(re.compile(_within_source(i, p), re.IGNORECASE))
            for k in words or ():
                keys.setdefault(k, []).append(i)
            continue
        # Anchored: no word-boundary look-behind needed at a sentence start.
        src = f"(?P<g{i}>{compile_phrase(p.pattern)[len(_NOT_AFTER_WORD):]})"
        for w in {first_word(x.replace("#", "0")) for x in _openings(seq) if x}:
            # Keyed in the casings a sentence can open with, so the scan
            # looks a word up as it stands, without lower-casing it.
            for form in {w, w.capitalize(), w.upper()}:
                buckets.setdefault(form, []).append(src)
    return Matcher(phrases, {w: tuple(srcs) for w, srcs in buckets.items()}, keys, always)


def _escape_plain(phrase: str) -> str:
    """A configured phrase is plain text: protect the phrase-syntax characters."""
    return " ".join(phrase.split()).replace("{", "(").replace("}", ")").replace("|", "/")


def _at_sentence_start(text: str, i: int) -> bool:
    j = i
    while j > 0 and text[j - 1] in _HSPACE:
        j -= 1
    if j == 0 or text[j - 1] == "\n":
        return True
    if j == i:
        return False
    c = text[j - 1]
    return c in _ENDERS or (c in _CLOSERS and j >= 2 and text[j - 2] in _ENDERS)


def removal_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Widen [s, e) so that deleting it leaves clean text: one side's whitespace,
    or the whole line with its line break when nothing else is on the line."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    if line_end < 0:
        line_end = len(text)
    before_blank = not text[line_start:s].strip()
    after_blank = not text[e:line_end].strip()
    if before_blank and after_blank:
        s, e = line_start, line_end
        k = e
        while k < len(text) and text[k].isspace():
            k += 1
        if k < len(text):
            return s, k  # the line and the blank lines after it
        j = s
        while j > 0 and text[j - 1].isspace():
            j -= 1
        return j, e  # last line: take the line break before it instead
    if before_blank:
        while e < line_end and text[e] in _HSPACE:
            e += 1
        return s, e
    while s > line_start and text[s - 1] in _HSPACE:
        s -= 1
    return s, e


def _local_sentence(article, s: int, e: int) -> tuple[int, int]:
    """The sentence around [s, e): the segmenter's, narrowed by sentence
    boundaries inside the headline (which the segmenter never splits)."""
    text = article.text
    sent = article.sentence_at(s)
    if sent is None:
        a = text.rfind("\n", 0, s) + 1
        b = text.find("\n", e)
        return a, (len(text) if b < 0 else b)
    a, b = sent.start, max(sent.end, e)
    if sent.is_headline:
        for m in _BOUNDARY.finditer(text, a, min(s + 1, b)):
            if m.end() <= s:
                a = m.end()
        m = _BOUNDARY.search(text, e, b)
        if m:
            b = m.start() + 1  # keep the full stop
            while b < sent.end and text[b] in _CLOSERS:
                b += 1
    return a, b


def _furniture_span(article, m: re.Match, mode: str) -> tuple[int, int] | None:
    text = article.text
    s, e = m.span()
    if mode in ("start", "whole", "lead") and not _at_sentence_start(text, s):
        return None
    if mode == "whole":
        t = _WHOLE_TAIL.match(text, e)
        if t is None and " " in m.group().strip():
            t = _GLUED_TAIL.match(text, e)
        return (s, t.end()) if t else None
    if mode == "lead":
        t = _LEAD_TAIL.match(text, e)
        if t is None:
            return None
        tail = t.group().rstrip(_HSPACE)
        return s, e + len(tail)
    a, b = _local_sentence(article, s, e)
    return (min(s, a) if mode == "within" else s), b


_last: tuple = (None, None, ())


def scan(article, config) -> list[tuple[str, int, int, str]]:
    """Every boilerplate span in the article: (code, start, end, furniture text).
    Spans don't overlap (the first, then the longest, wins)."""
    global _last
    text = article.text
    key_text, key_config, cached = _last
    # Every BOI rule asks for the same scan: compute it once per article.
    if key_text is text and key_config == (config.extra_boilerplate, config.allow_phrases):
        return cached
    key = (list(config.extra_boilerplate), list(config.allow_phrases))
    mt = _matcher(tuple(config.extra_boilerplate))
    matches: list[re.Match] = []
    # Anchored phrases are tried where the segmenter starts a sentence: that
    # is where furniture sits, and it keeps the scan to one regex match per
    # sentence at most.
    get = mt.bucket
    word_at = _FIRST_WORD.match
    starts = []
    for sent in article.sentences:
        starts.append(sent.start)
        if sent.is_headline:  # the headline line is never split: look inside it
            starts += [m.end() for m in _BOUNDARY.finditer(text, sent.start, sent.end)]
    # ... and where a full stop comes before a lower-case word (".. culture.
    # читайте также:"), which the segmenter does not take for a sentence start.
    starts += [m.end() for m in _LOWER_START.finditer(text)]
    # ... and at a "©" after a sentence's end: the segmenter does not split before
    # it, so a credit closing a paragraph ("… a hike. © Sputnik / Sergey Guneev")
    # hid inside the sentence ("The logo reads © 2021" is prose: no full stop before)
    i = text.find("\u00a9")
    while i >= 0:
        j = i
        while j and text[j - 1] in " \t":
            j -= 1
        if j < i and j and text[j - 1] in ".!?\u2026\"\u201d\u00bb)":
            starts.append(i)
        i = text.find("\u00a9", i + 1)
    for pos in starts:
        w = word_at(text, pos)
        bucket = get(w.group() if w else text[pos : pos + 1])
        if bucket is not None:
            m = bucket[0].match(text, pos)
            if m:
                matches.append(m)
                # The regex reports one alternative; another may be the
                # one whose context fits (a "whole" vs a "lead" phrase).
                for single in bucket[1]:
                    m2 = single.match(text, pos)
                    if m2 and m2.lastgroup != m.lastgroup:
                        matches.append(m2)
    low = text.lower()
    searched = set()
    for regex in mt.always:
        matches.extend(regex.finditer(text))
    for k, indices in mt.keys.items():
        if k in low:
            for i in indices:
                if i not in searched:
                    searched.add(i)
                    matches.extend(mt.within(i).finditer(text))
    matches.sort(key=lambda m: (m.start(), -m.end()))
    allowed = _allowed_spans(text, config.allow_phrases)
    cores: list[tuple[str, int, int]] = []
    for m in matches:
        code = mt.phrases[int(m.lastgroup[1:])].code
        span = _furniture_span(article, m, mt.phrases[int(m.lastgroup[1:])].mode)
        if span is None:
            continue
        s, e = span
        if (cores and s < cores[-1][2]) or any(a < e and s < b for a, b in allowed):
            continue
        cores.append((code, s, e))
    # Furniture sentences side by side are removed as one block, so that the
    # findings' spans tile it exactly (no whitespace removed twice).
    found: list[tuple[str, int, int, str]] = []
    i = 0
    while i < len(cores):
        j = i
        while j + 1 < len(cores) and not text[cores[j][2] : cores[j + 1][1]].strip(_HSPACE):
            j += 1
        group = cores[i : j + 1]
        start, end = removal_span(text, group[0][1], group[-1][2])
        cuts = [start] + [c[1] for c in group[1:]] + [end]
        for k, (code, s, e) in enumerate(group):
            found.append((code, cuts[k], cuts[k + 1], text[s:e]))
        i = j + 1
    _last = (text, key, found)
    return found


def _allowed_spans(text: str, phrases) -> list[tuple[int, int]]:
    spans = []
    low = text.lower()
    for p in phrases:
        p = p.lower().strip()
        if p:
            i = low.find(p)
            while i >= 0:
                spans.append((i, i + len(p)))
                i = low.find(p, i + 1)
    return spans


def _hits(code: str, article, config):
    for c, s, e, core in scan(article, config):
        if c == code:
            yield Hit(s, e, f"{MESSAGES[code]}: \u201c{core.strip()}\u201d", "")


@rule(code="BOI001", name="subscribe-prompt", category="boilerplate", severity="error", fix="safe")
def subscribe_prompt(article, config):
    """A subscribe/follow call to action from the source site.

    "Subscribe to ...", "Follow us on Telegram", "Join us on VK", "... on our
    YouTube channel", "Подписывайтесь на ...": page furniture the translation
    carried into the story. Fix (safe): delete the sentence.

    Example: `... in Moscow. Subscribe to YouTube RBC Live broadcasts, videos
    and recordings of programs on our YouTube channel` -> `... in Moscow.`
    """
    return _hits("BOI001", article, config)


@rule(code="BOI002", name="update-notice", category="boilerplate", severity="error", fix="safe")
def update_notice(article, config):
    """A "the material is being updated" notice.

    Whole sentences such as "The material is being updated.", "This news is
    being updated.", "News is being added.", "Материал дополняется." are live
    page notices, not news. Only a sentence that is nothing but the notice is
    flagged. Fix (safe): delete it.

    Example: `... are being found. The material is being updated. After July 1,`
    -> `... are being found. After July 1,`
    """
    return _hits("BOI002", article, config)


@rule(code="BOI003", name="source-line", category="boilerplate", severity="error", fix="safe")
def source_line(article, config):
    """A "Source:" or "Read also:" line.

    Sentences or lines starting "Source:", "Read also:", "Read more:", "See
    also:", "Источник:", "Читайте также" are links and credits from the page.
    A news sentence that merely mentions a source ("The source said ...") is
    never flagged: the phrase must open the sentence, with the colon where the
    English form needs one. Fix (safe): delete the sentence or line.

    Example: `Read also: Lavrov to visit Ankara` (a line) -> removed.
    """
    return _hits("BOI003", article, config)


@rule(code="BOI004", name="media-credit", category="boilerplate", severity="error", fix="safe")
def media_credit(article, config):
    """A photo or video credit ("Photo: ...", "Photo by ...", "Фото: ...").

    Captions and credits ("Photo: Sergei Bobylev/TASS", "Video: RIA
    Novosti", "Photo by John Smith", "Фото: пресс-служба") are page furniture.
    Fix (safe): delete the sentence or line.

    Example: `Photo: Reuters` (a line) -> removed.
    """
    return _hits("BOI004", article, config)


@rule(code="BOI005", name="error-report-prompt", category="boilerplate", severity="error", fix="safe")
def error_report_prompt(article, config):
    """An "If you find an error, select it and press Ctrl+Enter" prompt.

    Any sentence mentioning Ctrl+Enter, and "Found a typo?"-style prompts,
    English or Russian. Fix (safe): delete the sentence.

    Example: `If you find an error, select it and press Ctrl+Enter.` -> removed.
    """
    return _hits("BOI005", article, config)


@rule(code="BOI006", name="rights-or-ad-label", category="boilerplate", severity="error", fix="safe")
def rights_or_ad_label(article, config):
    """A copyright, reprint-terms, advertising or legal label.

    "All rights reserved", "© 2021 RBC", "Reproduction of materials is
    prohibited", a line that is only "Advertising" / "Реклама" / "18+", the
    Russian foreign-agent label. Fix (safe): delete the sentence or line.

    Example: `© 2021 Interfax. All rights reserved.` -> removed.
    """
    return _hits("BOI006", article, config)


@rule(code="BOI007", name="stray-furniture-word", category="boilerplate", severity="error", fix="safe")
def stray_furniture_word(article, config):
    """A stray furniture word (`Источник`, `Фото` ...) before a sentence.

    The label of a page element (`Источник`, `Фото`, `Видео`, `Реклама` ...)
    survived while its content was dropped, so it precedes a capitalised
    English sentence (or stands alone on its line).
    Only the word is removed (fix: safe); CYR001 also reports it as Cyrillic.

    Example: `Источник In April of this year, ...` -> `In April of this year, ...`
    """
    return _hits("BOI007", article, config)


@rule(code="BOI008", name="house-boilerplate", category="boilerplate", severity="error", fix="safe")
def house_boilerplate(article, config):
    """A sentence containing a configured boilerplate phrase.

    Phrases listed in `extra_boilerplate` (config) are matched like the
    shipped ones (any case, any spacing); the sentence containing one is site
    furniture. Fix (safe): delete the sentence.

    Example: with `extra_boilerplate = ["Kommersant newsroom"]`,
    `Kommersant newsroom, 2021.` -> removed.
    """
    return _hits("BOI008", article, config)


# BOI010: a metadata line is a line of its own (label, colon, a short value), so it
# is matched line by line, not by sentence: the segmenter may run a label into the
# story's next words ("Keywords: … NEW YORK: On concerns …: "I am …"), and that
# line is left alone (no "keywords" either: Reuters wire copy puts them in text).
_METADATA = re.compile(
    r"[ \t]*(?:"
    r"(?i:date of publication|publication date|date published|published|updated|last updated|date of update"
    r"|tags|rubrics?|views|reading time|time to read|authors?"
    r"|дата публикации|опубликовано|обновлено|теги|метки|рубрика|просмотров|просмотры|время чтения|авторы?)"
    r"[ \t]*:[ \t]*[^\n]{1,100}?"
    r"|(?i:updated|published|posted)(?: at| on)? \d[^\n]{0,40}?"
    r")[ \t]*(?=\n|$)"
)
# Each label's first word, lower case: a line is tried only where one of them starts
# it (found in the shared needle pass, so a clean article costs no regex scan at all).
_METADATA_CUES = Needles([
    "date of", "publication date", "date published", "published", "updated", "last updated", "posted",
    "tags", "rubric", "views", "reading time", "time to read", "author",
    "дата публикации", "опубликовано", "обновлено", "теги", "метки", "рубрика", "просмотр", "время чтения", "автор",
])


@rule(code="BOI010", name="page-metadata", category="boilerplate", severity="error", fix="safe")
def page_metadata(article, config):
    """A line of the page's metadata, scraped with the story.

    The publication or update stamp ("Date of publication: 15.03.2023,
    14:25", "Updated 15:10"), the tag list ("Tags: Vladimir Putin,
    economy"), an author label ("Author: Ivan Petrov"), a view count or
    reading time, in English or Russian. Only a line of its own: the label,
    its colon and a value of at most 100 characters (or "Updated" and a
    time), so prose such as "Published on Monday, the report said" is left
    alone. Fix (safe): delete the line.

    Example: `Tags: Vladimir Putin, government, economy` -> removed.
    """
    text = article.text
    lines = set()
    for starts in _METADATA_CUES.positions(lowered(text)).values():
        for p in starts:
            line = text.rfind("\n", 0, p) + 1
            if not text[line:p].strip(" \t"):  # the cue starts its line
                lines.add(line)
    for line in sorted(lines):
        m = _METADATA.match(text, line)
        if m is not None:
            s = m.start() + len(m.group()) - len(m.group().lstrip())
            a, b = removal_span(text, s, m.end())
            yield Hit(a, b, f"{MESSAGES['BOI010']}: \u201c{m.group().strip()}\u201d", "")


# Embedded social posts (BOI009): structural patterns, not phrases. The tweet text
# itself stays (it may be the quote the story is about); its signature goes.
_MONTHS = "(?:" + "|".join(MONTH_NAMES) + ")"
_EMBED = re.compile(
    r"(?:[ \t]*(?:"
    r"pic\.twitter\.com/[A-Za-z0-9]{4,}"  # a tweet's attached picture
    r"|[\u2014\u2013] ?[^\n()\u2014\u2013]{1,60}? ?\(@[A-Za-z0-9_]{1,15}\) " + _MONTHS + r" \d{1,2}, \d{4}"  # — Name (@handle) March 5, 2022
    r"|A post shared by [^\n]{1,80}?\(@[\w.]{1,30}\)(?: on [A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}(?: at \d{1,2}:\d{2} ?[ap]m [A-Z]{2,4})?)?"
    r"|View this post on Instagram"
    r"))+"  # adjacent pieces are one finding
)


@rule(code="BOI009", name="social-embed-residue", category="boilerplate", severity="error", fix="safe")
def social_embed_residue(article, config):
    """What an embedded tweet or Instagram post leaves in scraped text.

    `pic.twitter.com/…` links, the tweet's signature line ("— Maria
    Zakharova (@MID_RF) March 5, 2022"), "A post shared by … (@handle)",
    "View this post on Instagram". The post's own words are left for the
    editor (they may be the quotation the story is about); the residue is
    deleted (fix: safe).

    Example: `We are ready to talk pic.twitter.com/AbCdEf123 — Maria Zakharova
    (@MID_RF) March 5, 2022` -> `We are ready to talk`.
    """
    text = article.text
    if "pic.twitter" not in text and "(@" not in text and "Instagram" not in text:
        return
    for m in _EMBED.finditer(text):
        if m.group().strip():
            yield Hit(m.start(), m.end(), f"social media embed residue (site furniture): \u201c{m.group().strip()}\u201d", "")


def furniture_sentences(article, config) -> frozenset[int]:
    """Indices of the sentences that the enabled boilerplate rules delete whole
    (a label, a credit, a prompt standing as its own sentence), not those that
    only lose a stray word. The order test leaves them out: it judges the story,
    and a foreign-agent label above the lede made a clean article read as
    scrambled (BENCHMARKS.md, eighth session)."""
    spans = [(s, e) for code, s, e, _ in scan(article, config) if config.rule_enabled(code, "boilerplate")]
    if config.rule_enabled("BOI009", "boilerplate"):
        spans += [(h.start, h.end) for h in social_embed_residue(article, config)]  # "View this post on Instagram"
    if config.rule_enabled("BOI010", "boilerplate"):
        spans += [(h.start, h.end) for h in page_metadata(article, config)]  # "Tags: …", "Updated 15:10"
    if not spans:
        return frozenset()
    text = article.text
    out = set()
    for sent in article.sentences:
        inside = [(max(s, sent.start), min(e, sent.end)) for s, e in spans if s < sent.end and e > sent.start]
        if not inside:
            continue
        pos = sent.start
        for s, e in sorted(inside):
            if text[pos:s].strip():
                break
            pos = max(pos, e)
        else:
            if not text[pos:sent.end].strip():
                out.add(sent.index)
    return frozenset(out)
