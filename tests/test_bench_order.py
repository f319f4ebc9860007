"""bench/lm_order.py: the interval it prints around a measured flag rate."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from lm_order import wilson  # noqa: E402


def test_the_interval_holds_the_measured_share_and_narrows_with_more_articles():
    lo, hi = wilson(12, 599)
    assert lo < 12 / 599 < hi
    assert round(lo, 4) == 0.0115 and round(hi, 4) == 0.0347  # 12 of 599: 1.1-3.5 %, 2 % well inside
    lo4, hi4 = wilson(48, 2396)
    assert hi4 - lo4 < (hi - lo) / 1.8


def test_the_interval_stays_in_bounds_at_the_extremes():
    assert wilson(0, 10)[0] == 0.0 and 0.2 < wilson(0, 10)[1] < 0.35
    assert wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_order_members_auc_counts_ties_as_half_and_a_bad_cache_is_one_line(tmp_path, capsys):
    import subprocess

    from order_members import auc

    assert auc([2, 3], [0, 1]) == 1.0 and auc([0, 1], [2, 3]) == 0.0
    assert auc([1, 1], [1, 1]) == 0.5 and auc([1, 2], [1, 0]) == 0.875
    bad = tmp_path / "parts.pkl"
    bad.write_bytes(b"not a pickle")
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "order_members.py"), str(bad)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "cannot read" in run.stderr and "Traceback" not in run.stderr


def test_the_chance_of_meeting_both_order_bounds_follows_the_binomial_counts():
    from order_members import CHECK_N, CLEAN_MAX, SHUFFLED_MIN, binom_cdf, check_pass_chance

    assert CLEAN_MAX / CHECK_N <= 0.02 < (CLEAN_MAX + 1) / CHECK_N
    assert (SHUFFLED_MIN - 1) / CHECK_N < 0.90 <= SHUFFLED_MIN / CHECK_N
    assert abs(binom_cdf(20, 0.3, 20) - 1.0) < 1e-12 and abs(binom_cdf(2, 0.5, 0) - 0.25) < 1e-12
    # expected clean count 10.8 of 599: 12 or more about two times in five
    assert round(binom_cdf(CHECK_N, 0.018, CLEAN_MAX), 3) == 0.606
    at_18 = check_pass_chance(0.018, 0.9194)
    assert round(at_18, 3) == 0.576
    assert check_pass_chance(0.016, 0.9194) > at_18 > check_pass_chance(0.018, 0.91)
    assert check_pass_chance(0.0, 1.0) == 1.0 and check_pass_chance(0.05, 0.5) < 1e-6
