"""Reference scoring for `mtaudit batch --reference-field`: whole records.

A record's text and its reference are cut into sentences, aligned, and
scored as parallel segments (unmatched sentences paired with ""), exactly
as `mtaudit compare` scores a document; a source's summary pools every
record's segments into one corpus score.
"""

from __future__ import annotations

from functools import lru_cache

from auditor.compare.alignment import align
from auditor.compare.scoring import corpus_scores as _corpus, signatures


@lru_cache(maxsize=512)
def _segments(hyp_text: str, ref_text: str) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """Aligned segment pairs of two texts (cached: score_record then corpus_scores align once)."""
    from auditor.article import build_article

    a = [s.text for s in build_article(hyp_text).sentences]
    b = [s.text for s in build_article(ref_text).sentences]
    hyps, refs, aligned = [], [], 0
    for bead in align(a, b):
        hyps.append(" ".join(a[i] for i in bead.a))
        refs.append(" ".join(b[j] for j in bead.b))
        aligned += bool(bead.a and bead.b)
    return tuple(hyps), tuple(refs), aligned


def score_record(hyp_text: str, ref_text: str) -> dict:
    """Document scores of one record against its reference.

    {"chrf", "bleu", "ter", "segments", "aligned", "signatures"}; the scores
    are sacrebleu corpus scores over the record's aligned sentence pairs.
    """
    hyps, refs, aligned = _segments(hyp_text, ref_text)
    out = _corpus(list(hyps), list(refs))
    out.update({"segments": len(hyps), "aligned": aligned, "signatures": signatures()["corpus"]})
    return out


def corpus_scores(hyps: list[str], refs: list[str]) -> dict:
    """Corpus scores over many records (texts and their references, parallel lists)."""
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} texts but {len(refs)} references")
    seg_h: list[str] = []
    seg_r: list[str] = []
    aligned = 0
    for h, r in zip(hyps, refs):
        sh, sr, n = _segments(h, r)
        seg_h.extend(sh)
        seg_r.extend(sr)
        aligned += n
    out = _corpus(seg_h, seg_r)
    out.update({"records": len(hyps), "segments": len(seg_h), "aligned": aligned,
                "signatures": signatures()["corpus"]})
    return out
