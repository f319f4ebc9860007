"""The LM stage's rules, declared so `mtaudit rules` documents them and the
config can disable or re-grade them. Importing this module imports no torch."""

from __future__ import annotations

from auditor.detectors.registry import declare

LOW_FLUENCY = declare(
    code="FLU001",
    name="low-fluency-sentence",
    category="fluency",
    severity="warning",
    doc="""Sentence the news language model finds much less likely than clean news.

    The sentence's score is below the calibrated threshold. The score is SLOR
    (LM log-probability minus unigram log-probability per token, so rare names
    are not penalised) averaged over the sentence's least likely quarter of
    tokens (so one local break is not diluted by a long sentence). The
    threshold is by default the 2nd percentile of clean held-out news
    sentences. The message names the tokens the model found least likely, which
    is usually where a machine translation breaks: word-order swaps, dropped or
    doubled function words, literal calques, fragments.

    Example: "Of the ministry the representative on Monday said visas about."
    is flagged; "A ministry spokesman said on Monday that visas were discussed."
    is not.
    """,
)

SCRAMBLED_ORDER = declare(
    code="ORD001",
    name="scrambled-sentence-order",
    category="order",
    severity="warning",
    doc="""Article whose sentences are no more probable in their given order than shuffled.

    For every sentence the LM compares its log-probability after its actual
    predecessor with its log-probability after randomly chosen other sentences
    of the same article (a paired permutation test). In real news each sentence
    follows its predecessor better than a random one (pronouns, "however",
    continuing a quote); content farms that shuffle sentences lose this. The
    finding is about the whole document (no span). Calibrated on clean articles
    so that about 2% of them are flagged.

    Example: a wire story whose lede appears in the middle and whose
    "He added that..." follows a sentence about someone else.
    """,
)

MISFIT_SENTENCE = declare(
    code="ORD002",
    name="sentence-out-of-place",
    category="order",
    severity="warning",
    doc="""Sentence that fits after its predecessor worst, in an article flagged by ORD001.

    Reported only when the article's order is flagged as scrambled: the
    sentences whose log-probability gains least (or loses most) from the
    preceding sentence compared with random other sentences of the article.
    These are the first places to look when restoring the order.

    Example: "He declined to comment." right after a sentence about a company.
    """,
)

RULES = (LOW_FLUENCY, SCRAMBLED_ORDER, MISFIT_SENTENCE)
