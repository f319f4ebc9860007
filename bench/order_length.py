"""The order test's threshold against article length: a flat threshold vs one that
grows with ln(body sentences), out of fold on the clean calibration articles and
their shuffled copies, at the same conformal clean rate.

    python -m auditor.lm.train calibrate --order-only --parts-cache /tmp/order_parts.pkl   # once (~30 min)
    python bench/order_length.py --parts-cache /tmp/order_parts.pkl [--rate 0.018]

Prints, for the flat threshold and the fitted slope, the share of clean articles
and of shuffled copies flagged by body length, then the shuffled copies flagged
for a range of slopes at a few rates (each keeps the clean rate by construction).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BINS = ((6, 8), (8, 11), (11, 16), (16, 25), (25, 10_000))


def main() -> None:
    import numpy as np

    from auditor.lm.train import ORDER_RATE, fit_order_calibration, order_length_terms

    ap = argparse.ArgumentParser()
    ap.add_argument("--parts-cache", required=True, help="the pickle `calibrate --parts-cache` writes")
    ap.add_argument("--rate", type=float, default=ORDER_RATE)
    args = ap.parse_args()
    try:
        with open(args.parts_cache, "rb") as fh:
            stored = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        sys.exit(f"order_length: cannot read {args.parts_cache}: {exc}")
    clean, shuffled = stored["clean"], stored["shuffled"]
    lengths = np.array([o["pairs"] for o in clean])
    fitted = fit_order_calibration(clean, shuffled, args.rate)
    center = fitted["length_center"]
    lc, ls = order_length_terms(clean, center), order_length_terms(shuffled, center)
    rule_c = np.array([o["by_rule"] for o in clean])
    rule_s = np.array([o["by_rule"] for o in shuffled])
    print(f"{len(clean)} clean calibration articles, rate {args.rate}, 5-fold out-of-fold scores")
    for name, fit in (("flat", fit_order_calibration(clean, shuffled, args.rate, length_slope=0.0)),
                      (f"slope {fitted['length_slope']}", fitted)):
        b, thr = fit["length_slope"], fit["threshold"]
        fc = (fit["oof_clean"] - b * lc < thr) | rule_c
        fs = (fit["oof_shuffled"] - b * ls < thr) | rule_s
        print(f"{name}: threshold {thr:.4f}; clean flagged {100 * fc.mean():.2f} %, shuffled {100 * fs.mean():.2f} %")
        for lo, hi in BINS:
            m = (lengths >= lo) & (lengths < hi)
            print(f"  {lo:>2}-{min(hi - 1, 999):<3} body sentences: {m.sum():>4} articles, clean {100 * fc[m].mean():.1f} %, "
                  f"shuffled {100 * fs[m].mean():.1f} %")
    slopes = [round(0.1 * k, 1) for k in range(9)]
    print("shuffled copies flagged (%) by slope " + " ".join(f"{b:>5}" for b in slopes))
    for rate in (0.014, 0.016, 0.018, 0.02):
        row = []
        for b in slopes:
            fit = fit_order_calibration(clean, shuffled, rate, length_slope=b)
            row.append(100 * fit["shuffled_detected"])
        print(f"  rate {rate:<5}                        " + " ".join(f"{x:5.1f}" for x in row))


if __name__ == "__main__":
    main()
