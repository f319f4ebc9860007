"""Exact moments of the order statistics (auditor/lm/permstats.py) against every
order of small random matrices."""

import itertools

import numpy as np
import pytest

from auditor.lm.permstats import first_in_moments, path_moments, precedence_moments, z_score


def _all_orders(m):
    return list(itertools.permutations(range(m)))


@pytest.mark.parametrize("m", [2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("with_lead", [False, True])
def test_path_moments_match_every_order(m, with_lead):
    rng = np.random.default_rng(m)
    a = rng.normal(size=(m, m))  # the diagonal must not matter
    lead = rng.normal(size=m) if with_lead else None
    sums = [sum(a[p[k], p[k + 1]] for k in range(m - 1)) + (lead[p[0]] if with_lead else 0.0) for p in _all_orders(m)]
    mean, var = path_moments(a, lead)
    assert mean == pytest.approx(np.mean(sums), abs=1e-9)
    assert var == pytest.approx(np.var(sums), abs=1e-9)


@pytest.mark.parametrize("m", [2, 3, 4, 5, 6, 7])
def test_precedence_moments_match_every_order(m):
    x = np.random.default_rng(10 + m).normal(size=(m, m))
    p = x - x.T
    sums = [sum(p[o[i], o[j]] for i in range(m) for j in range(i + 1, m)) for o in _all_orders(m)]
    mean, var = precedence_moments(p)
    assert mean == 0.0 and np.mean(sums) == pytest.approx(0.0, abs=1e-9)
    assert var == pytest.approx(np.var(sums), abs=1e-9)


def test_a_symmetric_overlap_matrix_and_a_flat_one():
    # word overlap is symmetric; a constant matrix gives every order the same sum
    x = np.random.default_rng(0).random((6, 6))
    s = x + x.T
    sums = [sum(s[o[k], o[k + 1]] for k in range(5)) for o in _all_orders(6)]
    assert path_moments(s)[1] == pytest.approx(np.var(sums), abs=1e-9)
    mean, var = path_moments(np.ones((6, 6)))
    assert mean == pytest.approx(5.0) and var == pytest.approx(0.0, abs=1e-12)
    assert z_score(5.0, mean, var) == 0.0
    assert z_score(3.0, 1.0, 4.0) == 1.0


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5, 6, 7])
def test_first_in_moments_match_every_order(m):
    # random overlapping sets, as the reference test builds them: a surname's
    # sentences, "He" before any full name, a story opening with "But"
    rng = np.random.default_rng(20 + m)
    items = []
    for _ in range(6):
        s = {int(i) for i in rng.choice(m, size=int(rng.integers(1, m + 1)), replace=False)}
        g = {i for i in s if rng.random() < 0.5}
        items.append((s, g))
    items += [({0}, {0}), (set(range(m)), set())]  # always and never
    counts = [sum(min(s, key=o.index) in g for s, g in items) for o in _all_orders(m)]
    mean, var = first_in_moments(items)
    assert mean == pytest.approx(np.mean(counts), abs=1e-9)
    assert var == pytest.approx(np.var(counts), abs=1e-9)


def test_first_in_moments_of_nothing_and_of_one_item():
    assert first_in_moments([]) == (0.0, 0.0)
    assert first_in_moments([({1, 2, 3}, {1})]) == pytest.approx((1 / 3, 2 / 9))
