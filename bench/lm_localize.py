"""Where FLU001 points: does the word it names sit at the damage?

    python bench/lm_localize.py [--model PATH_OR_ID] [--n 1000] [--seed 11]

Held-out clean sentences (the half of valid.txt.gz not used for calibration) are
damaged with the fluency benchmark's corruptions (bench/lm_fluency.py). A word-level
diff against the clean sentence gives the damaged words; a deletion counts the words
on both sides of the gap, a fragment its last word and the sentence end. Each
locator names one word of the damaged sentence (or the end, `</s>`), and it is a hit
when that word is a damaged one or next to one. Locators, side by side on the same
LM pass:

- `head`: the word with the fluency head's highest token logit (FLU001's "puts the
  damage at" from the thirteenth to the fifteenth session);
- `slor`: the word with the lowest token log-prob minus unigram log-prob (the first
  of FLU001's "least likely words");
- `head+slor`: the highest sum of the two, each standardised within the sentence
  (FLU001's "the damage is most likely at" since the sixteenth session, chosen on
  the `--seed 12` draw);
- `head/2+slor`, `head/4+slor`: the same with the head's part weighted a half or a
  quarter (seventeenth session: the longer-trained head localises worse).

Chance is a uniformly drawn word (or the end).
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lm_fluency import KINDS, corrupt, held_out  # noqa: E402

LOCATORS = ("head", "slor", "head+slor", "head/2+slor", "head/4+slor")


def damaged_words(clean: str, bad: str, kind: str) -> set[int]:
    """Indexes of the damaged sentence's whitespace words that the damage touches,
    each widened by one word; len(words) stands for the sentence end."""
    a, b = clean.split(), bad.split()
    hit: set[int] = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        hit.update(range(max(0, j1 - 1), min(len(b), j2 + 1) + (1 if j2 >= len(b) else 0)))
    if kind == "fragment":
        hit.update({len(b) - 1, len(b)})
    return hit


def word_values(scorer, d: dict) -> tuple[list[float], list[float]]:
    """Per whitespace word of the scored sentence (plus the end): the lowest token
    SLOR and the highest head logit."""
    import numpy as np

    ids = d["_ids"]
    slor_tok = d["_lp"] - scorer.unigram[[min(i, len(scorer.unigram) - 1) for i in ids]]
    slor_u = scorer._units(ids, slor_tok, merge=min)
    head_u = scorer._units(ids, d["_z"], merge=max)
    slor, head = [], []
    for (text, s), (_, z) in zip(slor_u, head_u):
        if not slor or text.startswith(" ") or text == "</s>":
            slor.append(s)
            head.append(z)
        else:
            slor[-1] = min(slor[-1], s)
            head[-1] = max(head[-1], z)
    return list(np.asarray(slor, dtype=float)), list(np.asarray(head, dtype=float))


def pick(locator: str, slor: list[float], head: list[float]) -> int:
    import numpy as np

    s, h = np.asarray(slor), np.asarray(head)
    if locator == "head":
        return int(np.argmax(h))
    if locator == "slor":
        return int(np.argmin(s))
    zs = (s - s.mean()) / (s.std() or 1.0)
    zh = (h - h.mean()) / (h.std() or 1.0)
    weight = {"head+slor": 1.0, "head/2+slor": 0.5, "head/4+slor": 0.25}[locator]
    return int(np.argmax(weight * zh - zs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=1000, help="clean held-out sentences")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    args = ap.parse_args()
    from auditor.lm import load_scorer

    scorer = load_scorer(args.model, threads=args.threads)
    if scorer.fluency_head is None:
        raise SystemExit("error: this model has no fluency head; the head locators need one")
    rng = random.Random(args.seed)
    clean = [s for s in held_out(1) if len(s.split()) >= 6]
    rng.shuffle(clean)
    clean = clean[: args.n]
    cases = []
    for s in clean:
        for kind in KINDS:
            bad = corrupt(s, kind, rng)
            if bad and bad.split() != s.split():
                cases.append((kind, s, bad))
    t0 = time.time()
    scored = scorer.score_texts([b for _, _, b in cases])
    print(f"model: {scorer.info['name']}; {len(cases)} damaged sentences from {len(clean)} clean ones, "
          f"scored in {time.time() - t0:.0f} s")
    rows: dict[str, dict[str, list]] = {}
    for (kind, s, bad), d in zip(cases, scored):
        if d is None or d.get("_z") is None or d.get("split"):
            continue
        slor, head = word_values(scorer, d)
        n_words = len(bad.split())
        if len(slor) != n_words + 1:  # the tokenizer's words differ from whitespace words: skip
            continue
        hits = damaged_words(s, bad, kind)
        r = rows.setdefault(kind, {k: [] for k in (*LOCATORS, "chance")})
        for loc in LOCATORS:
            r[loc].append(pick(loc, slor, head) in hits)
        r["chance"].append(len(hits) / (n_words + 1))
    print(f"\n{'corruption':18s} {'n':>5s} " + " ".join(f"{k:>10s}" for k in (*LOCATORS, "chance")))
    total = {k: [] for k in (*LOCATORS, "chance")}
    for kind in KINDS:
        r = rows.get(kind)
        if not r:
            continue
        print(f"{kind:18s} {len(r['head']):5d} " + " ".join(f"{100 * sum(r[k]) / len(r[k]):9.1f}%" for k in (*LOCATORS, "chance")))
        for k in total:
            total[k] += r[k]
    print(f"{'all':18s} {len(total['head']):5d} " + " ".join(f"{100 * sum(total[k]) / len(total[k]):9.1f}%" for k in (*LOCATORS, "chance")))


if __name__ == "__main__":
    main()
