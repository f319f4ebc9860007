"""Every occurrence of a fixed set of needles in a text, found in one pass.

The KB detectors gate their work on short keywords ("minist", "spokes" for
role phrases; "not ", "never", "refus" for negations). One `str.find` pass
per needle cost ~1 µs per needle per news article (33 µs for the 31 needles,
bench/eval_official.py); an Aho–Corasick automaton (`ahocorasick_rs`) finds
them all in one pass (~4 µs). Without that package the same positions come
from `str.find` (tests check both agree).

`lowered(text)` is the article's lower-cased text, computed once and shared
by the detectors that scan it (the last text is kept by identity, O(1)).
"""

from __future__ import annotations

try:
    import ahocorasick_rs
except ImportError:  # optional speed-up: the str.find fallback gives the same positions
    ahocorasick_rs = None

_last_lower: list = [None, None]


def lowered(text: str) -> str:
    """`text.lower()`, shared by every caller that asks for the same text object."""
    if _last_lower[0] is not text:
        _last_lower[0], _last_lower[1] = text, text.lower()
    return _last_lower[1]


class Needles:
    """A fixed set of needles; `positions(text)` finds them all."""

    def __init__(self, needles, use_automaton: bool = True):
        self.needles: tuple[str, ...] = tuple(dict.fromkeys(n for n in needles if n))
        self._ac = None
        if use_automaton and ahocorasick_rs is not None and self.needles:
            self._ac = ahocorasick_rs.AhoCorasick(list(self.needles))

    def positions(self, text: str) -> dict[str, list[int]]:
        """needle -> the start offset of every occurrence, overlapping ones
        included, ascending (as a `str.find(needle, i + 1)` loop gives them);
        needles that do not occur are left out."""
        out: dict[str, list[int]] = {}
        if self._ac is not None:
            needles = self.needles
            # matches come in order of their end; one needle has one length,
            # so each needle's starts ascend too
            for k, start, _end in self._ac.find_matches_as_indexes(text, overlapping=True):
                got = out.get(needles[k])
                if got is None:
                    out[needles[k]] = [start]
                else:
                    got.append(start)
            return out
        for needle in self.needles:
            i = text.find(needle)
            if i >= 0:
                got = out[needle] = []
                while i >= 0:
                    got.append(i)
                    i = text.find(needle, i + 1)
        return out
