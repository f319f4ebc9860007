"""Sentence-pair coherence head: does sentence b read as the one right after a?

A small network over sentence embeddings that scores every ordered pair of an
article's sentences. It is the order test's `pair` part: the article's actual
sentence path is scored against all orders of its body (a z-score from the
exact mean and variance over every order, permstats.py), so every alternative
order counts, not only the few that the language model's pair test can afford
to run.

The embeddings come from the fluency pass every sentence gets anyway. With a
tower (`PairTower`, the shipped head), the states entering the LM's last layer go
through a trained copy of that layer; without one, the LM's final states are
used as they are. Either way a sentence's embedding is the mean of those states
over its tokens, their mean over its first few tokens (how it opens: "He",
"But", "The company" point back), and the state at its end-of-sentence token
(the training stream packs sentences in document order, so that state is a
guess at what comes next).

With a precedence part (`prec`, the order test's tenth), the head also rates
every two body sentences for which comes first, anywhere before, not only right
before: the news before its background, an event before the reactions to it. The
pair scores are local and the precedence global; a shuffle that keeps the lede
first still breaks both.

Training (`python -m auditor.lm.train pair-head --model DIR`) asks, for every
sentence of a training article, which of the article's other sentences comes
right after it and which came right before it, and for every two body sentences,
which comes first. The head is stored beside the model (`pair_head.safetensors`,
with its input normalisation and config); a model directory without one simply
has no `pair` part (and one whose head has no precedence part, no `prec` part).
More members trained alike with other seeds (`pair_head_2.safetensors`, ...: the
shipped model has two since the eighteenth session) load as one `PairEnsemble`
whose logits are the members' means.

Bench (BENCHMARKS.md, "Order", sixth and seventh sessions): alone, the pair part
separates the 600 clean benchmark articles from shuffled copies with AUC 0.972
(the fifth session's head over the frozen states 0.957, the LM pair test 0.884,
the lede ranking 0.945), the precedence part with AUC 0.852; with the GPU-trained
model and its head (twelfth session) the pair part's AUC is 0.980 and the precedence
part's 0.856. The order test flags 92.3 % of shuffled copies and 2.0 % of clean
articles (twelfth session; eleventh session, the CPU-trained model, 90.3 % and 1.7 %,
calibrated on 2,555 clean articles; seventh session 91.5 % and 2.3 %; sixth session, without
precedence: 86.2 %; the precedence part and the refitted weights each add two to three points). The tower costs 12-16 % of the
batched fluency pass's throughput (bf16); precedence about 1 ms per article.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from auditor.lm.permstats import path_moments, precedence_moments, z_score

FILE = "pair_head.safetensors"
# More members of the head, trained the same way with other seeds (`pair-head --member N`
# writes pair_head_N.safetensors); the order test averages the members' logits.
MEMBER_FILE = "pair_head_{}.safetensors"


class PairTower(nn.Module):
    """A trainable copy of the language model's last block (the Llama block: RMS
    norms, causal self-attention with rotary positions, SwiGLU MLP) and its final
    norm, fed the residual stream entering that block; the head pools its output.

    Why: with the LM frozen, a bigger head gained nothing (BENCHMARKS.md); the pooled
    LM states were the limit. Fine-tuning the LM itself would change its fluency
    scores, so the tower is a separate copy of the last block, trained with the
    head. Copied from the embedded model, it starts out computing the LM's own final
    states, so training starts from the frozen-feature head; for a model whose block
    is not a Llama block it starts from random input weights and zero output
    projections (it then passes its input through, up to the final norm).

    It costs one block over every token, run in the scorer's dtype on states the
    fluency pass computes anyway: the embedded model has four."""

    def __init__(self, hidden: int, heads: int, intermediate: int, rope_theta: float = 10000.0, eps: float = 1e-6,
                 max_positions: int = 1024):
        super().__init__()
        self.heads, self.eps = heads, eps
        self.head_dim = hidden // heads
        self.norm1 = nn.Parameter(torch.ones(hidden))
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o = nn.Linear(hidden, hidden, bias=False)
        self.norm2 = nn.Parameter(torch.ones(hidden))
        self.gate_up = nn.Linear(hidden, 2 * intermediate, bias=False)
        self.down = nn.Linear(intermediate, hidden, bias=False)
        self.final = nn.Parameter(torch.ones(hidden))
        nn.init.zeros_(self.o.weight)
        nn.init.zeros_(self.down.weight)
        inv_freq = 1.0 / (rope_theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim))
        freqs = torch.outer(torch.arange(max_positions, dtype=torch.float32), inv_freq)
        ang = torch.cat((freqs, freqs), -1)
        self.register_buffer("cos", ang.cos(), persistent=False)
        self.register_buffer("sin", ang.sin(), persistent=False)
        self.rope_theta, self.max_positions = rope_theta, max_positions

    def init_from(self, layer, final_norm) -> None:
        """Become a copy of a fastllama layer (norm1, qkv, o, norm2, gate_up, down) and final norm."""
        with torch.no_grad():
            for name in ("norm1", "norm2"):
                getattr(self, name).copy_(getattr(layer, name).float())
            for name in ("qkv", "o", "gate_up", "down"):
                getattr(self, name).weight.copy_(getattr(layer, name).float())
            self.final.copy_(final_norm.float())

    def _norm(self, x, weight):
        xf = x.float()  # bf16 reductions are slow and coarse on CPU (as in fastllama)
        return weight * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).to(weight.dtype)

    def forward(self, h):
        """(b, t, hidden) right-padded states -> (b, t, hidden) normalised; padding never reaches a real token."""
        import torch.nn.functional as F

        h = h.to(self.qkv.weight.dtype)
        b, t, d = h.shape
        cos, sin = self.cos[:t].to(h.dtype)[:, None], self.sin[:t].to(h.dtype)[:, None]
        qkv = self.qkv(self._norm(h, self.norm1)).view(b, t, 3 * self.heads, self.head_dim)
        qk = qkv[:, :, : 2 * self.heads]
        half = self.head_dim // 2
        qk = (qk * cos + torch.cat((-qk[..., half:], qk[..., :half]), -1) * sin).transpose(1, 2)
        q, k = qk[:, : self.heads], qk[:, self.heads :]
        v = qkv[:, :, 2 * self.heads :].transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = h + self.o(a.transpose(1, 2).reshape(b, t, d))
        gate, up = self.gate_up(self._norm(x, self.norm2)).chunk(2, -1)
        x = x + self.down(F.silu(gate) * up)
        return self._norm(x, self.final)

    def config(self) -> dict:
        return {"hidden": self.qkv.in_features, "heads": self.heads, "intermediate": self.down.in_features,
                "rope_theta": self.rope_theta, "eps": self.eps, "max_positions": self.max_positions}


class PairHead(nn.Module):
    """score(a, b) = MLP([p(a), p(b), p(a) * p(b), |p(a) - p(b)|]), p a linear projection
    of the sentence embeddings (`pool`), averaged over `members` copies (the fifth
    session's frozen-state head averaged three seeds; heads with a tower have one).

    The symmetric features carry topic continuity; the projections' order carries
    direction (a's end-of-sentence state is a prediction of b's opening)."""

    def __init__(self, d_in: int, d_proj: int = 128, d_hidden: int = 128, opening_tokens: int = 4, members: int = 1,
                 tower: dict | None = None, precedence: bool = False):
        super().__init__()
        self.opening_tokens = opening_tokens  # how the input embeddings are pooled (fastllama.pool_hidden)
        self.tower = PairTower(**tower) if tower else None
        self.proj = nn.ModuleList(nn.Linear(d_in, d_proj) for _ in range(members))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(4 * d_proj, d_hidden), nn.ReLU(), nn.Linear(d_hidden, 1))
                                 for _ in range(members))
        # Precedence (does a come anywhere before b?) is a global signal next to the pair
        # scores' local one; a shuffle that keeps the lede first still breaks both.
        self.prec_proj = nn.Linear(d_in, d_proj) if precedence else None
        self.prec_mlp = (nn.Sequential(nn.Linear(4 * d_proj, d_hidden), nn.ReLU(), nn.Linear(d_hidden, 1))
                         if precedence else None)
        self.register_buffer("mean", torch.zeros(d_in))
        self.register_buffer("scale", torch.ones(d_in))

    def pool(self, h, lengths, before_last=None):
        """Sentence embeddings (rows, d_in) of right-padded rows of `lengths` tokens: the
        LM's final hidden states `h` pooled (fastllama.pool_hidden), or with a tower,
        its output over `before_last`, the states entering the LM's last layer."""
        from auditor.lm.fastllama import pool_hidden

        if self.tower is not None:
            h = self.tower(before_last)
        return pool_hidden(h, lengths, self.opening_tokens)

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

    def batch_matrix(self, emb):
        """(b, n, n) logits for a batch of articles' embeddings (b, n, d_in), with gradients (training)."""
        x = (emb - self.mean) / self.scale
        b, n, _ = x.shape
        total = 0.0
        for proj, mlp in zip(self.proj, self.mlp):
            p = proj(x)
            total = total + mlp(self._features(p[:, :, None].expand(b, n, n, -1), p[:, None].expand(b, n, n, -1))).squeeze(-1)
        return total / len(self.proj)

    def batch_precedence(self, emb):
        """(b, n, n) logits that sentence i comes before sentence j (anywhere before, not
        only right before), for a batch of articles' embeddings (b, n, d_in); antisymmetric:
        [i, j] = -[j, i]."""
        x = (emb - self.mean) / self.scale
        b, n, _ = x.shape
        p = self.prec_proj(x)
        f = self.prec_mlp(self._features(p[:, :, None].expand(b, n, n, -1), p[:, None].expand(b, n, n, -1))).squeeze(-1)
        return f - f.transpose(1, 2)

    @property
    def has_precedence(self) -> bool:
        return self.prec_proj is not None

    def config(self) -> dict:
        return {"d_in": self.proj[0].in_features, "d_proj": self.proj[0].out_features,
                "d_hidden": self.mlp[0][0].out_features, "opening_tokens": self.opening_tokens,
                "members": len(self.proj), **({"tower": self.tower.config()} if self.tower is not None else {}),
                **({"precedence": True} if self.has_precedence else {})}


class PairEnsemble:
    """Heads trained alike with different seeds, used as one: each pools its own
    embedding (through its own tower) from the same fluency pass, the embeddings
    travel concatenated, and the pair and precedence logits are the members' means.

    Why: a head's pair scores vary from seed to seed (the fifth session's three
    frozen-state heads: 1 point of shuffled copies flagged apart, and their average
    above each); averaging removes part of that noise from the order test's
    strongest part. Each member costs one tower pass over every token."""

    def __init__(self, members: list[PairHead]):
        if len({m.config()["d_in"] for m in members}) != 1:
            raise ValueError("the heads of an ensemble must take the same input")
        self.members = members
        self.tower = None  # (the scorer moves the members' towers itself)
        self.d_in = members[0].config()["d_in"]

    @property
    def towers(self) -> list:
        return [m.tower for m in self.members if m.tower is not None]

    @property
    def has_precedence(self) -> bool:
        return all(m.has_precedence for m in self.members)

    def config(self) -> dict:
        return {**self.members[0].config(), "ensemble": len(self.members)}

    def pool(self, h, lengths, before_last=None):
        return torch.cat([m.pool(h, lengths, before_last) for m in self.members], -1)

    def _split(self, emb):
        return emb.split(self.d_in, -1)

    def matrix(self, emb):
        return torch.stack([m.matrix(e) for m, e in zip(self.members, self._split(emb))]).mean(0)

    def batch_precedence(self, emb):
        return torch.stack([m.batch_precedence(e) for m, e in zip(self.members, self._split(emb))]).mean(0)

    def eval(self):
        for m in self.members:
            m.eval()
        return self


def member_files(model_dir: Path) -> list[Path]:
    """The head's files in a model directory: pair_head.safetensors, then its other
    members (pair_head_2, _3, ...: numbered on, stopping at the first gap)."""
    first = Path(model_dir) / FILE
    if not first.is_file():
        return []
    out, k = [first], 2
    while (Path(model_dir) / MEMBER_FILE.format(k)).is_file():
        out.append(Path(model_dir) / MEMBER_FILE.format(k))
        k += 1
    return out


def member_path(model_dir: Path, member: int = 1) -> Path:
    return Path(model_dir) / (FILE if member <= 1 else MEMBER_FILE.format(member))


def save(head: PairHead, model_dir: Path, info: dict, member: int = 1) -> Path:
    """Write the head atomically (a half-written file would fail to load, not mislead)."""
    import os

    from safetensors.torch import save_file

    path = member_path(model_dir, member)
    tmp = path.with_suffix(".tmp")
    meta = {"config": json.dumps(head.config()), "info": json.dumps(info)}
    save_file({k: v.detach().float().cpu().contiguous() for k, v in head.state_dict().items()}, str(tmp), metadata=meta)
    os.chmod(tmp, 0o644)  # safetensors writes owner-only; the model directory is shipped
    os.replace(tmp, path)
    return path


def info_of(model_dir: Path, member: int = 1) -> str:
    """The training record stored in the head file's metadata (a JSON string)."""
    from safetensors import safe_open

    with safe_open(str(member_path(model_dir, member)), "pt") as fh:
        return fh.metadata()["info"]


def load_file_head(path: Path) -> PairHead:
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), "pt") as fh:
        cfg = json.loads(fh.metadata()["config"])
    # Building the modules draws random initial weights that the file then replaces; drawing
    # them from a forked generator keeps loading free of side effects (pair-head training
    # seeds the generator, then loads the model directory with whatever head it holds).
    with torch.random.fork_rng(devices=[]):
        head = PairHead(**cfg)
    head.load_state_dict(load_file(str(path)))
    return head.eval()


