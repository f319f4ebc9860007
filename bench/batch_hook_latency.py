"""Hook latency: wall time of `mtaudit check ARTICLE` (no language model), the
way pre-commit and git hooks run it: a fresh process per call.

Side by side in one run: `mtaudit check` on each seed article, the
single-article JSON command on the same file, and a bare `python -c pass`
start-up as the floor. Median and p90 of --runs runs each.

    python bench/batch_hook_latency.py --runs 21
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    seeds = sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))
    mtaudit = [sys.executable, "-m", "auditor.cli"]
    variants = [("python -c pass (floor)", [sys.executable, "-c", "pass"])]
    for s in seeds:
        name = os.path.basename(s)[:12]
        variants.append((f"check {name}", mtaudit + ["check", s]))
        variants.append((f"--format json {name}", mtaudit + ["--format", "json", "--no-lm", s]))
    print(f"runs: {args.runs}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'variant':<34} {'median s':>9} {'p90 s':>7}")
    for name, cmd in variants:
        t = sorted(timed(cmd, args.runs))
        print(f"{name:<34} {statistics.median(t):>9.3f} {t[int(0.9 * (len(t) - 1))]:>7.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
