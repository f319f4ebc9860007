"""Lexical cohesion statistics for the order test (no model, no torch).

News repeats its content words and names between neighbouring sentences, its
lede (first body sentence) restates the headline, and it introduces a person
by full name before referring to them by surname. Shuffling the sentences
breaks all three. Each statistic is turned into a z-score against its own
permutation distribution (the same article's body sentences in random orders,
headline kept first), so it is comparable across articles of any length:
about N(0, 1) for a shuffled article, positive for a coherent one. Both
statistics' mean and spread over all orders are exact (permstats.path_moments,
permstats.first_in_moments), so no orders are sampled and nothing is random.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib.resources import files

HEADLINE_WEIGHT = 3.0  # the headline-lede link is the strongest lexical cue (bench: AUC 0.64 -> 0.87)
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
# A multi-word capitalised name ("Sergei Koshelev", "Jalina Porter"); a leading
# stopword ("The", "In") is dropped later.
_NAME = re.compile(r"\b[A-Z][a-z'\u2019\-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z'\u2019\-]+)+")
# A sentence opening with a pronoun or a connective refers back: it cannot open
# the story (clean lede: 2% open this way; a random sentence: 17%, bench calibration half).
_PERSONAL = re.compile(r"^[\"\u201c\u2018']?(?:He|She|His|Her)\b")
_ANAPHORIC = re.compile(r"^[\"\u201c\u2018']?(?:He|She|They|It|This|These|Those|His|Her|Their|Its|But|However|And|Also|Meanwhile)\b")


@lru_cache(maxsize=1)
def lede_cues() -> tuple[float, tuple[tuple[str, float, re.Pattern], ...]]:
    """(bias, ((name, weight, pattern), ...)) from data/lede_cues.tsv."""
    text = (files("auditor.lm") / "data" / "lede_cues.tsv").read_text(encoding="utf-8")
    bias, cues = 0.0, []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, weight, *pattern = line.split("\t")
        if name == "(bias)":
            bias = float(weight)
        else:
            cues.append((name, float(weight), re.compile("\t".join(pattern))))
    return bias, tuple(cues)


def misplaced_dateline(body: list[str]) -> int | None:
    """The first later body sentence that opens with a dateline ("WASHINGTON (Reuters) - ",
    "MOSCOW, December 1. /TASS/. "; the `dateline` cue of data/lede_cues.tsv) when the
    first body sentence has none: the story's opening was moved. Clean news never
    does this: 1 of the 3,155 docs.jsonl articles with >= 6 body sentences (a second
    story appended), while 769 open with a dateline.

    A later sentence counts only with a dateline of the unambiguous forms: a wire
    credit ("(Reuters) -", "/TASS/") or a date ("MOSCOW, December 1 -"). A bare
    capitalised word and a dash is also a label ("VIDEO - ", "UPDATE - ", an
    all-caps subhead) and opens only 3 of the 901 docs.jsonl ledes that have a
    dateline, so it is a lede cue but never flags an article on its own."""
    rx = next((rx for name, _, rx in lede_cues()[1] if name == "dateline"), None)
    if rx is None or not body or rx.search(body[0]):
        return None

    def unambiguous(text: str) -> bool:
        m = rx.search(text)
        return m is not None and any(c in m.group(0) for c in "(/0123456789")

    return next((i for i, t in enumerate(body[1:], 1) if unambiguous(t)), None)


def lede_cue_vector(text: str) -> list[float]:
    """1.0/0.0 per lede cue, in the TSV's order (the features lede_likeness weighs)."""
    return [1.0 if rx.search(text) else 0.0 for _, _, rx in lede_cues()[1]]


def lede_likeness(text: str) -> float:
    """Log-odds that a sentence is a news lede rather than a later sentence."""
    bias, cues = lede_cues()
    return bias + sum(w for _, w, rx in cues if rx.search(text))


def _z_first(values) -> float:
    """z of the first value against the others (0.0 when the others do not vary)."""
    import numpy as np

    rest = np.asarray(values[1:], dtype=float)
    sd = float(rest.std(ddof=1)) if len(rest) > 1 else 0.0
    return (float(values[0]) - float(rest.mean())) / sd if sd > 1e-12 else 0.0


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = (files("auditor.lm") / "data" / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def content_words(text: str) -> set[str]:
    """Crudely stemmed content words; all-caps tokens (US, EU, NATO) kept as written."""
    stop = stopwords()
    out = set()
    for w in _WORD.findall(text):
        if len(w) >= 2 and w.isupper() and not w.isdigit():
            out.add(w)
            continue
        w = re.sub(r"['\u2019]s$", "", w.lower())
        if len(w) < 3 or w in stop:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w[:6])  # minister/ministry, Russia/Russian share a stem
    return out


