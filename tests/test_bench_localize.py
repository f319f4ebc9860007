"""bench/lm_localize.py: which words count as damaged, and how each locator picks one."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from lm_localize import damaged_words, pick  # noqa: E402

CLEAN = "The minister said on Monday that the talks would go on"


def test_a_doubled_word_and_its_neighbours_are_damaged():
    bad = "The minister said on Monday that that the talks would go on"
    assert damaged_words(CLEAN, bad, "double_function") == {5, 6, 7}


def test_a_dropped_word_counts_the_words_beside_the_gap():
    bad = "The minister said Monday that the talks would go on"
    assert damaged_words(CLEAN, bad, "drop_function") == {2, 3}


def test_a_fragment_counts_its_last_word_and_the_end():
    bad = "The minister said on Monday."
    hit = damaged_words(CLEAN, bad, "fragment")
    assert {4, 5} <= hit and 0 not in hit


def test_locators():
    slor = [0.5, -3.0, 0.2, 0.1]
    head = [0.0, 1.0, 4.0, 0.0]
    assert pick("slor", slor, head) == 1
    assert pick("head", slor, head) == 2
    assert pick("head+slor", slor, head) in (1, 2)


def test_a_lighter_head_weight_leans_towards_slor():
    slor = [0.5, -2.0, 0.2, 0.1, 0.3]
    head = [0.0, -1.0, 4.0, 0.0, 0.0]
    # equal weights: the head's outlier wins; a quarter of it: the SLOR outlier does
    assert pick("head+slor", slor, head) == 2
    assert pick("head/4+slor", slor, head) == 1
