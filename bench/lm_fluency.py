"""Fluency quality of the LM scorer: clean held-out sentences vs corrupted copies,
calibration flag rate, and where the seeds' damaged sentences rank.

    python bench/lm_fluency.py [--model PATH_OR_ID] [--n 1500] [--flag-n 7000]

Held-out sentences are the half of valid.txt.gz NOT used for calibration
(calibration uses sentences whose MD5 is even; this uses the odd half).
AUC is unpaired (Mann-Whitney: a random clean sentence scores above a random
corrupted one), per corruption type and pooled, for SLOR and mean log-prob.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

FUNCTION_WORDS = ("the", "a", "an", "of", "to", "in", "on", "for", "that", "is", "was", "with", "by",
                  "at", "and", "has", "have", "be", "it", "from", "as", "are", "were", "will")
ARTICLES = {"the", "a", "an", "The", "A", "An"}
# Literal Russian-news calques, applied where their English pattern occurs.
CALQUES = [
    (" said ", " noted in the statement "),
    (" in ", " on the territory of "),
    (" the president ", " the head of state "),
    (" told ", " told to "),
    (" according to ", " according to the words of "),
    (" will ", " will be going to "),
    (" about ", " about that "),
    (" after ", " after that as "),
]


def held_out(half: int) -> list[str]:
    with gzip.open(CORPUS / "valid.txt.gz", "rt", encoding="utf-8") as fh:
        lines = [l.strip() for l in fh if l.strip()]
    return [l for l in lines if int(hashlib.md5(l.encode()).hexdigest(), 16) % 2 == half]


def corrupt(sentence: str, kind: str, rng: random.Random) -> str | None:
    w = sentence.split()
    if len(w) < 6:
        return None
    if kind == "swap":  # two adjacent words swapped, twice
        for _ in range(2):
            i = rng.randrange(1, len(w) - 2)
            w[i], w[i + 1] = w[i + 1], w[i]
        return " ".join(w)
    idx = [i for i, x in enumerate(w) if x.lower() in FUNCTION_WORDS]
    if kind == "drop_function":
        if not idx:
            return None
        for i in sorted(rng.sample(idx, min(2, len(idx))), reverse=True):
            del w[i]
        return " ".join(w)
    if kind == "double_function":
        if not idx:
            return None
        i = rng.choice(idx)
        w.insert(i, w[i])
        return " ".join(w)
    if kind == "calque":
        options = [(a, b) for a, b in CALQUES if a in sentence]
        if not options:
            return None
        a, b = rng.choice(options)
        return sentence.replace(a, b, 1)
    if kind == "fragment":  # cut mid-sentence, as when MT drops a clause
        cut = rng.randrange(max(2, len(w) // 3), max(3, 2 * len(w) // 3))
        return " ".join(w[:cut]).rstrip(",;:") + "."
    if kind == "mt_no_articles":  # article-less output typical of Russian->English MT
        out = [x for x in w if x not in ARTICLES]
        return " ".join(out) if len(out) < len(w) else None
    raise ValueError(kind)


KINDS = ("swap", "drop_function", "double_function", "calque", "fragment", "mt_no_articles")


def auc(pos: list[float], neg: list[float]) -> float:
    """P(pos > neg) + 0.5 P(tie), by ranks."""
    import numpy as np

    return _auc_np(np.asarray(pos, dtype=float), np.asarray(neg, dtype=float))


def _auc_np(pos, neg) -> float:
    import numpy as np

    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    ranks[order] = np.arange(1, len(allv) + 1)
    # average ranks of ties
    vals, inv, counts = np.unique(allv, return_inverse=True, return_counts=True)
    sums = np.zeros(len(vals))
    np.add.at(sums, inv, ranks)
    ranks = (sums / counts)[inv]
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def seeds_rank(scorer) -> None:
    from auditor.article import build_article

    skip = {"order", "duplicate", "transliteration", "official", "contradiction"}
    tot_dam = bottom = n_all = n_bottom_all = 0
    ranks_dam, ranks_ok = [], []
    for path in sorted(glob.glob(str(ROOT / "seeds" / "*.txt"))):
        gold_path = path[:-4] + ".gold.json"
        if not os.path.exists(gold_path):
            continue
        spans = [s for s in json.load(open(gold_path, encoding="utf-8"))["spans"] if s["category"] not in skip]
        art = build_article(open(path, encoding="utf-8").read())
        res = scorer.score_article(art)
        scored = [(i, d["score"]) for i, d in enumerate(res.sentences) if d]
        order = sorted(scored, key=lambda x: x[1])
        rank = {i: r / max(1, len(order) - 1) for r, (i, _) in enumerate(order)}  # 0 = least fluent
        n_bottom = max(1, round(len(order) / 10))
        bottom_set = {i for i, _ in order[:n_bottom]}
        n_all += len(scored)
        n_bottom_all += n_bottom
        for i, _ in scored:
            s = art.sentences[i]
            damaged = any(sp["start"] < s.end and sp["end"] > s.start for sp in spans)
            (ranks_dam if damaged else ranks_ok).append(rank[i])
            if damaged:
                tot_dam += 1
                bottom += i in bottom_set
        print(f"  {os.path.basename(path)}: {len(scored)} sentences, bottom decile = {n_bottom} sentences: "
              f"{sum(1 for i in bottom_set if any(sp['start'] < art.sentences[i].end and sp['end'] > art.sentences[i].start for sp in spans))} damaged")
    if tot_dam:
        import numpy as np

        print(f"seeds: {bottom}/{tot_dam} damaged sentences in their article's bottom decile "
              f"({100 * bottom / tot_dam:.1f}% vs {100 * n_bottom_all / n_all:.1f}% expected by chance: "
              f"{n_bottom_all} bottom-decile slots among {n_all} sentences); mean fluency rank damaged "
              f"{np.mean(ranks_dam):.2f} vs undamaged {np.mean(ranks_ok):.2f} (0 = least fluent)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=1500, help="clean sentences to corrupt")
    ap.add_argument("--flag-n", type=int, default=7000, help="held-out sentences for the flag-rate check")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    from auditor.lm import load_scorer

    scorer = load_scorer(args.model, threads=args.threads)
    print(f"model: {scorer.info['name']}  threshold (p{scorer.flag_percentile:g}) = {scorer.threshold:.3f}")
    rng = random.Random(args.seed)
    pool = held_out(1)
    rng.shuffle(pool)
    clean = [s for s in pool if len(s.split()) >= 6][: args.n]
    pairs = {k: [] for k in KINDS}
    src = {k: [] for k in KINDS}  # index of the clean sentence each copy came from
    for j, s in enumerate(clean):
        for k in KINDS:
            c = corrupt(s, k, rng)
            if c and c != s:
                pairs[k].append(c)
                src[k].append(j)
    t0 = time.time()
    clean_scores = scorer.score_texts(clean)
    bad = {k: scorer.score_texts(v) for k, v in pairs.items()}
    print(f"scored {len(clean) + sum(map(len, pairs.values()))} sentences in {time.time() - t0:.0f}s")
    print("AUC = unpaired (any clean vs any corrupted sentence); paired = share of corrupted copies scoring below their own clean sentence")
    # fluency.score (the fluency head's score when the model has one), then the LM's own scores
    metrics = ["score"] + [m for m in ("slor_q25", "mean_logprob") if m in clean_scores[0] and m != clean_scores[0]["metric"]]
    print(f"fluency.score is {clean_scores[0]['metric']}")
    print(f"{'corruption':<18}{'n':>6}" + "".join(f"{'AUC ' + m:>18}" for m in metrics)
          + "".join(f"{'paired ' + m:>21}" for m in metrics) + f"{'flagged':>9}")
    paired_all = {m: [] for m in metrics}
    all_bad = {m: [] for m in metrics}
    for k in KINDS:
        if not bad[k]:
            continue
        row = []
        for m in metrics:
            neg = [d[m] for d in bad[k]]
            all_bad[m] += neg
            row.append(auc([d[m] for d in clean_scores], neg))
        for m in metrics:
            wins = [clean_scores[j][m] > d[m] for j, d in zip(src[k], bad[k])]
            paired_all[m] += wins
            row.append(sum(wins) / len(wins))
        flagged = sum(d["score"] < scorer.threshold for d in bad[k]) / len(bad[k])
        print(f"{k:<18}{len(bad[k]):>6}" + "".join(f"{v:>18.3f}" for v in row[: len(metrics)])
              + "".join(f"{v:>21.3f}" for v in row[len(metrics):]) + f"{100 * flagged:>8.1f}%")
    pooled = [auc([d[m] for d in clean_scores], all_bad[m]) for m in metrics]
    pp = [sum(paired_all[m]) / len(paired_all[m]) for m in metrics]
    print(f"{'ALL':<18}{len(all_bad['score']):>6}" + "".join(f"{v:>18.3f}" for v in pooled)
          + "".join(f"{v:>21.3f}" for v in pp))
    flag_pool = pool[: args.flag_n]
    t0 = time.time()
    fs = [d for d in scorer.score_texts(flag_pool) if d]
    rate = sum(d["score"] < scorer.threshold for d in fs) / len(fs)
    print(f"calibration: {100 * rate:.2f}% of {len(fs)} clean held-out sentences below the threshold "
          f"(configured {scorer.flag_percentile:g}%; {time.time() - t0:.0f}s)")
    headline_rate(scorer)
    seeds_rank(scorer)


def headline_rate(scorer) -> None:
    """Clean headlines (docs.jsonl titles, the MD5-odd half of ids not used for calibration)
    flagged by the headline table vs what the body-sentence threshold would flag."""
    from auditor.lm.train import _docs

    titles = [d["title"] for d in _docs(CORPUS, 1) if d.get("title")]
    scored = [d for d in scorer.score_texts(titles) if d and d["tokens"] >= 4]
    if scorer.headline_threshold is None:
        print("headlines: model has no headline table (headlines are never flagged)")
        return
    own = sum(d["score"] < scorer.headline_threshold for d in scored) / len(scored)
    body = sum(d["score"] < scorer.threshold for d in scored) / len(scored)
    print(f"headlines: {100 * own:.2f}% of {len(scored)} clean held-out titles below the headline threshold "
          f"(configured {scorer.flag_percentile:g}%); the body-sentence threshold would flag {100 * body:.1f}%")


if __name__ == "__main__":
    main()
