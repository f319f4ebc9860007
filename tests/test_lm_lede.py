"""The lede ranking (auditor/lm/lede.py): which body sentence opens the story.

No model and no torch: the n-gram lede model is a data file, the ranking is numpy."""

import math
import random

import pytest

from auditor.lm import lede
from auditor.lm.cohesion import cohesion

pytest.importorskip("numpy")

HEAD = "Russia and US to resume visa talks"
BODY = [
    "Russian Deputy Foreign Minister Sergei Ryabkov said on Tuesday that Moscow and Washington would resume talks on visas next month.",
    "Ryabkov told reporters that the first round would take place in Vienna.",
    "He added that both sides wanted to stop expelling each other's diplomats.",
    "The embassy in Washington has lost more than half of its staff since 2017.",
    '"We are ready to work on this," Ryabkov said.',
    "The State Department declined to comment.",
    "Relations between the two countries are at their lowest point in decades.",
]


def rows(body, gains=None):
    coh = cohesion(HEAD, body)
    gains = gains if gains is not None else [0.0] * len(body)
    return lede.lede_feature_rows(body, gains, coh["headline_overlap"], coh["cues"], coh["surname_refs"])


def test_ngram_features_are_words_pairs_openings_and_a_length():
    f = lede.ngram_features("NATO said on Monday it sent 300 troops.")
    assert {"u:NATO", "u:said", "b:said on", "b:on monday", "s0:NATO", "s1:said", "s2:on", "u:000"} <= f
    assert "s3:monday" not in f  # only the first three words by position
    assert sum(x.startswith("len:") for x in f) == 1


def test_shipped_ngram_model_prefers_a_lede_to_a_follow_up():
    bias, weights = lede.lede_ngrams()
    assert len(weights) > 1000 and math.isfinite(bias)
    assert lede.ngram_score(BODY[0]) > lede.ngram_score(BODY[2])
    assert lede.ngram_score(BODY[0]) > lede.ngram_score(BODY[4])
    assert lede.ngram_score(BODY[0]) > lede.ngram_score("The State Department declined to comment.")


def test_cohesion_gives_per_sentence_lede_cues():
    coh = cohesion(HEAD, BODY)
    assert len(coh["headline_overlap"]) == len(coh["cues"]) == len(coh["surname_refs"]) == len(BODY)
    assert coh["headline_overlap"][0] == max(coh["headline_overlap"])
    # "Ryabkov" alone, while sentence 0 names Sergei Ryabkov in full
    assert coh["surname_refs"][0] == 0 and coh["surname_refs"][1] == 1 and coh["surname_refs"][4] == 1
    assert cohesion(None, BODY)["headline_overlap"] == [0.0] * len(BODY)


def test_lede_rank_is_high_with_the_lede_first_and_low_when_it_is_moved():
    ok = lede.lede_rank_z(rows(BODY))
    moved = BODY[2:] + BODY[:2]  # "He added ..." now opens the story
    bad = lede.lede_rank_z(rows(moved))
    assert ok > 1.0 and bad < 0.0


def test_lede_rank_is_zero_when_there_is_nothing_to_rank():
    assert lede.lede_rank_z(rows(BODY[:2])) == 0.0
    assert lede.lede_rank_z([[1.0] * len(lede.RANK_FEATURES)] * 5) == 0.0  # every sentence alike


def test_a_missing_lm_gain_takes_the_mean_of_the_others():
    r = rows(BODY[:4], gains=[3.0, None, 1.0, float("nan")])
    assert [row[0] for row in r] == [3.0, 2.0, 1.0, 2.0]


def test_rank_weights_fitted_on_articles_find_the_informative_cue():
    rng = random.Random(0)
    k = len(lede.RANK_FEATURES)
    arts = []
    for _ in range(200):
        n = rng.randint(6, 12)
        x = [[rng.gauss(0, 1) for _ in range(k)] for _ in range(n)]
        x[0][3] += 2.5  # the n-gram score marks the lede
        for row in x[1:]:
            row[4] += rng.random() < 0.5  # surname references only after the lede
        arts.append(x)
    w = lede.fit_rank_weights(arts, steps=500)
    assert set(w) == set(lede.RANK_FEATURES)
    assert w["ngrams"] == max(w.values()) and w["ngrams"] > 1.0
    assert w["surname_refs"] < 0
    assert all(abs(w[c]) < 0.5 for c in ("lm_gain", "headline_overlap", "cues"))


@pytest.mark.parametrize("lede", [
    "WASHINGTON (Reuters) - The Federal Reserve kept interest rates on hold on Wednesday.",
    "MOSCOW, December 1. /TASS/. Russia and the United States made progress on visas.",
    "NEW YORK/LONDON (Reuters) - Oil prices fell on Monday.",
    "KIEV, March 3 - Ukraine's central bank raised its main rate to 15 percent.",
])
def test_a_dateline_in_a_later_sentence_means_the_opening_was_moved(lede):
    from auditor.lm.cohesion import lede_likeness, misplaced_dateline

    rest = BODY[1:5]
    assert misplaced_dateline([lede, *rest]) is None  # where it belongs
    assert misplaced_dateline([rest[0], rest[1], lede, rest[2]]) == 2
    assert lede_likeness(lede) > lede_likeness(rest[0])


def test_no_dateline_or_one_in_every_story_is_no_misplaced_dateline():
    from auditor.lm.cohesion import misplaced_dateline

    assert misplaced_dateline(BODY) is None
    # a parenthetical dash or an acronym is no dateline
    assert misplaced_dateline([BODY[0], "Exports - the usual engine of growth - faltered.", "Mr Bez - a former executive - said so."]) is None
    # a label or an all-caps subhead and a dash is no dateline of a moved opening
    labels = [BODY[0], BODY[1], "VIDEO - The footage shows the convoy.", "UPDATE – The figures were revised.",
              "ADDITIONAL REPORTING - Anna Smith in Kiev."]
    assert misplaced_dateline(labels) is None
    # a name with digits and a dash is no dated dateline either ("19" is not a date)
    assert misplaced_dateline([BODY[0], BODY[1], "COVID-19 - The number of cases rose again.",
                               "G20 - Leaders met in Rome."]) is None
    # two stories, each with its own dateline: not a moved opening
    two = ["PARIS (Reuters) - French output rose.", "It was the third rise.", "BERLIN (Reuters) - German output fell."]
    assert misplaced_dateline(two) is None
