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

    The sentence's score is below the calibrated threshold. With the embedded
    model the score comes from its fluency head, a small network that reads the
    whole sentence (the states of its own fine-tuned copy of the LM, each
    token's log-probability and unigram log-probability) and was trained to
    tell clean news from damaged copies;
    with any other model it is SLOR (LM log-probability minus unigram
    log-probability per token, so rare names are not penalised) averaged over
    the sentence's least likely quarter of tokens (so one local break is not
    diluted by a long sentence). The threshold is by default the 2nd percentile
    of clean held-out news sentences. The message names the words whose tokens
    the model found least likely and, with the head, the word where the damage
    most likely is (half the head's word logit minus the word's SLOR, each
    standardised in the sentence; the JSON also gives the token), which is
    usually where a machine
    translation breaks: word-order swaps,
    dropped or doubled function words, fragments.

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
    doc="""Article whose sentences are no more coherent in their given order than shuffled.

    Ten statistics, each compared with the same article's sentences in
    random orders (so each is about N(0, 1) for a shuffled article) and
    combined by a weighted sum: (1) the LM: each sentence's log-probability
    after its actual predecessor vs after random other sentences, and of
    random other sentences after that predecessor (paired t-score); (2) the
    LM lede test: the headline should help the first body sentence more than
    the others; (3) word overlap: neighbouring sentences (and headline and
    lede) share content words and names; (4) references before their
    antecedents: a surname before the full name, "He" before anyone is
    named, "But"/"It" opening the story, a quotation closing before it
    opens; (5) the headline's words reappear in the lede more than in the
    other sentences; (6) the lede reads like one (a weekday, a full name, no
    "He"/"also" referring back; cues and weights in lede_cues.tsv). A
    seventh part counts people named by surname before the sentence that
    introduces them in full ("Antonov warned" before "Ambassador Anatoly
    Antonov"; given names in given_names.txt), and two or more such people
    flag the article on their own: clean news introduces people first, and
    a partly shuffled article that keeps its lede is caught this way. The
    eighth, the lede ranking, weighs five cues of every body sentence (the
    headline's help to the LM, headline words, the lede cues, a word n-gram
    lede model learned from the training corpus's headline-lede pairs in
    lede_ngrams.tsv, and surnames used alone) and asks whether the first
    sentence ranks above the others. The ninth, the sentence-pair model
    (pair_head.safetensors beside the model, when it has one; the embedded
    model averages two such heads trained with different seeds), rates every
    ordered pair of sentences from sentence embeddings (a trained copy of the
    LM's last layer reads the states entering it; "does b read as the sentence
    right after a?", learned from the training corpus's articles) and compares
    the actual order's summed fit with all orders: the strongest single part.
    The tenth, from the same embeddings, rates for every two body sentences
    which comes first (the news before its background, an event before the
    reactions to it): a global signal, which a shuffle that keeps the lede
    first scrambles as much as the rest. A dateline ("WASHINGTON (Reuters) - ",
    "MOSCOW, December 1. /TASS/.": a wire credit or a date, not a bare
    capitalised word and a dash, which is also a label such as "VIDEO - ")
    opening a later sentence while the first has none also flags the
    article on its own: the opening was moved.
    Content farms that shuffle sentences lose all of these. The finding is
    about the whole document (no span); its message gives each part and
    names the people referred to before they are introduced.
    Weights and threshold are calibrated on clean articles and shuffled
    copies of them so that at most 1.6% of new clean articles are expected
    to be flagged, a margin under 2% that gives a check on a few hundred
    new articles the best chance of staying within both 2% of clean ones
    flagged and 90% of shuffled ones (a conformal bound: the threshold is
    the j-th lowest clean calibration score for the largest j with
    j / (n + 1) <= 1.6%,
    each article scored with weights fitted on the other calibration
    articles, since weights fitted on an article make it look more
    ordered than a new one). The threshold grows with the logarithm of
    the number of body sentences: clean short articles score lower, and
    a flat threshold spent most of its false alarms on them.
    The test reads the story only: sentences that the boilerplate rules
    delete whole (a foreign-agent label, a photo credit, "Read also: ...")
    and fragments without a letter (a stray ".") are left out. It runs on
    articles with at least 6 body sentences left.

    Example: a wire story whose lede appears in the middle and whose
    "He added that..." follows a sentence about someone else.
    """,
)

MISFIT_SENTENCE = declare(
    code="ORD002",
    name="sentence-out-of-place",
    category="order",
    severity="warning",
    doc="""Sentence that fits its place worst, in an article flagged by ORD001.

    Reported only when the article's order is flagged as scrambled: each
    sentence that names a person by surname before the article introduces
    them in full, and the sixth of its sentences that fit their place worst.
    With the sentence-pair model (the embedded model has one), "worst" is
    what moving the sentence gains: the sentence is taken out and put back
    where the pair model rates the whole path of sentences highest, and the
    finding says where that is ("after sentence [12]", "right after the
    headline"). On clean articles with one sentence moved
    (bench/order_localize.py), the moved sentence gains most in about two
    articles of five (a sentence picked at random: one in fourteen) and the
    pair model puts it back exactly where it came from in about one of three.
    Without a pair model (another --model), the ranking is the LM's
    log-probability gain from the preceding sentence (vs random other
    sentences of the article) plus the sentence's word overlap with its
    neighbours (vs the rest of the article), each standardised within the
    article. A sentence that opens with the story's dateline is reported as
    the moved lede. When the first sentence ranks below average as a lede, the
    sentence that ranks first is reported as the likely lede ("reads most
    like the story's opening sentence"): the ranking picks the true lede in
    about three clean articles of four. These are the first places to look
    when restoring the order.

    Example: "He declined to comment." right after a sentence about a company.
    """,
)

RULES = (LOW_FLUENCY, SCRAMBLED_ORDER, MISFIT_SENTENCE)
