"""Alignment quality on synthetic split/merge pairs (bench/compare_synth.py).

    /work/venv/bin/python bench/compare_align.py [--docs N] [--corpus PATH]

Prints link-level precision/recall/F1 (links include unmatched sentences as
(i, None) / (None, j)) and exact-bead F1 per noise level, for the shipped
parameters and variants side by side, on a development half (the one the
parameters were chosen on) and a held-out test half. Also a naive 1-1
baseline (pair sentence k with sentence k) for scale.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compare_synth import load_articles, make_pairs  # noqa: E402

from auditor.compare import alignment as A  # noqa: E402


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(pairs, **params):
    tp = npred = ngold = 0
    btp = bpred = bgold = 0
    t = time.perf_counter()
    for pr in pairs:
        if params.get("naive"):
            n = min(len(pr["a"]), len(pr["b"]))
            beads = [((k,), (k,)) for k in range(n)]
            beads += [((k,), ()) for k in range(n, len(pr["a"]))] + [((), (k,)) for k in range(n, len(pr["b"]))]
        else:
            beads = [(x.a, x.b) for x in A.align(pr["a"], pr["b"], **params)]
        pred, gold = A.links(beads), A.links(pr["gold"])
        tp += len(pred & gold); npred += len(pred); ngold += len(gold)
        pb = {(tuple(x), tuple(y)) for x, y in beads}
        gb = {(tuple(x), tuple(y)) for x, y in pr["gold"]}
        btp += len(pb & gb); bpred += len(pb); bgold += len(gb)
    el = time.perf_counter() - t
    p, r = tp / npred, tp / ngold
    bp, br = btp / bpred, btp / bgold
    return p, r, 2 * p * r / (p + r), 2 * bp * br / (bp + br), el


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=60, help="articles per half")
    ap.add_argument("--corpus", default="/work/shared/corpus/docs.jsonl.gz")
    ap.add_argument("--levels", default="0.1,0.2,0.3")
    ap.add_argument("--sweep", action="store_true", help="also sweep thresholds")
    args = ap.parse_args()
    arts = load_articles(args.corpus, 2 * args.docs, seed=8)
    halves = {"dev": arts[: args.docs], "test": arts[args.docs :]}
    variants = {
        "shipped (chrF b=1,t=.35,w=1)": {},
        "chrF beta=2": {"beta": 2},
        "merge_weight=1.5": {"merge_weight": 1.5},
        "naive 1-1 baseline": {"naive": True},
    }
    if args.sweep:
        for t in (0.25, 0.3, 0.4, 0.45):
            variants[f"t={t}"] = {"threshold": t}
        for w in (0.8, 1.25):
            variants[f"merge_weight={w}"] = {"merge_weight": w}
    nsent = sum(len(a) for a in arts)
    print(f"{len(arts)} articles ({nsent} sentences), halves of {args.docs}")
    print(f"{'half':<5} {'noise':>5}  {'variant':<28} {'P':>6} {'R':>6} {'F1':>6} {'beadF1':>6} {'s/doc':>6}")
    for half, docs in halves.items():
        for level in map(float, args.levels.split(",")):
            pairs = make_pairs(docs, seed=int(level * 100) + (0 if half == "dev" else 1000), level=level)
            for name, params in variants.items():
                p, r, f, bf, el = evaluate(pairs, **params)
                print(f"{half:<5} {level:>5.2f}  {name:<28} {p:6.3f} {r:6.3f} {f:6.3f} {bf:6.3f} {el / len(pairs):6.3f}")


if __name__ == "__main__":
    main()
