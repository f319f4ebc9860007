"""One name spelt two ways in one article (Sergei/Sergey, Zakharova/Zakharowa).

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

import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

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
    text = resources.files("auditor.detectors.data").joinpath("name_variants.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("\t") if n.strip()]
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
    for start, end, spelling, major, n in _scan(article.text):
        if spelling in accepted:
            continue
        times = "once" if n == 1 else f"{n} times"
        yield Hit(start, end, f"“{spelling}” is spelt “{major}” elsewhere in this article ({times})", major)
