"""Rules-only audit throughput vs ftfy.fix_text, same texts, same run, interleaved.

    python bench/throughput.py [--n 1000] [--rounds 3]

Texts: clean articles from docs.jsonl (title + blank line + paragraphs).
Each round times, batch by batch, in alternating order:
  - audit:  auditor.pipeline.audit_text (rules only: findings, per-sentence
            report, cleaned text) — what `mtaudit --no-lm` does per article;
  - rules:  run_rules(build_article(text)) — detectors only;
  - ftfy:   ftfy.fix_text(text).
MB/s = UTF-8 megabytes of input per second of CPU wall time (single thread).
Goal (issue 3): audit >= 1.0x ftfy.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corrupt  # noqa: E402
from evaluate import load_detectors  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Audit throughput vs ftfy (MB/s).")
    ap.add_argument("--docs", default=str(corrupt.DEFAULT_DOCS))
    ap.add_argument("--n", type=int, default=1000, help="articles (0 = all)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=50, help="articles per timed batch")
    ap.add_argument("--profile", type=int, default=200, help="time each rule alone on this many articles (0 = skip)")
    args = ap.parse_args(argv)

    import ftfy

    from auditor.article import build_article
    from auditor.config import Config
    from auditor.pipeline import audit_text, run_rules

    missing = load_detectors()
    config = Config()
    docs = corrupt.load_docs(args.docs)
    texts = [corrupt.article_text(d) for d in docs]
    if args.n:
        texts = texts[: args.n]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    variants = {
        "audit": lambda t: audit_text(t, config=config),
        "rules": lambda t: run_rules(build_article(t), config),
        "ftfy": ftfy.fix_text,
    }
    for f in variants.values():  # warm caches (data files, regexes, tokenizer)
        f(texts[0])
    spent = {k: 0.0 for k in variants}
    batches = [texts[i:i + args.batch] for i in range(0, len(texts), args.batch)]
    for r in range(args.rounds):
        for bi, batch in enumerate(batches):
            order = list(variants)
            if (r + bi) % 2:  # alternate who goes first, so drift hits both
                order.reverse()
            for name in order:
                fn = variants[name]
                t0 = time.perf_counter()
                for t in batch:
                    fn(t)
                spent[name] += time.perf_counter() - t0
    total_mb = mb * args.rounds
    rate = {k: total_mb / v for k, v in spent.items()}
    print(f"{len(texts)} clean articles, {mb:.2f} MB x {args.rounds} rounds, interleaved in batches of {args.batch}")
    if missing:
        print("MISSING detector modules (not timed): " + ", ".join(m.rsplit(".", 1)[1] for m in missing))
    for k in variants:
        print(f"  {k:6} {rate[k]:8.3f} MB/s   ({spent[k] / args.rounds:.2f} s per round)")
    ratio = rate["audit"] / rate["ftfy"]
    print(f"audit / ftfy = {ratio:.2f}x  (goal >= 1.0x: {'PASS' if ratio >= 1.0 else 'FAIL'});  "
          f"rules / ftfy = {rate['rules'] / rate['ftfy']:.2f}x")
    if args.profile:
        from auditor.detectors.registry import all_rules

        per_rule = {}
        t0 = time.perf_counter()
        arts = [build_article(t) for t in texts[: args.profile]]
        seg = time.perf_counter() - t0
        rules = all_rules()
        per_rule = {r.code: 0.0 for r in rules}
        for a in arts:  # pipeline order, so a cache shared by a module's rules is paid once
            for rule in rules:
                t0 = time.perf_counter()
                rule.run(a, config)
                per_rule[rule.code] += time.perf_counter() - t0
        sub_mb = sum(len(t.encode("utf-8")) for t in texts[: args.profile]) / 1e6
        total = sum(per_rule.values()) or 1.0
        print(f"\nwhere the time goes on {len(arts)} articles ({sub_mb:.2f} MB): build_article {seg:.2f} s")
        for code, sec in sorted(per_rule.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {code:10} {sec:7.3f} s  (share {sec / total:5.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
