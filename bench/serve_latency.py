"""Server latency: `mtaudit serve` (rules only) on 127.0.0.1, 200 sequential
then 200 concurrent requests (8 in flight), real articles from
../shared/corpus/docs.jsonl.gz (clean and corrupted by bench/corrupt.py).
Prints errors, p50/p95/max latency and requests/s per phase.

    python bench/serve_latency.py
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def articles(n: int) -> list[str]:
    import corrupt

    docs = corrupt.load_docs()
    clean = [corrupt.article_text(d) for d in docs[: n // 2]]
    dirty = [a["text"] for a in corrupt.generate(docs, n - len(clean), 7)]
    return [t for pair in zip(clean, dirty) for t in pair] + clean[len(dirty):] + dirty[len(clean):]


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    texts = articles(args.n)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", "--port", str(port), "--no-lm",
                             "--concurrency", str(args.concurrency)], cwd=ROOT)
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise SystemExit("server did not start")
        client = httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.concurrency))

        def call(i: int) -> tuple[int, float]:
            t0 = time.perf_counter()
            try:
                status = client.post(url + "/v1/audit", json={"text": texts[i % len(texts)], "id": str(i)}).status_code
            except httpx.HTTPError:
                status = -1
            return status, time.perf_counter() - t0

        print(f"articles: {len(texts)} (mean {statistics.mean(len(t) for t in texts):.0f} chars); "
              f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'phase':<22} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
        for name, workers in (("sequential", 1), (f"concurrent ({args.concurrency})", args.concurrency)):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                res = list(pool.map(call, range(args.n)))
            wall = time.perf_counter() - t0
            lat = [s * 1000 for _, s in res]
            errors = sum(1 for st, _ in res if st != 200)
            print(f"{name:<22} {len(res):>8} {errors:>6} {pct(lat, .5):>8.1f} {pct(lat, .95):>8.1f} {max(lat):>8.1f} {len(res) / wall:>7.1f}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
