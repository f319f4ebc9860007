"""Evaluate the `contradiction` detector (CON001/CON002) on synthetic negation flips.

    python bench/eval_contradiction.py             # 400 flipped articles, every clean article, seed 1
    python bench/eval_contradiction.py --n 800 --seed 2

Synthetic flips: a narrative body sentence of a clean article (no quotation,
an auxiliary verb) is negated ("has made" -> "has not made") or, if already
negated, un-negated ("has not made" -> "has made"), and the flipped copy is
used as the headline or inserted 1-4 paragraphs later. A document-level
contradiction finding whose evidence covers the flipped sentence is a hit;
any other document-level finding is a false one.

Targets (issue 5): precision >= 0.9, recall >= 0.7, contradiction findings
on <= 1% of clean articles, the seed 001 headline/lead contradiction found.

Pairing is measured both ways on the same candidate pairs (opposite polarity
on a shared word): content-word overlap (the detector's) and chrF (sacrebleu),
printing precision/recall of pair selection at several thresholds.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corrupt  # noqa: E402

_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|must|did|does)\s+(?!not\b)(?=[a-z])")
_AUX_NOT = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|must|did|does)\s+not\s+(?=[a-z])")
_NEGATED = re.compile(r"\b(?:not|no|never|n't|cannot)\b|n't\b")


def flip(sentence: str, rng) -> str | None:
    """Negate or un-negate `sentence` at its first auxiliary verb."""
    neg = list(_AUX_NOT.finditer(sentence))
    if neg and rng.random() < 0.3:
        m = neg[0]
        return sentence[: m.end(1)] + " " + sentence[m.end():]
    if _NEGATED.search(sentence):
        return None
    m = _AUX.search(sentence)
    if not m:
        return None
    return sentence[: m.end(1)] + " not " + sentence[m.end():]


def make_cases(docs, n, rng):
    from auditor.article import build_article

    cases = []
    tries = 0
    while len(cases) < n and tries < n * 50:
        tries += 1
        doc = rng.choice(docs)
        text = corrupt.article_text(doc)
        art = build_article(text)
        body = [s for s in art.body_sentences if 8 <= len(s.text.split()) <= 45
                and not any(q in s.text for q in '"“”') and not s.text.rstrip().endswith("?")]
        if not body:
            continue
        s = rng.choice(body)
        flipped = flip(s.text, rng)
        if flipped is None:
            continue
        if rng.random() < 0.5 and art.headline is not None:
            head = flipped.rstrip(".")
            new = head + text[art.headline.end :]
            delta = len(head) - (art.headline.end - art.headline.start)
            orig = (s.start + delta, s.end + delta)
            flip_span = (0, len(head))
            where = "headline"
        else:
            paras = text.split("\n\n")
            pi = next(i for i, p in enumerate(paras) if s.text in p)
            at = min(len(paras), pi + 1 + rng.randrange(4))
            paras.insert(at, flipped)
            new = "\n\n".join(paras)
            fstart = sum(len(p) + 2 for p in paras[:at])
            flip_span = (fstart, fstart + len(flipped))
            orig = (s.start, s.end) if at > pi else None
            where = "later"
        assert new[flip_span[0] : flip_span[1]] in (flipped, flipped.rstrip("."))
        cases.append((new, flip_span, orig, where))
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", default=str(corrupt.DEFAULT_DOCS))
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clean", type=int, default=0, help="clean articles to scan (0 = all)")
    ap.add_argument("--examples", type=int, default=4)
    args = ap.parse_args(argv)

    from sacrebleu.metrics import CHRF

    from auditor.article import build_article
    from auditor.config import Config
    from auditor.detectors import contradiction as con
    from auditor.detectors.registry import get_rule

    rules = [get_rule("CON001"), get_rule("CON002")]
    cfg = Config()
    docs = corrupt.load_docs(args.docs)
    rng = random.Random(args.seed)
    cases = make_cases(docs, args.n, rng)

    def doc_findings(art):
        return [f for r in rules for f in r.run(art, cfg) if f.start is None]

    def covers(f, span):
        return any(span[0] <= e["start"] < span[1] for e in f.data["evidence"])

    tp = fp = fn = 0
    by_where = {}
    misses, wrong = [], []
    for text, flip_span, orig, where in cases:
        art = build_article(text)
        fs = doc_findings(art)
        good = [f for f in fs if covers(f, flip_span)]
        w = by_where.setdefault(where, [0, 0])
        w[0] += 1
        if good:
            tp += 1
            w[1] += 1
        else:
            fn += 1
            if len(misses) < args.examples:
                misses.append(text[flip_span[0] : flip_span[1]][:140])
        for f in fs:
            if f not in good:
                fp += 1
                if len(wrong) < args.examples:
                    wrong.append(f.message[:160])
    print(f"# contradiction: synthetic negation flips (seed {args.seed}, {len(cases)} articles)")
    print(f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}  (tp {tp}, fp {fp}, fn {fn})")
    for where, (n, ok) in sorted(by_where.items()):
        print(f"  flipped copy as {where:8s} {ok}/{n} found")
    for m in misses:
        print("  MISS", repr(m))
    for m in wrong:
        print("  FALSE", m)

    # Pairing: the same candidate pairs scored by overlap and by chrF.
    chrf = CHRF()
    scored = []  # (is_gold, overlap, chrf)
    for text, flip_span, orig, where in cases[: min(len(cases), 300)]:
        art = build_article(text)

        def record(a, b, anchor, text=text, flip_span=flip_span):
            ov = len((a.content & b.content) - {anchor}) / (min(len(a.content), len(b.content)) or 1)
            ta, tb = text[a.start : a.end], text[b.start : b.end]
            cf = chrf.sentence_score(ta, [tb]).score / 100
            gold = any(flip_span[0] <= x.start < flip_span[1] for x in (a, b))
            scored.append((gold, ov, cf))
            return None  # score every candidate, keep none

        con.find_pairs(art, similar=record)
    n_gold = sum(1 for g, _, _ in scored if g)
    print(f"pairing on {len(scored)} candidate pairs ({n_gold} gold), same pairs, two similarity measures:")
    print("  threshold   overlap P/R      chrF P/R")
    for th in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        row = []
        for k in (1, 2):
            sel = [g for x in scored for g in [x[0]] if x[k] >= th]
            p = sum(sel) / len(sel) if sel else 0.0
            r = sum(sel) / n_gold if n_gold else 0.0
            row.append(f"{p:.3f}/{r:.3f}")
        print(f"  {th:9.1f}   {row[0]:14s}   {row[1]}")

    clean = docs if not args.clean else docs[: args.clean]
    flagged = 0
    t = time.perf_counter()
    for d in clean:
        if doc_findings(build_article(corrupt.article_text(d))):
            flagged += 1
    print(f"clean corpus: {flagged} of {len(clean)} articles ({100 * flagged / len(clean):.2f}%) with a contradiction finding "
          f"({time.perf_counter() - t:.1f} s)")

    for seed_file in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed_file.read_text("utf-8")
        fs = [f for r in rules for f in r.run(build_article(text), cfg)]
        doc = [f for f in fs if f.start is None]
        spans = [text[f.start : f.end] for f in fs if f.start is not None]
        print(f"seed {seed_file.name}: {len(doc)} document finding(s); spans {spans}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
