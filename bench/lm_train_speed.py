"""Training throughput of the LM sizes, fp32 vs bf16 autocast, side by side in one run.

    OMP_NUM_THREADS=1 python bench/lm_train_speed.py [--sizes tiny,small] [--steps 10] [--threads 1]

Forward + backward + AdamW on random 16 x 128-token batches (the recipe's
defaults), the model built as `python -m auditor.lm.train train` builds it.
bf16 autocast pays off only where the CPU multiplies bf16 natively (AMX or
AVX512-BF16); elsewhere expect it to be slower.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import torch
    from transformers import LlamaForCausalLM
    from transformers.utils import logging as hf_logging

    from auditor.lm.scorer import _cpu_has_native_bf16
    from auditor.lm.train import MODEL_SIZES, _config

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="tiny,small")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    args = ap.parse_args()
    hf_logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    print(f"threads {args.threads}, native bf16 on this CPU: {_cpu_has_native_bf16()}")
    for size in args.sizes.split(","):
        rates = {}
        for mode in ("fp32", "bf16"):
            torch.manual_seed(0)
            cfg = argparse.Namespace(size=size, seq=args.seq)
            model = LlamaForCausalLM(_config(cfg, 8000))
            opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
            x = torch.randint(4, 8000, (args.batch, args.seq))
            ctx = torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode == "bf16")
            for i in range(args.steps + 3):
                if i == 3:  # the first steps allocate and warm up
                    t0 = time.perf_counter()
                with ctx:
                    loss = model(input_ids=x, labels=x).loss
                loss.backward()
                opt.step()
                opt.zero_grad(set_to_none=True)
            rates[mode] = args.steps * x.numel() / (time.perf_counter() - t0)
            n = sum(p.numel() for p in model.parameters()) / 1e6
            print(f"{size:<6} {MODEL_SIZES[size]} {n:5.1f}M params  {mode}: {rates[mode]:7.0f} tokens/s", flush=True)
        print(f"{size:<6} bf16 / fp32: {rates['bf16'] / rates['fp32']:.2f}x")


if __name__ == "__main__":
    main()
