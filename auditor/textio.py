"""Reading and decoding article bytes.

UTF-8 (with or without BOM) first; UTF-16/32 by BOM; otherwise the encoding
is detected with charset-normalizer among the encodings Russian-to-English
news actually arrives in, and the choice is reported. Mojibake inside
valid UTF-8 is the `encoding` detector's job, not this module's.
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
