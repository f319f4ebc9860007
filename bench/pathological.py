"""Degenerate input: does the rules-only audit stay near-linear in the text's size?

    python bench/pathological.py [--n 2000] [--factor 8]

Each case repeats a short unit (a spaced full stop, a lone curly quote, a
broken entity, a Cyrillic label ...) n and factor*n times after a headline
and times `audit_text` on both; growth = time(factor*n) / time(n). Linear
work grows by `factor`, quadratic by factor**2. Every case runs twice in one
process, side by side: with the shipped `_drop_inside_deletions` (sorted
deletions and a running maximum) and with the pairwise definition it
replaced, so the ratio of the two is measured on the same machine state.
No pass/fail: the table is the result (BENCHMARKS.md, "Speed").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = {
    "spaced full stops": ". ",
    "spaced colons": ": ",
    "open quote and stop": "\u201c . ",
    "word and stop": "Foreign . ",
    "broken entity": "TASS & mdash; ",
    "closing quotes": "\u201d ",
    "guillemets": "\u00ab ",
    "line breaks": "\n the ",
    "figure and thousand": "000 thousand ",
    "Cyrillic label and stop": "\u0418\u0441\u0442\u043e\u0447\u043d\u0438\u043a . ",
}


def _pairwise(findings):
    """The definition the shipped function replaced (O(findings x deletions))."""
    deletions = [(f.start, f.end, f) for f in findings if f.is_safe_fix and f.suggestion == "" and f.end > f.start]
    if not deletions:
        return findings
    return [
        f
        for f in findings
        if f.severity == "error"
        or f.start is None
        or not any(a <= f.start and f.end <= b and g is not f and (b - a) > (f.end - f.start) for a, b, g in deletions)
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Growth of audit time on degenerate input.")
    ap.add_argument("--n", type=int, default=2000, help="repeats of the unit in the small text")
    ap.add_argument("--factor", type=int, default=8, help="the large text has factor * n repeats")
    args = ap.parse_args(argv)

    from auditor import pipeline
    from auditor.config import Config

    config = Config()
    pipeline.audit_text("Head\n\nA body. Two.", config=config)  # load data files and regexes
    shipped = pipeline._drop_inside_deletions
    variants = {"shipped": shipped, "pairwise": _pairwise}

    def timed(text):
        t0 = time.perf_counter()
        pipeline.audit_text(text, config=config)
        return time.perf_counter() - t0

    print(f"unit repeated n={args.n} and {args.factor}n times; seconds; growth = large / small "
          f"(linear {args.factor}, quadratic {args.factor ** 2})")
    print(f"{'case':26} {'shipped small':>13} {'large':>8} {'growth':>7}   {'pairwise small':>14} {'large':>8} {'growth':>7}   large: pairwise / shipped")
    try:
        for name, unit in CASES.items():
            row = {}
            for label, fn in variants.items():
                pipeline._drop_inside_deletions = fn
                small = timed("Head\n\n" + unit * args.n)
                large = timed("Head\n\n" + unit * (args.n * args.factor))
                row[label] = (small, large)
            s, p = row["shipped"], row["pairwise"]
            print(f"{name:26} {s[0]:13.3f} {s[1]:8.3f} {s[1] / s[0]:7.1f}   {p[0]:14.3f} {p[1]:8.3f} {p[1] / p[0]:7.1f}   {p[1] / s[1]:.1f}x")
    finally:
        pipeline._drop_inside_deletions = shipped
    return 0


if __name__ == "__main__":
    sys.exit(main())
