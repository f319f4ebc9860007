"""ORD002's per-sentence cue: does it find the one sentence that was moved?

    python bench/order_localize.py [--model PATH_OR_ID] [--n 300] [--half 1]

Articles: docs.jsonl.gz records with >= 6 body sentences (as bench/lm_order.py;
--half 0 is the calibration half, where the cue's recipe was chosen; 1, the
default, the benchmark half, at most its first ORDER_BENCH_ARTICLES (600),
which calibration never reads). Each gets one copy with a single body sentence
moved at least two places away (seeded), the rest in order: the copy-editing
accident a partly shuffled article shows, and the case where pointing at one
sentence helps most. For every way of ranking the sentences by their fit with
their neighbours (the order test's per-sentence cues, each standardised within
the article and summed), prints how often the moved sentence ranks worst, its
mean reciprocal rank, and how often it is among the worst sixth (what ORD002
reports on a flagged article). Chance: 1 / sentences. Then, where the pair head
would put the moved sentence back (pairhead.best_place): how often that is
where it came from, given the moved sentence, and given the sentence ranked worst.
Chance: 1 / (sentences - 1).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

CUES = ("lm", "overlap", "pair")
RECIPES = {
    "lm + overlap (until the ninth session)": ("lm", "overlap"),
    "pair": ("pair",),
    "overlap + pair": ("overlap", "pair"),
    "lm + pair": ("lm", "pair"),
    "lm + overlap + pair": ("lm", "overlap", "pair"),
}
# the pair head's gain from moving the sentence to where it fits best (pairhead.best_places)
MOVE_RECIPES = {
    "move gain": ("move",),
    "pair + move gain": ("pair", "move"),
    "lm + pair + move gain": ("lm", "pair", "move"),
}


def moved_order(n: int, rng: random.Random) -> tuple[list[int], int, int]:
    """Body positions with one sentence moved >= 2 places: (order, moved sentence, new position)."""
    while True:
        i, j = rng.randrange(n), rng.randrange(n)
        if abs(i - j) >= 2:
            break
    order = [k for k in range(n) if k != i]
    order.insert(j, i)
    return order, i, j


def standardised(values: list) -> list[float]:
    """z within the article; a missing value (a cue that does not apply) counts 0."""
    import numpy as np

    have = np.array([v for v in values if v is not None], dtype=float)
    mean, sd = (float(have.mean()), float(have.std()) or 1.0) if len(have) else (0.0, 1.0)
    return [0.0 if v is None else (float(v) - mean) / sd for v in values]


def main() -> None:
    import numpy as np

    from auditor.article import build_article
    from auditor.config import Config
    from auditor.detectors.boilerplate import furniture_sentences
    from auditor.lm import load_scorer
    from auditor.lm.train import _docs, article_text, reordered_text

    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--half", type=int, choices=(0, 1), default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--with-clean", action="store_true",
                    help="also score the clean articles: can the largest move gain tell one moved sentence from none?")
    args = ap.parse_args()
    from auditor.lm.train import ORDER_BENCH_ARTICLES

    if args.half == 1 and not 1 <= args.n <= ORDER_BENCH_ARTICLES:
        sys.exit(f"order_localize: --n must be 1..{ORDER_BENCH_ARTICLES} on the benchmark half: "
                 f"calibration reads the articles after those")
    scorer = load_scorer(args.model, threads=args.threads)
    rng = random.Random(args.seed)
    copies = []
    originals = []
    for d in _docs(CORPUS, args.half):
        a = build_article(article_text(d))
        n = len(a.body_sentences)
        if n >= 6:
            originals.append(a)
            order, i, _ = moved_order(n, rng)
            before = a.body_sentences[i - 1].text if i else (a.headline.text if a.headline else None)
            copies.append((build_article(reordered_text(a, order)), a.body_sentences[i].text, before))
        if len(copies) >= args.n:
            break
    t0 = time.time()
    arts = [c for c, _, _ in copies]
    results = scorer.score_articles(arts, [furniture_sentences(a, Config()) for a in arts])
    dt = time.time() - t0
    ranks = {name: [] for name in (*RECIPES, *MOVE_RECIPES)}
    from auditor.lm.pairhead import best_places

    sizes, flagged, placed = [], 0, {name: [] for name in ("moved sentence", *RECIPES, *MOVE_RECIPES)}
    for (art, moved, before), r in zip(copies, results):
        fit = (r.order or {}).get("_sentence_fit") or {}
        where = [b for b in fit if art.sentences[b].text == moved]
        if len(where) != 1:
            continue  # the moved sentence was split differently, or left out of the test
        flagged += r.order["flagged"]
        body = list(fit)
        sizes.append(len(body))
        z = {cue: dict(zip(body, standardised([fit[b][cue] for b in body]))) for cue in CUES}
        for name, cues in RECIPES.items():
            total = {b: sum(z[c][b] for c in cues) for b in body}
            worst_first = sorted(body, key=lambda b: (total[b], b))
            ranks[name].append(worst_first.index(where[0]) + 1)
        pair = r.order.get("_pair")
        if pair is None:
            continue
        rows = pair["rows"]
        at, gain = best_places(pair["scores"], pair["headline"])
        off = 1 if pair["headline"] else 0
        z["move"] = dict(zip(body, standardised([-float(gain[rows.index(b) - off]) for b in body])))
        for name, cues in MOVE_RECIPES.items():
            total = {b: sum(z[c][b] for c in cues) for b in body}
            ranks[name].append(sorted(body, key=lambda b: (total[b], b)).index(where[0]) + 1)

        def put_back_right(b):
            k = at[rows.index(b) - off]
            rest = [x for x in rows if x != b]
            return b == where[0] and (art.sentences[rest[k - 1]].text if k else None) == before

        placed["moved sentence"].append(put_back_right(where[0]))
        for name, cues in {**RECIPES, **MOVE_RECIPES}.items():
            total = {b: sum(z[c][b] for c in cues) for b in body}
            placed[name].append(put_back_right(min(body, key=lambda b: (total[b], b))))
    sizes = np.array(sizes)
    print(f"model: {scorer.info['name']}; half {args.half}; {len(sizes)} articles with one sentence moved "
          f"({len(copies) - len(sizes)} skipped), {sizes.mean():.1f} body sentences on average; "
          f"scored in {dt:.0f}s; flagged by ORD001: {flagged} ({100 * flagged / len(sizes):.1f}%)")
    print(f"{'ranking':40s} {'worst':>7s} {'MRR':>6s} {'in worst sixth':>15s}")
    chance = (1 / sizes).mean()
    sixth = np.maximum(1, sizes // 6)
    print(f"{'chance':40s} {100 * chance:6.1f}% {np.mean([sum(1 / k for k in range(1, s + 1)) / s for s in sizes]):6.3f} "
          f"{100 * (sixth / sizes).mean():14.1f}%")
    for name, rk in ranks.items():
        rk = np.array(rk)
        print(f"{name:40s} {100 * (rk == 1).mean():6.1f}% {(1 / rk).mean():6.3f} {100 * (rk <= sixth).mean():14.1f}%")
    print(f"put back where it came from by the pair head (chance {100 * (1 / (sizes - 1)).mean():.1f}%):")
    for name, ok in placed.items():
        what = "given the moved sentence" if name == "moved sentence" else f"the worst by {name}"
        print(f"  {what:60s} {100 * np.mean(ok):5.1f}% of {len(ok)}")
    if args.with_clean:
        clean = scorer.score_articles(originals, [furniture_sentences(a, Config()) for a in originals])

        def largest(r, scaled):
            pair = (r.order or {}).get("_pair")
            if not pair:
                return None
            sc = pair["scores"]
            spread = float(sc[~np.eye(len(sc), dtype=bool)].std()) if scaled else 1.0
            return float(best_places(sc, pair["headline"])[1].max()) / (spread or 1.0)

        print("one sentence moved vs clean (the same articles):")
        print(f"  ORD001 flags clean {100 * np.mean([r.order['flagged'] for r in clean if r.order]):.1f}%, "
              f"one moved {100 * np.mean([r.order['flagged'] for r in results if r.order]):.1f}%")
        for scaled in (False, True):
            c = np.array([v for v in (largest(r, scaled) for r in clean) if v is not None])
            m = np.array([v for v in (largest(r, scaled) for r in results) if v is not None])
            auc = float(np.mean([(x > c).mean() + 0.5 * (x == c).mean() for x in m]))
            name = "largest move gain / pair-score sd" if scaled else "largest move gain"
            print(f"  {name:36s} AUC {auc:.3f}; above the clean 98th / 99th percentile: "
                  f"{100 * (m > np.quantile(c, 0.98)).mean():.1f}% / {100 * (m > np.quantile(c, 0.99)).mean():.1f}% of moved")


if __name__ == "__main__":
    main()
