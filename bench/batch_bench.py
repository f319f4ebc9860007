"""Batch feed benchmark: rules-only throughput with --workers 1 vs 2 and peak
memory at 1,000 vs 10,000 articles, in one run.

The feed: every article of ../shared/corpus/docs.jsonl.gz clean, plus the same
articles corrupted by bench/corrupt.py with seeds 1 and 2 (3 x 3,349 = 10,047
articles, one third clean), as JSON Lines. Each variant runs the real CLI
(`python -m auditor.cli batch FEED --out OUT --no-lm --workers W --quiet`) in a
subprocess; wall time includes start-up. RSS is sampled every 50 ms with psutil:
the main process alone and the whole process tree (main + workers).

    python bench/batch_bench.py                 # 10,047 articles; ~15 min on 2 busy cores
    python bench/batch_bench.py --n 2000        # quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import psutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def build_feed(path: str, n: int) -> int:
    import corrupt

    docs = corrupt.load_docs()
    rows = [{"id": f"{d['id']}#clean", "text": corrupt.article_text(d), "source": d.get("source", "")} for d in docs]
    seed = 1
    while len(rows) < n:
        for a in corrupt.generate(docs, len(docs), seed):
            rows.append({"id": f"{a['id']}#s{seed}", "text": a["text"], "source": "corrupted"})
        seed += 1
    rows = rows[:n]
    # mix clean and corrupted the way a feed would
    import random

    random.Random(0).shuffle(rows)
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def head(src: str, dst: str, n: int) -> int:
    with open(src, encoding="utf-8") as fi, open(dst, "w", encoding="utf-8") as fo:
        for i, line in enumerate(fi):
            if i >= n:
                break
            fo.write(line)
    return min(n, i + 1)


def run(feed: str, out: str, workers: int) -> dict:
    if os.path.exists(out):
        os.unlink(out)
    cmd = [sys.executable, "-m", "auditor.cli", "batch", feed, "--out", out, "--no-lm", "--workers", str(workers), "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"})
    ps = psutil.Process(proc.pid)
    main_peak = tree_peak = 0
    cpu: dict[int, float] = {}  # last seen user+sys CPU seconds per process
    while proc.poll() is None:
        try:
            procs = [ps] + ps.children(recursive=True)
            rss_main = ps.memory_info().rss
            rss_tree = 0
            for p in procs:
                rss_tree += p.memory_info().rss
                t = p.cpu_times()
                cpu[p.pid] = t.user + t.system
        except psutil.Error:
            rss_main = rss_tree = 0
        main_peak = max(main_peak, rss_main)
        tree_peak = max(tree_peak, rss_tree)
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    main_cpu = cpu.get(proc.pid, 0.0)
    worker_cpu = sorted((v for k, v in cpu.items() if k != proc.pid), reverse=True)
    with open(out, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh)
    return {"workers": workers, "articles": lines, "rc": proc.returncode, "wall_s": wall,
            "rate": lines / wall, "main_peak_mb": main_peak / 2**20, "tree_peak_mb": tree_peak / 2**20,
            "main_cpu": main_cpu, "worker_cpu": worker_cpu, "cpu_total": main_cpu + sum(worker_cpu),
            "critical_cpu": max([main_cpu] + worker_cpu)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_047)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--repeats", type=int, default=2, help="interleaved 1-worker / 2-worker runs on the full feed")
    args = ap.parse_args()
    d = args.dir or tempfile.mkdtemp(prefix="mtaudit-batch-bench-")
    os.makedirs(d, exist_ok=True)
    feed = os.path.join(d, "feed.jsonl")
    n = build_feed(feed, args.n)
    small = os.path.join(d, "feed_small.jsonl")
    ns = head(feed, small, args.small)
    print(f"feed: {n} articles ({os.path.getsize(feed) / 1e6:.1f} MB); small feed: {ns}; cpus: {os.cpu_count()}; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = [("small, 1 worker", run(small, os.path.join(d, "o_s1.jsonl"), 1))]
    for i in range(args.repeats):
        results.append((f"full, 1 worker #{i + 1}", run(feed, os.path.join(d, "o_f1.jsonl"), 1)))
        results.append((f"full, 2 workers #{i + 1}", run(feed, os.path.join(d, "o_f2.jsonl"), 2)))
    print(f"{'variant':<20} {'articles':>8} {'rc':>3} {'wall s':>7} {'art/s':>7} {'main MB':>8} {'tree MB':>8} "
          f"{'CPU s':>7} {'main CPU':>8} {'max proc CPU':>12}")
    for name, r in results:
        print(f"{name:<20} {r['articles']:>8} {r['rc']:>3} {r['wall_s']:>7.1f} {r['rate']:>7.1f} {r['main_peak_mb']:>8.1f} "
              f"{r['tree_peak_mb']:>8.1f} {r['cpu_total']:>7.1f} {r['main_cpu']:>8.1f} {r['critical_cpu']:>12.1f}")
    s1 = results[0][1]
    one = [r for name, r in results if "1 worker #" in name]
    two = [r for name, r in results if "2 workers #" in name]
    for i, (f1, f2) in enumerate(zip(one, two), 1):
        print(f"pair {i}: measured throughput ratio, 2 workers / 1 worker: {f2['rate'] / f1['rate']:.2f}x")
    w1 = sum(r["wall_s"] for r in one) / len(one)
    w2 = sum(r["wall_s"] for r in two) / len(two)
    print(f"mean over pairs: {w1 / w2:.2f}x")
    # On a busy machine the wall clock measures the scheduler; CPU accounting
    # says what two idle cores would give: the run can't finish before its
    # busiest process has had its CPU time.
    c1 = sum(r["cpu_total"] for r in one) / len(one)
    crit2 = sum(r["critical_cpu"] for r in two) / len(two)
    c2 = sum(r["cpu_total"] for r in two) / len(two)
    bound2 = max(crit2, c2 / 2)  # 2 cores: not before the busiest process, nor before half the total
    print(f"CPU seconds, 1 worker: {c1:.1f}; 2 workers: {c2:.1f} (overhead {c2 / c1 - 1:+.0%}); "
          f"busiest process with 2 workers: {crit2:.1f} s -> CPU-bound ratio on 2 idle cores: {c1 / bound2:.2f}x")
    f1 = one[0]
    print(f"peak RSS ratio, {f1['articles']} / {s1['articles']} articles (1 worker, main process): {f1['main_peak_mb'] / s1['main_peak_mb']:.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
