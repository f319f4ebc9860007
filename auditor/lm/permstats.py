"""Exact mean and variance, over every order of an article's body sentences,
of the two order statistics that sum pair scores.

The order test asks how far the actual order stands out from random orders of
the same sentences. It used to sample 400 orders; the sampled mean and spread
moved the pair-head part's z-score by 0.12 (sd) from one sample to the next,
and by up to 0.57, noise in the combined score right where the threshold sits
(BENCHMARKS.md, eighth session). These closed forms are exact, cost O(n^2) for
n sentences, and need no random numbers; tests/test_permstats.py checks them
against all n! orders of small random matrices.

Both statistics are sums over a uniformly random permutation pi of the body:

* path: sum_k A[pi_k, pi_k+1] (each sentence's fit after its predecessor),
  optionally plus lead[pi_0] (a fixed first item, the headline, before the
  body);
* precedence: sum_{i<j} P[pi_i, pi_j] for an antisymmetric P ("i before j");
* first-in counts: how many of some sets S_t of sentences have their earliest
  sentence in a given part G_t of S_t (a reference before its antecedent).
"""

from __future__ import annotations

import math

import numpy as np


def path_moments(scores: np.ndarray, lead: np.ndarray | None = None) -> tuple[float, float]:
    """Mean and variance of sum_k scores[pi_k, pi_k+1] (+ lead[pi_0]) over all orders.

    The diagonal of `scores` is ignored (a sentence never follows itself). With
    m sentences the m - 1 terms are identically distributed, two neighbouring
    terms share a sentence (a distinct triple), two others share none (a
    distinct quadruple): variance = (m-1) var1 + 2 (m-2) cov3 + (m-2)(m-3) cov4."""
    a = np.array(scores, dtype=np.float64)
    m = a.shape[0]
    if m < 2:
        return 0.0, 0.0  # too short to test: the callers need three sentences
    np.fill_diagonal(a, 0.0)
    row, col, total = a.sum(1), a.sum(0), float(a.sum())
    sq, cross, rc = float((a * a).sum()), float((a * a.T).sum()), float((row * col).sum())
    pairs = m * (m - 1)
    mu = total / pairs
    var1 = sq / pairs - mu * mu
    cov3 = (rc - cross) / (pairs * (m - 2)) - mu * mu if m >= 3 else 0.0
    if m >= 4:
        overlap = float((row * row).sum() + (col * col).sum()) + 2 * rc - sq - cross
        cov4 = (total * total - overlap) / (pairs * (m - 2) * (m - 3)) - mu * mu
    else:
        cov4 = 0.0
    mean = (m - 1) * mu
    var = (m - 1) * var1 + 2 * (m - 2) * cov3 + (m - 2) * (m - 3) * cov4
    if lead is not None:
        v = np.asarray(lead, dtype=np.float64)
        vm = float(v.mean())
        mean += vm
        # lead[pi_0] with the first term (sharing pi_0) and with the m - 2 others (disjoint)
        cov_first = float((v * row).sum()) / pairs - vm * mu
        cov_rest = float((v * (total - row - col)).sum()) / (pairs * (m - 2)) - vm * mu if m >= 3 else 0.0
        var += float(v.var()) + 2 * (cov_first + (m - 2) * cov_rest)
    return mean, max(var, 0.0)


def precedence_moments(prec: np.ndarray) -> tuple[float, float]:
    """Mean (0) and variance of sum_{i<j} prec[pi_i, pi_j] over all orders, for an
    antisymmetric `prec`: sum(prec^2) / 6 + sum(row sums^2) / 3, both sums over
    the full matrix (two pairs sharing a sentence correlate by +-1/3, disjoint
    pairs not at all)."""
    p = np.array(prec, dtype=np.float64)
    np.fill_diagonal(p, 0.0)
    r = p.sum(1)
    return 0.0, float((p * p).sum()) / 6.0 + float((r * r).sum()) / 3.0


def first_in_moments(items: list[tuple[set[int], set[int]]]) -> tuple[float, float]:
    """Mean and variance, over all orders, of how many items (S, G), G a subset of
    S, have the earliest sentence of S in G.

    One item alone: |G| / |S| (each sentence of S is as likely to come first).
    Two items: condition on which sentence x of S1 | S2 comes first. If x is in
    both sets it decides both; if it is in one only, it decides that one, and the
    other's earliest sentence is still uniform over its set (x is not in it), so
    P(both) = (1 / |S1 | S2|) * (sum over x in S1 & S2 of [x in G1][x in G2]
    + sum over x in S1 - S2 of [x in G1] |G2| / |S2| + the same the other way)."""
    items = [(frozenset(s), frozenset(g)) for s, g in items if s]
    p = [len(g) / len(s) for s, g in items]
    mean = float(sum(p))
    var = sum(q * (1.0 - q) for q in p)
    for a in range(len(items)):
        s1, g1 = items[a]
        for b in range(a + 1, len(items)):
            s2, g2 = items[b]
            if not s1 & s2:
                continue  # disjoint sets: independent events
            both = (len(g1 & g2) + len(g1 - s2) * p[b] + len(g2 - s1) * p[a]) / len(s1 | s2)
            var += 2.0 * (both - p[a] * p[b])
    return mean, max(float(var), 0.0)


def z_score(observed: float, mean: float, var: float) -> float:
    """(observed - mean) / sd; 0.0 when every order scores the same."""
    return (observed - mean) / math.sqrt(var) if var > 1e-12 else 0.0
