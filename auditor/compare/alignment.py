"""Monotone sentence alignment of two versions of one article.

Dynamic programming over the two sentence lists, in order, with beads
1-1, 1-2, 2-1 and unmatched (1-0, 0-1). A bead's gain is its similarity
(sacrebleu's chrF, 0..1) minus a threshold, weighted by the sentences it
covers; an unmatched sentence gains nothing. So two sentences are paired
only when they are more alike than `threshold`, and a merge wins over a
1-1 pair plus an unmatched sentence only when the merged text is the
better match. Parameters are tuned on synthetic split/merge pairs
(bench/compare_align.py, BENCHMARKS.md "Compare").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Tuned by bench/compare_align.py on a development split of the clean corpus.
THRESHOLD = 0.35
MERGE_WEIGHT = 1.0  # a merged bead gains like a 1-1 bead: larger weights over-merge (bench)
MERGE_PENALTY = 0.02
BETA = 1  # symmetric chrF: alignment has no preferred direction


@dataclass(frozen=True)
class Bead:
    """One alignment unit: sentence indices on side a and on side b (either may be empty)."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    similarity: float | None = None  # alignment chrF (0..1), None when unmatched

    @property
    def kind(self) -> str:
        return f"{len(self.a)}-{len(self.b)}"


@lru_cache(maxsize=4)
def _chrf(beta: int):
    from sacrebleu.metrics import CHRF

    return CHRF(beta=beta)


class _Similarity:
    """chrF between joined sentence groups, each computed once."""

    def __init__(self, a: list[str], b: list[str], beta: int):
        self.a, self.b = a, b
        self.metric = _chrf(beta)
        self.cache: dict[tuple, float] = {}

    def __call__(self, ai: tuple[int, ...], bj: tuple[int, ...]) -> float:
        key = (ai, bj)
        got = self.cache.get(key)
        if got is None:
            hyp = " ".join(self.a[i] for i in ai)
            ref = " ".join(self.b[j] for j in bj)
            got = self.metric.sentence_score(hyp, [ref]).score / 100.0
            self.cache[key] = got
        return got


def align(
    a: list[str],
    b: list[str],
    threshold: float = THRESHOLD,
    merge_weight: float = MERGE_WEIGHT,
    merge_penalty: float = MERGE_PENALTY,
    beta: int = BETA,
) -> list[Bead]:
    """Align sentence lists `a` and `b`; every index appears in exactly one bead, in order."""
    n, m = len(a), len(b)
    sim = _Similarity(a, b, beta)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    # A merge can only beat its parts when one part is at least this similar.
    prune = threshold * 0.8
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            cands = []
            if i > 0 and best[i - 1][j] > neg:
                cands.append((best[i - 1][j], (1, 0, None)))
            if j > 0 and best[i][j - 1] > neg:
                cands.append((best[i][j - 1], (0, 1, None)))
            if i > 0 and j > 0:
                s = sim((i - 1,), (j - 1,))
                cands.append((best[i - 1][j - 1] + (s - threshold), (1, 1, s)))
                if j > 1 and max(s, sim((i - 1,), (j - 2,))) >= prune:
                    s2 = sim((i - 1,), (j - 2, j - 1))
                    cands.append((best[i - 1][j - 2] + (s2 - threshold) * merge_weight - merge_penalty, (1, 2, s2)))
                if i > 1 and max(s, sim((i - 2,), (j - 1,))) >= prune:
                    s2 = sim((i - 2, i - 1), (j - 1,))
                    cands.append((best[i - 2][j - 1] + (s2 - threshold) * merge_weight - merge_penalty, (2, 1, s2)))
            if cands:
                score, move = max(cands, key=lambda c: c[0])
                if score > here:
                    best[i][j], back[i][j] = score, move
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, s = back[i][j]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), s))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def links(beads) -> set[tuple]:
    """The links an alignment makes, for scoring it: every (i, j) pair of a
    bead, and (i, None) / (None, j) for an unmatched sentence. `beads` are Beads
    or (a_indices, b_indices) pairs."""
    out: set[tuple] = set()
    for bead in beads:
        a, b = (bead.a, bead.b) if isinstance(bead, Bead) else bead
        if not a:
            out.update((None, j) for j in b)
        elif not b:
            out.update((i, None) for i in a)
        else:
            out.update((i, j) for i in a for j in b)
    return out
