"""One-pass needle scan: the automaton and the str.find fallback agree."""

import pytest

from auditor.needles import Needles, lowered

NEEDLES = ["not ", "n't", "n’t", "aa", "a", "minist", "head", "no "]
TEXTS = [
    "",
    "aaaa",
    "The minister did not say no  to the head of the ministry.",
    "İstanbul: he didn’t, she didn't — “not ” 😀 not 😀😀 minist",
    "x\u0301not \U0001F600aa\u200bno ",
    "nothing here",
]


@pytest.mark.parametrize("text", TEXTS)
def test_automaton_and_find_agree(text):
    fast, slow = Needles(NEEDLES), Needles(NEEDLES, use_automaton=False)
    assert fast.positions(text) == slow.positions(text)


def test_positions_are_every_occurrence_ascending():
    for use in (True, False):
        got = Needles(["aa", "b"], use_automaton=use).positions("aaab aa")
        assert got == {"aa": [0, 1, 5], "b": [3]}


def test_absent_needles_left_out_and_duplicates_once():
    assert Needles(["zz", "q", "q"]).positions("quiet") == {"q": [0]}
    assert Needles([]).positions("anything") == {}


def test_lowered_is_shared_per_text_object():
    text = "Foreign MINISTER"
    assert lowered(text) == "foreign minister"
    assert lowered(text) is lowered(text)
    assert lowered("Other") == "other"


def test_sets_share_one_scan_but_see_only_their_needles():
    a, b = Needles(["minist", "head"]), Needles(["not ", "head"])
    text = "the head of the ministry did not come"
    assert a.positions(text) == {"minist": [16], "head": [4]}
    assert b.positions(text) == {"not ": [29], "head": [4]}
    assert Needles(["zzz"]).positions(text) == {}  # a new set after a scan is seen too


def test_the_dfa_a_batch_switches_to_finds_the_same(monkeypatch):
    """After _DFA_AFTER texts the automaton is rebuilt as a DFA: same positions."""
    import auditor.needles as needles

    union = needles._Union()
    monkeypatch.setattr(needles, "_UNION", union)
    monkeypatch.setattr(needles, "_DFA_AFTER", 3)
    fast, slow = Needles(NEEDLES), Needles(NEEDLES, use_automaton=False)
    for round_ in range(3):
        for text in TEXTS:
            assert fast.positions(text + " " * round_) == slow.positions(text + " " * round_)
    assert union._scans > 3
    assert union._ac_bytes is not None
