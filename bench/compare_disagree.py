"""Peer-mode disagreement findings on synthetic second versions.

    /work/venv/bin/python bench/compare_disagree.py [--docs N]

Second versions come from bench/compare_synth.py (splits, merges, drops,
insertions, rewording at noise 0.3). Prints:
  * false findings: DIV020-023 findings per 100 sentences when nothing
    that matters was changed (rewording and respelling only);
  * recall per kind: one change injected per article and kind (a number
    changed, a weekday/month changed, a person's surname replaced, a
    negation added), found when the changed span in version b carries the
    matching DIV code;
  * compare() wall time per article pair (rules-only audit of both sides,
    alignment, sacrebleu scores).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compare_synth import load_articles, make_pair  # noqa: E402

from auditor.article import build_article  # noqa: E402
from auditor.compare.core import compare  # noqa: E402

CODES = {"number": "DIV020", "date": "DIV021", "name": "DIV022", "negation": "DIV023"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"]
SURNAMES = ["Kowalczyk", "Henderson", "Okonkwo", "Lindqvist", "Marchetti", "Tanaka", "Fitzgerald", "Rahimov"]


def inject(sentence: str, kind: str, rng: random.Random):
    """(changed sentence, (start, end) of the change) or None when it does not apply."""
    if kind == "number":
        m = next(re.finditer(r"(?<![\w.,])\d+(?![\w.,]\d)", sentence), None)
        if not m:
            return None
        new = str(int(m.group()) + rng.randint(1, 9))
    elif kind == "date":
        m = next(re.finditer(r"\b(?:%s)\b" % "|".join(WEEKDAYS + MONTHS), sentence), None)
        if not m:
            return None
        pool = WEEKDAYS if m.group() in WEEKDAYS else MONTHS
        new = rng.choice([w for w in pool if w != m.group()])
    elif kind == "name":
        # a capitalised word followed by a capitalised surname, not sentence-initial
        m = next((x for x in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]+ ([A-Z][a-z]{3,})\b", sentence)), None)
        if not m:
            return None
        a, b = m.span(1)
        new = rng.choice(SURNAMES)
        return sentence[:a] + new + sentence[b:], (a, a + len(new))
    else:
        m = next(re.finditer(r"\b(is|was|are|were|will|has|have|had|can|could|would|should)\b", sentence), None)
        if not m or re.search(r"\b(not|no|never|n't)\b", sentence):
            return None
        a = m.end()
        return sentence[:a] + " not" + sentence[a:], (a + 1, a + 4)
    a, b = m.span()
    return sentence[:a] + new + sentence[b:], (a, a + len(new))


def text_of(sentences: list[str]) -> str:
    return sentences[0] + "\n\n" + " ".join(sentences[1:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=80)
    ap.add_argument("--corpus", default="/work/shared/corpus/docs.jsonl.gz")
    args = ap.parse_args()
    articles = load_articles(args.corpus, args.docs, seed=21)
    rng = random.Random(21)
    false = sentences = 0
    found = {k: 0 for k in CODES}
    tried = {k: 0 for k in CODES}
    elapsed = 0.0
    for k, a in enumerate(articles):
        b, gold = make_pair(a, rng, 0.3, articles[(k + 1) % len(articles)])
        t = time.perf_counter()
        c = compare(build_article(text_of(a)), build_article(text_of(b)))
        elapsed += time.perf_counter() - t
        sentences += len(a) + len(b)
        false += sum(1 for r in (c.a, c.b) for f in r.all_findings() if f.code in CODES.values())
        one_to_one = [bj[0] for ai, bj in gold if len(ai) == 1 and len(bj) == 1 and ai[0] > 0]
        for kind, code in CODES.items():
            for j in rng.sample(one_to_one, len(one_to_one)):
                got = inject(b[j], kind, rng)
                if got:
                    break
            else:
                continue
            changed, (s, e) = got
            b2 = list(b)
            b2[j] = changed
            art_b = build_article(text_of(b2))
            sent = art_b.sentences[j] if j < len(art_b.sentences) else None
            if sent is None or sent.text != changed:
                continue  # segmentation differs; skip rather than guess offsets
            tried[kind] += 1
            c2 = compare(build_article(text_of(a)), art_b)
            # a changed day of the month is a date disagreement
            codes = {code, CODES["date"]} if kind == "number" else {code}
            hit = any(f.code in codes and f.start is not None and f.start < sent.start + e and sent.start + s < f.end
                      for f in c2.b.all_findings())
            found[kind] += hit
            if not hit and os.environ.get("SHOW_MISSES"):
                bead = next((x for x in c2.beads if j in x.b), None)
                print("MISS", kind, repr(changed[max(0, s - 40):e + 20]), bead,
                      [f.code for f in c2.b.sentences[j].findings])
    print(f"{len(articles)} article pairs, {sentences} sentences (both versions), noise 0.3")
    print(f"false DIV020-023 findings: {false} = {100 * false / sentences:.2f} per 100 sentences")
    for kind in CODES:
        n = tried[kind]
        print(f"recall {kind:<9} {found[kind]:>3}/{n:<3} = {found[kind] / n if n else float('nan'):.3f}")
    print(f"compare() time: {elapsed / len(articles):.3f} s per article pair (rules-only audits, alignment, scores)")


if __name__ == "__main__":
    main()
