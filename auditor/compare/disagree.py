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
            rf"|(?:in|since|until|by|of)\s+(?P<y3>(?:19|20)\d\d))\b",
            re.I,
        ),
        "number": re.compile(
            rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<pct>\s*%|\s+per\s?cent|\s+percent)?"
            rf"(?:\s+(?P<scale>{scales})\b)?"
            rf"|\b(?P<word>{words})\b(?:\s+(?P<wscale>{scales})\b)?",
            re.I,
        ),
        "negation": re.compile(neg, re.I),
        "name": re.compile(r"(?:[A-Z][\w'’\-]*\.?(?:\s+(?:of|de|von|van|al|bin|the)\s+|\s+|-)?)*[A-Z][\w'’\-]*(?:\.[A-Z]\.)?"),
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
        # a lone capitalised word opening a sentence is usually not a name
        if a in starts and len(words) == 1 and words[0].lower() == words[0].lower() and len(significant) == 1:
            if not significant[0].isupper() and significant[0].rstrip(".") != significant[0]:
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
    keys = {_norm(w) for w in re.findall(r"[\w.'’\-]+", text)}
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
    """A name is missing when none of its significant words has a counterpart."""
    equiv = lexicon()["equiv"]
    phrase = item.key.lower()
    if phrase in equiv and f"#{equiv[phrase]}" in other_keys:
        return False
    return not any(_word_present(w, other_keys, equiv) for w in item.key.split())


@dataclass(frozen=True)
class Disagreement:
    kind: str
    only_a: tuple[Item, ...]
    only_b: tuple[Item, ...]


def disagreements(a_text: str, b_text: str) -> list[Disagreement]:
    """Numbers, dates, names and negation that one text has and the other lacks."""
    ia, ib = extract(a_text), extract(b_text)
    out = []
    for kind in ("number", "date"):
        ka = [i for i in ia if i.kind == kind]
        kb = [i for i in ib if i.kind == kind]
        va, vb = {i.key for i in ka}, {i.key for i in kb}
        only_a = tuple(i for i in ka if i.key not in vb)
        only_b = tuple(i for i in kb if i.key not in va)
        if kind == "date":
            # "March" against "March 16": the shorter one is a paraphrase, not a conflict
            only_a = tuple(i for i in only_a if not any(k.startswith(i.key) or i.key.startswith(k) for k in vb))
            only_b = tuple(i for i in only_b if not any(k.startswith(i.key) or i.key.startswith(k) for k in va))
        if only_a or only_b:
            out.append(Disagreement(kind, only_a, only_b))
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
