"""The fluency head's training inputs: one LM pass (fluencyhead.lm_inputs, since
the fourteenth session) vs the two passes it used to make (hidden states, then
log-probabilities), on the same batches, one run; prints ms per batch and the ratio.

    python bench/fluency_head_inputs.py [--model PATH] [--batches 30] [--batch 64] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def two_passes(scorer, seqs):
    """The thirteenth session's inputs: a hidden-state pass and a log-prob pass."""
    import torch

    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), scorer.tok.pad, dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = torch.as_tensor(s, dtype=torch.long)
    with torch.inference_mode():
        h = scorer.hidden_states(ids)[0]
        lps = scorer.token_logprobs(seqs, [1] * len(seqs))
    return h, lps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--batches", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64, help="sentences per batch (training: 32 clean + 32 damaged)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import torch

    from auditor.lm import calibration as cal, fluencyhead, load_scorer

    scorer = load_scorer(args.model, threads=args.threads)
    sents = cal.calibration_sentences(args.batches * args.batch)
    seqs = [scorer._sentence_units(ids)[0] for ids in scorer.tok.encode(sents)]
    batches = [seqs[i : i + args.batch] for i in range(0, len(seqs), args.batch)]
    variants = {"two passes (thirteenth session)": lambda b: two_passes(scorer, b),
                "one pass (lm_inputs)": lambda b: fluencyhead.lm_inputs(scorer, b)}
    times = {k: [] for k in variants}
    for b in batches[:2]:  # warm-up
        for f in variants.values():
            f(b)
    for b in batches:  # alternate, so that both see the same machine load
        for k, f in variants.items():
            t0 = time.perf_counter()
            f(b)
            times[k].append(time.perf_counter() - t0)
    print(f"model {scorer.info['name']}, dtype {scorer.info['dtype']}, {len(batches)} batches of {args.batch}, "
          f"{torch.get_num_threads()} thread(s)")
    med = {k: 1000 * statistics.median(v) for k, v in times.items()}
    for k, v in med.items():
        print(f"{k:<34}{v:8.1f} ms per batch (median)")
    a, b = med.values()
    print(f"one pass / two passes: {a / b:.2f}x faster")


if __name__ == "__main__":
    main()
