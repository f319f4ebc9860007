"""Scrambled-order detection: clean vs fully shuffled clean articles, and the seeds.

    python bench/lm_order.py [--model PATH_OR_ID] [--n 300]

Articles: docs.jsonl.gz records with >= 6 body sentences from the benchmark
half (ids whose MD5 is odd), the first N in MD5 order, N at most
ORDER_BENCH_ARTICLES (600): calibration reads the even half and the odd half's
articles after those (train.order_calibration_docs), never these. The shuffled copy keeps the headline first and
the paragraph sizes, and permutes all body sentences (seeded). Prints the
combined order score's flag rates and the AUC of it and of each of its parts.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    from auditor.article import build_article
    from auditor.config import Config
    from auditor.detectors.boilerplate import furniture_sentences
    from auditor.lm import load_scorer
    from auditor.lm.train import shuffled_text

    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    from auditor.lm.train import ORDER_BENCH_ARTICLES, order_bench_docs

    if not 1 <= args.n <= ORDER_BENCH_ARTICLES:
        sys.exit(f"lm_order: --n must be 1..{ORDER_BENCH_ARTICLES}: calibration reads the articles after those")
    scorer = load_scorer(args.model, threads=args.threads)
    rng = random.Random(args.seed)
    clean = [a for _, a in order_bench_docs(CORPUS, args.n)]
    shuffled = [build_article(shuffled_text(a, rng)) for a in clean]
    t0 = time.time()
    # as in an audit, the order test leaves out what the boilerplate rules delete
    rc = scorer.score_articles(clean, [furniture_sentences(a, Config()) for a in clean])
    rs = scorer.score_articles(shuffled, [furniture_sentences(a, Config()) for a in shuffled])
    dt = time.time() - t0
    fc = sum(r.order["flagged"] for r in rc if r.order)
    fs = sum(r.order["flagged"] for r in rs if r.order)
    nc = sum(1 for r in rc if r.order)
    ns = sum(1 for r in rs if r.order)
    oc = scorer.table.get("order", {})
    print(f"model: {scorer.info['name']}  order threshold {oc.get('threshold')} "
          f"+ {oc.get('length_slope', 0.0)} * (ln body sentences - {oc.get('length_center', 0.0)})")
    lo, hi = wilson(fc, nc)
    print(f"clean articles flagged:    {fc}/{nc} = {100 * fc / max(1, nc):.1f}%  (target <= 2%; 95% interval "
          f"{100 * lo:.1f}-{100 * hi:.1f}%; calibrated for {100 * oc.get('rate', 0.02):g}%)")
    lo, hi = wilson(fs, ns)
    print(f"shuffled articles flagged: {fs}/{ns} = {100 * fs / max(1, ns):.1f}%  (target >= 90%; 95% interval "
          f"{100 * lo:.1f}-{100 * hi:.1f}%)")
    print(f"({2 * len(clean)} articles scored in {dt:.0f}s, {2 * len(clean) / dt:.2f} articles/s)")
    pc = [r.order for r in rc if r.order]
    ps = [r.order for r in rs if r.order]
    print(f"weights {pc[0]['weights']}")
    print("AUC clean vs shuffled (P(clean scores higher)):")
    single = scorer.table.get("order", {}).get("single_thresholds", {})
    for key in ["score", *pc[0]["parts"]]:
        get = (lambda o: o["score"]) if key == "score" else (lambda o, k=key: o["parts"][k])
        line = f"  {key:9s} {auc([get(o) for o in pc], [get(o) for o in ps]):.3f}"
        if key in single:  # this part alone, at its own clean-calibration 2nd percentile
            thr = single[key]
            line += (f"   alone (flag below {thr:+.2f}): clean {100 * sum(get(o) < thr for o in pc) / len(pc):.1f}%,"
                     f" shuffled {100 * sum(get(o) < thr for o in ps) / len(ps):.1f}%")
        print(line)
    lengths = [len(a.body_sentences) for a, r in zip(clean, rc) if r.order]
    for name, group in (("clean", pc), ("shuffled", ps)):
        print(f"{name} flagged by the score {sum(o['score'] < o['threshold'] for o in group)}, only by a rule (late "
              f"introductions, a moved dateline) {sum(o['flagged'] and o['score'] >= o['threshold'] for o in group)}")
    print("by body length (clean flagged / shuffled flagged, score or rule):")
    for lo, hi in ((6, 8), (8, 11), (11, 16), (16, 25), (25, 10_000)):
        idx = [i for i, n in enumerate(lengths) if lo <= n < hi]
        if idx:
            print(f"  {lo:>2}-{min(hi - 1, 999):<3} sentences: {len(idx):>3} articles, clean {sum(pc[i]['flagged'] for i in idx)}, "
                  f"shuffled {sum(ps[i]['flagged'] for i in idx)} ({100 * sum(ps[i]['flagged'] for i in idx) / len(idx):.0f}%)")
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        a = build_article(path.read_text(encoding="utf-8"))
        r = scorer.score_article(a, order_skip=furniture_sentences(a, Config()))
        o = r.order or {}
        misfit = [f.start for f in r.findings if f.code == "ORD002"]
        print(f"seed {path.name}: order score {o.get('score')}, flagged {o.get('flagged')}, parts {o.get('parts')}"
              + (f", ORD002 at offsets {misfit}" if misfit else ""))


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n: how far a share measured on a few
    hundred articles can sit from the rate the test was calibrated for."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, mid - half), min(1.0, mid + half)


def auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / max(1, len(pos) * len(neg))


if __name__ == "__main__":
    main()
