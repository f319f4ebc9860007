"""Calibration: where a sentence's score falls among clean news sentences.

A table is the score's quantiles at every 0.1 percentile (1,001 values) over
clean held-out sentences. The embedded model ships its table in
`calibration.json`; for any other model the table (and the unigram table that
SLOR needs) is computed from the clean sentences shipped in
`data/calibration.txt.gz` and cached under ~/.cache/mtaudit/calibration.
"""

from __future__ import annotations

import bisect
import gzip
import json
import os
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

VERSION = 2  # bump when scores change meaning (invalidates cached tables)
DEFAULT_CALIBRATION_SENTENCES = 4000
DEFAULT_FLAG_PERCENTILE = 2.0
STEPS = 1000  # quantiles at 0.1-percentile steps


@lru_cache(maxsize=1)
def _all_calibration_sentences() -> tuple[str, ...]:
    data = files("auditor.lm").joinpath("data/calibration.txt.gz").read_bytes()
    return tuple(l for l in gzip.decompress(data).decode("utf-8").splitlines() if l.strip())


def calibration_sentences(n: int | None = None) -> list[str]:
    """The first `n` shipped clean calibration sentences (held-out news, never trained on)."""
    sents = _all_calibration_sentences()
    return list(sents[:n] if n else sents)


def quantiles(scores) -> list[float]:
    import numpy as np

    if len(scores) == 0:
        raise ValueError("no scores to calibrate on")
    q = np.quantile(np.asarray(scores, dtype=np.float64), np.linspace(0, 1, STEPS + 1))
    return [round(float(v), 5) for v in q]


def value_at_percentile(q: list[float], pct: float) -> float:
    """The score at percentile `pct` (0-100) of the table."""
    x = max(0.0, min(100.0, pct)) / 100 * (len(q) - 1)
    i = min(int(x), len(q) - 2)
    return q[i] + (q[i + 1] - q[i]) * (x - i)


def percentile_of(q: list[float], score: float) -> float:
    """Percentile (0-100) of `score` among the clean calibration scores."""
    n = len(q) - 1
    if score <= q[0]:
        return 0.0
    if score >= q[-1]:
        return 100.0
    lo = bisect.bisect_left(q, score)
    hi = bisect.bisect_right(q, score)
    if hi > lo:  # ties (flat table region): take the middle of the tied run
        return 100.0 * ((lo + hi - 1) / 2) / n
    a, b = q[lo - 1], q[lo]
    return 100.0 * (lo - 1 + (score - a) / (b - a)) / n


def unigram_table(tokenizer, sentences: list[str], vocab: int):
    """Add-half smoothed unigram log-probabilities of the tokenizer's ids on
    the calibration text (end-of-sentence counted once per sentence)."""
    import numpy as np

    counts = np.full(vocab, 0.5)
    for ids in tokenizer.encode(sentences):
        np.add.at(counts, np.asarray([i for i in ids if i < vocab], dtype=np.int64), 1)
    if tokenizer.eos is not None and tokenizer.eos < vocab:
        counts[tokenizer.eos] += len(sentences)
    return np.log(counts / counts.sum()).astype(np.float32)


def build_table(scorer, sentences: list[str], flag_percentile: float = DEFAULT_FLAG_PERCENTILE) -> dict:
    """Score the clean sentences with `scorer` and tabulate the score's quantiles."""
    scored = [d["score"] for d in scorer.score_texts(sentences) if d is not None]
    return {"version": VERSION, "metric": scorer.metric, "n": len(scored), "flag_percentile": flag_percentile,
            "quantiles": quantiles(scored)}


def cache_dir() -> Path:
    base = os.environ.get("MTAUDIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mtaudit")
    return Path(base) / "calibration"


def cached_table(key: str, make) -> dict | None:
    """The cached table for `key`; else `make()`'s table, stored atomically
    (a read-only cache just means recomputing next time)."""
    path = cache_dir() / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = make()
    if table is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(table, fh)
            os.replace(tmp, path)
        except OSError:
            pass
    return table
