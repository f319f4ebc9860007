"""Validation perplexity of model directories on the whole validation stream,
side by side: every window the training recipe could draw, without overlap
(windows of --seq tokens, each starting at a sentence start after a BOS, as in
`auditor.lm.train`), per sentencepiece token. The training log's figure uses
20 random batches of windows; this one reads all of valid.txt.gz (511 k tokens).

    python bench/lm_valid.py --work models/_work/news models/news-lm [OTHER_MODEL_DIR ...]

Models must share the tokenizer of WORK (the stream is WORK/valid_tokens.npy).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def windows(tokens, starts, seq: int):
    import numpy as np

    out, nxt = [], 0
    for s in starts:
        if s < nxt or s + seq - 1 > len(tokens):
            continue
        out.append(s)
        nxt = s + seq - 1
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--work", default="models/_work/news", help="prepared streams (auditor.lm.train prep)")
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--device", default=None)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import numpy as np
    import torch
    from transformers import AutoModelForCausalLM

    from auditor.lm.train import BOS

    torch.set_num_threads(args.threads)
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    work = Path(args.work)
    tokens = np.load(work / "valid_tokens.npy")
    starts = windows(tokens, np.load(work / "valid_starts.npy"), args.seq)
    x = np.empty((len(starts), args.seq), dtype=np.int64)
    x[:, 0] = BOS
    for i, s in enumerate(starts):
        x[i, 1:] = tokens[s : s + args.seq - 1]
    x = torch.from_numpy(x)
    print(f"{len(starts)} windows x {args.seq} tokens ({x[:, 1:].numel()} predicted tokens), device {device}")
    for path in args.models:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).to(device).eval()
        t0, total, count = time.time(), 0.0, 0
        with torch.inference_mode():
            for b in range(0, len(x), args.batch):
                ids = x[b : b + args.batch].to(device)
                logits = model(input_ids=ids).logits[:, :-1].float()
                nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1),
                                                        reduction="sum")
                total += nll.item()
                count += ids[:, 1:].numel()
        print(f"{path}: validation perplexity {math.exp(total / count):.2f} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
