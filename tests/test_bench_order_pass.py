"""bench/lm_order_pass.py: the error figures it prints against the fp32 log-probs."""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from lm_order_pass import error_stats  # noqa: E402


def test_errors_are_per_token_means_and_the_spread_of_pair_sums():
    ref = [np.array([-1.0, -2.0]), np.array([-3.0])]
    got = [np.array([-1.5, -2.0]), np.array([-2.5])]  # token errors 0.5, 0, 0.5; pair sums off by -0.5, +0.5
    tok, sums = error_stats(got, ref)
    assert tok == 1.0 / 3
    assert sums == 0.5
    assert error_stats(ref, ref) == (0.0, 0.0)