class HeadFileError(ValueError):
    """A head file that cannot be loaded (damaged, or unlike the first member): `path` names it."""

    def __init__(self, path: Path, reason: Exception):
        super().__init__(str(reason))
        self.path = path


def load(model_dir: Path | None, members: bool = True) -> "PairHead | PairEnsemble | None":
    """The model directory's head (with `members`, an ensemble of all its members
    when it has more than one), or None when it has none (Scorer checks that it fits
    the model). A file that fails raises HeadFileError naming it."""
    files = member_files(model_dir) if model_dir is not None else []
    if not files:
        return None
    heads = []
    for f in files if members else files[:1]:
        try:
            heads.append(load_file_head(f))
            if len(heads) > 1:
                PairEnsemble(heads)  # the same input as the first member
        except Exception as exc:  # noqa: BLE001 - re-raised with the file's name
            raise HeadFileError(f, exc) from exc
    return heads[0] if len(heads) == 1 else PairEnsemble(heads)


def order_z(scores: np.ndarray, headline: bool) -> float:
    """z-score of the actual path's summed pair scores against all orders of the body
    (exact moments: permstats.path_moments).

    `scores[i, j]` rates sentence j right after sentence i, in article order; with a
    headline, row/column 0 is the headline, which stays first in every order."""
    n = scores.shape[0]
    start = 1 if headline else 0
    if n - start < 3:
        return 0.0
    order = np.arange(n) if headline else np.arange(start, n)
    fit = float(scores[order[:-1], order[1:]].sum())
    mean, var = path_moments(scores[start:, start:], scores[0, start:] if headline else None)
    return z_score(fit, mean, var)


