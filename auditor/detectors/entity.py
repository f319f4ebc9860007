"""HTML left in the text: entities, whole or broken by spacing/escaping, and markup.

MT pipelines often receive HTML-escaped text and hand back `&mdash;`,
`& mdash;` (a tokenizer split it), `&amp;quot;` (escaped twice) or numeric
references `&#8212;` / `&#x2014;`. Every one of these must be decoded before
publication, so all rules here are errors with a safe fix: the character the
entity stands for. Names are checked against the stdlib's HTML5 entity table
(`html.entities.html5`), so "AT&T", "S&P 500" and "Q&A" are never flagged.

Scrapers that strip a page badly leave its markup too: `<p>`, `<br />`,
`<a href="...">`, `<!-- ad -->`, an embed's `<script>`, or the same escaped
(`&lt;p&gt;`). ENT004 reports runs of such tags; only the element names in
data/html_tags.tsv count, so prose with angle brackets is left alone.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.entities import html5
from typing import NamedTuple

from auditor.detectors.data import rows
from auditor.detectors.registry import Hit, rule

# A candidate starts at "&", optionally a few spaces/tabs, then "#" or a letter.
_CANDIDATE = re.compile(r"&[ \t]{0,3}[#A-Za-z]")
# One entity body after "&" (and optional spacing).
_BODY = re.compile(
    r"(?P<sp1>[ \t]{0,3})(?:"
    r"#(?P<sp2>[ \t]{0,2})(?:[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<dec>[0-9]{1,7}))"
    r"|(?P<name>[A-Za-z][A-Za-z0-9]{1,31})"
    r")(?P<sp3>[ \t]{0,2})(?P<semi>;?)"
)

# Invisible or spacing characters: decoded to a plain space (nbsp and friends)
# or removed (soft hyphen, zero-width), so the fix never leaves a no-break
# space or a hidden character in the published text.
_AS_SPACE = {"\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u2007", "\u2008", "\u200a", "\u205f"}
_AS_NOTHING = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@lru_cache(maxsize=1)
def _legacy_names() -> tuple[str, ...]:
    """Entity names HTML5 accepts without a semicolon, longest first."""
    return tuple(sorted((k for k in html5 if not k.endswith(";") and len(k) >= 2), key=len, reverse=True))


def _legacy_prefix(name: str) -> str | None:
    for legacy in _legacy_names():
        if name.startswith(legacy):
            return legacy
    return None


class _Entity(NamedTuple):
    start: int
    end: int
    char: str  # the decoded character(s), already mapped for publishing
    kind: str  # "entity" | "broken" | "double"


def _parse_one(text: str, pos: int) -> tuple[int, str, bool] | None:
    """Parse one entity body at `pos` (just after "&").

    Returns (end, decoded, broken) or None when it is not an entity. `broken`
    means spacing inside it or a missing semicolon.
    """
    m = _BODY.match(text, pos)
    if m is None:
        return None
    if m.group("name") is not None and not m.group("semi") and not m.group("sp1"):
        legacy = _legacy_prefix(m.group("name"))
        if legacy and legacy != m.group("name"):
            # "&laquoa lot": HTML5 decodes the legacy names (those valid
            # without ";") even when letters follow.
            return pos + len(legacy), html5[legacy], True
    spaced_front = bool(m.group("sp1") or m.group("sp2"))
    semi = bool(m.group("semi"))
    spaced_back = bool(m.group("sp3")) and semi
    end = m.end() if semi else m.end("sp3") - len(m.group("sp3"))
    if m.group("name") is not None:
        name = m.group("name")
        key = name + ";"
        if key not in html5 and name.isupper() and name.lower() + ";" in html5:
            key = name.lower() + ";"  # "&MDASH;": upper-cased by a feed
        if key not in html5:
            return None
        if not semi:
            # Without ";" only when glued to "&" and not followed by more word
            # characters: "&mdash ", never "AT&T" or "& Co".
            if spaced_front:
                return None
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                return None
        elif spaced_front and spaced_back and len(name) < 3:
            return None  # "& lt ;" is too much like prose
        return end, html5[key], spaced_front or spaced_back or not semi
    # Numeric reference; "& #8212" without a semicolon is too unlike an entity.
    if spaced_front and not semi:
        return None
    if not semi and end < len(text) and text[end].isalnum():
        return None
    ref = "&#x" + m.group("hex") + ";" if m.group("hex") else "&#" + m.group("dec") + ";"
    decoded = html.unescape(ref)
    if decoded == ref or decoded == "\ufffd":
        return None
    return end, decoded, spaced_front or spaced_back or not semi


def _parse(text: str, amp: int) -> _Entity | None:
    """The entity starting at the "&" at `amp`, with double escaping unwound."""
    first = _parse_one(text, amp + 1)
    if first is None:
        return None
    end, decoded, broken = first
    kind = "broken" if broken else "entity"
    # "&amp;quot;" / "&amp; mdash;" / "&amp;amp;#8212;": an escaped "&"
    # followed by another entity body is one character escaped twice.
    while decoded == "&" and text[end - 1 : end] == ";":
        nxt = _parse_one(text, end)
        if nxt is None:
            break
        end, decoded, _ = nxt
        kind = "double"
    if decoded in _AS_SPACE:
        before = text[amp - 1 : amp]
        after = text[end : end + 1]
        # Next to a space already, the entity is just removed: no double space.
        decoded = "" if (not before or before.isspace() or not after or after.isspace()) else " "
    elif decoded in _AS_NOTHING:
        decoded = ""
    return _Entity(amp, end, decoded, kind)


@lru_cache(maxsize=8)
def _scan(text: str) -> tuple[_Entity, ...]:
    if "&" not in text:
        return ()
    found = []
    last = -1
    for m in _CANDIDATE.finditer(text):
        if m.start() < last:
            continue
        ent = _parse(text, m.start())
        if ent is not None:
            found.append(ent)
            last = ent.end
    return tuple(found)


def _describe(ent: _Entity, text: str) -> str:
    raw = text[ent.start : ent.end]
    if ent.char == "":
        target = "remove it (invisible character)"
    elif ent.char == " ":
        target = "replace it with a plain space (no-break space)"
    else:
        target = f"replace it with “{ent.char}”"
    what = {
        "entity": "HTML entity",
        "broken": "broken HTML entity",
        "double": "double-escaped HTML entity",
    }[ent.kind]
    return f"{what} `{raw}` left in the text: {target}"


def _hits(article, kind: str):
    text = article.text
    if "&" not in text:  # before hashing the text for the cache
        return
    # an escaped tag's "&lt;" and "&gt;" are ENT004's: decoding them alone would publish a tag
    markup = [(r.start, r.end) for r in _markup(text) if r.escaped] if "lt;" in text else ()
    for ent in _scan(text):
        if ent.kind == kind and not any(a <= ent.start and ent.end <= b for a, b in markup):
            yield Hit(ent.start, ent.end, _describe(ent, article.text), ent.char)


@rule(code="ENT001", name="html-entity", category="entity", severity="error", fix="safe")
def html_entity(article, config):
    """HTML entity left in the text (`&mdash;`, `&nbsp;`, `&#8212;`, `&#x2014;`).

    The text went through an HTML-escaping step and was never decoded.
    Example: "in the USA &mdash; 300 Russian" -> "in the USA — 300 Russian".
    The fix is the character the entity names; `&nbsp;` and other spacing
    entities become a plain space (or nothing next to an existing space),
    invisible ones (`&shy;`, `&zwj;`) are removed. A bare "&" as in "AT&T",
    "S&P 500" or "Q&A" is not an entity and is never flagged.
    """
    return _hits(article, "entity")


@rule(code="ENT002", name="broken-html-entity", category="entity", severity="error", fix="safe")
def broken_entity(article, config):
    """HTML entity broken by spacing or a missing semicolon (`& mdash;`, `&mdash ;`, `& #8212;`, `&mdash`).

    Tokenizers split "&mdash;" into "& mdash;"; some feeds drop the final
    semicolon. Only real HTML5 entity names are accepted, and the semicolon-less
    form only when glued to "&" and followed by a non-letter.
    Example: "'', & mdash; said the interlocutor" -> "'', — said the interlocutor".
    """
    return _hits(article, "broken")


@rule(code="ENT003", name="double-escaped-entity", category="entity", severity="error", fix="safe")
def double_escaped(article, config):
    """HTML entity escaped twice (`&amp;quot;`, `&amp; mdash;`, `&amp;amp;`), decoded fully.

    Example: "called it &amp;quot;a mistake&amp;quot;" -> 'called it "a mistake"'.
    A lone `&amp;` ("AT&amp;T") is decoded to "&".
    """
    return _hits(article, "double")


# --------------------------------------------------------------------------
# Leftover markup (ENT004)


@lru_cache(maxsize=1)
def _tag_kinds() -> dict[str, str]:
    return {name.lower(): kind for name, kind in rows("html_tags.tsv")}


_LT = r"(?:<|&(?:amp;)?lt;)"
_GT = r"(?:>|&(?:amp;)?gt;)"
# An attribute: name = a quoted (or &quot;-quoted) or bare value; without a value
# only HTML's boolean attributes, so that "<b and c>" stays prose.
_BOOLEAN = r"(?:async|defer|hidden|allowfullscreen|controls|autoplay|muted|loop|playsinline|nowrap|itemscope)"
_ATTR = (r"(?:[A-Za-z_:@][-\w:.@]*\s*=\s*(?:\"[^\"<>]{0,2000}\"|'[^'<>]{0,2000}'"
         r"|&quot;(?:(?!&quot;)[^<>]){0,2000}&quot;|(?:[^\s\"'<>`&]|&(?!(?:amp;)?gt;))+)|" + _BOOLEAN + r"(?![-\w]))")


@lru_cache(maxsize=1)
def _tag_pattern() -> re.Pattern:
    names = "|".join(sorted(_tag_kinds(), key=len, reverse=True))
    return re.compile(
        r"(?P<comment>" + _LT + r"!--.{0,2000}?--" + _GT + r")"
        r"|(?P<lt>" + _LT + r") ?(?P<close>/)? ?(?P<name>" + names + r")(?![-\w])"
        r"(?:\s+" + _ATTR + r"){0,40}\s*/? ?(?P<gt>" + _GT + r")",
        re.I | re.S,
    )


_SELF_CLOSED = re.compile(r"/ ?" + _GT + r"$")


@lru_cache(maxsize=16)
def _closing(name: str, escaped: bool) -> re.Pattern:
    lt, gt = (r"&(?:amp;)?lt;", r"&(?:amp;)?gt;") if escaped else ("<", ">")
    return re.compile(lt + r" ?/ ?" + re.escape(name) + r"\s*" + gt, re.I)


class _Tag(NamedTuple):
    start: int
    end: int
    kind: str  # block | inline | void | code | comment
    escaped: bool


class _Run(NamedTuple):
    """Adjacent tags (only spaces between) and the fix for all of them."""

    start: int  # the span the fix replaces: the tags and the spaces it takes with them
    end: int
    tags: tuple[_Tag, ...]
    replacement: str
    escaped: bool


def _tags(text: str) -> list[_Tag]:
    kinds = _tag_kinds()
    out: list[_Tag] = []
    pos = 0
    pat = _tag_pattern()
    while True:
        m = pat.search(text, pos)
        if m is None:
            return out
        pos = m.start() + 1
        if m.group("comment"):
            raw = m.group("comment")
            escaped = not raw.startswith("<")
            if escaped != raw.endswith(";"):
                continue
            out.append(_Tag(m.start(), m.end(), "comment", escaped))
            pos = m.end()
            continue
        escaped = m.group("lt") != "<"
        if escaped != (m.group("gt") != ">"):
            continue  # "&lt;b>": not one tag in one style
        name = m.group("name").lower()
        kind = kinds[name]
        end = m.end()
        if kind == "code" and not m.group("close") and not _SELF_CLOSED.search(m.group(0)):
            close = _closing(name, escaped).search(text, end, end + 50_000)
            if close is not None:
                end = close.end()
        out.append(_Tag(m.start(), end, kind, escaped))
        pos = end


@lru_cache(maxsize=8)
def _markup(text: str) -> tuple[_Run, ...]:
    """Runs of leftover tags with their fixes; see html_tag."""
    if "<" not in text and "lt;" not in text:
        return ()
    tags = _tags(text)
    runs: list[list[_Tag]] = []
    for tag in tags:
        if runs and text[runs[-1][-1].end : tag.start].strip(" \t") == "":
            runs[-1].append(tag)
        else:
            runs.append([tag])
    return tuple(_fixed_run(text, run) for run in runs)


def _fixed_run(text: str, run: list[_Tag]) -> _Run:
    start, end = run[0].start, run[-1].end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start:start], text[end:line_end]
    left = len(before) - len(before.rstrip(" \t"))
    right = len(after) - len(after.lstrip(" \t"))
    at_start, at_end = not before.strip(), not after.strip()
    replacement = ""
    if at_start and at_end:
        start, end = line_start, line_end  # a line of markup only: empty it
    elif at_start:
        end += right
    elif at_end:
        start -= left
    elif any(t.kind == "block" for t in run):
        # A paragraph ended here. Not on the first line, which may be the headline:
        # breaking it would change what the headline is.
        start, end = start - left, end + right
        replacement = " " if line_start == 0 else "\n"
    else:
        # one space stays where there was one: "the <b>word", "word</b> said", "said</span> <a>more"
        inner = any(text[a.end : b.start] for a, b in zip(run, run[1:]))
        end += right
        replacement = " " if not left and (right or inner) else ""
    return _Run(start, end, tuple(run), replacement, any(t.escaped for t in run))


_KIND_NOTE = {
    "code": "page code, not story text",
    "comment": "an HTML comment",
    "void": "an embedded object without text",
}


def _describe_run(text: str, run: _Run) -> str:
    raw = text[run.tags[0].start : run.tags[-1].end]
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    what = "HTML-escaped markup" if run.escaped else "HTML markup"
    notes = sorted({_KIND_NOTE[t.kind] for t in run.tags if t.kind in _KIND_NOTE})
    note = f" ({'; '.join(notes)})" if notes else ""
    if not any(t.kind == "block" for t in run.tags) or not run.replacement:
        action = "remove it"
    elif run.replacement == "\n":
        action = "replace it with a line break (a paragraph ended there)"
    else:
        action = "replace it with a space (a paragraph ended there; this line may be the headline)"
    return f"{what} `{shown}` left in the text{note}: {action}"


@rule(code="ENT004", name="html-tag", category="entity", severity="error", fix="safe")
def html_tag(article, config):
    """HTML markup left in the text (`<p>`, `<br />`, `<a href="...">`, `<!-- -->`, `&lt;p&gt;`).

    A scraper kept the page's tags, or escaped them (`&lt;p&gt;`) so that the
    entity decoder would turn them back into tags. Tags with only spaces
    between them are one finding. The fix removes them, keeping the words
    they wrapped; a block tag (`</p><p>`, `<br>`) between two pieces of
    text on one line becomes a line break, since a paragraph ended there
    (a space in the first line, which may be the headline). `<script>`,
    `<style>` and `<noscript>` go with their contents, up to the closing
    tag. Only the HTML elements in data/html_tags.tsv count:
    "<john@example.com>", "x < y > z" and "<<Operation Z>>" are not markup.
    Example: "said.</p><p>The ministry" -> "said." and "The ministry" on two lines.
    """
    text = article.text
    if "<" not in text and "lt;" not in text:  # before hashing the text for the cache
        return
    for run in _markup(text):
        yield Hit(run.start, run.end, _describe_run(article.text, run), run.replacement)
