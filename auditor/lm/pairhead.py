"""Sentence-pair coherence head: does sentence b read as the one right after a?

A small network over the language model's own sentence embeddings, trained to
tell a clean article's adjacent pairs (a, b) from three kinds of wrong pair:
another sentence of the article before b, a before another sentence, and the
pair reversed (b, a). It is the order test's `pair` part: the article's actual
sentence path is scored against random orders of its body, a z-score over the
whole matrix of pair scores, so every alternative order is tried, not only the
few that the language model's pair test can afford to run.

Why embeddings and not more LM pair runs: the embeddings come free with the
fluency pass (every sentence is scored alone anyway), and the n x n matrix of
pair scores costs a few small matrix products, where the LM pair test pays one
forward pass per alternative and runs 3 + 3 of them per sentence.

A sentence's embedding is the mean of the model's final hidden states over its
tokens, their mean over its first few tokens (how it opens: "He", "But", "The
company" point back), and the state at its end-of-sentence token. The training
stream packs sentences in document order, separated by EOS, so that last state
is the model's summary of what should come next.

The head is stored beside the model (`pair_head.safetensors`, with its input
normalisation) and built by `python -m auditor.lm.train pair-head --model DIR`;
a model directory without one simply has no `pair` part.

Bench (BENCHMARKS.md, "Order", fifth session): alone, the part separates the
600 clean benchmark articles from shuffled copies with AUC 0.957 (the LM pair
test 0.884, word overlap 0.900, the lede ranking 0.945); with it the order test
flags 85.8 % of shuffled copies (81.7 % before) at 1.8 % of clean ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

FILE = "pair_head.safetensors"
PERMUTATIONS = 400  # random body orders per article (the same count as cohesion's overlap test)


class PairHead(nn.Module):
    """score(a, b) = MLP([p(a), p(b), p(a) * p(b), |p(a) - p(b)|]), p a linear projection,
    averaged over `members` independently trained copies (seeds): one copy's share of
    shuffled articles detected varied by about a point from seed to seed, and in an
    offline comparison the mean of three beat each of them (BENCHMARKS.md).

    The symmetric features carry topic continuity; the projections' order carries
    direction (a's end-of-sentence state is a prediction of b's opening)."""

    def __init__(self, d_in: int, d_proj: int = 128, d_hidden: int = 128, opening_tokens: int = 4, members: int = 1):
        super().__init__()
        self.opening_tokens = opening_tokens  # how the input embeddings are pooled (fastllama.pool_hidden)
        self.proj = nn.ModuleList(nn.Linear(d_in, d_proj) for _ in range(members))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(4 * d_proj, d_hidden), nn.ReLU(), nn.Linear(d_hidden, 1))
                                 for _ in range(members))
        self.register_buffer("mean", torch.zeros(d_in))
        self.register_buffer("scale", torch.ones(d_in))

    @staticmethod
    def _features(pa, pb):
        return torch.cat([pa, pb, pa * pb, (pa - pb).abs()], -1)

    def member_parameters(self, m: int):
        return [*self.proj[m].parameters(), *self.mlp[m].parameters()]

    def forward(self, a, b, member: int | None = None):
        """Pair logits for rows of embeddings a and b (same shape): one member's, or the members' mean."""
        a, b = (a - self.mean) / self.scale, (b - self.mean) / self.scale
        picks = range(len(self.proj)) if member is None else [member]
        out = [self.mlp[m](self._features(self.proj[m](a), self.proj[m](b))).squeeze(-1) for m in picks]
        return torch.stack(out).mean(0)

    def matrix(self, emb):
        """(n, n) logits: [i, j] = how well sentence j follows sentence i."""
        x = (emb - self.mean) / self.scale
        n = x.shape[0]
        total = 0.0
        for proj, mlp in zip(self.proj, self.mlp):
            p = proj(x)
            a, b = p[:, None].expand(n, n, -1), p[None, :].expand(n, n, -1)
            total = total + mlp(self._features(a, b)).squeeze(-1)
        return total / len(self.proj)

    def config(self) -> dict:
        return {"d_in": self.proj[0].in_features, "d_proj": self.proj[0].out_features,
                "d_hidden": self.mlp[0][0].out_features, "opening_tokens": self.opening_tokens,
                "members": len(self.proj)}


def save(head: PairHead, model_dir: Path, info: dict) -> Path:
    """Write the head atomically (a half-written file would fail to load, not mislead)."""
    import os

    from safetensors.torch import save_file

    path = Path(model_dir) / FILE
    tmp = path.with_suffix(".tmp")
    meta = {"config": json.dumps(head.config()), "info": json.dumps(info)}
    save_file({k: v.detach().float().contiguous() for k, v in head.state_dict().items()}, str(tmp), metadata=meta)
    os.replace(tmp, path)
    return path


def load(model_dir: Path | None) -> PairHead | None:
    """The model directory's head, or None when it has none (Scorer checks that it fits the model)."""
    if model_dir is None or not (Path(model_dir) / FILE).is_file():
        return None
    from safetensors import safe_open
    from safetensors.torch import load_file

    path = Path(model_dir) / FILE
    with safe_open(str(path), "pt") as fh:
        cfg = json.loads(fh.metadata()["config"])
    head = PairHead(**cfg)
    head.load_state_dict(load_file(str(path)))
    return head.eval()


def order_z(scores: np.ndarray, headline: bool, rng: np.random.Generator, permutations: int = PERMUTATIONS) -> float:
    """z-score of the actual path's summed pair scores against random orders of the body.

    `scores[i, j]` rates sentence j right after sentence i, in article order; with a
    headline, row/column 0 is the headline, which stays first in every order."""
    n = scores.shape[0]
    start = 1 if headline else 0
    if n - start < 3:
        return 0.0
    body = np.arange(start, n)
    perms = np.stack([rng.permutation(body) for _ in range(permutations)])
    if headline:
        perms = np.c_[np.zeros(permutations, dtype=int), perms]
        actual = np.arange(n)
    else:
        actual = body
    total = scores[perms[:, :-1], perms[:, 1:]].sum(1)
    fit = float(scores[actual[:-1], actual[1:]].sum())
    sd = float(total.std())
    return (fit - float(total.mean())) / sd if sd > 0 else 0.0


def pair_scores(head: PairHead, embeddings: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return head.matrix(torch.as_tensor(np.asarray(embeddings, dtype=np.float32))).numpy().astype(np.float64)
