"""False alarms of detector rules on the clean corpus (every finding there is
one, except real defects the corpus kept): counts by rule and severity,
articles affected, and a few examples per rule.

    python bench/detector_false_alarms.py                      # the six modules below
    python bench/detector_false_alarms.py --codes ENT,QUO --examples 5
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from auditor.article import build_article  # noqa: E402
from auditor.config import Config  # noqa: E402
from auditor.detectors.registry import all_rules  # noqa: E402

DEFAULT_DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "docs.jsonl.gz")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default=DEFAULT_DOCS)
    ap.add_argument("--codes", default="ENT,QUO,TYP,TRL001,TRL002,DUP,ENC", help="code prefixes or full codes")
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args()
    try:
        with gzip.open(args.docs, "rt", encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh]
    except OSError as exc:
        print(f"error: cannot read {args.docs}: {exc}", file=sys.stderr)
        return 2
    prefixes = tuple(c.strip().upper() for c in args.codes.split(",") if c.strip())
    rules = [r for r in all_rules() if r.code.startswith(prefixes)]
    cfg = Config()
    findings, articles, shown = Counter(), Counter(), Counter()
    error_articles = 0
    for d in docs:
        text = d["title"] + "\n\n" + d["text"]
        art = build_article(text)
        has_error = False
        for r in rules:
            found = r.run(art, cfg)
            if found:
                articles[r.code] += 1
            for f in found:
                findings[(f.code, f.severity)] += 1
                has_error |= f.severity == "error"
                if shown[f.code] < args.examples and f.start is not None:
                    shown[f.code] += 1
                    ctx = text[max(0, f.start - 50) : f.start] + "[[" + text[f.start : f.end] + "]]" + text[f.end : f.end + 30]
                    print(f"  {f.code} {d['id']}: {ctx!r}")
        error_articles += has_error
    print(f"{len(docs)} clean articles; rules: {', '.join(r.code for r in rules)}")
    print(f"articles with an error-severity finding: {error_articles} ({100 * error_articles / len(docs):.2f}%)")
    for (code, sev), n in sorted(findings.items()):
        print(f"  {code} {sev:<8}{n:6d} findings in {articles[code]:5d} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
