"""Transliteration: one name spelt two ways in one article (TRL001:
Sergei/Sergey, Zakharova/Zakharowa), and Ukrainian places in the
Russian-based spellings machine translation from Russian writes (TRL002:
Kiev, Kharkov, Odessa; data/ukrainian_places.tsv).

Every capitalised word is mapped to a transliteration "skeleton" that merges
the usual variant spellings of Russian and Ukrainian names (y/i/j, -iy/-y,
-ev/-yev, kh/h, x/ks, ...; not -off/-ov: Tinkoff the bank is not
Tinkov the man), plus a small table of variants the skeleton
cannot merge (data/name_variants.tsv: Aleksandr/Alexander, Kiev/Kyiv...).
Two spellings with one skeleton in one article are reported: the minority
spelling, with the majority one as the (unsafe) suggestion.

Precision first: a first name alone differing is only reported when the
same surname follows both spellings ("Sergei Lavrov ... Sergey Lavrov"),
since "Sergei Lavrov" and "Sergey Shoigu" are two people whose own
established spellings may legitimately differ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from functools import lru_cache

from auditor.detectors import data
from auditor.detectors.registry import Hit, rule

# No leading \b: a pattern that starts with a character class lets the regex
# engine skip ahead fast. A capital inside a word ("McDonald" -> "Donald")
# only adds a harmless extra token.
_TOKEN = re.compile(r"[A-Z][a-z]{3,}\b")
_NEXT_NAME = re.compile(r"[ ]([A-Z][a-z]+)\b")
_YE_YO = re.compile(r"y[eo]")
_MULTI_I = re.compile(r"i{2,}")
_SIBILANT_O = re.compile(r"(?<=ts|ch|sh)ov(?=$|a$)")


@lru_cache(maxsize=1)
def _variant_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in data.rows("name_variants.tsv"):
        names = [n.strip() for n in row if n.strip()]
        for name in names:
            table[name.lower()] = "=" + names[0].lower()
    return table


@lru_cache(maxsize=8192)  # bounded: batch memory must stay flat
def name_key(token: str) -> str:
    """The transliteration skeleton of a capitalised word.

    >>> name_key("Zelenskyy") == name_key("Zelensky") == name_key("Zelenskiy")
    True
    >>> name_key("Sergeyev") == name_key("Sergeev")
    True
    """
    t = token.lower()
    known = _variant_table().get(t)
    if known:
        return known
    t = t.replace("kh", "h").replace("dzh", "j")  # Dzhabarov/Jabarov
    t = t.replace("tch", "ch").replace("sch", "sh")  # French/German: Abramovitch, Schoigu
    t = t.replace("zh", "j")  # French: Prigojine
    t = t.replace("ou", "u")  # French: Oustinov
    # German/Polish w: Zakharowa, Wekselberg; a short initial W keeps apart
    # English words like "West"/"Vest".
    head = t[0].replace("w", "v") if len(t) >= 6 else t[0]
    t = head + t[1:].replace("w", "v")
    t = t.replace("x", "ks")
    t = _YE_YO.sub("e", t)  # Yevgeny/Evgeny, Pyotr/Petr, Sergeyev/Sergeev
    t = t[0] + t[1:].replace("j", "i")  # Sergej; an initial J (Jan vs Ian) stays
    t = t.replace("y", "i")
    t = t.replace("iev", "ev")  # Lavrentiev/Lavrentyev
    t = _SIBILANT_O.sub("ev", t)  # ё after a sibilant: Gorbachov/Gorbachev, Kolokoltsov
    if t.endswith("ine"):
        t = t[:-1]  # French: Prigojine/Prigozhin
    t = _MULTI_I.sub("i", t)  # Zelenskyy/Zelenskii
    return t


def _occurrences(text: str, spellings: list[str]):
    """(start, end, spelling, key of the next capitalised word or None)."""
    pat = re.compile(r"\b(" + "|".join(map(re.escape, spellings)) + r")\b")
    for m in pat.finditer(text):
        nxt = _NEXT_NAME.match(text, m.end())
        yield m.start(), m.end(), m.group(1), (name_key(nxt.group(1)) if nxt and len(nxt.group(1)) > 1 else None)


@lru_cache(maxsize=8)
def _scan(text: str) -> tuple:
    tokens = _TOKEN.findall(text)
    if len(tokens) < 2:
        return ()
    distinct = set(tokens)
    keys = list(map(name_key, distinct))  # cached per word, called from C
    if len(set(keys)) == len(keys):
        return ()  # the usual case: no two spellings share a skeleton
    counts = Counter(tokens)
    groups: dict[str, list[str]] = defaultdict(list)
    for tok, key in zip(distinct, keys):
        groups[key].append(tok)
    out = []
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        occ = list(_occurrences(text, spellings))
        # Tokens glued to a preceding letter ("McDonald") are not whole words.
        spellings = sorted({o[2] for o in occ})
        if len(spellings) < 2:
            continue
        first_only = {s: all(o[3] is not None for o in occ if o[2] == s) for s in spellings}
        # Majority spelling: most frequent, ties to the one used first.
        order = {s: min(o[0] for o in occ if o[2] == s) for s in spellings}
        major = max(spellings, key=lambda s: (counts[s], -order[s]))
        major_next = {o[3] for o in occ if o[2] == major}
        for start, end, spelling, nxt in occ:
            if spelling == major:
                continue
            if first_only[spelling] and first_only[major] and nxt not in major_next:
                continue  # first names of different people
            out.append((start, end, spelling, major, counts[major]))
    out.sort()
    return tuple(out)


class _Places:
    """data/ukrainian_places.tsv, loaded once."""

    def __init__(self, rows: list[list[str]]):
        self.house: dict[str, tuple[str, dt.date, str]] = {}  # Russian-based form -> (house form, since, note)
        macros = {}
        for row in rows:
            if row[0].startswith("@"):
                macros[row[0][1:]] = row[1]
                continue
            house, forms, since, note = (row + [""])[:4]
            for form in forms.split(";"):
                self.house[form.strip()] = (house, dt.date.fromisoformat(since), note.strip())
        alternatives = "|".join(sorted(map(re.escape, self.house), key=len, reverse=True))
        # No leading \b: led by the names' capitals, the engine skips ahead
        # (with \b in front the scan cost 367 ms on the 7.45 MB of clean
        # articles); the start of the word is checked by the caller.
        self.pattern = re.compile(rf"(?:{alternatives})\b")
        self.words_before = frozenset(macros["words_before"].split("|"))
        self.not_after = re.compile(macros["not_after"])
        self.not_before = re.compile(macros["not_before"])

    def applies(self, form: str, day: dt.date | None) -> bool:
        """Whether TRL002 reports `form` in an article of `day` (None: undated)."""
        entry = self.house.get(form)
        return entry is not None and (day is None or day >= entry[1])


@lru_cache(maxsize=1)
def _places() -> _Places:
    return _Places(data.rows("ukrainian_places.tsv"))


_WORD_BEFORE = re.compile(r"([A-Z][\w’'-]*) $")
# From this date English news wrote the Ukrainian forms almost everywhere.
_UNIVERSAL = dt.date(2022, 2, 24)


@rule(code="TRL002", name="russian-based-place-name", category="transliteration", severity="warning", fix="unsafe")
def russian_based_place_name(article, config):
    """A Ukrainian place in its Russian-based spelling ("Kiev", "Kharkov",
    "Odessa", "Nikolaev"), as machine translation from Russian writes it.

    English news writes the Ukrainian forms: "Kyiv" in AP style since 14
    August 2019, the others widely since the invasion of 24 February 2022
    ("Kharkiv", "Odesa", "Mykolaiv"); renamed places by their new names
    (Dnipro, Bakhmut, Kropyvnytskyi). A warning in articles dated from 24
    February 2022, info in earlier ones and in undated ones, nothing before
    the form's date (data/ukrainian_places.tsv). Not after a capitalised word
    ("Dynamo Kiev", "Igor Nikolaev"), nor in "chicken Kiev" or "Odessa,
    Texas". Names in `accept_names` are never reported.
    Example: "Explosions were heard in Kiev" -> "Kyiv".
    """
    text = article.text
    places = _places()
    day = article.date
    accepted = set(config.accept_names)
    for m in places.pattern.finditer(text):
        form = m.group()
        if (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")) or form in accepted:
            continue  # inside a word
        if not places.applies(form, day):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        word = _WORD_BEFORE.search(before)
        if (word and word.group(1) not in places.words_before) or places.not_after.search(before):
            continue
        if places.not_before.search(text[m.end() : m.end() + 40]):
            continue
        house, since, note = places.house[form]
        if note == "renamed":
            why = f"renamed “{house}” in {since.year}"
        else:
            why = f"English news writes “{house}”" + (f" ({note})" if note else "")
        severity = "warning" if day is not None and day >= _UNIVERSAL else "info"
        yield Hit(m.start(), m.end(), f"“{form}” is the Russian-based spelling: {why}", house, severity=severity)


@rule(code="TRL001", name="name-spelling-variants", category="transliteration", severity="warning", fix="unsafe")
def spelling_variants(article, config):
    """The same name transliterated two ways in one article (Zakharova/Zakharowa, Zelensky/Zelenskyy).

    The less frequent spelling is reported, with the article's majority
    spelling as the suggestion (an editor decides: the house style may
    prefer the other). First names alone are reported only when followed
    by the same surname. Names in `accept_names` are never reported.
    Example: "Maria Zakharova said ... Zakharowa added" -> "Zakharowa" (use "Zakharova").
    """
    accepted = set(config.accept_names)
    places = _places()
    for start, end, spelling, major, n in _scan(article.text):
        if spelling in accepted:
            continue
        if places.applies(spelling, article.date) or places.applies(major, article.date):
            continue  # Kiev/Kyiv: TRL002 gives the house form, whatever the majority
        times = "once" if n == 1 else f"{n} times"
        yield Hit(start, end, f"“{spelling}” is spelt “{major}” elsewhere in this article ({times})", major)
