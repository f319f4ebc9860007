"""Fluency head: a small bidirectional network over the language model's states
that rates how damaged a sentence reads.

The LM's own score (SLOR) compares each token with what the model expected from
the words before it. Clean news varies a lot on that measure, so a sentence with
one dropped article often scores like an ordinary clean sentence with a rare
turn of phrase. The head reads the whole sentence at once (both directions) from
what the LM already computed for every token: its final hidden state, the
token's log-probability and its unigram log-probability. It was trained to tell
clean news sentences from copies damaged by generic noise (`noise.py`), and its
per-token logits say where it thinks the damage is.

Optionally (`body`, trained with `train fluency-head --tune-body`), the head
owns a trainable copy of the LM's whole body, started from the LM's weights
and fine-tuned on the same task (as ELECTRA's discriminator is): it then reads
that copy's final states instead of the frozen LM's. The frozen LM still gives
the log-probabilities, so SLOR, the order test and the pair head are unchanged.

A sentence's damage logit is the log-sum-exp of its token logits (a sentence is
damaged when any place in it is). `fluency.head` in the report is minus that
logit, so higher is more fluent, like SLOR.

The head is stored beside the model (`fluency_head.safetensors`, config in its
metadata). A model directory without one (any `--model` but the embedded one
unless trained for it) scores with SLOR alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
import torch.nn as nn

FILE = "fluency_head.safetensors"
SCALE = 10.0  # log-probabilities enter divided by this (they span about -25..0)


class _Weight(nn.Module):
    """An uninitialised weight (no random init: a body is always copied from an
    LM or loaded, and initialising 5 M weights cost 32 ms of a cold audit),
    under the state-dict key `<name>.weight` as nn.Linear / nn.Embedding use."""

    def __init__(self, *shape: int):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(*shape))


class TunedBody(nn.Module):
    """A trainable Llama body (embeddings, decoder layers, final norm; no output
    layer) laid out like FastLlama's fused weights. `causal=False` lets every
    token attend to the whole sentence: a discriminator may read ahead."""

    def __init__(self, vocab: int, hidden: int, layers: int, heads: int, kv_heads: int, head_dim: int,
                 inter: int, eps: float = 1e-6, theta: float = 10000.0, max_positions: int = 512,
                 causal: bool = True):
        super().__init__()
        self.cfg = {"vocab": vocab, "hidden": hidden, "layers": layers, "heads": heads, "kv_heads": kv_heads,
                    "head_dim": head_dim, "inter": inter, "eps": eps, "theta": theta,
                    "max_positions": max_positions, "causal": causal}
        self.embed = _Weight(vocab, hidden)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            blk = nn.Module()
            blk.norm1 = nn.Parameter(torch.ones(hidden))
            blk.qkv = _Weight((heads + 2 * kv_heads) * head_dim, hidden)
            blk.o = _Weight(hidden, heads * head_dim)
            blk.norm2 = nn.Parameter(torch.ones(hidden))
            blk.gate_up = _Weight(2 * inter, hidden)
            blk.down = _Weight(hidden, inter)
            self.blocks.append(blk)
        self.final_norm = nn.Parameter(torch.ones(hidden))
        self._rope_cache: dict = {}

    def _rope(self, device, dtype):
        """Rotary tables (max_positions, head_dim), built on first use for each device and dtype."""
        key = (str(device), dtype)
        if key not in self._rope_cache:
            hd, c = self.cfg["head_dim"], self.cfg
            inv = 1.0 / (c["theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32, device=device) / hd))
            freqs = torch.outer(torch.arange(c["max_positions"], dtype=torch.float32, device=device), inv)
            emb = torch.cat((freqs, freqs), -1)
            self._rope_cache[key] = (emb.cos().to(dtype), emb.sin().to(dtype))
        return self._rope_cache[key]

    @classmethod
    def from_lm(cls, lm, causal: bool = True) -> "TunedBody":
        """A copy of a FastLlama's body (fp32), ready to fine-tune."""
        body = cls(lm.embed.shape[0], lm.embed.shape[1], lm.n_layers, lm.n_heads, lm.n_kv, lm.head_dim,
                   lm.inter, lm.eps, float(getattr(lm.config, "rope_theta", 0) or
                                           (getattr(lm.config, "rope_parameters", None) or {}).get("rope_theta", 10000.0)),
                   min(512, lm.cos.shape[0]), causal)
        with torch.no_grad():
            body.embed.weight.copy_(lm.embed.float())
            for blk, layer in zip(body.blocks, lm.layers):
                blk.norm1.copy_(layer.norm1.float())
                blk.qkv.weight.copy_(layer.qkv.float())
                blk.o.weight.copy_(layer.o.float())
                blk.norm2.copy_(layer.norm2.float())
                blk.gate_up.weight.copy_(layer.gate_up.float())
                blk.down.weight.copy_(layer.down.float())
            body.final_norm.copy_(lm.final_norm.float())
        return body

    def _norm(self, x, w):
        xf = x.float()  # as FastLlama: the reduction in fp32 whatever the weights' dtype
        return w * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.cfg["eps"])).to(x.dtype)

    def forward(self, ids, lengths):
        """Final normalised states (b, t, hidden) of right-padded token rows."""
        import torch.nn.functional as F

        c = self.cfg
        b, t = ids.shape
        nh, nkv, hd = c["heads"], c["kv_heads"], c["head_dim"]
        pos = torch.arange(t, device=ids.device).clamp(max=c["max_positions"] - 1)
        x = F.embedding(ids, self.embed.weight)
        cos, sin = self._rope(ids.device, x.dtype)
        cos, sin = cos[pos][:, None], sin[pos][:, None]
        mask = None
        if not c["causal"]:  # keys: the row's real tokens only
            mask = (torch.arange(t, device=ids.device)[None, :]
                    < torch.as_tensor(lengths, device=ids.device)[:, None])[:, None, None, :]
        for blk in self.blocks:
            h = self._norm(x, blk.norm1)
            qkv = F.linear(h, blk.qkv.weight).view(b, t, nh + 2 * nkv, hd)
            qk = qkv[:, :, : nh + nkv]
            half = hd // 2
            qk = (qk * cos + torch.cat((-qk[..., half:], qk[..., :half]), -1) * sin).transpose(1, 2)
            q, k = qk[:, :nh], qk[:, nh:]
            v = qkv[:, :, nh + nkv :].transpose(1, 2)
            if nkv != nh:
                k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None)
            x = x + F.linear(a.transpose(1, 2).reshape(b, t, -1), blk.o.weight)
            gate, up = F.linear(self._norm(x, blk.norm2), blk.gate_up.weight).chunk(2, -1)
            x = x + F.linear(F.silu(gate) * up, blk.down.weight)
        return self._norm(x, self.final_norm)


