"""bench/lm_profile.py: how operator self times are sorted into kinds."""

import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from lm_profile import KINDS, by_kind, kind_of  # noqa: E402


def test_operators_fall_into_their_kinds():
    assert kind_of("aten::mm") == kind_of("aten::bmm") == kind_of("aten::_addmm_activation") == "matrix products"
    assert kind_of("aten::_scaled_dot_product_flash_attention_for_cpu") == "attention"
    assert kind_of("aten::_log_softmax") == kind_of("aten::nll_loss_forward") == "output softmax"
    # arithmetic on the elements, casts and copies included
    for op in ("aten::mul", "aten::silu", "aten::add", "aten::copy_", "aten::_to_copy", "aten::rsqrt", "aten::cat"):
        assert kind_of(op) == "elementwise", op
    # views, allocation and what is not an aten operator (Python-side records)
    for op in ("aten::view", "aten::empty_strided", "aten::transpose", "profiler_step", "cudaLaunchKernel"):
        assert kind_of(op) == "other", op


def test_self_times_add_up_per_kind_in_seconds():
    events = [SimpleNamespace(key="aten::mm", self_cpu_time_total=3_000_000),
              SimpleNamespace(key="aten::bmm", self_cpu_time_total=1_000_000),
              SimpleNamespace(key="aten::mul", self_cpu_time_total=500_000),
              SimpleNamespace(key="aten::view", self_cpu_time_total=250_000)]
    out = by_kind(events)
    assert list(out) == list(KINDS)
    assert out == {"matrix products": 4.0, "attention": 0.0, "output softmax": 0.0, "elementwise": 0.5, "other": 0.25}
