"""Cyrillic detector: Russian text left untranslated, and Latin words with
Cyrillic look-alike letters (homoglyphs) slipped in.

Suggestions come from a glossary of the stock words and names that leak
through (data/cyrillic_glossary.tsv), otherwise from the BGN/PCGN 1947
transliteration (auditor.translit).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from auditor.detectors import data
from auditor.detectors.registry import Hit, rule
from auditor.translit import transliterate

_ANY_CYR = re.compile(r"[\u0400-\u04ff]")
# A word with at least one Cyrillic letter; hyphenated parts stay together.
_WORD = re.compile(r"[^\W\d_]*[\u0400-\u04ff][^\W\d_]*(?:-[^\W_]+)*")
# What may separate two words of one untranslated run.
_RUN_SEP = re.compile(r"(?:[ \t\u00a0]+|\.|[ \u00a0]?[-\u2013\u2014][ \u00a0]?)")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Cyrillic letters that look like Latin ones (and back).
_CYR_TO_LAT = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k",
    "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ӏ": "l", "ԁ": "d",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ӏ": "I",
}
_LAT_TO_CYR = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "k": "к",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "X": "Х",
}
_TO_LATIN = str.maketrans(_CYR_TO_LAT)
_TO_CYRILLIC = str.maketrans(_LAT_TO_CYR)

# Case endings tried when looking an inflected form up ("Москве" -> Москва).
_ENDINGS = sorted(
    "а я о е у ю ы и ь й ой ей ом ем ам ям ах ях ую юю ая яя ое ее ые ие ый ий ов ев "
    "ами ями ого его ому ему ыми ими".split(),
    key=len,
    reverse=True,
)
_STEMMABLE_KINDS = {"furniture", "agency", "place", "org", "name", "title"}


class Entry(NamedTuple):
    words: tuple[str, ...]  # normalised Russian words
    english: str
    kind: str


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=1)
def _glossary():
    """(exact index, stem index): normalised form -> entries whose FIRST word has it."""
    entries = []
    for ru, en, kind in data.rows("cyrillic_glossary.tsv"):
        entries.append(Entry(tuple(_norm(w) for w in ru.split()), en, kind))
    exact: dict[str, list[Entry]] = {}
    stems: dict[str, list[Entry]] = {}
    for e in entries:
        first = e.words[0]
        exact.setdefault(first, []).append(e)
        if e.kind in _STEMMABLE_KINDS:
            stems.setdefault(first, []).append(e)
            if first[-1] in "аяоеьйыи" and len(first) > 3:
                stems.setdefault(first[:-1], []).append(e)
    for d in (exact, stems):
        for v in d.values():
            v.sort(key=lambda e: -len(e.words))
    return exact, stems


def _word_matches(word: str, target: str, kind: str) -> bool:
    """Is `word` (normalised) `target` or, for names and places, an inflected form of it?"""
    if word == target:
        return True
    if kind not in _STEMMABLE_KINDS:
        return False
    base = target[:-1] if target[-1] in "аяоеьйыи" and len(target) > 3 else target
    for end in _ENDINGS:
        if word.endswith(end) and word[: -len(end)] in (base, target):
            return True
    return False


def _candidates(word: str) -> list[Entry]:
    exact, stems = _glossary()
    found = list(exact.get(word, ()))
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 3:
            found.extend(stems.get(word[: -len(end)], ()))
    found.extend(stems.get(word, ()))
    return sorted(set(found), key=lambda e: -len(e.words))


def lookup(words: list[str], i: int) -> Entry | None:
    """The longest glossary entry matching words[i:], if any."""
    norm = [_norm(w.translate(_TO_CYRILLIC)) for w in words[i : i + 4]]
    for e in _candidates(norm[0]):
        n = len(e.words)
        if n <= len(norm) and all(_word_matches(norm[k], e.words[k], e.kind) for k in range(n)):
            return e
    return None


def _is_homoglyph_word(word: str) -> bool:
    """A Latin word with a few Cyrillic look-alike letters in it ("Мoscow")."""
    cyr = [c for c in word if "\u0400" <= c <= "\u04ff"]
    if not all(c in _CYR_TO_LAT for c in cyr):
        return False
    latin = len(_LATIN_LETTER.findall(word))
    return latin > len(cyr)


def translate_run(words: list[str], seps: list[str]) -> tuple[str, bool]:
    """English for a run of Cyrillic words: glossary phrases, else transliteration.
    Returns (suggestion, all_from_glossary)."""
    out: list[str] = []
    all_known = True
    i = 0
    while i < len(words):
        e = lookup(words, i)
        if e is not None:
            piece, n = e.english, len(e.words)
        else:
            piece, n = transliterate(words[i].translate(_TO_CYRILLIC)), 1
            all_known = False
        if out:
            out.append(seps[i - 1])
        out.append(piece)
        i += n
    return "".join(out), all_known


@rule(code="CYR001", name="untranslated-cyrillic", category="cyrillic", severity="error", fix="unsafe")
def untranslated_cyrillic(article, config):
    """Untranslated Cyrillic text left in the English article.

    A run of Russian words (names, site furniture, whole phrases) that the
    machine translation passed through. The suggestion comes from a glossary
    of stock words that leak through, matched in any case and inflected form
    (`Источник` -> `Source`, `РИА Новости` -> `RIA Novosti`, `в Москве` ->
    `Moscow`), and otherwise from the BGN/PCGN 1947 transliteration for names.
    Words mixing Cyrillic with Latin look-alike letters (`Mосква` with a
    Latin M) are reported here too. An editor decides (fix: unsafe).

    Example: `Источник In April, the US expelled ...` -> `Source` (and
    BOI007 removes the stray word).
    """
    text = article.text
    if text.isascii() or _ANY_CYR.search(text) is None:
        return
    accepted = {a.casefold() for a in config.accept_names}
    runs: list[list[re.Match]] = []
    for m in _WORD.finditer(text):
        if _is_homoglyph_word(m.group()):
            continue  # CYR002
        if runs and _RUN_SEP.fullmatch(text, runs[-1][-1].end(), m.start()):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        start, end = run[0].start(), run[-1].end()
        span = text[start:end]
        if span.casefold() in accepted:
            continue
        words = [m.group() for m in run]
        seps = [text[a.end() : b.start()] for a, b in zip(run, run[1:])]
        suggestion, known = translate_run(words, seps)
        if not known and any(w[:1].islower() and lookup(words, k) is None for k, w in enumerate(words)):
            # Ordinary Russian words, not only names: it needs a translator,
            # and a letter-by-letter transliteration would mislead.
            yield Hit(
                start,
                end,
                f"untranslated Russian text \u201c{span}\u201d: needs translation",
                None,
                data={"transliteration": transliterate(span.translate(_TO_CYRILLIC)), "glossary": False},
            )
            continue
        mixed = any(_LATIN_LETTER.search(w) for w in words)
        how = "glossary" if known else "glossary/BGN-PCGN transliteration"
        note = " (Latin and Cyrillic letters mixed)" if mixed else ""
        yield Hit(
            start,
            end,
            f"untranslated Cyrillic \u201c{span}\u201d{note}; {how}: \u201c{suggestion}\u201d",
            suggestion,
            data={"transliteration": transliterate(span.translate(_TO_CYRILLIC)), "glossary": known},
        )


@rule(code="CYR002", name="cyrillic-homoglyph", category="cyrillic", severity="error", fix="safe")
def cyrillic_homoglyph(article, config):
    """A Latin word with Cyrillic look-alike letters in it.

    Text typed on a Russian keyboard layout or passed through a Cyrillic
    pipeline can carry letters such as Cyrillic `о`, `с`, `М` inside an
    English word: it looks right but breaks search, spell-checking and
    hyphenation. Every Cyrillic letter of the word has a Latin twin, so the
    repair is unambiguous (fix: safe).

    Example: `Мoscow` (Cyrillic М) -> `Moscow`.
    """
    text = article.text
    if text.isascii() or _ANY_CYR.search(text) is None:
        return
    for m in _WORD.finditer(text):
        word = m.group()
        if _is_homoglyph_word(word):
            fixed = word.translate(_TO_LATIN)
            letters = ", ".join(sorted({f"U+{ord(c):04X} {c}" for c in word if "\u0400" <= c <= "\u04ff"}))
            yield Hit(m.start(), m.end(), f"Cyrillic look-alike letter(s) in \u201c{word}\u201d ({letters})", fixed)
