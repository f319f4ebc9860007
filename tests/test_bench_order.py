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
