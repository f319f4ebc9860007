"""Sentence- and corpus-level chrF, BLEU and TER, all from sacrebleu.

The metric objects use sacrebleu's defaults, which are what its command line
uses: sentence BLEU with `effective_order=True` (the CLI switches it on in
`--sentence-level` mode), corpus BLEU without it. Scores are kept as sacrebleu
returns them; renderers print them with the CLI's formatting so a score here
equals `python -m sacrebleu` to the last printed digit.
"""

from __future__ import annotations

from functools import lru_cache

METRICS = ("chrf", "bleu", "ter")


@lru_cache(maxsize=1)
def _sentence_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    metrics = {"chrf": CHRF(), "bleu": BLEU(effective_order=True), "ter": TER()}
    for m in metrics.values():  # sacrebleu knows nrefs (for the signature) only after a first score
        m.sentence_score("a", ["a"])
    return metrics


@lru_cache(maxsize=1)
def _corpus_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    metrics = {"chrf": CHRF(), "bleu": BLEU(), "ter": TER()}
    for m in metrics.values():
        m.corpus_score(["a"], [["a"]])
    return metrics


def _clean(text: str) -> str:
    # sacrebleu's CLI reads one segment per line: a newline inside a segment
    # would make the two disagree, so segments are single lines here too.
    return " ".join(text.split())


def sentence_scores(hyp: str, ref: str) -> dict[str, float]:
    """chrF, BLEU (effective order) and TER of one hypothesis against one reference."""
    h, r = _clean(hyp), _clean(ref)
    return {name: m.sentence_score(h, [r]).score for name, m in _sentence_metrics().items()}


def corpus_scores(hyps: list[str], refs: list[str]) -> dict[str, float]:
    """Document/corpus-level chrF, BLEU and TER over parallel segment lists."""
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    if not hyps:
        return {name: None for name in METRICS}
    h = [_clean(x) for x in hyps]
    r = [[_clean(x) for x in refs]]
    return {name: m.corpus_score(h, r).score for name, m in _corpus_metrics().items()}


def signatures() -> dict[str, dict[str, str]]:
    """sacrebleu's reproducibility signatures, sentence- and corpus-level."""
    return {
        "sentence": {n: str(m.get_signature()) for n, m in _sentence_metrics().items()},
        "corpus": {n: str(m.get_signature()) for n, m in _corpus_metrics().items()},
    }


def fmt(score: float | None, width: int = 1) -> str:
    """A score printed the way sacrebleu's CLI prints it (`-w width`)."""
    return "—" if score is None else f"{score:.{width}f}"

