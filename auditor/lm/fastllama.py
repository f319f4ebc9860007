"""A minimal inference-only Llama in plain torch, for the embedded model.

The embedded model is a standard `transformers` LlamaForCausalLM (trained and
saved with save_pretrained). Importing transformers costs ~2-3 s of CPU, more
than scoring a whole article, so for a cold one-article audit we run the same
architecture from its safetensors weights here. tests/test_lm.py checks that
the logits match transformers'. Set MTAUDIT_LM_BACKEND=transformers to bypass.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import torch
import torch.nn.functional as F


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
        w = {k: v.to(device=device, dtype=dtype) for k, v in load_file(str(path / "model.safetensors")).items()}
        if "lm_head.weight" not in w:
            w["lm_head.weight"] = w["model.embed_tokens.weight"]
        self.w = w
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32, device=device) / self.head_dim))
        self.device, self.dtype = device, dtype

    def to(self, device):
        return self

    def eval(self):
        return self

    def _norm(self, x, weight):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return weight * xf.to(x.dtype)

    @staticmethod
    def _rotate(x, cos, sin):
        half = x.shape[-1] // 2
        rot = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rot * sin

    def __call__(self, input_ids, attention_mask=None):
        w = self.w
        b, t = input_ids.shape
        x = F.embedding(input_ids, w["model.embed_tokens.weight"])
        freqs = torch.outer(torch.arange(t, device=self.device, dtype=torch.float32), self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos().to(self.dtype), emb.sin().to(self.dtype)
        causal = torch.ones(t, t, dtype=torch.bool, device=self.device).tril()
        if attention_mask is not None:
            mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
        else:
            mask = causal[None, None]
        for i in range(self.n_layers):
            p = f"model.layers.{i}."
            h = self._norm(x, w[p + "input_layernorm.weight"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
            k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
            v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
            q, k = self._rotate(q, cos, sin), self._rotate(k, cos, sin)
            if self.n_kv != self.n_heads:
                k = k.repeat_interleave(self.n_heads // self.n_kv, dim=1)
                v = v.repeat_interleave(self.n_heads // self.n_kv, dim=1)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            x = x + F.linear(a.transpose(1, 2).reshape(b, t, -1), w[p + "self_attn.o_proj.weight"])
            h = self._norm(x, w[p + "post_attention_layernorm.weight"])
            gate = F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"]))
            x = x + F.linear(gate * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
        x = self._norm(x, w["model.norm.weight"])
        return SimpleNamespace(logits=F.linear(x, w["lm_head.weight"]))
