"""Throughput and clean-corpus false alarms of the lexical detectors
(cyrillic, boilerplate, calque).

Articles are built (segmented) once, outside the timing; then each detector
module's rules run over every article, best of --repeat runs, timed in CPU
time (time.process_time: the machine is shared, wall time is noisy). MB/s counts the
UTF-8 bytes of the article texts. Any finding on these clean, human-edited
articles is a false alarm (or a phrase worth a severity review).

    python bench/lexical_detectors.py [--docs ../shared/corpus/docs.jsonl.gz] [--show 20]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.article import build_article  # noqa: E402
from auditor.config import Config  # noqa: E402
from auditor.detectors.registry import all_rules  # noqa: E402

MODULES = {"cyrillic": "CYR", "boilerplate": "BOI", "calque": "CAL"}


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default=str(here.parent / "shared/corpus/docs.jsonl.gz"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--show", type=int, default=10, help="false alarms to print per rule")
    args = ap.parse_args()
    try:
        with gzip.open(args.docs, "rt", encoding="utf-8") as f:
            docs = [json.loads(line) for line in f]
    except OSError as e:
        print(f"error: cannot read {args.docs}: {e}", file=sys.stderr)
        return 2
    texts = [d["title"] + "\n\n" + d["text"] if d.get("title") and not d["text"].startswith(d["title"]) else d["text"] for d in docs]
    articles = [build_article(t) for t in texts]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    config = Config()
    rules = all_rules()
    print(f"{len(articles)} clean articles, {mb:.2f} MB")

    try:
        import ftfy

        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            for t in texts:
                ftfy.fix_text(t)
            best = min(best, time.process_time() - t0)
        ftfy_mbs = mb / best
        print(f"ftfy.fix_text: {ftfy_mbs:.1f} MB/s (reference, best of {args.repeat})")
    except ImportError:
        ftfy_mbs = None

    print(f"{'module':12} {'MB/s':>8} {'x ftfy':>7}  findings on clean articles (articles affected)")
    for module, prefix in MODULES.items():
        mine = [r for r in rules if r.code.startswith(prefix)]
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            for a in articles:
                for r in mine:
                    r.run(a, config)
            best = min(best, time.process_time() - t0)
        counts = collections.Counter()
        affected = collections.defaultdict(set)
        examples = collections.defaultdict(list)
        for i, a in enumerate(articles):
            for r in mine:
                for f in r.run(a, config):
                    counts[(f.code, f.severity)] += 1
                    affected[f.code].add(i)
                    if len(examples[f.code]) < args.show:
                        ctx = a.text[max(0, f.start - 40) : f.end + 40].replace("\n", " | ")
                        examples[f.code].append(f"    {f.code} [{f.severity}] {a.text[f.start:f.end]!r}  ...{ctx}...")
        ratio = f"{mb / best / ftfy_mbs:6.1f}x" if ftfy_mbs else "   n/a"
        summary = ", ".join(f"{c}/{s}={n} ({len(affected[c])})" for (c, s), n in sorted(counts.items())) or "none"
        print(f"{module:12} {mb / best:8.1f} {ratio}  {summary}")
        for code in sorted(examples):
            print("\n".join(examples[code]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
