"""Person names: transliteration-blind keys and lookup of mentions in the KB.

`skeleton("Zelenskyy") == skeleton("Zelensky") == skeleton("Zelenskiy")`:
the key folds the spelling choices romanisations of Russian and Ukrainian
disagree on (y/i/j, kh/h, ye/e, yu/u, ts/tz, doubled letters, diacritics), so
variant spellings meet in one bucket; a one-edit fuzzy match on long keys
catches garbled spellings ("Zakharowa").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
PARTICLES = {"von", "der", "de", "zu", "van", "den", "la", "le", "da", "du", "bin", "al", "ter"}
_FOLD = [
    ("shch", "sc"), ("sch", "sc"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ck", "k"), ("ph", "f"),
    ("tz", "c"), ("ts", "c"), ("ch", "c"), ("x", "ks"), ("q", "k"), ("w", "v"),
    ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"), ("ia", "a"), ("ja", "a"),
    ("yo", "e"), ("ye", "e"), ("ie", "e"), ("je", "e"), ("ou", "u"),
    ("iy", "i"), ("ij", "i"), ("yi", "i"), ("ii", "i"), ("yy", "i"), ("y", "i"), ("j", "i"), ("h", "g"),
]
_NONLETTER = re.compile(r"[^a-z]")


def _strip_accents(s: str) -> str:
    s = s.replace("ı", "i").replace("ł", "l").replace("ß", "ss").replace("ø", "o")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A spelling-blind key for one name token."""
    s = _NONLETTER.sub("", _strip_accents(token).lower())
    if any("\u0400" <= c <= "\u04ff" for c in token):
        from auditor.translit import transliterate

        s = _NONLETTER.sub("", _strip_accents(transliterate(token)).lower())
    for a, b in _FOLD:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def _is_initial(tok: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.\s?)+[A-Z]?\.?|[A-Z]{1,2}", tok))


def clean_tokens(tokens: list[str]) -> list[str]:
    out = list(tokens)
    while out and out[-1].lower() in _SUFFIXES:
        out.pop()
    if out:
        out[-1] = re.sub(r"['’]s?$", "", out[-1])
    return [t for t in out if t]


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class NameMatch:
    persons: list  # matching Person objects (several for a bare surname)
    kind: str  # "full", "surname", "fuzzy" or "none"
    surface: str  # the mention's name as written (tokens used)
    exact: bool = False  # surface is a listed spelling of the person
    conflict: bool = False  # surname known, first name belongs to nobody in the KB
    ntokens: int = 0  # tokens of the mention that make up the name


class NameIndex:
    """Lookup of name mentions (token lists) in the KB's people."""

    def __init__(self, people):
        self.people = list(people)
        self.by_surname: dict[str, list] = {}
        self.by_spelling: dict[str, object] = {}
        self.firsts: dict[int, set[str]] = {}
        self.surface_surnames: dict[str, list] = {}
        self._russian_done = False
        for p in self.people:
            self._add(p, p.spellings())
        self._long_keys = [k for k in self.by_surname if len(k) >= 5]
        self._long_pos = {k: i for i, k in enumerate(self._long_keys)}
        # Deletion neighbourhood (the key and each one-letter deletion of it) -> keys:
        # two words within one edit always share one, so a garbled surname is
        # looked up in a few dict probes instead of compared with every key.
        self._near: dict[str, list[str]] = {}
        for k in self._long_keys:
            for v in _deletions(k):
                self._near.setdefault(v, []).append(k)

    def _ensure_russian(self) -> None:
        # Cyrillic forms need transliteration: indexed on the first Cyrillic query only.
        if not self._russian_done:
            self._russian_done = True
            for p in self.people:
                if p.russian:
                    self._add(p, p.russian)

    def _add(self, p, spellings) -> None:
        firsts = self.firsts.setdefault(id(p), set())
        for sp in spellings:
            toks = sp.split()
            if not toks:
                continue
            self.by_spelling.setdefault(sp.lower(), p)
            keys = {skeleton(toks[-1])}
            if len(toks) == 2 and ("-" in toks[1] and toks[1].split("-")[1].islower() or "CN" in p.countries):
                keys.add(skeleton(toks[0]))  # family name first: Xi Jinping, Ban Ki-moon
            for k in keys:
                bucket = self.by_surname.setdefault(k, [])
                if p not in bucket:
                    bucket.append(p)
            if len(toks) >= 2:
                given = [t for t in toks[:-1] if t.lower() not in PARTICLES]
                for t in given:
                    firsts.add(skeleton(t))
                firsts.add(skeleton("".join(given)))
                bucket = self.surface_surnames.setdefault(toks[-1], [])
                if p not in bucket:
                    bucket.append(p)

    def first_compatible(self, person, first: str) -> bool:
        if _is_initial(first):
            return True
        fs = self.firsts.get(id(person), ())
        keys = {skeleton(first)} | {skeleton(part) for part in first.split("-") if part}
        return any(k == f or (len(k) >= 4 and within_one_edit(k, f)) for k in keys for f in fs)

    def match(self, tokens: list[str]) -> NameMatch:
        """Resolve a mention's capitalised tokens ("Sergei", "Lavrov") to people."""
        toks = clean_tokens(tokens)
        if not toks:
            return NameMatch([], "none", "")
        if any("\u0400" <= c <= "\u04ff" for t in toks for c in t):
            self._ensure_russian()
        for k in range(len(toks), 0, -1):
            cand = toks[:k]
            surface = " ".join(cand)
            exact = self.by_spelling.get(surface.lower())
            if exact is not None:
                kind = "full" if k >= 2 else "surname"
                return NameMatch([exact], kind, surface, exact=True, ntokens=k)
            people = self.by_surname.get(skeleton(cand[-1]))
            if not people:
                continue
            if k == 1:
                return NameMatch(list(people), "surname", surface, ntokens=1)
            # "Le Drian", "von der Leyen": the mention is the tail of a known name.
            tail = [p for p in people if any(sp.lower().endswith(" " + surface.lower()) for sp in p.spellings())]
            if tail:
                return NameMatch(tail, "surname", surface, exact=True, ntokens=k)
            ok = [p for p in people if self.first_compatible(p, cand[0])]
            if ok:
                return NameMatch(ok, "full", surface, ntokens=k)
            return NameMatch([], "none", surface, conflict=True, ntokens=k)
        # Garbled spelling of a known surname (one edit on a long key), first name agreeing.
        if len(toks) >= 2:
            for k in range(len(toks), 1, -1):
                key = skeleton(toks[k - 1])
                if len(key) < 5:
                    continue
                near = {o for v in _deletions(key) for o in self._near.get(v, ())}
                for other in sorted(near, key=self._long_pos.__getitem__):  # the order of a full scan
                    if within_one_edit(key, other):
                        ok = [p for p in self.by_surname[other] if self.first_compatible(p, toks[0])]
                        if ok:
                            return NameMatch(ok, "fuzzy", " ".join(toks[:k]), ntokens=k)
        return NameMatch([], "none", " ".join(toks), ntokens=len(toks))

    def search(self, query: str, limit: int = 10) -> list:
        """People whose name or any spelling matches `query` (any script)."""
        q = query.strip()
        if not q:
            return []
        self._ensure_russian()
        m = self.match(q.split())
        if m.persons:
            return m.persons[:limit]
        key = skeleton(q.split()[-1])
        out = []
        for p in self.people:
            if any(key and key in skeleton(sp.split()[-1]) for sp in p.spellings() + p.russian if sp.split()):
                out.append(p)
        return out[:limit]
