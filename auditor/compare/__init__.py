"""Compare a translation with a reference or a second translation (sacrebleu).

Public API:
    compare(article_a, article_b, config=None, reference=False) -> Comparison
    align(sentences_a, sentences_b) -> [Bead]
    score_record(hyp_text, ref_text) -> dict    (batch: one record)
    corpus_scores(hyps, refs) -> dict           (batch: a source's records)

Imports are lazy so `import auditor.compare` costs nothing until used.
"""

from __future__ import annotations


def compare(*args, **kwargs):
    from auditor.compare.core import compare as _compare

    return _compare(*args, **kwargs)


def align(*args, **kwargs):
    from auditor.compare.alignment import align as _align

    return _align(*args, **kwargs)


def score_record(hyp_text: str, ref_text: str) -> dict:
    from auditor.compare.batch import score_record as _score_record

    return _score_record(hyp_text, ref_text)


def corpus_scores(hyps: list[str], refs: list[str]) -> dict:
    from auditor.compare.batch import corpus_scores as _corpus_scores

    return _corpus_scores(hyps, refs)


__all__ = ["compare", "align", "score_record", "corpus_scores"]
