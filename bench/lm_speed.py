"""LM scoring speed: batched (length-sorted, padded, one forward per batch)
vs a naive one-sentence-at-a-time loop that computes the same outputs (log-probs,
sentence embeddings and the fluency head's rating where the model has those heads;
since the fourteenth session, and the log-probs-only loop of earlier sessions side
by side), same model, same sentences, one run,
for each dtype (auto = what this machine uses by default) and a few token
budgets; optionally the same weights through transformers one sentence at a
time (--hf); then the cold-start wall time of a one-article audit with the LM.

    python bench/lm_speed.py [--model PATH_OR_ID] [--n 400] [--threads 1] [--runs 5] [--hf]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _hf_scorer(load_scorer, args):
    """The same embedded weights run through transformers' LlamaForCausalLM (fp32)."""
    os.environ["MTAUDIT_LM_BACKEND"] = "transformers"
    from auditor.lm import scorer as sc

    sc._CACHE.clear()
    try:
        return load_scorer(args.model, threads=args.threads, dtype="float32")
    finally:
        os.environ.pop("MTAUDIT_LM_BACKEND")
        sc._CACHE.clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per variant (best is kept)")
    ap.add_argument("--dtypes", default="auto,float32", help="comma list of auto,float32,bfloat16")
    ap.add_argument("--budgets", default="512,2048,4096", help="extra token budgets to time")
    ap.add_argument("--hf", action="store_true", help="also time a naive loop through transformers")
    ap.add_argument("--compile", action="store_true",
                    help="also time the default batched scorer with torch.compile (inductor; needs a C compiler)")
    ap.add_argument("--seed-file", default=str(ROOT / "seeds" / "001_326390cf8e72ab50.txt"))
    args = ap.parse_args()
    from auditor.lm import calibration as cal, load_scorer

    sents = cal.calibration_sentences(args.n)
    rows = {}

    def timed(label, scorer, naive=False):
        scorer.score_texts(sents[:16], naive=naive)  # warm-up
        best = None
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            out = scorer.score_texts(sents, naive=naive)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        toks = sum(d["tokens"] + 1 for d in out if d)
        rows[label] = (len(sents) / best, toks / best)
        print(f"{label:<44} {len(sents)} sentences in {best:6.2f}s: {rows[label][0]:8.1f} sentences/s {rows[label][1]:9.0f} tokens/s", flush=True)
        return out

    dtypes = [d for d in args.dtypes.split(",") if d]
    default = load_scorer(args.model, threads=args.threads)
    print(f"model {default.info['name']}, threads {args.threads}, default dtype here: {default.info['dtype']}, "
          f"token budget {default.token_budget}")
    for dtype in dtypes:
        scorer = load_scorer(args.model, threads=args.threads, dtype=dtype)
        name = scorer.info["dtype"]
        budget = scorer.token_budget
        for b in sorted({budget, *[int(x) for x in args.budgets.split(",") if x]}):
            scorer.token_budget = b
            timed(f"batched {name}, {b}-token batches" + (" (default)" if b == budget else ""), scorer)
        scorer.token_budget = budget
        if scorer.pair_head is not None:
            # the default pass also pools sentence embeddings for the pair head: its cost, side by side
            head, scorer.pair_head = scorer.pair_head, None
            try:
                timed(f"batched {name}, {budget}-token batches, no embeddings", scorer)
            finally:
                scorer.pair_head = head
        if scorer.fluency_head is not None:
            # the default pass also runs the fluency head over every token: its cost, side by side
            fhead, scorer.fluency_head = scorer.fluency_head, None
            try:
                timed(f"batched {name}, {budget}-token batches, no fluency head", scorer)
            finally:
                scorer.fluency_head = fhead
        timed(f"naive {name} (one sentence per forward)", scorer, naive=True)
        if scorer.pair_head is not None or scorer.fluency_head is not None:
            # earlier sessions' baseline: the naive loop without the heads' work
            heads = scorer.pair_head, scorer.fluency_head
            scorer.pair_head = scorer.fluency_head = None
            try:
                timed(f"naive {name}, log-probs only", scorer, naive=True)
            finally:
                scorer.pair_head, scorer.fluency_head = heads
    if args.compile:
        # Measured, not shipped: compiling costs ~40 s here, 20x a one-article audit.
        import torch

        # Every module that runs over each token is compiled: the LM's body, the pair
        # towers, the fluency head's tuned body and its encoder (before the twentieth
        # session only the LM's body was, a third of the pass).
        scorer = load_scorer(args.model, threads=args.threads)
        targets = [(scorer.model, "hidden")]
        if scorer.pair_head is not None:
            targets += [(t, "forward") for t in getattr(scorer.pair_head, "towers", [scorer.pair_head.tower]) if t is not None]
        fhead = scorer.fluency_head
        if fhead is not None:
            targets += [(fhead.encoder, "forward")] + ([(fhead.body, "forward")] if fhead.body is not None else [])
        t0 = time.perf_counter()
        for obj, name in targets:
            setattr(obj, name, torch.compile(getattr(obj, name), dynamic=True))
        try:
            scorer.score_texts(sents)
            print(f"torch.compile of {len(targets)} modules + first pass: {time.perf_counter() - t0:.1f}s")
            timed(f"batched {scorer.info['dtype']}, torch.compile", scorer)
        finally:
            for obj, name in targets:  # the scorer is cached per process: back to the class's eager methods
                delattr(obj, name)
    if args.hf:
        try:
            timed("naive transformers fp32 (one sentence per forward)", _hf_scorer(load_scorer, args), naive=True)
        except ImportError:
            print("transformers not installed: no transformers baseline")
    base = rows.get(f"naive {default.info['dtype']} (one sentence per forward)")
    prod = next((v for k, v in rows.items() if k.startswith(f"batched {default.info['dtype']}") and k.endswith("(default)")), None)
    if base and prod:
        print(f"default batched / naive, same dtype: {prod[0] / base[0]:.2f}x sentences/s, {prod[1] / base[1]:.2f}x tokens/s")
    for k, v in rows.items():
        if k.startswith("naive") and prod:
            print(f"default batched / {k}: {prod[0] / v[0]:.2f}x")

    cmd = [sys.executable, "-m", "auditor", "--format", "json", args.seed_file]
    if args.model:
        cmd[3:3] = ["--model", args.model]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    for label, extra in (("with LM", []), ("rules only (--no-lm)", ["--no-lm"])):
        walls = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            p = subprocess.run(cmd[:3] + extra + cmd[3:], cwd=ROOT, env=env, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if p.returncode not in (0, 1):
                print(f"audit failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
                break
        print(f"cold one-article audit {label}: median {statistics.median(walls):.2f}s over {len(walls)} runs "
              f"(min {min(walls):.2f}s) [{' '.join(cmd[2:3] + extra + cmd[3:])}]")


if __name__ == "__main__":
    main()
