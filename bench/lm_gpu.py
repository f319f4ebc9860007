"""LM scoring on a CUDA GPU: tokens/s and the achieved fraction of bf16 peak,
batched vs naive, for the embedded model and for a GPT-2-small-sized random
model (transformers' GPT2LMHeadModel: 12 layers, 768 wide, 50,257-token
vocabulary, 124 M parameters), plus a Llama of the same size through the
embedded model's own engine (FastLlama). Same sentences for every variant, one run.

    python bench/lm_gpu.py [--n 2000] [--repeats 5] [--json results.json]

Variants per model:
- `batched`: `Scorer.score_texts` as an audit runs it (tokenise, length-sorted
  batches under the scorer's token budget, bf16, SLOR per sentence);
- `naive`: the same, one sentence per forward (`naive=True`);
- `forward batched@B` / `forward naive`: `Scorer.token_logprobs` /
  `naive_token_logprobs` on pre-tokenised sentences (the model's share alone),
  for token budgets B.

FLOPs are the useful forward FLOPs of the real (unpadded) tokens: 2 x the
matrix parameters per token (the output layer included) plus causal attention
(2 x 2 x layers x width x L(L+1)/2 per sentence of L tokens). The peak is
measured in the same run (an 8192^3 bf16 matrix product, median of 20 after
warm-up, CUDA events) and also quoted against the datasheet's dense bf16 rate.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATASHEET_BF16_TFLOPS = {"H100": 989.4, "H200": 989.4}  # dense bf16 tensor-core peak (SXM)


def matmul_peak(torch, n: int = 8192, reps: int = 20) -> float:
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        a @ b
        e.record()
        torch.cuda.synchronize()
        times.append(s.elapsed_time(e) / 1e3)
    return 2 * n**3 / statistics.median(times) / 1e12


def forward_flops(cfg: dict, lengths: list[int]) -> float:
    """Useful forward FLOPs over sequences of these lengths (no padding)."""
    d, layers, vocab = cfg["hidden"], cfg["layers"], cfg["vocab"]
    per_token = 2 * (layers * cfg["block_params"] + d * vocab)
    attn = sum(2 * 2 * layers * d * L * (L + 1) / 2 for L in lengths)
    return per_token * sum(lengths) + attn


def model_shape(config) -> dict:
    d = int(getattr(config, "hidden_size", 0) or config.n_embd)
    layers = int(getattr(config, "num_hidden_layers", 0) or config.n_layer)
    vocab = int(config.vocab_size)
    if getattr(config, "model_type", "") == "gpt2":
        block = 4 * d * d + 2 * d * (config.n_inner or 4 * d)
    else:
        heads = config.num_attention_heads
        kv = getattr(config, "num_key_value_heads", heads)
        hd = d // heads
        block = 2 * d * d + 2 * d * kv * hd + 3 * d * config.intermediate_size
    return {"hidden": d, "layers": layers, "vocab": vocab, "block_params": block}


def make_reference_model(kind: str, embedded: Path, out: Path, layers: int, hidden: int, vocab: int) -> Path:
    """A random GPT-2-small-sized model in a model directory the scorer loads
    (the embedded sentencepiece tokenizer; its ids are < vocab)."""
    import numpy as np
    import torch
    from safetensors.numpy import save_file

    torch.manual_seed(0)
    if kind == "gpt2":
        from transformers import GPT2Config, GPT2LMHeadModel

        cfg = GPT2Config(vocab_size=vocab, n_positions=1024, n_embd=hidden, n_layer=layers, n_head=max(1, hidden // 64),
                         bos_token_id=1, eos_token_id=2)
        model = GPT2LMHeadModel(cfg)
    else:
        from transformers import LlamaConfig, LlamaForCausalLM

        cfg = LlamaConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=max(1, hidden // 64),
                          num_key_value_heads=max(1, hidden // 64), intermediate_size=4 * hidden,
                          max_position_embeddings=1024, tie_word_embeddings=True, bos_token_id=1, eos_token_id=2, pad_token_id=3)
        model = LlamaForCausalLM(cfg)
    out.mkdir(parents=True, exist_ok=True)
    model.to(torch.bfloat16).save_pretrained(out, safe_serialization=True)
    shutil.copy(embedded / "tokenizer.model", out / "tokenizer.model")
    own = json.loads((embedded / "calibration.json").read_text())
    (out / "calibration.json").write_text(json.dumps({k: own[k] for k in ("quantiles", "flag_percentile", "max_tokens") if k in own}))
    small = np.full(vocab, -20.0, dtype=np.float32)
    from safetensors.numpy import load_file

    uni = load_file(str(embedded / "unigram.safetensors"))["logprob"]
    small[: len(uni)] = uni
    save_file({"logprob": small}, str(out / "unigram.safetensors"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="calibration sentences scored by every variant")
    ap.add_argument("--repeats", type=int, default=5, help="timed passes per variant (median kept)")
    ap.add_argument("--budgets", default="4096,16384,65536", help="token budgets for the forward-only batched variants")
    ap.add_argument("--ref-layers", type=int, default=12)
    ap.add_argument("--ref-hidden", type=int, default=768)
    ap.add_argument("--ref-vocab", type=int, default=50257)
    ap.add_argument("--models", default="embedded,gpt2,llama", help="which of embedded,gpt2,llama to time")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--json", default=None, help="write every figure here")
    args = ap.parse_args()

    import torch

    from auditor.lm import calibration as cal
    from auditor.lm.scorer import default_model_path, load_scorer

    on_gpu = args.device.startswith("cuda")
    if on_gpu:
        name = torch.cuda.get_device_name()
        peak = matmul_peak(torch)
    else:  # a dry run of the script on a CPU (figures meaningless)
        name, peak = "cpu", float("nan")
    sheet = next((v for k, v in DATASHEET_BF16_TFLOPS.items() if k in name), float("nan"))
    print(f"device {name}; bf16 matmul 8192^3 measured {peak:.0f} TFLOP/s (datasheet dense {sheet:.0f})", flush=True)
    sync = torch.cuda.synchronize if on_gpu else (lambda: None)
    sents = cal.calibration_sentences(args.n)
    tmp = Path(tempfile.mkdtemp(prefix="mtaudit-gpu-bench-"))
    emb = default_model_path()
    pick = set(args.models.split(","))
    models = {}
    if "embedded" in pick:
        models["embedded news-lm (FastLlama)"] = emb
    if "gpt2" in pick:
        models["GPT-2-small-sized random (transformers GPT2LMHeadModel)"] = make_reference_model(
            "gpt2", emb, tmp / "gpt2", args.ref_layers, args.ref_hidden, args.ref_vocab)
    if "llama" in pick:
        models["Llama GPT-2-small-sized random (FastLlama)"] = make_reference_model(
            "llama", emb, tmp / "llama", args.ref_layers, args.ref_hidden, args.ref_vocab)
    rows = []

    def timed(fn):
        fn()  # warm-up (kernels, allocator)
        sync()
        times = []
        for _ in range(args.repeats):
            sync()
            t0 = time.perf_counter()
            fn()
            sync()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), min(times)

    for label, path in models.items():
        scorer = load_scorer(str(path), device=args.device, dtype="bfloat16" if on_gpu else "float32")
        shape = model_shape(scorer.model.config)
        seqs = [u for ids in scorer.tok.encode(sents) for u in scorer._sentence_units(ids)]
        lengths = [len(s) for s in seqs]
        n_tok = sum(lengths)
        flops = forward_flops(shape, lengths)
        params = sum(p.numel() for p in scorer.model.parameters()) if hasattr(scorer.model, "parameters") else None
        print(f"\n{label}: {shape}, {n_tok} tokens in {len(seqs)} sentences, "
              f"{flops / n_tok / 1e6:.1f} MFLOP/token", flush=True)
        variants = [("batched (audit path)", lambda: scorer.score_texts(sents)),
                    ("naive (audit path)", lambda: scorer.score_texts(sents, naive=True)),
                    ("forward naive", lambda: scorer.naive_token_logprobs(seqs, [1] * len(seqs)))]
        default_budget = scorer.token_budget
        for b in [default_budget, *(int(x) for x in args.budgets.split(",") if int(x) != default_budget)]:
            def fwd(b=b):
                scorer.token_budget = b
                try:
                    scorer.token_logprobs(seqs, [1] * len(seqs))
                finally:
                    scorer.token_budget = default_budget
            variants.append((f"forward batched@{b}" + (" (default)" if b == default_budget else ""), fwd))
        for vname, fn in variants:
            med, best = timed(fn)
            tflops = flops / med / 1e12
            row = {"model": label, "variant": vname, "sentences_s": len(sents) / med, "tokens_s": n_tok / med,
                   "seconds_median": med, "seconds_min": best, "tflops": tflops,
                   "of_measured_peak": tflops / peak if on_gpu else None,
                   "of_datasheet_peak": tflops / sheet if on_gpu else None, "params": params}
            rows.append(row)
            print(f"  {vname:34s} {row['sentences_s']:10.0f} sent/s {row['tokens_s']:12.0f} tok/s "
                  f"{tflops:8.2f} TFLOP/s  {100 * tflops / peak:6.2f} % of measured peak", flush=True)
        by = {r["variant"]: r for r in rows if r["model"] == label}
        print(f"  batched / naive: audit path {by['batched (audit path)']['tokens_s'] / by['naive (audit path)']['tokens_s']:.1f}x, "
              f"forward {max(r['tokens_s'] for v, r in by.items() if v.startswith('forward batched')) / by['forward naive']['tokens_s']:.1f}x",
              flush=True)
        scorer = None  # drop the model before the next one loads (not `del`: the lambdas above close over the name)
        from auditor.lm import scorer as sc

        sc._CACHE.clear()
        if on_gpu:
            torch.cuda.empty_cache()
    shutil.rmtree(tmp, ignore_errors=True)
    summary = {"device": name, "measured_bf16_peak_tflops": peak, "datasheet_bf16_tflops": sheet, "n": len(sents),
               "torch": torch.__version__, "rows": rows}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))
    print("\n| model | variant | sentences/s | tokens/s | TFLOP/s | % of measured bf16 peak |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        pct = f"{100 * r['of_measured_peak']:.2f}" if r["of_measured_peak"] is not None else "-"
        print(f"| {r['model']} | {r['variant']} | {r['sentences_s']:,.0f} | {r['tokens_s']:,.0f} | {r['tflops']:.2f} | {pct} |")


if __name__ == "__main__":
    main()
