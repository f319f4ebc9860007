"""Reading and decoding article bytes.

UTF-8 (with or without BOM) first; UTF-16/32 by BOM; otherwise the encoding
is detected with charset-normalizer among the encodings Russian-to-English
news actually arrives in, and the choice is reported. Mojibake inside
valid UTF-8 is the `encoding` detector's job, not this module's.

A saved web page (a .html/.htm/.xhtml file, or text that opens with
`<!doctype html` or `<html`) is read as its text: `decode_article` extracts it
with lxml and inscriptis (block layout kept, one paragraph per line) and puts
the page's first <h1> (else its <title>) first as the headline. Offsets in the
report then count in that text, not in the markup.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # an article; a 100 MB "article" is an input error

# Tried when the bytes are not UTF-8; order breaks ties.
CANDIDATE_ENCODINGS = ("cp1251", "koi8_r", "cp1252", "iso8859_5", "mac_cyrillic", "latin_1")


class InputError(Exception):
    """Bad input: reported as one line, exit status 2."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name, e.g. "utf-8", "cp1251"
    bom: bool = False
    detected: bool = False  # True when the encoding was guessed, not declared/UTF-8
    html: bool = False  # True when `text` was extracted from a saved web page

    def to_dict(self) -> dict:
        return {"name": self.encoding, "bom": self.bom, "detected": self.detected}


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file (or stdin for "-"), refusing what is not an article."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory (use `mtaudit batch` for many articles)")
        try:
            size = os.path.getsize(path)
            if size > max_bytes:
                raise InputError(
                    f"{path}: {size / 1e6:.1f} MB is too large for one article "
                    f"(limit {max_bytes / 1e6:.0f} MB; raise it with --max-bytes)"
                )
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: input is larger than {max_bytes / 1e6:.0f} MB")
    return data


def decode(data: bytes, source: str = "<input>") -> Decoded:
    """Decode article bytes; raise InputError for binary or undecodable data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(name)
            except UnicodeDecodeError:
                raise InputError(f"{source}: has a {name} byte-order mark but is not valid {name}") from None
            return _checked(Decoded(text, name, bom=True), source)
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file (NUL bytes), not a text article")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), source)
    except UnicodeDecodeError:
        pass
    return _checked(_detect(data, source), source)


def _checked(dec: Decoded, source: str) -> Decoded:
    if dec.text and len(_CONTROL.findall(dec.text[:65536])) > max(8, len(dec.text[:65536]) // 100):
        raise InputError(f"{source}: looks like a binary file (control characters), not a text article")
    return dec


def _plausibility(text: str) -> float:
    """How much the letters in `text` look like real words (higher is better).

    Penalises what wrong single-byte decodings produce: case flipping inside
    a word (koi8-r read as cp1251), Latin letters glued to Cyrillic, runs of
    accented Latin (cp1251 read as cp1252), and C1 control characters.
    """
    score = 0.0
    for word in re.findall(r"[^\W\d_]+", text):
        if len(word) < 2:
            continue
        cyr = sum("\u0400" <= c <= "\u04ff" for c in word)
        lat_ext = sum("\u00c0" <= c <= "\u024f" for c in word)
        ascii_letters = sum(c.isascii() for c in word)
        mixed_case = word[1:] != word[1:].lower() and word != word.upper()
        if cyr and ascii_letters:
            score -= 2
        elif lat_ext >= 2 and lat_ext * 2 >= len(word):
            score -= 2
        elif mixed_case:
            score -= 1
        else:
            score += 1
    score -= 5 * sum("\x80" <= c <= "\x9f" for c in text)
    return score


def _detect(data: bytes, source: str) -> Decoded:
    from charset_normalizer import from_bytes  # maintained detector; imported only when needed

    candidates: list[str] = []
    try:
        for match in from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)):
            candidates.append(match.encoding)
    except Exception:  # the detector gave up: fall back to our own list
        pass
    for enc in CANDIDATE_ENCODINGS:
        if enc not in candidates:
            candidates.append(enc)
    best: tuple[float, int, str, str] | None = None
    for rank, enc in enumerate(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        # charset-normalizer's ranking breaks ties; our plausibility check
        # decides between single-byte Cyrillic code pages it often confuses
        # on short, mostly-English texts.
        key = (_plausibility(text), -rank)
        if best is None or key > best[:2]:
            best = (key[0], key[1], enc, text)
    if best is None:
        raise InputError(f"{source}: unknown text encoding (not UTF-8, cp1251, koi8-r or cp1252)")
    return Decoded(best[3], codecs.lookup(best[2]).name, detected=True)


# ---------------------------------------------------------------- saved web pages

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(r"\A[\s\ufeff]*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def looks_like_html(text: str, name: str = "") -> bool:
    """A saved page: named .html/.htm/.xhtml, or opening with <!doctype html> or <html>.

    Markup inside a plain-text article ("<b>", "<p>") is not enough: that is an
    artifact to report, not a page to extract."""
    return name.lower().endswith(HTML_SUFFIXES) or _HTML_START.match(text[:4096]) is not None


def html_to_text(html: str) -> str:
    """Plain text with one paragraph per line (inscriptis keeps block layout)."""
    if "<" not in html and "&" not in html:
        return html.strip()
    import lxml.html
    from inscriptis import Inscriptis

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # lxml.etree.ParserError on markup with no content
        return ""
    # inscriptis un-escapes text lxml has already decoded, which would turn a
    # double-escaped "&amp;mdash;" (an artifact we report) into "—": re-escape
    # "&" in every text node so its second pass restores the text exactly.
    for el in tree.iter():
        if isinstance(el.text, str) and "&" in el.text:
            el.text = el.text.replace("&", "&amp;")
        if isinstance(el.tail, str) and "&" in el.tail:
            el.tail = el.tail.replace("&", "&amp;")
    lines = [" ".join(line.split()) for line in Inscriptis(tree).get_text().splitlines()]
    paragraphs = []
    for line in lines:
        if line:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def _page_headline(html: str) -> str | None:
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:
        return None
    for xpath in ("//h1", "//title"):
        for el in tree.xpath(xpath):
            head = " ".join(el.text_content().split())
            if head:
                return head
    return None


def page_text(html: str) -> str:
    """A saved page's article text: the headline (first <h1>, else <title>), a blank
    line, then the body one paragraph per line."""
    body = html_to_text(html)
    head = _page_headline(html)
    if not head:
        return body
    first, _, rest = body.partition("\n")
    if first.strip() == head:
        body = rest
    return f"{head}\n\n{body}" if body.strip() else head


def decode_article(data: bytes, source: str = "<input>") -> Decoded:
    """`decode`, then a saved web page's text (see the module docstring)."""
    dec = decode(data, source)
    if not looks_like_html(dec.text, source):
        return dec
    return Decoded(page_text(dec.text), dec.encoding, bom=dec.bom, detected=dec.detected, html=True)
