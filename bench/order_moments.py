"""The order test's pair and precedence z-scores: 400 sampled orders (the method
until the eighth session) vs the exact moments over all orders (auditor/lm/permstats.py),
side by side in one run: time per article and how far the sampled z-scores stray.

    OMP_NUM_THREADS=1 python bench/order_moments.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.lm.permstats import path_moments, precedence_moments, z_score  # noqa: E402

SAMPLED = 400


def sampled_path_z(s, rng):
    n = s.shape[0]
    perms = np.c_[np.zeros(SAMPLED, dtype=int), np.stack([rng.permutation(np.arange(1, n)) for _ in range(SAMPLED)])]
    total = s[perms[:, :-1], perms[:, 1:]].sum(1)
    return (s[np.arange(n - 1), np.arange(1, n)].sum() - total.mean()) / total.std()


def sampled_prec_z(p, rng):
    n = p.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    perms = np.stack([rng.permutation(n) for _ in range(SAMPLED)])
    total = (p[perms[:, :, None], perms[:, None, :]] * upper).sum((1, 2))
    return (p[upper].sum() - total.mean()) / total.std()


def exact_path_z(s):
    n = s.shape[0]
    return z_score(float(s[np.arange(n - 1), np.arange(1, n)].sum()), *path_moments(s[1:, 1:], s[0, 1:]))


def exact_prec_z(p):
    n = p.shape[0]
    return z_score(float(p[np.triu(np.ones((n, n), dtype=bool), 1)].sum()), *precedence_moments(p))


def timed(fn, items, reps=3):
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        out = [fn(x) for x in items]
        best = min(best, time.perf_counter() - t)
    return best / len(items), out


def main() -> None:
    rng = np.random.default_rng(0)
    for n in (12, 40):
        mats = []
        for _ in range(50):
            s = rng.normal(size=(n + 1, n + 1))
            s[np.arange(n), np.arange(1, n + 1)] += 0.7  # a mildly ordered article
            x = np.triu(rng.normal(size=(n, n)) + 0.2, 1)
            mats.append((s, x - x.T))
        t_sp, z_sp = timed(lambda m: (sampled_path_z(m[0], np.random.default_rng(1)), sampled_prec_z(m[1], np.random.default_rng(2))), mats)
        t_ex, z_ex = timed(lambda m: (exact_path_z(m[0]), exact_prec_z(m[1])), mats)
        stray = [[abs(a[k] - b[k]) for a, b in zip(z_sp, z_ex)] for k in (0, 1)]
        print(f"{n:>2} body sentences: sampled {1e3 * t_sp:.2f} ms/article, exact {1e3 * t_ex:.3f} ms/article "
              f"({t_sp / t_ex:.0f}x); sampled z off the exact one by mean {np.mean(stray[0]):.3f} (max "
              f"{np.max(stray[0]):.3f}) for the pair path, {np.mean(stray[1]):.3f} (max {np.max(stray[1]):.3f}) "
              f"for precedence")


if __name__ == "__main__":
    main()
