"""The order test's pair pass: each pair run whole (`Scorer.token_logprobs`)
against each distinct context run once (`Scorer.prefixed_logprobs`, since the
twentieth session), on the pairs real articles make, side by side in one
process; the same articles scored whole (`Scorer.score_articles`, as `mtaudit
batch` does) with each; and how far each bf16 pass is from the fp32 log-probs.

    OMP_NUM_THREADS=1 python bench/lm_order_pass.py [--n 40] [--rounds 3] [--threads 1]

The articles are clean calibration articles (`train.order_calibration_docs`,
the first n); the pairs are what `Scorer._order_pairs` builds for them in an
audit (each body sentence after its predecessor, three random predecessors
and before three random successors, and after the headline).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"


def pair_jobs(scorer, articles) -> tuple[list, list]:
    """The order test's (sequences, score_from) for these articles, as an audit builds them."""
    from auditor.config import Config
    from auditor.detectors.boilerplate import furniture_sentences

    seqs, starts = [], []
    for a in articles:
        sents = scorer.score_texts([s.text for s in a.sentences])
        job = scorer._order_pairs(a, sents, furniture_sentences(a, Config()))
        if job:
            seqs += job["seqs"]
            starts += job["from"]
    return seqs, starts


def error_stats(got, ref) -> tuple[float, float]:
    """Mean absolute per-token error and the standard deviation of the per-pair sum error."""
    import numpy as np

    tok = np.concatenate([np.abs(g - r) for g, r in zip(got, ref)])
    sums = np.array([g.sum() - r.sum() for g, r in zip(got, ref)])
    return float(tok.mean()), float(sums.std())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40, help="calibration articles")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import statistics

    from auditor.lm import load_scorer
    from auditor.lm.train import order_calibration_docs

    articles = []
    for _, a in order_calibration_docs(CORPUS):
        articles.append(a)
        if len(articles) >= args.n:
            break
    scorer = load_scorer(None, threads=args.threads)
    seqs, starts = pair_jobs(scorer, articles)
    contexts = len({tuple(s[:k]) for s, k in zip(seqs, starts)})
    scored = sum(len(s) - k for s, k in zip(seqs, starts))
    print(f"{len(articles)} articles: {len(seqs)} pairs, {contexts} distinct contexts, "
          f"{sum(map(len, seqs))} tokens in the pairs, {scored} of them scored; dtype {scorer.info['dtype']}")
    scorer.prefixed_logprobs(seqs[:50], starts[:50])  # warm-up
    times: dict[str, list[float]] = {"whole pairs": [], "prefixed": []}
    for _ in range(args.rounds):
        for label, run in (("whole pairs", scorer.token_logprobs), ("prefixed", scorer.prefixed_logprobs)):
            t0 = time.perf_counter()
            run(seqs, starts)
            times[label].append(time.perf_counter() - t0)
    for label, ts in times.items():
        print(f"{label:<12} median {statistics.median(ts):.3f} s (min {min(ts):.3f}) over {len(ts)} rounds")
    ratio = statistics.median(a / b for a, b in zip(times["whole pairs"], times["prefixed"]))
    print(f"whole / prefixed, median of the rounds' ratios: {ratio:.2f}x")
    # whole articles, as `mtaudit batch` scores them (fluency pass and order test together)
    whole_articles: dict[str, list[float]] = {"whole pairs": [], "prefixed": []}
    for _ in range(args.rounds):
        for label in whole_articles:
            if label == "whole pairs":
                scorer.prefixed_logprobs = scorer.token_logprobs  # the pass before the twentieth session
            t0 = time.perf_counter()
            scorer.score_articles(articles)
            whole_articles[label].append(time.perf_counter() - t0)
            scorer.__dict__.pop("prefixed_logprobs", None)
    for label, ts in whole_articles.items():
        print(f"score_articles, {label:<12} median {len(articles) / statistics.median(ts):.2f} articles/s")
    if scorer.info["dtype"] != "float32":
        ref = load_scorer(None, threads=args.threads, dtype="float32").token_logprobs(seqs, starts)
        for label, run in (("whole pairs", scorer.token_logprobs), ("prefixed", scorer.prefixed_logprobs)):
            tok, sums = error_stats(run(seqs, starts), ref)
            print(f"{label:<12} against fp32: mean |error| {tok:.4f} nats per token, pair sums' error sd {sums:.3f}")


if __name__ == "__main__":
    main()
