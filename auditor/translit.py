"""Russian Cyrillic -> Latin transliteration, BGN/PCGN 1947 system.

This is the BGN/PCGN romanization of Russian (1947, as used by the US Board on
Geographic Names and the UK Permanent Committee on Geographical Names), the
system English-language news style guides build on:

    >>> transliterate("Екатеринбург")
    'Yekaterinburg'
    >>> transliterate("Захарова")
    'Zakharova'
    >>> transliterate("Щёлково", strict=True)
    'Shchëlkovo'

Two modes:

* ``strict=True`` is the full system: ``ё`` -> ``ë`` (``yë`` initially and
  after a vowel, ``й``, ``ъ`` or ``ь``), ``ъ`` -> ``”``, ``ь`` -> ``’``, and the
  optional middle dot that keeps ``тс``/``шч`` (``t·s``, ``sh·ch``) apart from
  ``ц``/``щ`` and marks ``й``/``ы`` before ``а у ы э``.
* the default is the same system without diacritics, as news copy prints it:
  ``ё`` -> ``e``/``ye``, the hard and soft signs dropped, no middle dot
  (``Пётр Королёв`` -> ``Petr Korolev``; ``Дарья`` -> ``Darya``).

``е`` (and ``ё``) is ``ye`` at the start of a word and after a vowel, ``й``,
``ъ`` or ``ь``, otherwise ``e``. Case follows the source: a capital becomes a
capitalised digraph (``Ж`` -> ``Zh``), an all-capitals word stays in capitals
(``ЖКХ`` -> ``ZHKKH``). Non-Russian Cyrillic letters (Ukrainian, Belarusian)
get a close Latin equivalent; anything else passes through unchanged.
"""

from __future__ import annotations

import re

__all__ = ["transliterate", "SYSTEM"]

SYSTEM = "BGN/PCGN 1947"

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "\u201d", "ы": "y", "ь": "\u2019", "э": "e",
    "ю": "yu", "я": "ya",
    # Not Russian: close equivalents so a stray letter still reads sensibly.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w", "ј": "j", "ђ": "đ", "ћ": "ć",
    "љ": "lj", "њ": "nj", "џ": "dž", "ѕ": "dz", "ѓ": "gj", "ќ": "kj",
}
_VOWELS = set("аеёиоуыэюяіїє")
# After these (or at a word start) е/ё are iotated: ye/yë.
_IOTATING = _VOWELS | set("йъь")
_DOT_PAIRS = {("т", "с"), ("ш", "ч")}
_DOT_BEFORE = set("ауыэ")


def _is_cyr_letter(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def transliterate(text: str, *, strict: bool = False) -> str:
    """Romanize the Cyrillic letters of `text` (BGN/PCGN 1947); see the module doc."""
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        low = ch.lower()
        rom = _BASE.get(low)
        if rom is None:
            out.append(ch)
            continue
        prev = text[i - 1].lower() if i > 0 else ""
        nxt = text[i + 1].lower() if i + 1 < n else ""
        if low in "её":
            iotated = not prev or not (prev.isalpha()) or prev in _IOTATING
            if low == "ё":
                rom = "yë" if iotated else "ë"
                if not strict:
                    rom = rom.replace("ë", "e")
            else:
                rom = "ye" if iotated else "e"
        elif low in "ъь" and not strict:
            rom = ""
        if strict and (
            (low, nxt) in _DOT_PAIRS or (low in "йы" and nxt in _DOT_BEFORE and _is_cyr_letter(nxt))
        ):
            rom += "\u00b7"
        if ch != low and rom:
            # Capital: all-caps word -> all caps; otherwise capitalise the digraph.
            neighbours = [c for c in (text[i - 1] if i > 0 else "", nxt and text[i + 1]) if c and c.isalpha()]
            if neighbours and all(c.isupper() for c in neighbours):
                rom = rom.upper()
            else:
                rom = rom[0].upper() + rom[1:]
        out.append(rom)
    return "".join(out)


_CYR_WORD = re.compile(r"[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    """True if `text` contains any Cyrillic letter."""
    return not text.isascii() and _CYR_WORD.search(text) is not None
