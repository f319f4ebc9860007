"""Role phrases in running text: "Russia's foreign minister", "the head of the
Russian Foreign Ministry", "NATO Secretary General", "Kremlin spokesman".

One compiled regular expression (prefix tries, so a scan costs a few set
tests per character however many phrases the KB has) finds them; `resolve`
turns a match into (role, explicit country).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from auditor.kb.model import KB, load_kb
from auditor.needles import Needles, lowered
from auditor.regextrie import trie_pattern as _trie_pattern

_WS = re.compile(r"\s+")


def trie_pattern(words, slots: dict | None = None) -> str:
    """A prefix-tree alternation of `words`; `slots` maps placeholder characters to sub-patterns."""
    return _trie_pattern(words, lambda ch: (slots or {}).get(ch) or _escape(ch))


def _escape(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def _norm(s: str) -> str:
    return _WS.sub(" ", s.strip()).replace("’", "'").lower()


@dataclass(frozen=True)
class RoleMatch:
    start: int
    end: int
    role: str | None  # None: a blocker ("deputy prime minister") — not judged
    country: str | None  # explicit country, if the phrase names one
    countries: tuple[str, ...]  # countries the phrase is restricted to ("Kremlin spokesman": RU)
    text: str
    ambiguous: bool = False  # the phrase names other offices elsewhere ("Chancellor": UK finance)


class RoleLexicon:
    def __init__(self, kb: KB):
        self.country_forms: dict[str, str] = {}  # normalised form -> country code
        prefix_forms, noun_forms = set(), set()
        for code, c in kb.countries.items():
            for f in c.get("adj", []) + c.get("poss", []):
                self.country_forms[_norm(f)] = code
                prefix_forms.add(_norm(f))
            for f in c.get("noun", []):
                self.country_forms[_norm(f)] = code
                noun_forms.add(_norm(f))
        self.phrases: dict[str, tuple] = {}
        for key, r in kb.roles.items():
            role = None if key.startswith("_") else r.get("role", key)
            restrict = tuple(r.get("countries", ()))
            for ph in r["phrases"]:
                for text, country in self._expand(_norm(ph), prefix_forms, noun_forms):
                    self.phrases.setdefault(text, (role, country, restrict, bool(r.get("ambiguous"))))
        pre = trie_pattern(sorted(prefix_forms))
        noun = trie_pattern(sorted(noun_forms))
        self._slots = {"\x00": rf"(?:(?:{pre})\s+)?", "\x01": rf"(?:{noun})"}
        core = trie_pattern(sorted(self.phrases), self._slots)
        self.country_re = re.compile(
            r"(?<![\w'])(?:" + "|".join(re.escape(f) for f in sorted(self.country_forms, key=len, reverse=True)) + r")(?![\w'])"
        )
        self.keywords = self._keywords()
        self._needles = Needles(self.keywords)  # all keywords in one pass
        self._lookups: dict[str, tuple] = {}
        # Case-sensitive over the lower-cased text: several times faster than
        # IGNORECASE on the original (offsets agree when lower() keeps lengths).
        self.regex = re.compile(
            rf"(?<![\w'’])(?:(?P<cp>{pre})\s+)?(?P<core>{core})(?:\s+of\s+(?P<cn>{noun}))?(?![\w-])"
        )

    def _expand(self, ph: str, prefix_forms, noun_forms):
        # Country slots stay slots ("\x00" = optional adjective, "\x01" = noun)
        # so the pattern does not multiply by the number of country forms.
        if "{c}" in ph:
            yield _WS.sub(" ", ph.replace("{c}", "")).strip(), None
            yield _WS.sub(" ", ph.replace("{c} ", "\x00")).strip(), None
        elif "{n}" in ph:
            yield ph.replace("{n}", "\x01"), None
        else:
            yield ph, None

    def _lookup(self, core: str):
        # the same few role phrases recur in every article: memoised per surface form
        got = self._lookups.get(core)
        if got is None:
            if len(self._lookups) > 5000:  # bounded: batch runs see open-ended text
                self._lookups.clear()
            got = self._lookups[core] = self._lookup_uncached(core)
        return got

    def _lookup_uncached(self, core: str):
        key = _norm(core)
        entry = self.phrases.get(key)
        if entry is not None:
            return entry, None
        for m in self.country_re.finditer(key):
            spans = [(m.start(), m.end())]
            if m.group(0).startswith("the "):
                spans.append((m.start() + 4, m.end()))
            for a, b in spans:
                code = self.country_forms.get(key[a:b])
                for slot, after in (("\x00", key[b:].lstrip()), ("\x01", key[b:])):
                    entry = self.phrases.get(key[:a] + slot + after)
                    if entry is not None:
                        return entry, code
        return None, None

    # Every role phrase contains one of these (checked at build time), so the
    # big pattern only runs in windows around them: a one-pass keyword scan
    # (auditor.needles) is C-fast, a regex scan of the whole article is not.
    KEYWORDS = ("minist", "presiden", "secretar", "spokes", "ambassador", "envoy", "chancellor", "premier",
                "mayor", "speaker", "governor", "diploma", "advis", "chief", "representative", "chair")

    def _keywords(self) -> tuple[str, ...]:
        kws = list(self.KEYWORDS)
        for ph in self.phrases:
            if not any(k in ph for k in kws):
                words = ph.replace("\x00", " ").replace("\x01", " ").split()
                kws.append("head" if "head" in words else max(words, key=len))
        return tuple(kws)

    def windows(self, text: str, low: str | None = None) -> list[tuple[int, int]]:
        low = text.lower() if low is None else low
        found = self._needles.positions(low)
        if not found:
            return []
        spans = []
        for k in self.keywords:
            for i in found.get(k, ()):
                a = max(0, i - 110)
                b = text.find(" ", i + 90)
                spans.append((a, len(text) if b < 0 else b))
        spans.sort()
        merged: list[list[int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return [(a, b) for a, b in merged]

    def finditer(self, text: str):
        last_end = -1
        low = lowered(text)  # shared with the other detectors scanning this article
        if len(low) != len(text):  # a few letters (İ) lower to two characters
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for a, b in self.windows(text, low):
            for rm in self._finditer(text, low, a, b):
                if rm.start >= last_end:
                    last_end = rm.end
                    yield rm

    def _finditer(self, text: str, low: str, pos: int, endpos: int):
        for m in self.regex.finditer(low, pos, endpos):
            entry, slot_country = self._lookup(m.group("core"))
            if entry is None:
                continue
            role, country, restrict, ambiguous = entry
            country = country or slot_country
            explicit = [country] if country else []
            for g in ("cp", "cn"):
                if m.group(g):
                    explicit.append(self.country_forms.get(_norm(m.group(g))))
            explicit = [c for c in explicit if c]
            if len(set(explicit)) > 1:
                continue  # "Russian ambassador to Russia"-style nonsense or two countries: not judged
            yield RoleMatch(m.start(), m.end(), role, explicit[0] if explicit else None, restrict,
                            text[m.start() : m.end()], ambiguous)


@lru_cache(maxsize=1)
def lexicon() -> RoleLexicon:
    return RoleLexicon(load_kb())


def resolve_query(query: str, kb: KB | None = None):
    """(role, country) for a free-text role query ("Russian foreign minister")."""
    lex = lexicon() if kb is None else RoleLexicon(kb)
    best = None
    for rm in lex.finditer(query):
        if rm.role and (best is None or rm.end - rm.start > best.end - best.start):
            best = rm
    return best
