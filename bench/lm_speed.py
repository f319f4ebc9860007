"""LM scoring speed: batched (length-sorted, padded, one forward per batch)
vs a naive one-sentence-at-a-time loop, same model, same sentences, one run;
and the cold-start wall time of a one-article audit with the LM.

    python bench/lm_speed.py [--model PATH_OR_ID] [--n 400] [--threads 1] [--runs 5]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed-file", default=str(ROOT / "seeds" / "001_326390cf8e72ab50.txt"))
    args = ap.parse_args()
    from auditor.lm import calibration as cal, load_scorer

    scorer = load_scorer(args.model, threads=args.threads)
    sents = cal.calibration_sentences(args.n)
    scorer.score_texts(sents[:16])  # warm-up
    rows = {}
    for name, naive in (("batched", False), ("naive", True)):
        t0 = time.perf_counter()
        out = scorer.score_texts(sents, naive=naive)
        dt = time.perf_counter() - t0
        toks = sum(d["tokens"] + 1 for d in out if d)
        rows[name] = (len(sents) / dt, toks / dt)
        print(f"{name:<8} {len(sents)} sentences in {dt:6.2f}s: {rows[name][0]:8.1f} sentences/s {rows[name][1]:9.0f} tokens/s")
    print(f"batched / naive: {rows['batched'][0] / rows['naive'][0]:.2f}x sentences/s, "
          f"{rows['batched'][1] / rows['naive'][1]:.2f}x tokens/s  (model {scorer.info['name']}, threads {args.threads})")

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
