"""Throughput of each detector module's rules on the clean corpus (MB/s of
article text), side by side with ftfy.fix_text on the same texts.

Articles are built (segmented) once up front: this measures the rules only.
Usage: python bench/detector_throughput.py [--docs PATH] [--modules entity,quote,...] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from auditor.article import build_article  # noqa: E402
from auditor.config import Config  # noqa: E402
from auditor.detectors.registry import all_rules  # noqa: E402

DEFAULT_DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "docs.jsonl.gz")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default=DEFAULT_DOCS)
    ap.add_argument("--modules", default="encoding,entity,quote,typography,transliteration,duplicate")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = ap.parse_args()
    try:
        with gzip.open(args.docs, "rt", encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh]
    except OSError as exc:
        print(f"error: cannot read {args.docs}: {exc}", file=sys.stderr)
        return 2
    if args.limit:
        docs = docs[: args.limit]
    texts = [d["title"] + "\n\n" + d["text"] for d in docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    articles = [build_article(t) for t in texts]
    cfg = Config()
    rules = all_rules()

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    import ftfy

    t_ftfy = best(lambda: [ftfy.fix_text(t) for t in texts])
    print(f"{len(texts)} articles, {mb:.2f} MB")
    print(f"{'ftfy.fix_text':<28}{mb / t_ftfy:9.1f} MB/s")
    total = 0.0
    for mod in args.modules.split(","):
        mine = [r for r in rules if r.check.__module__ == f"auditor.detectors.{mod}"]
        if not mine:
            print(f"{mod:<28}  (no rules)")
            continue

        def run(mine=mine):
            for a in articles:
                for r in mine:
                    r.run(a, cfg)
                # the modules cache per-text scans; clear so each pass pays full price
            for r in mine:
                for name in ("_scan", "_scan_cached"):
                    f = getattr(sys.modules[r.check.__module__], name, None)
                    if f is not None and hasattr(f, "cache_clear"):
                        f.cache_clear()

        t = best(run)
        total += t
        codes = ",".join(r.code for r in mine)
        print(f"{mod:<28}{mb / t:9.1f} MB/s   {mb / t / (mb / t_ftfy):6.1f}x ftfy   ({codes})")
    print(f"{'all listed modules':<28}{mb / total:9.1f} MB/s   {mb / total / (mb / t_ftfy):6.1f}x ftfy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
