"""A regex alternation built as a prefix tree.

Hundreds of phrases as a flat `a|b|c` alternation make the engine try every
branch at every position; factored by shared prefixes, each position costs one
walk down the tree. Used by the calque scanner and the officials' role lexicon.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable


def trie_pattern(words: Iterable[str], escape: Callable[[str], str] = re.escape) -> str:
    """A pattern matching exactly `words`; `escape(ch)` renders one character
    (a caller may widen it: a space to `\\s+`, an apostrophe to `['’]`)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)
