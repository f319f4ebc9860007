"""Synthetic split/merge pairs for measuring sentence alignment.

From a clean article (sentences A) build a second version B as another
translator might: some sentences split in two, some adjacent pairs merged,
some dropped, a few foreign sentences inserted, and every B sentence
reworded a little (words dropped, swapped, respelled, function words
changed) so no pair is an exact copy. Gold beads are recorded as
(a_indices, b_indices). Seeded and reproducible.
"""

from __future__ import annotations

import gzip
import json
import random
import re

FUNCTION_SWAPS = {
    "the": "a", "a": "the", "said": "stated", "says": "states", "told": "said to",
    "in": "within", "on": "upon", "about": "around", "also": "as well", "but": "however",
    "after": "following", "before": "prior to", "because": "as", "that": "which",
    "people": "persons", "government": "authorities", "president": "head of state",
    "big": "large", "large": "big", "many": "numerous", "show": "demonstrate",
}
PROTECTED = re.compile(r"\d|^[\"'“(]?[A-Z]")
NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
             "refused", "denied", "deny", "denies", "failed", "unable", "don't", "doesn't", "didn't", "isn't", "wasn't", "won't", "can't"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "hundred"}
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]*$")  # moving it would change the sentence split
SPLIT_AT = re.compile(r",\s+(?:and|but|while|which|who|as|after|although|because)?\s*|\s+(?:and|but|while|because)\s+")


def load_articles(path: str, limit: int, seed: int, min_sentences: int = 5):
    """Sentence lists of up to `limit` clean articles (article order shuffled by `seed`)."""
    from auditor.article import build_article

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    random.Random(seed).shuffle(docs)
    out = []
    for d in docs:
        text = d["text"]
        if d.get("title") and not text.startswith(d["title"]):
            text = d["title"] + "\n\n" + text
        sents = [s.text for s in build_article(text).sentences]
        if len(sents) >= min_sentences:
            out.append(sents)
        if len(out) >= limit:
            break
    return out


def _words(s: str) -> list[str]:
    return s.split()


def reword(s: str, rng: random.Random, level: float) -> str:
    """A light paraphrase: each word changed with probability `level`."""
    words = _words(s)
    out: list[str] = []
    k = 0
    while k < len(words):
        w = words[k]
        if rng.random() >= level:
            out.append(w)
            k += 1
            continue
        core = w.strip(".,;:!?\"'“”()").lower()
        op = rng.random()
        if PROTECTED.search(w) or core in NEGATIONS or core in NUMBER_WORDS:
            # what a second translation must keep (numbers, names, negation) is
            # only moved or respelled, never dropped or replaced
            op = max(op, 0.65)
            if (any(ch.isdigit() for ch in w) or core in NEGATIONS) and op >= 0.85:
                op = 0.7  # a number or a negation is moved, never respelled
        if core in FUNCTION_SWAPS and op < 0.5:
            out.append(w.lower().replace(core, FUNCTION_SWAPS[core], 1) if w.islower() else FUNCTION_SWAPS[core].capitalize() if w[:1].isupper() else w)
        elif op < 0.65 and len(core) <= 4 and k > 0:
            pass  # drop a short word
        elif (op < 0.85 and k + 1 < len(words) and k > 0 and not PROTECTED.search(words[k + 1])
              and not ENDS_SENTENCE.search(w) and not ENDS_SENTENCE.search(words[k + 1])):
            out.extend([words[k + 1], w])  # swap neighbours
            k += 1
        elif len(w) > 5:
            i = rng.randrange(1, len(w) - 2)
            out.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])  # respell
        else:
            out.append(w)
        k += 1
    return " ".join(out) if out else s


def split_sentence(s: str, rng: random.Random) -> tuple[str, str] | None:
    """Cut a sentence at a clause boundary near its middle, or None."""
    cands = []
    for m in SPLIT_AT.finditer(s):
        left, right = s[: m.start()].strip(), s[m.end() :].strip()
        if len(left.split()) >= 4 and len(right.split()) >= 4:
            cands.append((abs(len(left) - len(right)), left, right))
    if not cands:
        words = s.split()
        if len(words) < 10:
            return None
        cut = len(words) // 2 + rng.randint(-2, 2)
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
    else:
        cands.sort()
        _, left, right = cands[0]
    left = left.rstrip(",;:") + "."
    right = right[:1].upper() + right[1:]
    return left, right


def merge_sentences(s1: str, s2: str) -> str:
    s1 = s1.rstrip()
    if s1.endswith("."):
        s1 = s1[:-1]
    first = s2.split(" ", 1)[0]
    if first in ("The", "A", "An", "It", "He", "She", "They", "This", "That", "But", "And", "In", "On", "We", "There"):
        s2 = s2[:1].lower() + s2[1:]
    return f"{s1}, and {s2}"


def make_pair(a: list[str], rng: random.Random, level: float, foreign: list[str],
              p_split=0.12, p_merge=0.12, p_drop=0.05, p_insert=0.05):
    """B sentences and the gold beads [(a_indices, b_indices)] for article A."""
    b: list[str] = []
    gold: list[tuple[list[int], list[int]]] = []
    i = 0
    while i < len(a):
        if rng.random() < p_insert and foreign:
            b.append(reword(rng.choice(foreign), rng, level))
            gold.append(([], [len(b) - 1]))
        r = rng.random()
        if r < p_split and i > 0 and (parts := split_sentence(a[i], rng)):
            b.extend(reword(p, rng, level) for p in parts)
            gold.append(([i], [len(b) - 2, len(b) - 1]))
            i += 1
        elif r < p_split + p_merge and i > 0 and i + 1 < len(a):
            b.append(reword(merge_sentences(a[i], a[i + 1]), rng, level))
            gold.append(([i, i + 1], [len(b) - 1]))
            i += 2
        elif r < p_split + p_merge + p_drop and i > 0:
            gold.append(([i], []))
            i += 1
        else:
            b.append(reword(a[i], rng, level))
            gold.append(([i], [len(b) - 1]))
            i += 1
    return b, gold


def make_pairs(articles: list[list[str]], seed: int, level: float):
    rng = random.Random(seed)
    pairs = []
    for k, a in enumerate(articles):
        foreign = articles[(k + 1) % len(articles)]
        b, gold = make_pair(a, rng, level, foreign)
        pairs.append({"a": a, "b": b, "gold": gold})
    return pairs