def sentence_fit(scores: np.ndarray, headline: bool) -> np.ndarray:
    """Per body sentence, how much better it fits its actual neighbours than the
    article's other sentences would: its pair score after its predecessor minus its
    mean after the others, plus its successor's score after it minus the mean of
    the others' after it (a side it lacks counts 0). A sentence moved into a
    strange place breaks both of its links, so it scores lowest (ORD002).

    `scores` as for order_z (row/column 0 the headline when there is one)."""
    n = scores.shape[0]
    start = 1 if headline else 0
    fit = np.zeros(n - start)
    for r in range(start, n):
        others = [x for x in range(n) if x != r]
        if r - 1 >= 0:
            fit[r - start] += scores[r - 1, r] - scores[others, r].mean()
        after = [x for x in range(start, n) if x != r]
        if r + 1 < n and after:
            fit[r - start] += scores[r, r + 1] - scores[r, after].mean()
    return fit


def best_places(scores: np.ndarray, headline: bool) -> tuple[np.ndarray, np.ndarray]:
    """For every body row r: where it fits best and what moving it there gains.

    The candidates are the orders that move only r (the headline stays first);
    each is rated by its summed pair score along the path. Returns (at, gain), one
    entry per body row: r's position in the best such order (a list of rows, r
    taken out and put back before what is then at `at`), and that order's score
    minus the actual order's (>= 0: putting r back where it is counts too).
    O(n) per row. `scores` as for order_z; the actual order is the row order."""
    n = scores.shape[0]
    start = 1 if headline else 0
    at_out, gain_out = [], []
    for r in range(start, n):
        rest = np.array([x for x in range(n) if x != r])
        taken = 0.0  # what taking r out changes
        if r - 1 >= 0:
            taken -= scores[r - 1, r]
        if r + 1 < n:
            taken -= scores[r, r + 1]
        if r - 1 >= 0 and r + 1 < n:
            taken += scores[r - 1, r + 1]
        a, b = rest[:-1], rest[1:]
        # put back before rest[at]: at = start (first), start + 1 .. n - 2 (between), n - 1 (last)
        put = np.full(n, -np.inf)
        if start == 0 and len(rest):
            put[0] = scores[r, rest[0]]
        put[1 : n - 1] = scores[a, r] + scores[r, b] - scores[a, b]
        put[n - 1] = scores[rest[-1], r] if len(rest) else 0.0
        put[:start] = -np.inf
        at = int(np.argmax(put))
        at_out.append(at)
        gain_out.append(max(0.0, float(taken + put[at])))
    return np.array(at_out, dtype=int), np.array(gain_out)


def precedence_z(prec: np.ndarray) -> float:
    """z-score of the actual order's summed precedence logits (every pair i < j rated
    "i comes before j") against all orders of the same sentences (exact moments:
    permstats.precedence_moments; body only: the headline is first in every order,
    so its pairs say nothing)."""
    n = prec.shape[0]
    if n < 3:
        return 0.0
    fit = float(prec[np.triu(np.ones((n, n), dtype=bool), 1)].sum())
    mean, var = precedence_moments(prec)
    return z_score(fit, mean, var)


def precedence_scores(head: PairHead, embeddings: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        x = torch.as_tensor(np.asarray(embeddings, dtype=np.float32))[None]
        return head.batch_precedence(x)[0].numpy().astype(np.float64)


def pair_scores(head: PairHead, embeddings: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return head.matrix(torch.as_tensor(np.asarray(embeddings, dtype=np.float32))).numpy().astype(np.float64)
