"""What two versions of one sentence disagree on: numbers, dates, named
people and organisations, and negation.

Each extractor returns `Item(kind, key, start, end, text)` with offsets into
the text it was given; `disagreements(a_text, b_text)` compares the items of
two aligned sentence groups and returns pairs of (items only in a, items
only in b) per kind. Names are matched loosely (same word, a close spelling
such as Sergei/Sergey, an inflection such as Russia/Russian, or a listed
equivalent such as U.S./United States) because translators legitimately
render them differently; numbers and dates are matched by value.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Item:
    kind: str  # "number", "date", "name", "negation"
    key: str  # normalised value compared across versions
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = resources.files("auditor.compare").joinpath("data/lexicon.json").read_text("utf-8")
    data = json.loads(raw)
    equiv: dict[str, int] = {}
    for k, group in enumerate(data["name_equivalents"]):
        for phrase in group:
            equiv[phrase] = k
    data["equiv"] = equiv
    data["stop"] = set(data["name_stopwords"])
    return data


@lru_cache(maxsize=1)
def _patterns():
    lx = lexicon()
    months = "|".join(sorted(lx["months"], key=len, reverse=True))
    days = "|".join(lx["weekdays"])
    scales = "|".join(sorted(lx["scales"], key=len, reverse=True))
    words = "|".join(sorted(lx["number_words"], key=len, reverse=True))
    cues = sorted(lx["negation_cues"], key=len, reverse=True)
    neg = "|".join(re.escape(c) if c == "n't" else r"\b" + re.escape(c) + r"\b" for c in cues)
    return {
        # "March 16", "16 March", "March 16, 2022", "March 2022", "March"
        "date": re.compile(
            rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{months})\.?(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
            rf"|(?P<m2>{months})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
            rf"|(?P<wd>{days})"
            rf"|(?<![\d,.])(?P<y3>(?:19|20)\d\d)(?!\d|,\d|\.\d|\s+(?:{scales})\b))\b",
            re.I,
        ),
        "number": re.compile(
            rf"(?<![\w.,])(?<![A-Za-z]-)(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<pct>\s*%|\s+per\s?cent|\s+percent)?"
            rf"(?:\s+(?P<scale>{scales})\b)?"
            rf"|\b(?P<word>{words})\b(?:\s+(?P<wscale>{scales})\b)?",
            re.I,
        ),
        "negation": re.compile(neg, re.I),
        "name": re.compile(r"(?<![\w.])(?:[A-Z][\w'’\-]*\.?(?:\s+(?:of|de|von|van|al|bin|the)\s+|\s+|-)?)*[A-Z][\w'’\-]*(?:\.[A-Z]\.)?"),
    }


def _dates(text: str) -> list[Item]:
    lx = lexicon()
    out = []
    for m in _patterns()["date"].finditer(text):
        g = m.groupdict()
        if g["wd"]:
            key = "weekday:" + str(lx["weekdays"][g["wd"].lower()])
        elif g["y3"]:
            key = "year:" + g["y3"]
        else:
            month_word = g["m1"] or g["m2"]
            # "may" is also a verb: only a date next to a day or year
            if month_word.lower() == "may" and not (g["d1"] or g["d2"] or g["y1"] or g["y2"]):
                continue
            if month_word[0].islower():
                continue
            month = lx["months"][month_word.lower()]
            day = g["d1"] or g["d2"]
            year = g["y1"] or g["y2"]
            key = f"month:{month}" + (f"-{int(day)}" if day else "") + (f"/{year}" if year else "")
        out.append(Item("date", key, m.start(), m.end(), m.group()))
    return out


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[Item]:
    lx = lexicon()
    out = []
    for m in _patterns()["number"].finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        g = m.groupdict()
        if g["num"]:
            value = float(g["num"].replace(",", ""))
            scale = g["scale"]
        else:
            value = float(lx["number_words"][g["word"].lower()])
            scale = g["wscale"]
        if scale:
            value *= lx["scales"][scale.lower()]
        key = (str(int(value)) if value.is_integer() else repr(value)) + ("%" if g.get("pct") else "")
        out.append(Item("number", key, m.start(), m.end(), m.group()))
    return out


def _negations(text: str) -> list[Item]:
    return [Item("negation", "neg", m.start(), m.end(), m.group()) for m in _patterns()["negation"].finditer(text)]


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"[.!?][\"”’']?\s+", text):
        starts.add(m.end())
    return starts


def _opens_sentence(text: str, at: int, starts: set[int]) -> bool:
    # allow opening quotes/brackets before the first word
    k = at
    while k > 0 and text[k - 1] in "\"'“‘«([":
        k -= 1
    return k in starts


def _names(text: str, taken: list[tuple[int, int]]) -> list[Item]:
    lx = lexicon()
    stop = lx["stop"]
    months = lx["months"]
    weekdays = lx["weekdays"]
    out = []
    starts = _sentence_starts(text)
    for m in _patterns()["name"].finditer(text):
        a, b = m.span()
        if any(x <= a < y for x, y in taken):
            continue
        words = [w for w in re.split(r"\s+|-", m.group()) if w]
        significant = [w for w in words if w[0].isupper() and w.rstrip(".") not in stop
                       and w.lower().rstrip(".") not in months and w.lower() not in weekdays]
        if not significant:
            continue
        # A lone capitalised word opening a sentence is a name only when the
        # text also capitalises it mid-sentence ("Putin said" vs "Secrets of").
        if len(words) == 1 and _opens_sentence(text, a, starts) and not words[0].isupper():
            if not re.search(rf"(?<=[a-z,;:] ){re.escape(words[0])}\b", text):
                continue
        out.append(Item("name", " ".join(significant), a, b, m.group()))
    return out


def extract(text: str) -> list[Item]:
    """Dates, numbers, names and negation cues in `text`, with offsets."""
    dates = _dates(text)
    taken = [(d.start, d.end) for d in dates]
    numbers = _numbers(text, taken)
    names = _names(text, taken + [(n.start, n.end) for n in numbers])
    return dates + numbers + names + _negations(text)


def _norm(word: str) -> str:
    return word.lower().replace(".", "").replace("’", "'").removesuffix("'s")


def _name_keys(text: str) -> set[str]:
    """Every lower-cased word and listed equivalence class present in `text`."""
    lx = lexicon()
    low = " " + re.sub(r"\s+", " ", text.lower()) + " "
    keys = {_norm(w) for w in re.findall(r"[\w.'’]+", text)}
    for phrase, k in lx["equiv"].items():
        if f" {phrase} " in low or re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
            keys.add(f"#{k}")
    return keys


def _word_present(word: str, keys: set[str], equiv: dict[str, int]) -> bool:
    w = _norm(word)
    if w in keys:
        return True
    k = equiv.get(w) if w in equiv else equiv.get(word.lower())
    if k is not None and f"#{k}" in keys:
        return True
    for other in keys:
        if other.startswith("#") or abs(len(other) - len(w)) > 3 or not other or other[0] != w[0]:
            continue
        # inflection (Russia/Russian) or respelling (Sergei/Sergey, Zakharova/Zakharowa)
        if (len(w) >= 4 and (other.startswith(w) or w.startswith(other))) or (
            len(w) >= 5 and difflib.SequenceMatcher(None, w, other).ratio() >= 0.8
        ):
            return True
    return False


def _name_missing(item: Item, other_text: str, other_keys: set[str]) -> bool:
    """A name is missing when its last significant word has no counterpart."""
    equiv = lexicon()["equiv"]
    phrase = item.key.lower()
    if phrase in equiv and f"#{equiv[phrase]}" in other_keys:
        return False
    # The last word carries the identity (a surname, or "Ministry" in
    # "Foreign Ministry"): "Ned Price" matches "Price", "Jane Marlowe" does
    # not match "Jane Tanaka".
    return not _word_present(item.key.split()[-1], other_keys, equiv)


def _parts(key: str) -> dict[str, str]:
    """{"weekday": "3"} / {"year": "2022"} / {"month": "3", "day": "3-16", "year": "2022"}."""
    kind, _, value = key.partition(":")
    if kind != "month":
        return {kind: value}
    rest, _, year = value.partition("/")
    month, _, day = rest.partition("-")
    out = {"month": month}
    if day:
        out["day"] = f"{month}-{day}"
    if year:
        out["year"] = year
    return out


def _date_parts(items) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for i in items:
        for k, v in _parts(i.key).items():
            out.setdefault(k, set()).add(v)
    return out


def _date_conflicts(item: Item, other: dict[str, set[str]]) -> bool:
    return any(k in other and v not in other[k] for k, v in _parts(item.key).items())


@dataclass(frozen=True)
class Disagreement:
    kind: str
    only_a: tuple[Item, ...]
    only_b: tuple[Item, ...]


def disagreements(a_text: str, b_text: str, a_context: str = "", b_context: str = "") -> list[Disagreement]:
    """Numbers, dates, names and negation that one text has and the other lacks.

    `a_context`/`b_context` are the sentences around each text: an item whose
    counterpart sits there is a sentence-boundary difference, not a disagreement.
    """
    found = _disagreements(a_text, b_text)
    if not (a_context or b_context) or not found:
        return found
    ca, cb = extract(a_context), extract(b_context)
    keys_ca, keys_cb = _name_keys(a_context), _name_keys(b_context)
    out = []
    for d in found:
        if d.kind == "name":
            only_a = tuple(i for i in d.only_a if _name_missing(i, b_context, keys_cb))
            only_b = tuple(i for i in d.only_b if _name_missing(i, a_context, keys_ca))
        elif d.kind == "negation":
            # negation is too common for a neighbour's "not" to explain one away
            only_a, only_b = d.only_a, d.only_b
        else:
            ka = {i.key for i in ca if i.kind == d.kind}
            kb = {i.key for i in cb if i.kind == d.kind}
            only_a = tuple(i for i in d.only_a if i.key not in kb)
            only_b = tuple(i for i in d.only_b if i.key not in ka)
        if only_a or only_b:
            out.append(Disagreement(d.kind, only_a, only_b))
    return out


def _disagreements(a_text: str, b_text: str) -> list[Disagreement]:
    ia, ib = extract(a_text), extract(b_text)
    out = []
    na = [i for i in ia if i.kind == "number"]
    nb = [i for i in ib if i.kind == "number"]
    va, vb = {i.key for i in na}, {i.key for i in nb}
    only_a = tuple(i for i in na if i.key not in vb)
    only_b = tuple(i for i in nb if i.key not in va)
    if only_a or only_b:
        out.append(Disagreement("number", only_a, only_b))
    # Dates conflict, rather than differ in detail: "in March" against
    # "on March 16, 2022" agrees; "Wednesday" against "Thursday" does not.
    da = [i for i in ia if i.kind == "date"]
    db = [i for i in ib if i.kind == "date"]
    ca, cb = _date_parts(da), _date_parts(db)
    only_a = tuple(i for i in da if _date_conflicts(i, cb))
    only_b = tuple(i for i in db if _date_conflicts(i, ca))
    if only_a or only_b:
        out.append(Disagreement("date", only_a, only_b))
    keys_a, keys_b = _name_keys(a_text), _name_keys(b_text)
    na = tuple(i for i in ia if i.kind == "name" and _name_missing(i, b_text, keys_b))
    nb = tuple(i for i in ib if i.kind == "name" and _name_missing(i, a_text, keys_a))
    if na or nb:
        out.append(Disagreement("name", na, nb))
    ga = tuple(i for i in ia if i.kind == "negation")
    gb = tuple(i for i in ib if i.kind == "negation")
    if bool(ga) != bool(gb):
        out.append(Disagreement("negation", ga, gb))
    return out
