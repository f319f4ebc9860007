"""Where the LM scoring pass spends its time, batched against the naive loop, by
kind of operator (torch.profiler, self CPU time of each aten op): matrix
products, attention, the output layer's (log-)softmax, elementwise work
(norms, rotary, SiLU, residual adds, casts and copies) and the rest (views,
allocation). Same sentences, same model, one process.

Why: the target "batched >= 5x naive" depends on how much of the batched
pass is per-token work that batching cannot amortise. The ratio per kind says
which kinds batching speeds up (matrix products: a one-sentence product pays
oneDNN's fixed cost per call) and which it barely does (elementwise work and
attention over short sentences cost about the same per token either way).

    OMP_NUM_THREADS=1 python bench/lm_profile.py [--n 300] [--threads 1] [--dtype auto] [--model PATH]
    OMP_NUM_THREADS=1 python bench/lm_profile.py --products   (matrix products alone, by model width)

Profiling adds a few microseconds per operator, far more to the naive loop
(its operators are small and ten times as many): the unprofiled wall times
are printed first and are the ones to compare; the table's shares are of the
profiled operator time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("matrix products", "attention", "output softmax", "elementwise", "other")
_MATMUL = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::_addmm_activation", "aten::matmul",
           "aten::linear", "aten::mkldnn_linear", "aten::_mkldnn_linear"}
_ATTENTION = {"aten::_scaled_dot_product_flash_attention_for_cpu", "aten::scaled_dot_product_attention",
              "aten::_masked_softmax", "aten::_native_multi_head_attention", "aten::_scaled_dot_product_attention_math"}
_SOFTMAX = {"aten::_log_softmax", "aten::log_softmax", "aten::nll_loss_forward", "aten::nll_loss_nd",
            "aten::nll_loss", "aten::cross_entropy_loss", "aten::logsumexp", "aten::_softmax", "aten::softmax"}
# metadata and allocation: no arithmetic on the elements
_OTHER = {"aten::as_strided", "aten::empty", "aten::empty_strided", "aten::empty_like", "aten::view",
          "aten::_unsafe_view", "aten::reshape", "aten::transpose", "aten::t", "aten::slice", "aten::select",
          "aten::expand", "aten::unsqueeze", "aten::squeeze", "aten::split", "aten::split_with_sizes",
          "aten::chunk", "aten::narrow", "aten::detach", "aten::alias", "aten::lift_fresh", "aten::resize_",
          "aten::result_type", "aten::item", "aten::_local_scalar_dense", "aten::is_nonzero", "aten::numpy_T",
          "aten::permute", "aten::contiguous", "aten::to", "aten::dim"}


def kind_of(op: str) -> str:
    """The kind an aten operator's self time counts under (anything arithmetic
    that is not a matrix product, attention or softmax is elementwise work)."""
    if op in _MATMUL:
        return "matrix products"
    if op in _ATTENTION:
        return "attention"
    if op in _SOFTMAX:
        return "output softmax"
    if op in _OTHER or not op.startswith("aten::"):
        return "other"
    return "elementwise"


def by_kind(events) -> dict[str, float]:
    """Seconds of self CPU time per kind, from profiler key averages."""
    out = dict.fromkeys(KINDS, 0.0)
    for e in events:
        out[kind_of(e.key)] += e.self_cpu_time_total / 1e6
    return out


def product_ratios(widths=(256, 512, 768, 1024), rows: int = 35, sentences: int = 15, repeats: int = 50) -> None:
    """One matrix product (rows x d) @ (d x 3d), as a block's q/k/v projection: `sentences`
    products of one sentence's rows against one product of all their rows, per width and
    dtype. Whether a wider model would gain more from batching on this CPU."""
    import torch
    import torch.nn.functional as F

    def best(f):
        for _ in range(5):
            f()
        t0 = time.perf_counter()
        for _ in range(repeats):
            f()
        return (time.perf_counter() - t0) / repeats

    print(f"\n| dtype | width | {sentences} products of {rows} rows, ms | one of {sentences * rows} rows, ms | ratio | GFLOP/s batched |\n|---|---:|---:|---:|---:|---:|")
    for dtype in (torch.bfloat16, torch.float32):
        for d in widths:
            w = torch.randn(3 * d, d, dtype=dtype) * 0.02
            xs = [torch.randn(rows, d, dtype=dtype) for _ in range(sentences)]
            xb = torch.randn(rows * sentences, d, dtype=dtype)
            naive = best(lambda: [F.linear(x, w) for x in xs])
            batched = best(lambda: F.linear(xb, w))
            flops = 2 * rows * sentences * d * 3 * d
            print(f"| {str(dtype).split('.')[-1]} | {d} | {naive * 1e3:.2f} | {batched * 1e3:.2f} | {naive / batched:.2f}x | {flops / batched / 1e9:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dtype", default="auto", choices=["auto", "float32", "bfloat16"])
    ap.add_argument("--repeats", type=int, default=3, help="unprofiled passes per variant (best is kept)")
    ap.add_argument("--products", action="store_true",
                    help="instead: one matrix product per sentence against one per batch, for widths 256-1024")
    args = ap.parse_args()
    if args.products:
        import torch

        torch.set_num_threads(args.threads)
        product_ratios()
        return
    from torch.profiler import ProfilerActivity, profile

    from auditor.lm import calibration as cal, load_scorer

    sents = cal.calibration_sentences(args.n)
    scorer = load_scorer(args.model, threads=args.threads, dtype=args.dtype)
    print(f"model {scorer.info['name']}, dtype {scorer.info['dtype']}, threads {args.threads}, "
          f"token budget {scorer.token_budget}, {len(sents)} sentences")
    walls, kinds, calls = {}, {}, {}
    for label, naive in (("batched", False), ("naive", True)):
        scorer.score_texts(sents[:16], naive=naive)  # warm-up
        best = min(_timed(scorer, sents, naive) for _ in range(args.repeats))
        walls[label] = best
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            scorer.score_texts(sents, naive=naive)
        events = prof.key_averages()
        kinds[label] = by_kind(events)
        calls[label] = sum(e.count for e in events if kind_of(e.key) != "other")
        print(f"{label}: {best:.3f} s unprofiled (best of {args.repeats}), {len(sents) / best:.1f} sentences/s; "
              f"{calls[label]} arithmetic operator calls", flush=True)
    print(f"naive / batched wall: {walls['naive'] / walls['batched']:.2f}x")
    tot = {k: sum(v.values()) for k, v in kinds.items()}
    print("\n| kind | batched ms | share | naive ms | share | naive / batched |\n|---|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        b, n = kinds["batched"][kind], kinds["naive"][kind]
        ratio = f"{n / b:.2f}x" if b > 0 else "-"
        print(f"| {kind} | {b * 1e3:.0f} | {b / tot['batched']:.0%} | {n * 1e3:.0f} | {n / tot['naive']:.0%} | {ratio} |")
    print(f"| all operators | {tot['batched'] * 1e3:.0f} | | {tot['naive'] * 1e3:.0f} | | {tot['naive'] / tot['batched']:.2f}x |")


def _timed(scorer, sents, naive: bool) -> float:
    t0 = time.perf_counter()
    scorer.score_texts(sents, naive=naive)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