class FluencyHead(nn.Module):
    def __init__(self, hidden: int, d: int = 128, layers: int = 2, heads: int = 4, ff: int = 256,
                 max_positions: int = 512, dropout: float = 0.1, body: dict | None = None):
        super().__init__()
        self.hidden, self.d, self.n_layers, self.n_heads, self.ff = hidden, d, layers, heads, ff
        self.max_positions = max_positions
        self.body = TunedBody(**body) if body else None
        self.inp = nn.Linear(hidden + 3, d)
        self.pos = nn.Embedding(max_positions, d)
        layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=dropout, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def config(self) -> dict:
        cfg = {"hidden": self.hidden, "d": self.d, "layers": self.n_layers, "heads": self.n_heads,
               "ff": self.ff, "max_positions": self.max_positions}
        if self.body is not None:
            cfg["body"] = self.body.cfg
        return cfg

    def forward(self, h, lp, uni, lengths, ids=None):
        """Per-token damage logits (b, t) for right-padded rows; padding gets -inf.

        h: (b, t, hidden) the LM's final states; lp: (b, t) log P(token_j | tokens < j)
        (0 at BOS); uni: (b, t) the tokens' unigram log-probabilities (0 at BOS);
        ids: (b, t) the token ids, read (instead of h) by a head with its own body."""
        if self.body is not None:
            if ids is None:
                raise ValueError("this fluency head has its own body: pass the token ids")
            h = self.body(ids, lengths).float()
        b, t = lp.shape
        lengths_t = torch.as_tensor(lengths, device=lp.device)
        pos = torch.arange(t, device=lp.device)
        pad = pos[None, :] >= lengths_t[:, None]
        scalars = torch.stack([lp / SCALE, uni / SCALE, (lp - uni) / SCALE], -1)
        x = self.inp(torch.cat([h.to(scalars.dtype), scalars], -1))
        x = x + self.pos(pos.clamp(max=self.max_positions - 1))[None]
        x = self.encoder(x, src_key_padding_mask=pad)
        z = self.out(self.norm(x)).squeeze(-1)
        # BOS carries no token of the sentence
        return z.masked_fill(pad | (pos[None, :] == 0), float("-inf"))

    @staticmethod
    def sentence_logit(z):
        """A row's damage logit: log-sum-exp over its token logits."""
        return torch.logsumexp(z, -1)


