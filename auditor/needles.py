"""Every occurrence of fixed sets of needles in a text, found in one pass.

The KB detectors gate their work on short keywords ("minist", "spokes" for
role phrases; "not ", "never", "refus" for negations), and the calque
detector on its entries' anchors. One `str.find` pass
per needle cost ~1 µs per needle per news article (33 µs for the 31 needles,
bench/eval_official.py); an Aho–Corasick automaton (`ahocorasick_rs`) finds
them all in one pass (~4 µs). Every `Needles` set shares one automaton over
the union of all sets, and the last text's scan is kept (by identity), so
the detectors scanning one article pay for one pass between them. Without
`ahocorasick_rs` the same positions come from `str.find` (tests check both
agree).

`lowered(text)` is the article's lower-cased text, computed once and shared
by the detectors that scan it (the last text is kept by identity, O(1)).
"""

from __future__ import annotations

try:
    import ahocorasick_rs
except ImportError:  # optional speed-up: the str.find fallback gives the same positions
    ahocorasick_rs = None

# (text, its lower-cased copy): one tuple, swapped whole, so a reader never
# pairs one text with another's copy
_last_lower: list = [(None, None)]


def lowered(text: str) -> str:
    """`text.lower()`, shared by every caller that asks for the same text object."""
    last = _last_lower[0]
    if last[0] is text:
        return last[1]
    low = text.lower()
    _last_lower[0] = (text, low)
    return low


_DFA_AFTER = 100  # texts scanned before the automaton is rebuilt as a DFA


class _Union:
    """One automaton over every registered needle; the last text's matches."""

    def __init__(self):
        self.needles: list[str] = []
        self._index: dict[str, int] = {}
        self._ac = self._ac_bytes = None
        self._last: tuple = (None, None)  # (text, its scan), swapped whole
        self._scans = 0  # texts scanned (not counting repeats of the last one)

    def add(self, needles) -> None:
        for n in needles:
            if n not in self._index:
                self._index[n] = len(self.needles)
                self.needles.append(n)
                self._ac = None  # rebuilt on the next scan
        self._last = (None, None)

    def scan(self, text: str) -> dict[str, list[int]]:
        last = self._last
        if last[0] is text:
            return last[1]
        self._scans += 1
        if self._ac is None or self._scans == _DFA_AFTER:
            # A DFA scans a news article ~3x faster (6 against 17 us with the ~520 needles of
            # the calque anchors and KB keywords) but takes ~4 ms to build against ~1: a
            # one-article run keeps the NFA, a batch switches after _DFA_AFTER texts.
            impl = ahocorasick_rs.Implementation.DFA if self._scans >= _DFA_AFTER else None
            self._ac_bytes = ahocorasick_rs.BytesAhoCorasick([n.encode("utf-8") for n in self.needles],
                                                             implementation=impl)
            self._ac = ahocorasick_rs.AhoCorasick(self.needles, implementation=impl)
        ac, ac_bytes, needles = self._ac, self._ac_bytes, self.needles
        # ASCII text (isascii() is O(1)): byte offsets are code-point offsets,
        # and the bytes automaton skips the offset mapping
        if text.isascii():
            matches = ac_bytes.find_matches_as_indexes(text.encode("ascii"), overlapping=True)
        else:
            matches = ac.find_matches_as_indexes(text, overlapping=True)
        out: dict[str, list[int]] = {}
        # matches come in order of their end; one needle has one length, so
        # each needle's starts ascend too
        for k, start, _end in matches:
            got = out.get(needles[k])
            if got is None:
                out[needles[k]] = [start]
            else:
                got.append(start)
        self._last = (text, out)
        return out


_UNION = _Union()


class Needles:
    """A fixed set of needles; `positions(text)` finds them all."""

    def __init__(self, needles, use_automaton: bool = True):
        self.needles: tuple[str, ...] = tuple(dict.fromkeys(n for n in needles if n))
        self._set = frozenset(self.needles)
        self._shared = use_automaton and ahocorasick_rs is not None and bool(self.needles)
        if self._shared:
            _UNION.add(self.needles)

    def positions(self, text: str) -> dict[str, list[int]]:
        """needle -> the start offset of every occurrence, overlapping ones
        included, ascending (as a `str.find(needle, i + 1)` loop gives them);
        needles that do not occur are left out. The lists are shared: read only."""
        if self._shared:
            found = _UNION.scan(text)
            return {k: v for k, v in found.items() if k in self._set}
        out: dict[str, list[int]] = {}
        for needle in self.needles:
            i = text.find(needle)
            if i >= 0:
                got = out[needle] = []
                while i >= 0:
                    got.append(i)
                    i = text.find(needle, i + 1)
        return out
