"""A minimal inference-only Llama in plain torch, for the embedded model.

The embedded model is a standard `transformers` LlamaForCausalLM (trained and
saved with save_pretrained). Importing transformers costs ~2-3 s of CPU, more
than scoring a whole article, so for a cold one-article audit we run the same
architecture from its safetensors weights here. tests/test_lm.py checks that
the logits match transformers'. Set MTAUDIT_LM_BACKEND=transformers to bypass.

Speed choices, each measured with bench/lm_speed.py on the embedded model
(hidden 256, 4 layers, 8k vocabulary):
- q/k/v and gate/up projections are fused into one matmul each (fewer, larger
  GEMMs; per-op overhead dominates a one-sentence forward);
- rotary tables are computed once per model, not per call;
- right-padded batches need only the causal mask (a real token never attends
  to the padding after it), so attention runs its fused causal kernel;
- `token_logprobs` applies the 8k-vocabulary output layer only to real
  positions, in row chunks: a whole batch's logits (tokens x vocabulary floats)
  fall out of cache and made large batches slower than small ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import torch
import torch.nn.functional as F

HEAD_CHUNK_ROWS = 128  # fp32 positions per output-layer chunk: 128 x 8k floats = 4 MB
HEAD_CHUNK_ROWS_BF16 = 1024


class FastLlama:
    def __init__(self, path: Path, device: str = "cpu", dtype=torch.float32):
        from safetensors.torch import load_file

        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if cfg.get("model_type") != "llama":
            raise ValueError("not a llama model")
        self.config = SimpleNamespace(**cfg)
        self.n_layers = cfg["num_hidden_layers"]
        self.n_heads = cfg["num_attention_heads"]
        self.n_kv = cfg.get("num_key_value_heads") or self.n_heads
        self.head_dim = cfg.get("head_dim") or cfg["hidden_size"] // self.n_heads
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        theta = (cfg.get("rope_parameters") or {}).get("rope_theta") or cfg.get("rope_theta", 10000.0)
        raw = load_file(str(path / "model.safetensors"))
        w = {k: v.to(device=device, dtype=dtype) for k, v in raw.items()}
        if "lm_head.weight" not in w:
            w["lm_head.weight"] = w["model.embed_tokens.weight"]
        self.layers = []
        for i in range(self.n_layers):
            p = f"model.layers.{i}."
            self.layers.append(SimpleNamespace(
                norm1=w[p + "input_layernorm.weight"],
                qkv=torch.cat([w[p + f"self_attn.{n}_proj.weight"] for n in "qkv"]),
                o=w[p + "self_attn.o_proj.weight"],
                norm2=w[p + "post_attention_layernorm.weight"],
                gate_up=torch.cat([w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"]]),
                down=w[p + "mlp.down_proj.weight"],
            ))
        self.embed, self.final_norm, self.head = w["model.embed_tokens.weight"], w["model.norm.weight"], w["lm_head.weight"]
        self.n_q, self.n_k = self.n_heads * self.head_dim, self.n_kv * self.head_dim
        self.inter = self.layers[0].down.shape[1] if self.layers else 0
        inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32, device=device) / self.head_dim))
        n_pos = int(cfg.get("max_position_embeddings") or 2048)
        freqs = torch.outer(torch.arange(n_pos, device=device, dtype=torch.float32), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.cos, self.sin = emb.cos().to(dtype), emb.sin().to(dtype)
        self.device, self.dtype = device, dtype

    def to(self, device):
        return self

    def eval(self):
        return self

    def _norm(self, x, weight):
        # LlamaRMSNorm's formula. F.rms_norm measured 3% faster in fp32 but 20% slower in
        # bf16 (bf16 reductions are slow on CPU), and this one matches transformers exactly.
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return weight * xf.to(x.dtype)

    @staticmethod
    def _rotate(x, cos, sin):
        half = x.shape[-1] // 2
        rot = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rot * sin

    def _qkv(self, x, layer, cos, sin):
        """A block's attention inputs: q (b, heads, t, head_dim) and rotated k, v
        (b, kv heads, t, head_dim); cos and sin broadcast against (b, t, heads, head_dim)."""
        b, t, _ = x.shape
        nh, nkv = self.n_heads, self.n_kv
        qkv = F.linear(self._norm(x, layer.norm1), layer.qkv).view(b, t, nh + 2 * nkv, self.head_dim)
        # rotate q and k in one op (half the elementwise calls of rotating each)
        qk = self._rotate(qkv[:, :, : nh + nkv], cos, sin).transpose(1, 2)
        return qk[:, :nh], qk[:, nh:], qkv[:, :, nh + nkv :].transpose(1, 2)

    def _attend(self, q, k, v, mask=None):
        if self.n_kv != self.n_heads:
            k = k.repeat_interleave(self.n_heads // self.n_kv, dim=1)
            v = v.repeat_interleave(self.n_heads // self.n_kv, dim=1)
        if mask is None:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    def _finish(self, x, layer, a):
        """The rest of a block: output projection, residual, SwiGLU MLP, residual."""
        b, t, _ = x.shape
        x = x + F.linear(a.transpose(1, 2).reshape(b, t, -1), layer.o)
        gate, up = F.linear(self._norm(x, layer.norm2), layer.gate_up).split((self.inter, self.inter), dim=-1)
        return x + F.linear(F.silu(gate) * up, layer.down)

    def hidden(self, input_ids, attention_mask=None, pre_last: bool = False):
        """Final normalised hidden states (b, t, hidden); with `pre_last`, also the
        residual stream entering the last layer (what the pair head's tower reads).

        `attention_mask` is needed only for left padding; right-padded batches
        are exact under the causal mask alone."""
        b, t = input_ids.shape
        x = F.embedding(input_ids, self.embed)
        cos, sin = self.cos[:t][:, None], self.sin[:t][:, None]
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            causal = torch.ones(t, t, dtype=torch.bool, device=self.device).tril()
            mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
        before_last = x
        for layer in self.layers:
            before_last = x
            q, k, v = self._qkv(x, layer, cos, sin)
            x = self._finish(x, layer, self._attend(q, k, v, mask))
        final = self._norm(x, self.final_norm)
        return (final, before_last) if pre_last else final

    def prefix_states(self, ids, lengths):
        """For right-padded prefix rows: each layer's rotated keys and values
        [(k, v), ...], each (b, kv heads, t, head_dim), and the final normalised
        state at each row's last token (b, hidden), which predicts the first token
        after the prefix. The same arithmetic as `hidden` (a prefix's states do not
        depend on what follows it)."""
        b, t = ids.shape
        x = F.embedding(ids, self.embed)
        cos, sin = self.cos[:t][:, None], self.sin[:t][:, None]
        cache = []
        for layer in self.layers:
            q, k, v = self._qkv(x, layer, cos, sin)
            cache.append((k, v))
            x = self._finish(x, layer, self._attend(q, k, v))
        last = x[torch.arange(b, device=ids.device), torch.as_tensor(lengths, device=ids.device) - 1]
        return cache, self._norm(last, self.final_norm)

    def suffix_hidden(self, ids, prefix_cache, prefix_lengths):
        """Final normalised states (b, t, hidden) of right-padded suffix rows, each
        continuing a prefix whose keys and values (`prefix_states`, gathered per row
        and padded to a common length P) are in `prefix_cache`: row r's tokens sit
        at positions prefix_lengths[r] onwards and attend to its prefix's real
        tokens and to the suffix tokens up to their own. Why: the order test scores
        each sentence after several others; each context is run once, not once per
        pair (BENCHMARKS.md, twentieth session)."""
        b, t = ids.shape
        dev = ids.device
        plen = torch.as_tensor(prefix_lengths, device=dev)
        p = prefix_cache[0][0].shape[2] if prefix_cache else 0
        pos = (plen[:, None] + torch.arange(t, device=dev)[None, :]).clamp(max=self.cos.shape[0] - 1)
        cos, sin = self.cos[pos][:, :, None], self.sin[pos][:, :, None]  # (b, t, 1, head_dim)
        keys = torch.cat([torch.arange(p, device=dev)[None, :] < plen[:, None],
                          torch.ones(b, t, dtype=torch.bool, device=dev)], 1)  # (b, p + t)
        mask = keys[:, None, None, :].expand(b, 1, t, p + t).clone()
        mask[:, :, :, p:] &= torch.ones(t, t, dtype=torch.bool, device=dev).tril()
        x = F.embedding(ids, self.embed)
        for layer, (pk, pv) in zip(self.layers, prefix_cache):
            q, k, v = self._qkv(x, layer, cos, sin)
            x = self._finish(x, layer, self._attend(q, torch.cat([pk, k], 2), torch.cat([pv, v], 2), mask))
        return self._norm(x, self.final_norm)

    def state_logprobs(self, states, targets):
        """log P(target | state) for (n, hidden) final states and (n,) target ids
        (float32, n values): the output layer and its log-softmax, as in token_logprobs."""
        out = torch.empty(states.shape[0], dtype=torch.float32, device=states.device)
        rows = HEAD_CHUNK_ROWS_BF16 if self.dtype == torch.bfloat16 else HEAD_CHUNK_ROWS
        for c in range(0, states.shape[0], rows):
            logits = F.linear(states[c : c + rows], self.head)
            out[c : c + rows] = F.cross_entropy(logits, targets[c : c + rows], reduction="none").neg()
        return out

    def __call__(self, input_ids, attention_mask=None):
        return SimpleNamespace(logits=F.linear(self.hidden(input_ids, attention_mask), self.head))

    def token_logprobs(self, ids, lengths, pool=None, states: bool = False, starts=None):
        """log P(ids[r, j] | ids[r, :j]) for 1 <= j < lengths[r], rows right-padded
        (for starts[r] <= j < lengths[r] with `starts`: the output layer, a third of
        the work per token, then runs only where a log-prob is wanted; the order
        test's pairs score only the second sentence of each).

        Returns a float32 tensor with the log-probs of all rows concatenated
        (row r contributes lengths[r] - 1 values, lengths[r] - starts[r] with
        `starts`, in order); with `pool` (a function
        of the final hidden states, the lengths and the states entering the last
        layer, e.g. PairHead.pool), also each row's sentence embedding, from the
        same forward pass; with `states`, (log-probs, embeddings or None, final
        hidden states) for the fluency head."""
        if pool is not None or states:
            h, before_last = self.hidden(ids, pre_last=True)
            emb = pool(h, lengths, before_last) if pool is not None else None
            lp = self._logprobs(ids, lengths, h, starts)
            return (lp, emb, h) if states else (lp, emb)
        return self._logprobs(ids, lengths, self.hidden(ids), starts)

    def _logprobs(self, ids, lengths, h, starts=None):
        width = ids.shape[1]
        lengths_t = torch.as_tensor(lengths, device=ids.device)
        # positions 0..len-2 predict tokens 1..len-1
        pos = torch.arange(width - 1, device=ids.device)[None, :]
        valid = pos < (lengths_t[:, None] - 1)
        if starts is not None:
            valid &= pos >= (torch.as_tensor(starts, device=ids.device)[:, None] - 1)
        # bf16: oneDNN's bf16 matmul pays a fixed cost per call, so big chunks, and the fused
        # bf16 cross-entropy kernel (log-probs rounded to bf16, |error| < 0.05 nats) runs 3x
        # faster than an fp32 logsumexp. fp32: small chunks keep the logits in cache.
        return self.state_logprobs(h[:, :-1][valid], ids[:, 1:][valid])


def pool_hidden(h, lengths, opening: int = 4):
    """(rows, 3 x hidden) float32 sentence embeddings: the mean of the final hidden
    states over each row's tokens after BOS, their mean over its first `opening`
    tokens (how the sentence opens: "He", "But", "The company"), and the state at
    its last token (EOS: the model's guess at what comes next)."""
    lengths_t = torch.as_tensor(lengths, device=h.device)
    pos = torch.arange(h.shape[1], device=h.device)[None, :]
    end = (lengths_t[:, None] - 1).clamp(min=2)  # a bare [BOS, EOS] row pools the EOS state
    hf = h.float()

    def mean_over(keep):
        keep = keep.to(torch.float32)
        return (hf * keep[..., None]).sum(1) / keep.sum(1, keepdim=True).clamp(min=1.0)

    inner = (pos >= 1) & (pos < end)
    first = inner & (pos <= opening)
    last = hf[torch.arange(h.shape[0], device=h.device), lengths_t - 1]
    return torch.cat([mean_over(inner), mean_over(first), last], -1)
