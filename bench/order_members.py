"""The order test with one pair-head member against several, out of fold on the
clean calibration articles and their shuffled copies: each variant's parts come
from its own `calibrate --parts-cache` run (the slow part, half an hour each).

    cp -r models/news-lm /tmp/one && rm /tmp/one/pair_head_2.safetensors
    python -m auditor.lm.train calibrate --model /tmp/one --order-only --parts-cache /tmp/parts_one.pkl
    cp -r models/news-lm /tmp/two
    python -m auditor.lm.train calibrate --model /tmp/two --order-only --parts-cache /tmp/parts_two.pkl
    python bench/order_members.py /tmp/parts_one.pkl /tmp/parts_two.pkl

Prints, per cache: the AUC (clean vs shuffled copies) of the combined out-of-fold
score and of the pair and precedence parts alone, then the share of shuffled
copies flagged at several calibrated clean rates (each rate held by construction;
the clean share flagged out of fold is printed beside it), and at each rate the
chance that a 599-article check (the size of `bench/lm_order.py --n 600`) meets
both order bounds, <= 11 clean articles flagged and >= 540 shuffled copies, if
counts are binomial at the out-of-fold rates (the clean one at least the
calibrated rate). The shipped `train.ORDER_RATE` (the default of `calibrate
--order-rate`) is set by hand to the rate where that chance is highest
(nineteenth session's rule, BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATES = (0.012, 0.014, 0.016, 0.018, 0.02, 0.025)
CHECK_N = 599  # bench/lm_order.py --n 600 keeps 599 articles of >= 6 sentences
CLEAN_MAX = 11  # 11/599 = 1.84 % <= 2 %; 12/599 = 2.003 % is over
SHUFFLED_MIN = 540  # 540/599 = 90.15 % >= 90 %; 539/599 = 89.98 % is under


def binom_cdf(n: int, p: float, k: int) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    from math import comb

    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def check_pass_chance(clean_rate: float, shuffled_rate: float, n: int = CHECK_N) -> float:
    """Chance that an n-article check meets both bounds, counts binomial and independent."""
    return binom_cdf(n, clean_rate, CLEAN_MAX) * (1 - binom_cdf(n, shuffled_rate, SHUFFLED_MIN - 1))


def auc(pos, neg) -> float:
    import numpy as np

    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> None:
    from auditor.lm.train import fit_order_calibration

    ap = argparse.ArgumentParser()
    ap.add_argument("caches", nargs="+", help="pickles written by `calibrate --parts-cache`")
    args = ap.parse_args()
    for name in args.caches:
        try:
            with open(name, "rb") as fh:
                stored = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError) as exc:
            sys.exit(f"order_members: cannot read {name}: {exc}")
        clean, shuffled = stored["clean"], stored["shuffled"]
        row, chance, fit = [], [], None
        for rate in RATES:
            fit = fit_order_calibration(clean, shuffled, rate)
            row.append(f"{100 * rate:.1f} %: {100 * fit['shuffled_detected']:.2f} ({100 * fit['clean_out_of_fold']:.2f})")
            chance.append(f"{100 * rate:.1f} %: "
                          f"{check_pass_chance(max(rate, fit['clean_out_of_fold']), fit['shuffled_detected']):.3f}")
        parts = {k: auc([o["parts"][k] for o in clean], [o["parts"][k] for o in shuffled]) for k in ("pair", "prec")
                 if k in clean[0]["parts"]}
        print(f"{name}: {len(clean)} clean articles; out-of-fold score AUC {auc(fit['oof_clean'], fit['oof_shuffled']):.4f}; "
              + "; ".join(f"{k} alone {v:.4f}" for k, v in parts.items()))
        print("  shuffled flagged % (clean flagged %) at rate  " + "  ".join(row))
        print(f"  chance a {CHECK_N}-article check meets both bounds, at rate  " + "  ".join(chance), flush=True)


if __name__ == "__main__":
    main()