def save(head: FluencyHead, model_dir: Path, info: dict) -> Path:
    from safetensors.torch import save_file

    path = Path(model_dir) / FILE
    tmp = path.with_suffix(".tmp")
    tensors = {k: v.detach().to(torch.float16).contiguous() for k, v in head.state_dict().items()}
    save_file(tensors, str(tmp), metadata={"config": json.dumps(head.config()), "info": json.dumps(info)})
    os.chmod(tmp, 0o644)  # safetensors writes owner-only; the model directory is shipped
    tmp.replace(path)
    return path


def info_of(model_dir: Path) -> dict:
    from safetensors import safe_open

    with safe_open(str(Path(model_dir) / FILE), "pt") as fh:
        return json.loads(fh.metadata().get("info", "{}"))


def load(model_dir: Path | None, device: str = "cpu", body_dtype=torch.float32) -> FluencyHead | None:
    """The model directory's fluency head in eval mode (fp32; a tuned body in
    `body_dtype`), or None if it has none."""
    if model_dir is None or not (Path(model_dir) / FILE).is_file():
        return None
    from safetensors import safe_open

    with safe_open(str(Path(model_dir) / FILE), "pt") as fh:
        cfg = json.loads(fh.metadata()["config"])
        state = {k: fh.get_tensor(k).to(device=device, dtype=body_dtype if k.startswith("body.") else torch.float32)
                 for k in fh.keys()}
    head = FluencyHead(**cfg)
    # strict: a file from another layout fails here. (Not built on the meta device to skip
    # initialisation: that imports torch._dynamo, 0.8 s; the body's weights start uninitialised.)
    head.load_state_dict(state, assign=True)
    return head.to(device).eval()


def row_inputs(lp_rows: list, uni_rows: list, width: int, device, dtype=torch.float32):
    """(b, width) log-prob and unigram tensors, BOS position 0 and padding 0."""
    b = len(lp_rows)
    lp = torch.zeros((b, width), dtype=dtype)
    uni = torch.zeros((b, width), dtype=dtype)
    for r, (a, u) in enumerate(zip(lp_rows, uni_rows)):
        lp[r, 1 : 1 + len(a)] = torch.as_tensor(a, dtype=dtype)
        uni[r, 1 : 1 + len(u)] = torch.as_tensor(u, dtype=dtype)
    return lp.to(device), uni.to(device)


def padded_ids(seqs: list[list[int]], pad: int):
    """(b, width) long tensor of right-padded token rows."""
    ids = torch.full((len(seqs), max(len(s) for s in seqs)), pad, dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = torch.as_tensor(s, dtype=torch.long)
    return ids


def lm_inputs(scorer, seqs: list[list[int]], states: bool = True):
    """The head's inputs for one right-padded batch of token rows ([BOS] ... [EOS]),
    from a fresh LM pass (training; the audit gets them from its fluency pass):
    (h, lp, uni, lengths) with h in fp32. `states=False` (a head with its own body,
    which never reads the frozen LM's states) gives h = None and skips them: no fp32
    copy, and on the transformers path no second pass."""
    import numpy as np

    width = max(len(s) for s in seqs)
    ids = padded_ids(seqs, scorer.tok.pad)
    lengths = [len(s) for s in seqs]
    fast = getattr(scorer.model, "token_logprobs", None)
    h = None
    with torch.inference_mode():
        if fast is not None:  # one pass gives both (the transformers path needs two)
            if states:
                flat, _, h = fast(ids.to(scorer.device), lengths, states=True)
            else:
                flat = fast(ids.to(scorer.device), lengths)
            flat = flat.float().cpu().numpy().astype(np.float64)
            ends = np.cumsum([n - 1 for n in lengths])
            lps = np.split(flat, ends[:-1])
        else:
            if states:
                h = scorer.hidden_states(ids)[0]
            lps = scorer.token_logprobs(seqs, [1] * len(seqs))
    vocab = len(scorer.unigram)
    unis = [scorer.unigram[np.minimum(np.asarray(s[1:], dtype=np.int64), vocab - 1)] for s in seqs]
    lp, uni = row_inputs(lps, unis, width, scorer.device)
    return (h.float().clone() if states else None), lp, uni, lengths