def similarity_matrix(texts: list[str]):
    """Cosine overlap of the content-word sets of every pair of texts."""
    import numpy as np

    sets = [content_words(t) for t in texts]
    n = len(sets)
    m = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = sets[i], sets[j]
            if a and b:
                m[i, j] = m[j, i] = len(a & b) / math.sqrt(len(a) * len(b))
    return m


def _mentioned_in(texts: list[str], word: str, skip=()) -> list[int]:
    """Sentences (indexes, in order) that contain `word` as a whole word, except `skip`."""
    pat = re.compile(r"\b" + re.escape(word) + r"\b")
    return [i for i, t in enumerate(texts) if i not in skip and pat.search(t)]


def name_mentions(texts: list[str]) -> dict[str, tuple[list[int], list[int]]]:
    """{surname: (sentences naming the person in full, sentences with the surname alone)}."""
    stop = stopwords()
    full: dict[str, set[int]] = {}
    for i, t in enumerate(texts):
        for m in _NAME.finditer(t):
            words = m.group().split()
            while words and words[0].lower() in stop:
                words = words[1:]
            if len(words) >= 2 and len(words[-1]) >= 3:
                full.setdefault(words[-1], set()).add(i)
    out = {}
    for surname, where in full.items():
        alone = _mentioned_in(texts, surname, where)
        if alone:
            out[surname] = (sorted(where), alone)
    return out


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    text = (files("auditor.lm") / "data" / "given_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# A given name, an optional initial, then the surname (with a particle: "Robin van
# Persie"). A lookahead, so that matches may overlap: in "Ambassador Anatoly Antonov"
# the pair starting at "Ambassador" must not hide the one starting at "Anatoly".
# Particles are listed: "Charles and Mrs Camilla ..." must not make "Mrs" a surname.
_PERSON = re.compile(r"(?=\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s*)?((?:(?:van|von|de|da|di|du|del|der|den|le|la|al|bin|ben|dos|das|ter)"
                     r"\s+)?[A-Z][a-z'\u2019\-]+))")


def surname_first(texts: list[str]) -> list[tuple[str, int, int]]:
    """People referred to by surname before the sentence that introduces them by
    full name: [(surname, first sentence with the surname alone, first full-name
    sentence)]. Only names that start with a known given name (data/given_names.txt)
    count, so places and companies ("Yangtze Electric" ... "the Yangtze") do not.

    Clean news introduces people first: 2.1 % of the first 700 clean calibration
    articles have one such reference or more and 0.3 % two; shuffled copies 38 % and 11 %."""
    given = given_names()
    full: dict[str, set[int]] = {}
    for i, t in enumerate(texts):
        for m in _PERSON.finditer(t):
            if m.group(1) in given:
                surname = re.sub(r"['\u2019]s$", "", m.group(2).split()[-1])
                # "Juan Carlos Ferrero": a given name in second place is no surname
                if len(surname) >= 3 and surname not in given:
                    full.setdefault(surname, set()).add(i)
    out = []
    for surname, where in full.items():
        alone = _mentioned_in(texts, surname, where)
        if alone and alone[0] < min(where):
            out.append((surname, alone[0], min(where)))
    return sorted(out, key=lambda x: x[1])


# "(CFCA)", "(BoE)": an acronym spelled out just before, at its first use.
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")


def acronym_first(texts: list[str]) -> list[tuple[str, int, int]]:
    """Acronyms used before the sentence that spells them out ("... the Bank of
    England (BoE)"): [(acronym, first sentence using it, defining sentence)].
    Clean news spells an acronym out at its first use: 0.6 % of clean calibration
    articles break this, 8 % of shuffled copies."""
    defined: dict[str, int] = {}
    for i, t in enumerate(texts):
        for m in _ACRONYM_DEF.finditer(t):
            if sum(c.isupper() for c in m.group(1)) >= 2:
                defined.setdefault(m.group(1), i)
    out = []
    for acronym, i in defined.items():
        early = _mentioned_in(texts[:i], acronym)
        if early:
            out.append((acronym, early[0], i))
    return out


def introduced_late(texts: list[str]) -> list[tuple[str, str, int, int]]:
    """People named by surname before their full name and acronyms used before
    they are spelled out: [(kind, name, first use, introduction)], by first use."""
    found = [("person", *x) for x in surname_first(texts)] + [("acronym", *x) for x in acronym_first(texts)]
    return sorted(found, key=lambda x: (x[2], x[1]))


def quote_role(text: str) -> str | None:
    """'open' or 'close' for a sentence with an unmatched quotation mark (a quote
    that runs over several sentences), else None."""
    curly_open, curly_close = text.count("\u201c"), text.count("\u201d")
    if curly_open != curly_close:
        return "open" if curly_open > curly_close else "close"
    straight = [i for i, c in enumerate(text) if c == '"']
    if len(straight) % 2 == 0:
        return None
    last = straight[-1]
    # an opening mark hugs the quoted word that follows it: `she said: "We will`
    return "open" if last + 1 < len(text) and text[last + 1].isalnum() else "close"


def cohesion(headline: str | None, body: list[str]) -> dict:
    """z-scores of the body's order against random orders of the same sentences.

    `adjacent_z`: content-word overlap of neighbouring sentences, the headline's
    overlap with the first body sentence weighted HEADLINE_WEIGHT times.
    `intro_z`: references before their antecedent (fewer is more coherent):
    a surname alone before the person's full name, "He"/"She" opening a
    sentence before anyone is named in full, a pronoun or connective ("It",
    "But", "However") opening the story, the end of a quotation that runs over
    several sentences before any such quotation opened; 0.0 when there is
    nothing to test.
    `lede_lex_z`: the headline's overlap with the first body sentence against its
    overlap with the others; `lede_like_z`: the first body sentence's lede cues
    (data/lede_cues.tsv) against the others'.
    `introduced_late`: people named by surname before their full name and
    acronyms used before they are spelled out (see introduced_late; a list,
    not a z-score: clean news almost never does either).
    `edge_fit[i]`: overlap of body sentence i with its actual neighbours minus
    its mean overlap with the other sentences (the per-sentence cue for ORD002).
    `misplaced_dateline`: see misplaced_dateline (an index or None).
    `headline_overlap[i]`, `cues[i]`, `surname_refs[i]`: per-sentence lede cues
    for lede.lede_rank_z (overlap with the headline, lede_likeness, surnames
    used alone while another sentence names the person in full).
    """
    import numpy as np

    from auditor.lm.permstats import first_in_moments, path_moments, z_score

    n = len(body)
    h = 1 if headline else 0
    m = similarity_matrix(([headline] if headline else []) + body)
    observed = float(sum(m[h + k, h + k + 1] for k in range(n - 1)) + (HEADLINE_WEIGHT * m[0, h] if h and n else 0.0))
    # exact moments over all orders (permstats; sampled orders added noise), the headline fixed first
    mean, var = path_moments(m[h:, h:], HEADLINE_WEIGHT * m[0, h:] if h else None)
    adjacent_z = z_score(observed, mean, var)

    mentions = name_mentions(body)
    # (antecedent sentences, referring sentences): a violation when a referring
    # sentence comes before every antecedent. Surname alone before the full name;
    # "He"/"She" before any full name; a pronoun/connective opening the story.
    items = list(mentions.values())
    named = sorted({i for where, _ in mentions.values() for i in where} |
                   {i for i, t in enumerate(body) if _NAME.search(t[1:])})
    items += [(named, [i]) for i, t in enumerate(body) if _PERSONAL.match(t) and named and named != [i]]
    items += [([j for j in range(n) if j != i], [i]) for i, t in enumerate(body) if _ANAPHORIC.match(t)]
    roles = [quote_role(t) for t in body]
    openers = [i for i, r in enumerate(roles) if r == "open"]
    items += [(openers, [i]) for i, r in enumerate(roles) if r == "close" and openers]
    intro_z = 0.0
    if items:
        # a violation: the earliest of the item's sentences is a referring one
        # (exact moments over all orders: permstats.first_in_moments)
        sets = []
        for where, alone in items:
            where = set(where) - set(alone) or set(where)
            both = set(alone) | where
            sets.append((both, both - where))
        violations = sum(min(both) in refs for both, refs in sets)
        intro_z = -z_score(float(violations), *first_in_moments(sets))

    # The lede: does the first body sentence restate the headline, and does it read
    # like a lede (lede_cues.tsv), more than the other body sentences do?
    overlap = [float(m[0, h + i]) for i in range(n)] if h else [0.0] * n
    cues = [lede_likeness(t) for t in body]
    lede_lex_z = _z_first(overlap) if h else 0.0
    lede_like_z = _z_first(cues)
    surname_refs = [0] * n  # the person is named in full in another sentence
    for where, alone in mentions.values():
        for i in alone:
            surname_refs[i] += i not in where

    body_m = m[h:, h:]
    edge_fit = []
    for i in range(n):
        nbrs = [j for j in (i - 1, i + 1) if 0 <= j < n]
        near = [body_m[i, j] for j in nbrs] + ([m[0, h]] if h and i == 0 else [])
        rest = [body_m[i, j] for j in range(n) if j != i]
        edge_fit.append(float(np.mean(near) - np.mean(rest)) if near and rest else 0.0)
    return {"adjacent_z": round(adjacent_z, 4), "intro_z": round(intro_z, 4), "introduced_late": introduced_late(body),
            "lede_lex_z": round(lede_lex_z, 4), "lede_like_z": round(lede_like_z, 4), "references": len(items),
            "edge_fit": edge_fit, "headline_overlap": overlap, "cues": cues, "surname_refs": surname_refs,
            "misplaced_dateline": misplaced_dateline(body)}
